import Foundation
import NetworkModel
import TestSupport
import XCTest

/// What the look before parsing refuses, and that it refuses nothing a real file writes.
final class DocumentGuardTests: XCTestCase {
    let net = "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n"

    func refusal(_ text: String) -> InputError? {
        do { _ = try NetworkFile.parse(text: text, file: "n.yaml"); return nil } catch { return error as? InputError }
    }

    func testEveryComplexKeyFormIsRefusedWhereItIs() {
        let cases: [(String, Int, Int)] = [
            ("a: &a [1, 2]\n? *a\n: 1\n", 2, 1),                 // explicit key
            ("a: &a [1, 2]\nb: { ? *a : 1 }\n", 2, 6),           // explicit key in a flow mapping
            ("a: &a [1, 2]\n*a : 1\n", 2, 4),                    // alias as a block key
            ("a: &a [1, 2]\nb: {*a: 1}\n", 2, 7),                // alias as a flow key
            ("[1, 2]: x\n", 1, 7),                               // collection as a key
            ("b: {[1]: 1}\n", 1, 8),
            ("b: {x: {c: 1}: 2}\n", 1, 14),
            ("{\"a\": [1]: 2}\n", 1, 10),
        ]
        for (text, line, column) in cases {
            let e = refusal(text)
            XCTAssertEqual(e?.line, line, "\(text): \(String(describing: e))")
            XCTAssertEqual(e?.column, column, "\(text): \(String(describing: e))")
            XCTAssertTrue(e?.message.contains("a mapping key is an alias or a collection") ?? false, "\(text): \(String(describing: e))")
        }
    }

    func testAQuoteInsideAPlainScalarHidesNothing() {
        // A quote that does not open a quoted scalar must not hide a complex key after it.
        for text in ["a: &a [1]\nb: {c: foo 'x, [*a]: 1}\n", "a: &a [1]\nb: {c: d:'x, [*a]: 1}\n",
                     "a: &a [1]\nb: [foo\n'x, {[*a]: 1}]\n", "a: &a [1]\nb: foo 'x\n? *a\n: 1\n"] {
            XCTAssertTrue(refusal(text)?.message.contains("a mapping key is an alias or a collection") ?? false,
                          "\(text): \(String(describing: refusal(text)))")
        }
    }

