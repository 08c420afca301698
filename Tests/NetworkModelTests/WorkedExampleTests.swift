import NetworkModel
import TestSupport
import XCTest

/// The numbers of ../shared/worked-example-question-1.md, exactly.
final class WorkedExampleTests: XCTestCase {
    var solution: Solution!

    override func setUpWithError() throws {
        solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
    }

    func testForwardPass() {
        XCTAssertEqual(solution.Z[1], [2, 2])
        XCTAssertEqual(solution.H[1], [2, 2])
        XCTAssertEqual(solution.Z[2], [4, 4])
        XCTAssertEqual(solution.H[2], [4, 4])
        XCTAssertEqual(solution.H[3], [8])
        XCTAssertEqual(solution.loss, 64)
    }

    func testTheSeventeenGradientsOfTheSummary() {
        // Output layer: ∂Loss/∂b^(3) = 16, ∂Loss/∂w_11^(3) = ∂Loss/∂w_21^(3) = 64.
        XCTAssertEqual(solution.db[3], [16])
        XCTAssertEqual(solution.dW[3].nested, [[64], [64]])
        // Hidden layer 2: biases 16, weights 32.
        XCTAssertEqual(solution.db[2], [16, 16])
        XCTAssertEqual(solution.dW[2].nested, [[32, 32], [32, 32]])
        // Hidden layer 1: biases 32; w_11 = 32, w_21 = 64, w_31 = −32 (and the same into unit 2).
        XCTAssertEqual(solution.db[1], [32, 32])
        XCTAssertEqual(solution.dW[1].nested, [[32, 32], [64, 64], [-32, -32]])
    }

    func testNodeGradientsAndInputGradient() {
        XCTAssertEqual(solution.dH[3], [16])   // ∂Loss/∂H^(3) = −2(Y − H^(3))
        XCTAssertEqual(solution.dZ[3], [16])
        XCTAssertEqual(solution.dH[2], [16, 16])
        XCTAssertEqual(solution.dZ[1], [32, 32])
        XCTAssertEqual(solution.dX, [64, 64, 64])
    }

    func testNotationAndName() throws {
        let net = try NetworkFile.load(path: TestSupport.sample("question-1.yaml"))
        XCTAssertEqual(net.notation.input, "α")
        XCTAssertEqual(net.name, "Question 1")
        XCTAssertEqual(net.widths, [3, 2, 2, 1])
    }

    func testGradientStep() throws {
        let s = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve(learningRate: 0.01)
        let update = try XCTUnwrap(s.update)
        XCTAssertEqual(update.W[3].nested, [[1 - 0.64], [1 - 0.64]])
        XCTAssertEqual(update.b[1], [-0.32, -0.32])
        XCTAssertEqual(update.W[1][2, 0], 1 + 0.32, accuracy: 1e-15)
    }

    func testValuesExportRoundTripsAndFollowsTheSchema() throws {
        let export = ValuesExport(solution)
        let data = try export.jsonData()
        XCTAssertEqual(try JSONDecoder().decode(ValuesExport.self, from: data), export)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["name"] as? String, "Question 1")
        XCTAssertEqual((object["loss"] as? [String: Any])?["value"] as? Double, 64)
        XCTAssertEqual((object["loss"] as? [String: Any])?["function"] as? String, "rss")
        XCTAssertEqual(object["output"] as? [Double], [8])
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 4)
        XCTAssertEqual(layers[0]["dH"] as? [Double], [64, 64, 64])
        XCTAssertNil(layers[0]["W"])
        XCTAssertEqual(layers[1]["dW"] as? [[Double]], [[32, 32], [64, 64], [-32, -32]])
        XCTAssertEqual(layers[1]["activation"] as? String, "relu")
        XCTAssertNil(object["update"], "no learning rate, no update")
        // Integers are written as JSON integers, never strings or 64.0.
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"value\" : 64"))
    }
}
