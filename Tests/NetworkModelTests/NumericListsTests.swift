import Foundation
@testable import NetworkModel
import TestSupport
import XCTest

/// The fast path for plain numeric lists (`NumericLists`) against the full Yams path: the same
/// network bit for bit, or the same message at the same line and column, for every sample, the
/// bad-input corpus, the benchmark's files and each edge case; and the fast path is really taken
/// where it should be.
final class NumericListsTests: XCTestCase {
    let tail = "target: [0]\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n"

    /// Both ways of reading `text`: a network's every number as bits, or the error's line.
    func outcome(_ text: String, fast: Bool) -> String {
        do {
            return Self.bits(try NetworkFile.parse(text: text, file: "n.yaml", limits: .init(), fastLists: fast))
        } catch {
            return "error: \(error)"
        }
    }

    /// Everything a network holds, numbers as their bit patterns.
    static func bits(_ net: Network) -> String {
        func b(_ values: [Double]) -> String { values.map { String($0.bitPattern, radix: 16) }.joined(separator: ",") }
        var parts = [net.name ?? "-", b(net.input), b(net.target), "\(net.loss)", "\(net.notation)", "\(String(describing: net.learningRate?.bitPattern))"]
        for layer in net.layers {
            parts += ["\(layer.activation)", "\(layer.weights.rows)x\(layer.weights.columns)", b(layer.weights.storage), b(layer.bias)]
        }
        if let data = net.data {
            parts.append("\(data.reduction) \(data.shown)")
            for s in data.samples { parts += [b(s.input), b(s.target)] }
        }
        return parts.joined(separator: "\n")
    }

    /// Where the lists the fast path read stand (line, column): none when it was not taken.
    func fastLists(_ text: String) -> Set<NumericLists.Position> {
        var reader = YAMLReader(file: "n.yaml")
        _ = try? reader.networkRoot(of: text, expected: "a network")
        return Set(reader.lists.values.keys)
    }

    func fastPathTaken(_ text: String) -> Bool { !fastLists(text).isEmpty }

    /// Both ways read `text` alike; `fast` says whether the fast path must (not) be taken.
    func assertSame(_ text: String, fast expected: Bool? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let full = outcome(text, fast: false), fast = outcome(text, fast: true)
        XCTAssertEqual(fast, full, "\(text.prefix(300))", file: file, line: line)
        if let expected {
            XCTAssertEqual(fastPathTaken(text), expected, "fast path taken? \(text.prefix(300))", file: file, line: line)
        }
    }

    /// Both ways read `text` alike, and the list at `line`:`column` is left to Yams.
    func assertSame(_ text: String, leftToYams line: Int, _ column: Int, file: StaticString = #filePath, callLine: UInt = #line) {
        assertSame(text, file: file, line: callLine)
        XCTAssertFalse(fastLists(text).contains(.init(line: line, column: column)), "\(text.prefix(300))", file: file, line: callLine)
    }

    func testEverySampleAndTheBenchmarkFilesReadTheSame() throws {
        var files = TestSupport.allSamples
        files.append(TestSupport.root.appendingPathComponent("Tests/Benchmarks/wide-32-64-64-10.yaml").path)
        var taken = 0
        for path in files {
            let text = try NetworkFile.readText(path: path)
            assertSame(text)
            if fastPathTaken(text) { taken += 1 }
            XCTAssertFalse(outcome(text, fast: true).hasPrefix("error"), path)
        }
        XCTAssertGreaterThan(taken, files.count / 2, "the fast path reads most samples")
    }