    func testRealFilesPass() throws {
        for sample in TestSupport.allSamples { XCTAssertNoThrow(try NetworkFile.load(path: sample), sample) }
        // Quoted keys, '#' and quotes inside values, aliases as values, JSON without spaces.
        XCTAssertNoThrow(try NetworkFile.parse(text: "'input': [1, 2] # a comment: [x]: y\n\"target\": [0]\nname: \"it's a: net ]:\"\nlayers: [{units: 1, weights: [[1], [1]]}]\n", file: "n.yaml"))
        XCTAssertNoThrow(try NetworkFile.parse(text: "input: &x [1, 2]\ntarget: [0]\nname: Bob's net? yes\nlayers:\n  - { units: 1, weights: 1 }\n", file: "n.yaml"))
        XCTAssertNoThrow(try NetworkFile.parse(text: #"{"input":[1,2],"target":[0],"layers":[{"units":1,"weights":[[1],[1]]}]}"#, file: "n.json"))
        XCTAssertNoThrow(try NetworkFile.parse(text: net.replacingOccurrences(of: "\n", with: "\r\n"), file: "n.yaml"))
        let themes = TestSupport.root.appendingPathComponent("Themes").path
        for theme in (try? FileManager.default.contentsOfDirectory(atPath: themes)) ?? [] where theme.hasSuffix(".yaml") {
            let text = try String(contentsOfFile: themes + "/" + theme, encoding: .utf8)
            XCTAssertNoThrow(try YAMLReader(file: theme).root(of: text, expected: "a theme"), theme)
        }
    }

    func testAHugeListIsRefusedBeforeItIsParsed() {
        let text = "input: [" + String(repeating: "1,", count: 2_100_000) + "1]\ntarget: [0]\nlayers: [{units: 1, weights: 1}]\n"
        let e = refusal(text)
        XCTAssertNil(e?.line, "\(String(describing: e))")
        XCTAssertTrue(e?.message.contains("holds more than 2000000 values or lines; expected at most 2000000") ?? false, "\(String(describing: e))")
    }

    /// `&a0 [1, …×10], &a1 [*a0 ×10], …, &aN [*aN-1 ×10]`: 10^(N+1) values from a few hundred bytes.
    static func aliasLevels(_ depth: Int) -> String {
        (["&a0 [1,1,1,1,1,1,1,1,1,1]"] + (1...depth).map { "&a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 10).joined(separator: ",") + "]" })
            .joined(separator: ", ")
    }

    func testNestedAliasesAreRefusedWhereTheFirstAliasIs() {
        // Six levels: 10⁷ nodes, which the fast path's check (or any walk) took seconds over;
        // ten levels took 40 minutes. Refused after counting 2,000,000 of them, wherever they
        // stand: weights (fast path), notation, and a file with no flow list of numbers.
        let bomb = Self.aliasLevels(6)
        let cases: [(String, Int, Int)] = [
            ("input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [ \(bomb) ] }\n", 4, 60),
            ("input: [1, 2]\ntarget: [0]\nnotation: { input: [ \(bomb) ] }\nlayers:\n  - { units: 1, weights: 1 }\n", 3, 54),
            ("input:\n  - 1\ntarget:\n  - 0\nnotation: { input: [ \(bomb) ] }\nlayers:\n  - { units: 1, weights: 1 }\n", 5, 54),
        ]
        for (text, line, column) in cases {
            let e = refusal(text)
            XCTAssertEqual(e.map { [$0.line, $0.column] }, [line, column], "\(String(describing: e))")
            XCTAssertTrue(e?.message.hasPrefix("aliases (`*name`) expand to more than 2000000 values; expected at most 2000000") ?? false, "\(String(describing: e))")
        }
        // Themes are read by the same reader.
        XCTAssertThrowsError(try YAMLReader(file: "t.yaml").root(of: "background: [ \(bomb) ]\n", expected: "a theme")) {
            XCTAssertTrue("\($0)".contains("aliases (`*name`) expand to more than 2000000 values"), "\($0)")
        }
    }

    func testAliasesThatRepeatLittleStillLoad() throws {
        // One level of aliases (110 values), and aliases as a file would use them.
        XCTAssertEqual(refusal("input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [ \(Self.aliasLevels(1)) ] }\n")?.message,
                       "layer 1 weights: expected 2 rows × 1 column (units of layer 0 × units of layer 1), got 2 × 10")
        let net = try NetworkFile.parse(text: "input: &x [1, 2]\ntarget: [0]\nlayers:\n  - { units: 2, activation: relu, weights: &w [[1, 0], [0, 1]], bias: *x }\n  - { units: 2, activation: relu, weights: *w }\n  - { units: 1, weights: [[1], [1]] }\n", file: "n.yaml")
        XCTAssertEqual(net.layers[1].weights.storage, [1, 0, 0, 1])
        XCTAssertEqual(net.layers[0].bias, [1, 2])
    }

    func testTheParameterLimitIsCheckedBeforeTheWeightsExist() {
        let text = "input: [1]\ntarget: [0]\nlayers:\n  - { units: 100000, activation: relu, weights: 0 }\n  - { units: 100000, weights: 0 }\n"
        let e = refusal(text)
        XCTAssertEqual(e?.line, 5)
        XCTAssertEqual(e?.message, "the network has 10000300000 weights and biases up to layer 2; expected at most 250000")
        XCTAssertThrowsError(try NetworkFile.parse(text: net, file: "n.yaml", limits: .init(maxParameters: 2, raise: "raise --max-parameters"))) {
            XCTAssertTrue("\($0)".hasSuffix("expected at most 2 (raise --max-parameters)"), "\($0)")
        }
        XCTAssertNoThrow(try NetworkFile.parse(text: net, file: "n.yaml", limits: .init(maxParameters: 3)))
    }
}
