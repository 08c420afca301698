import NetworkModel
import XCTest

/// One case per class of bad input: the message names the place, what is wrong and what was
/// expected.
final class BadInputTests: XCTestCase {
    let good = """
    input: [1, 2, -1]
    target: [0]
    layers:
      - { units: 2, activation: relu, weights: 1 }
      - { units: 1, activation: identity, weights: [[1], [1]] }
    """

    func assertError(_ text: String, line: Int?, column: Int? = nil, contains fragments: [String],
                     file: StaticString = #filePath, callLine: UInt = #line) {
        do {
            let net = try NetworkFile.parse(text: text, file: "net.yaml")
            _ = try net.solve()
            XCTFail("no error for:\n\(text)", file: file, line: callLine)
        } catch let error as InputError {
            XCTAssertEqual(error.file, "net.yaml", file: file, line: callLine)
            if let line { XCTAssertEqual(error.line, line, "\(error)", file: file, line: callLine) }
            if let column { XCTAssertEqual(error.column, column, "\(error)", file: file, line: callLine) }
            for f in fragments { XCTAssertTrue(error.description.contains(f), "\(error) lacks “\(f)”", file: file, line: callLine) }
            XCTAssertFalse(error.description.contains("\n"), "one line: \(error)", file: file, line: callLine)
        } catch let error as SolveError {
            for f in fragments { XCTAssertTrue(error.description.contains(f), "\(error) lacks “\(f)”", file: file, line: callLine) }
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: callLine)
        }
    }

    func testTheGoodFileParses() throws {
        XCTAssertEqual(try NetworkFile.parse(text: good, file: "net.yaml").widths, [3, 2, 1])
    }

    func testYAMLSyntaxError() {
        assertError("input: [1, 2\ntarget: [0]\n", line: 2, contains: ["invalid YAML", "expected"])
    }

    func testJSONSyntaxError() {
        assertError("{\"input\": [1, 2], \"target\": [0],, }", line: 1, contains: ["invalid YAML/JSON"])
    }

    func testJSONIsAccepted() throws {
        let json = #"{"input": [1, 2], "target": [0], "layers": [{"units": 1, "activation": "identity", "weights": [[1], [1]]}]}"#
        XCTAssertEqual(try NetworkFile.parse(text: json, file: "n.json").solve().loss, 9)
    }

    func testUnknownKeySuggestsTheNearest() {
        assertError(good.replacingOccurrences(of: "target:", with: "targt:"), line: 2, column: 1,
                    contains: ["unknown key `targt`", "did you mean `target`?", "expected one of"])
        assertError(good.replacingOccurrences(of: "activation: relu", with: "activaton: relu"), line: 4,
                    contains: ["layer 1 unknown key `activaton`", "did you mean `activation`?"])
    }

    func testMissingKeys() {
        assertError("target: [0]\nlayers: []\n", line: 1, contains: ["missing `input`"])
        assertError("input: [1]\nlayers: []\n", line: 1, contains: ["missing `target`"])
        assertError("input: [1]\ntarget: [0]\n", line: 1, contains: ["missing `layers`"])
    }

    func testWeightMatrixOfTheWrongShape() {
        let text = """
        input: [1, 2, -1]
        target: [0]
        layers:
          - { units: 2, activation: relu, weights: 1 }
          - { units: 2, activation: relu, weights: [[1, 1], [1, 1], [1, 1]] }
          - { units: 1, weights: [[1], [1]] }
        """
        assertError(text, line: 5, column: 44, contains: ["layer 2 weights: expected 2 rows × 2 columns (units of layer 1 × units of layer 2), got 3 × 2"])
    }

    func testTargetLengthMustMatchTheOutput() {
        assertError(good.replacingOccurrences(of: "target: [0]", with: "target: [0, 1]"), line: 2,
                    contains: ["`target` has 2 values; expected 1"])
    }

    func testUnknownActivationAndLoss() {
        assertError(good.replacingOccurrences(of: "activation: relu", with: "activation: rleu"), line: 4,
                    contains: ["unknown activation `rleu`", "did you mean `relu`?"])
        assertError(good + "\nloss: rms", line: 6, contains: ["unknown loss `rms`", "expected one of rss"])
    }

    func testSoftmaxOnlyOnTheOutputLayer() {
        assertError(good.replacingOccurrences(of: "activation: relu", with: "activation: softmax"), line: 4,
                    contains: ["softmax, which is only allowed on the output layer"])
    }

    func testLossMustFitTheOutputActivation() {
        assertError(good + "\nloss: cross_entropy", line: 6, contains: ["needs a softmax output layer", "uses identity"])
    }

    func testNonNumbersNaNAndInfinities() {
        for bad in ["abc", ".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1e999", "\"3\""] {
            assertError(good.replacingOccurrences(of: "input: [1, 2, -1]", with: "input: [1, \(bad), -1]"), line: 1, column: 12,
                        contains: ["a value of `input`", "expected"])
        }
    }

    func testEmptyThings() {
        assertError("", line: 1, contains: ["is empty"])
        assertError(good.replacingOccurrences(of: "input: [1, 2, -1]", with: "input: []"), line: 1, contains: ["`input` is empty"])
        assertError("input: [1]\ntarget: [0]\nlayers: []\n", line: 3, contains: ["`layers` is empty"])
        assertError(good.replacingOccurrences(of: "units: 2", with: "units: 0"), line: 4, contains: ["0 units; expected at least 1"])
    }

    func testAbsurdSizes() {
        assertError(good.replacingOccurrences(of: "units: 2", with: "units: 200000"), line: 4, contains: ["200000 units; expected at most 100000"])
        let huge = """
        input: [1]
        target: [0]
        layers:
          - { units: 100000, activation: relu, weights: 0 }
          - { units: 100000, activation: relu, weights: 0 }
          - { units: 1, weights: 0 }
        """
        assertError(huge, line: 5, contains: ["weights and biases", "expected at most 250000"])
    }

    func testOverflowNamesTheValue() {
        let text = """
        input: [1e200]
        target: [0]
        layers:
          - { units: 1, activation: identity, weights: 1e200 }
        """
        assertError(text, line: nil, contains: ["Z^(1) overflowed", "expected finite values"])
    }

    func testWrongTypes() {
        assertError(good.replacingOccurrences(of: "units: 2", with: "units: [2]"), line: 4, contains: ["expected a whole number"])
        assertError(good.replacingOccurrences(of: "units: 2", with: "units: 2.5"), line: 4, contains: ["`2.5`; expected a whole number"])
        assertError("- 1\n- 2\n", line: 1, contains: ["the network file is a list; expected a mapping"])
    }

    func testInitRecipes() throws {
        let text = good.replacingOccurrences(of: "weights: 1 }", with: "weights: { init: xavier, seed: 3 } }")
        let a = try NetworkFile.parse(text: text, file: "a"), b = try NetworkFile.parse(text: text, file: "b")
        XCTAssertEqual(a.layers[0].weights, b.layers[0].weights)
        assertError(good.replacingOccurrences(of: "weights: 1 }", with: "weights: { init: uniform, std: 2 } }"), line: 4,
                    contains: ["`std` does not apply to init `uniform`"])
        assertError(good.replacingOccurrences(of: "weights: 1 }", with: "weights: { init: gaussian } }"), line: 4,
                    contains: ["unknown init `gaussian`"])
    }
}