    func testTheBadInputCorpusGivesTheSameMessages() throws {
        let dir = TestSupport.root.appendingPathComponent("Tests/BadInput").path
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".json") {
            guard let text = try? NetworkFile.readText(path: dir + "/" + name) else { continue }
            assertSame(text)
        }
    }

    /// The benchmark's data file (`bench.py`'s write_mnist_data) in its shape: a data set of
    /// 784 inputs to three decimals and one-hot targets, here 32 samples; and numbers printed
    /// at full precision, negative and with exponents.
    func testALargeDataSetReadsTheSameBitForBit() {
        var rng = SystemRandomNumberGenerator()
        var lines = ["name: MNIST-sized MLP on random samples", "loss: cross_entropy", "data:"]
        for _ in 0..<32 {
            let x = (0..<784).map { _ in String(format: "%.3f", Double.random(in: 0..<1, using: &rng)) }.joined(separator: ", ")
            var t = [Int](repeating: 0, count: 10)
            t[Int.random(in: 0..<10, using: &rng)] = 1
            lines.append("  - { input: [\(x)], target: [\(t.map(String.init).joined(separator: ", "))] }")
        }
        lines += ["layers:",
                  "  - { units: 16, activation: relu, weights: { init: he, seed: 1 }, bias: 0 }",
                  "  - { units: 10, activation: softmax, weights: { init: xavier, seed: 3 }, bias: 0 }"]
        assertSame(lines.joined(separator: "\n") + "\n", fast: true)

        let values = (0..<784).map { i -> String in
            let v = Double.random(in: -1e6...1e6, using: &rng) * pow(10, Double(i % 40 - 20))
            return i % 3 == 0 ? "\(v)" : i % 3 == 1 ? String(format: "%.17g", v) : String(format: "%E", v)
        }
        assertSame("input: [\(values.joined(separator: ", "))]\n" + tail.replacingOccurrences(of: "[[1], [1]]", with: "0.5"), fast: true)
    }

    func testNumberForms() {
        assertSame("input: [1, -2.5, 3e-4, -1E+2, .5, +7, 0.000001, 1.7976931348623157e308, 5e-324]\n"
                   + tail.replacingOccurrences(of: "[[1], [1]]", with: "1"), fast: true)
        // Not plain decimals: Yams reads them, with its messages.
        for item in [".inf", "-.inf", ".nan", "nan", "inf", "1e999", "\"1\"", "'1'", "1_000", "0x10", "-", "1.2.3", "e5", "~", "null", "true"] {
            assertSame("input: [1, \(item)]\n" + tail, leftToYams: 1, 8)
        }
    }

    func testLayoutsTheFastPathReads() {
        assertSame("input: [1,\n  2]\n" + tail, fast: true)                         // items on two lines
        assertSame("input: [\n  1, 2\n]\n" + tail, fast: true)                      // breaks next to brackets
        assertSame("input: [1\n  , 2]\n" + tail, fast: true)                        // a break before a comma
        assertSame("input:   [1,2]\n" + tail, fast: true)
        assertSame("input: [1, 2]\r\ntarget: [0]\r\nlayers:\r\n  - { units: 1, weights: [[1], [1]] }\r\n", fast: true)  // CRLF
        assertSame(#"{"input":[1,2],"target":[0],"layers":[{"units":1,"weights":[[1],[1]]}]}"#, fast: true)  // JSON
        assertSame("input:\n  [1, 2]\n" + tail, fast: true)                         // first on its line
        assertSame("input: [1, 2]  # a comment\n" + tail, fast: true)
    }

    func testLayoutsLeftToYams() {
        for text in ["input: [1, # one\n 2]\n",                 // a comment inside
                     "input: [1,\t2]\n",                         // a tab
                     "input: [1,\r\n 2]\r\n",                     // a CRLF inside
                     "input: [1 2]\n",                           // "1 2" is one scalar
                     "input: [1\n  2]\n",                        // so is "1\n  2"
                     "input: [1, 2, ]\n",                        // a trailing comma
                     "input: []\n", "input: [[1, 2]]\n",
                     "input: [1, 2\n"] {                         // unclosed
            assertSame(text + tail, leftToYams: 1, 8)
        }
        assertSame("input:\t[1, 2]\n" + tail, leftToYams: 1, 8)
        // Line breaks Yams counts and the fast path does not: the whole file goes to Yams.
        assertSame("input: [1, 2]\rtarget: [0]\rlayers: [{units: 1, weights: [[1], [1]]}]\r", fast: false)  // lone CRs
        assertSame("\u{FEFF}input: [1, 2]\n" + tail, fast: false)                   // a byte-order mark
        assertSame("name: a\u{2028}b\ninput: [1, 2]\n" + tail, fast: false)         // a line separator
        assertSame("name: a\u{85}b\ninput: [1, 2]\n" + tail, fast: false)           // NEL
    }

    func testAnchorsAliasesAndTags() {
        let text = "input: &x [1, 2]\ntarget: [0]\nlayers:\n  - { units: 2, activation: relu, weights: [[1, 2], [3, 4]], bias: *x }\n  - { units: 1, weights: [[1], [1]] }\n"
        assertSame(text)
        XCTAssertFalse(outcome(text, fast: true).hasPrefix("error"))
        assertSame("input: !!seq [1, 2]\n" + tail)
        assertSame("input: &a [1, 2]\ntarget: *a\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n")
    }

    /// A `[` the tokenizer takes for a list that Yams reads as text: Yams' tree has no list
    /// there, so the whole file is read the full way.
    func testBracketsInsideTextAreNotLists() {
        // Not where a value starts: never taken for a list.
        for name in ["\"net [1, 2]\"", "'net [1, 2]'", "net[1, 2]"] {
            assertSame("name: \(name)\ninput: [1, 2]\n" + tail, leftToYams: 1, 12)
        }
        // Where a value could start, but inside text: Yams finds no list there, so the whole
        // file is read the full way.
        for name in ["a:[1, 2]", ">-\n  [1, 2]", "|-\n  [1, 2]", "a\n  [1, 2]", "\"a\n  [1, 2]\"", "\"a, [1, 2]\""] {
            assertSame("name: \(name)\ninput: [1, 2]\n" + tail, fast: false)
        }
        assertSame("# input: [1, 2]\ninput: [3, 4]\n" + tail, fast: true)           // in a comment
        assertSame("name: \"a #b, [1, 2]\"\ninput: [3, 4]\n" + tail, fast: true)    // after a # in quotes
    }

    /// Messages about things after, beside and around a list read by the fast path keep their
    /// line and column, and lists of numbers where other values belong read as Yams reads them.
    func testMessagesKeepTheirPlace() {
        let cases = [
            "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [[1], [1]], colour: red }\n",
            "{ name: Ωμέγα, input: [1, 2], target: [0], layers: [{ units: 1, weights: [[1], [1]], colour: 1 }] }\n",
            "input: [1, 2]\ntarget: [0, 1]\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n",
            "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [[1], [1], [1]] }\n",
            "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [[1, 2], [1]] }\n",
            "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [[1], [1]], bias: [1, 2] }\n",
            "input: [1, 2]\ntarget: [0]\nlayers: [1, 2]\n",
            "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [1, 2] }\n",
            "data: [1, 2]\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n",
            "data:\n  - { input: [0.1, 0.2], target: [1], extra: 1 }\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n",
            "data:\n  - { input: [0.1, 0.2], target: [1] }\n  - { input: [0.1], target: [1] }\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n",
            "input: [1, 2]\ntarget: [0\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n",
            "input: [1, 2]\ninput: [3]\n" + tail,
            "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [[1], [1]] }\n  - { units: [1, 2] }\n",
            "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, activation: [1], weights: [[1], [1]] }\n",
            "input: [1, 2]\n" + "x: [" + String(repeating: "1, ", count: 10) + "1]\n" + tail,
        ]
        for text in cases {
            assertSame(text)
            XCTAssertTrue(outcome(text, fast: true).hasPrefix("error: n.yaml:"), "\(text): \(outcome(text, fast: true))")
        }
        let big = "input: [" + Array(repeating: "1", count: NetworkFile.maxUnits + 1).joined(separator: ", ") + "]\n" + tail
        assertSame(big, fast: true)
        XCTAssertTrue(outcome(big, fast: true).contains("has 100001 values; expected at most 100000"))
    }
}
