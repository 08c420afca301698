import NetworkModel
import XCTest

/// The model can only be made consistent: every way the parts can disagree is a thrown
/// `NetworkError` naming the part, never a crash in `solve()`.
final class NetworkInitializerTests: XCTestCase {
    func layer(_ rows: Int, _ columns: Int, _ activation: Activation = .identity) throws -> Layer {
        try Layer(activation: activation, weights: Matrix(rows: rows, columns: columns, repeating: 0.5),
                  bias: Array(repeating: 0, count: columns))
    }

    func assertThrows(_ part: NetworkError.Part, containing text: String, file: StaticString = #filePath, line: UInt = #line,
                      _ make: () throws -> Any) {
        XCTAssertThrowsError(try make(), file: file, line: line) { error in
            guard let error = error as? NetworkError else { return XCTFail("\(error) is not a NetworkError", file: file, line: line) }
            XCTAssertEqual(error.part, part, file: file, line: line)
            XCTAssertTrue(error.message.contains(text), error.message, file: file, line: line)
        }
    }

    func testUnitsAreTheWeightsColumns() throws {
        let net = try Network(input: [1, 2, 3], target: [0, 0], loss: .rss, layers: [layer(3, 4, .relu), layer(4, 2)])
        XCTAssertEqual(net.layers.map(\.units), [4, 2])
        XCTAssertEqual(net.widths, [3, 4, 2])
        XCTAssertEqual(net.parameterCount, 3 * 4 + 4 + 4 * 2 + 2)
        XCTAssertNoThrow(try net.solve())
    }

    func testMismatchedShapesAreRefusedNotCrashed() throws {
        // The shapes that used to reach solve() and fail there with an index out of range.
        assertThrows(.weights(layer: 2), containing: "layer 2 weights have 3 rows; expected 4, one per unit of layer 1") {
            try Network(input: [1, 2, 3], target: [0], loss: .rss, layers: [self.layer(3, 4, .relu), self.layer(3, 1)])
        }
        assertThrows(.weights(layer: 1), containing: "expected 3, one per unit of layer 0") {
            try Network(input: [1, 2, 3], target: [0], loss: .rss, layers: [self.layer(2, 1)])
        }
        assertThrows(.target, containing: "`target` has 2 values; expected 1") {
            try Network(input: [1], target: [0, 1], loss: .rss, layers: [self.layer(1, 1)])
        }
        assertThrows(.bias(layer: nil), containing: "bias has 1 value; expected 2") {
            try Layer(activation: .identity, weights: Matrix(rows: 1, columns: 2), bias: [0])
        }
        assertThrows(.weights(layer: nil), containing: "expected at least one row") {
            try Layer(activation: .identity, weights: Matrix(rows: 1, columns: 0), bias: [])
        }
        assertThrows(.input, containing: "`input` is empty") {
            try Network(input: [], target: [0], loss: .rss, layers: [self.layer(1, 1)])
        }
        assertThrows(.layers, containing: "`layers` is empty") {
            try Network(input: [1], target: [0], loss: .rss, layers: [])
        }
        assertThrows(.matrix, containing: "row 2 of the matrix has 1 values; expected 2") { try Matrix([[1, 2], [3]]) }
        assertThrows(.matrix, containing: "needs 6 values, got 5") { try Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5]) }
    }

    func testNonFiniteValuesAndMisfitsAreRefused() throws {
        assertThrows(.input, containing: "input value 2 is nan") {
            try Network(input: [1, .nan], target: [0], loss: .rss, layers: [self.layer(2, 1)])
        }
        assertThrows(.target, containing: "target value 1 is inf") {
            try Network(input: [1], target: [.infinity], loss: .rss, layers: [self.layer(1, 1)])
        }
        assertThrows(.weights(layer: nil), containing: "weight w_1,2 is -inf") {
            try Layer(activation: .identity, weights: Matrix(rows: 1, columns: 2, storage: [0, -.infinity]), bias: [0, 0])
        }
        assertThrows(.bias(layer: nil), containing: "bias b_1 is nan") {
            try Layer(activation: .identity, weights: Matrix(rows: 1, columns: 1), bias: [.nan])
        }
        assertThrows(.activation(layer: 1), containing: "only allowed on the output layer") {
            try Network(input: [1], target: [1], loss: .rss, layers: [self.layer(1, 2, .softmax), self.layer(2, 1)])
        }
        assertThrows(.loss, containing: "needs a sigmoid output layer") {
            try Network(input: [1], target: [1], loss: .bce, layers: [self.layer(1, 1)])
        }
        assertThrows(.target, containing: "expected values between 0 and 1") {
            try Network(input: [1], target: [2], loss: .bce, layers: [self.layer(1, 1, .sigmoid)])
        }
        for eta in [0, -1, Double.nan, .infinity] {
            assertThrows(.learningRate, containing: "expected a positive number") {
                try Network(input: [1], target: [1], loss: .rss, layers: [self.layer(1, 1)], learningRate: eta)
            }
        }
    }

    func testReplacingParametersAppliesAStepAndKeepsShapesChecked() throws {
        let net = try Network(input: [1, 2], target: [1], loss: .rss, layers: [layer(2, 1)], learningRate: 0.1)
        let s = try net.solve()
        let update = try XCTUnwrap(s.update)
        let stepped = try net.replacingParameters(W: update.W, b: update.b)
        XCTAssertEqual(stepped.layers[0].weights, update.W[1])
        XCTAssertEqual(stepped.layers[0].bias, update.b[1])
        XCTAssertLessThan(try stepped.solve().loss, s.loss, "a small gradient step lowers the loss")
        assertThrows(.weights(layer: 1), containing: "layer 1: the weights are 0 × 0") {
            try net.replacingParameters(W: [Matrix(rows: 0, columns: 0), Matrix(rows: 0, columns: 0)], b: [[], []])
        }
    }
}
