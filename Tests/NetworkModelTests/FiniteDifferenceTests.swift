import Foundation
import NetworkModel
import XCTest

/// Analytic gradients against central finite differences on seeded random networks of every
/// activation and every loss: the finite differences share only the forward pass.
final class FiniteDifferenceTests: XCTestCase {
    let hidden = RandomNetworks.hidden

    func randomNetwork(seed: UInt64, hiddenActivation: Activation, output: Activation, loss: LossFunction) throws -> Network {
        try RandomNetworks.make(seed: seed, hiddenActivation: hiddenActivation, output: output, loss: loss)
    }

    func check(_ net: Network, _ label: String) throws {
        let s = try net.solve()
        let check = GradientCheck(network: net, solution: s, tolerance: 1e-5)
        XCTAssertGreaterThan(check.entries.count, 0)
        // A random net may land a ReLU exactly at its kink only with probability ~0.
        XCTAssertTrue(check.passed, "\(label): worst error \(check.worst.map { "\($0.error) at \($0.quantity)" } ?? "")")
        XCTAssertLessThan(check.kinkCount, check.entries.count / 2, label)
    }

    func testEveryHiddenActivationWithEveryRegressionLoss() throws {
        for activation in hidden {
            for loss in [LossFunction.rss, .halfSSE, .mse] {
                for seed in UInt64(1)...6 {
                    try check(try randomNetwork(seed: seed, hiddenActivation: activation, output: .identity, loss: loss), "\(activation) \(loss) \(seed)")
                }
            }
        }
    }

    func testEveryOutputActivationWithRSS() throws {
        for output in hidden + [.softmax] {
            for seed in UInt64(10)...15 {
                try check(try randomNetwork(seed: seed, hiddenActivation: .tanh, output: output, loss: .rss), "output \(output) \(seed)")
            }
        }
    }

    func testBinaryCrossEntropyOnSigmoid() throws {
        for seed in UInt64(20)...30 {
            try check(try randomNetwork(seed: seed, hiddenActivation: .relu, output: .sigmoid, loss: .bce), "bce \(seed)")
        }
    }

    func testCrossEntropyOnSoftmax() throws {
        for seed in UInt64(40)...50 {
            try check(try randomNetwork(seed: seed, hiddenActivation: .sigmoid, output: .softmax, loss: .crossEntropy), "ce \(seed)")
        }
    }

    func testTheCheckCatchesAWrongGradient() throws {
        let net = try randomNetwork(seed: 3, hiddenActivation: .tanh, output: .identity, loss: .rss)
        var s = try net.solve()
        s.dW[1][0, 0] += 0.01
        XCTAssertFalse(GradientCheck(network: net, solution: s).passed, "the oracle must notice a wrong gradient")
    }

    /// A step relative to the quantity alone was lost beside a large pre-activation: with a
    /// bias of 10¹⁰, w₁₁⁽¹⁾ ± 10⁻⁶ moved Z₁⁽¹⁾ by at most a unit in its last place, and `check`
    /// called a correct gradient wrong. Steps follow the pre-activations they are added to,
    /// at every magnitude, with data sets too, and a wrong gradient is still caught there.
    func testLargePreActivationsAreCheckedAtTheirScale() throws {
        for bias in [1e6, 1e10, 1e20, 1e153] {
            for data in [false, true] {
                let example = data ? "data: [{input: [1, 2, -1], target: [0]}, {input: [0.5, -3, 2], target: [1]}]" : "input: [1, 2, -1]\ntarget: [0]"
                let text = """
                    \(example)
                    loss: rss
                    layers:
                      - { units: 2, activation: relu, weights: [[1, 0.5], [-1, 2], [0.25, 1]], bias: [\(bias), \(bias)] }
                      - { units: 1, activation: identity, weights: [[1], [0.5]], bias: [0] }
                    """
                let net = try NetworkFile.parse(text: text, file: "big.yaml")
                var s = try net.solve()
                let check = GradientCheck(network: net, solution: s)
                XCTAssertTrue(check.passed, "bias \(bias), data \(data): worst \(check.worst.map { "\($0.error) at \($0.quantity)" } ?? "")")
                XCTAssertEqual(check.kinkCount, 0, "bias \(bias), data \(data)")
                s.dW[1][0, 0] *= 1.001
                XCTAssertFalse(GradientCheck(network: net, solution: s).passed, "bias \(bias), data \(data): a wrong gradient")
            }
        }
    }

    /// The differences, and which entries sit at a kink, are the same whatever the analytic
    /// gradients are: on random nets of every activation and on nets with huge and tiny
    /// values, a solution with every gradient zeroed, negated or tripled gets the same.
    func testTheFiniteDifferencesNeverDependOnTheAnalyticGradients() throws {
        var nets = try hidden.map { try randomNetwork(seed: 7, hiddenActivation: $0, output: .identity, loss: .rss) }
        for (bias, weight) in [("1e10", "1"), ("1e20", "1"), ("1e6", "1e-4"), ("0", "1e200")] {
            nets.append(try NetworkFile.parse(text: """
                input: [1, 2]
                target: [0]
                loss: rss
                layers:
                  - { units: 2, activation: relu, weights: [[\(weight), 0.5], [-1, 2]], bias: [\(bias), 3] }
                  - { units: 1, activation: tanh, weights: [[1], [0.5]], bias: [0] }
                """, file: "n.yaml"))
        }
        func differences(_ check: GradientCheck) -> [String] {
            check.entries.map { "\($0.quantity) \($0.numeric) \($0.atKink)" }
        }
        for net in nets {
            let right = try net.solve()
            let expected = differences(GradientCheck(network: net, solution: right))
            for change in [0.0, -1.0, 3.0] {
                var wrong = right
                for l in wrong.dW.indices {
                    for j in 0..<wrong.dW[l].rows { for k in 0..<wrong.dW[l].columns { wrong.dW[l][j, k] *= change } }
                }
                for l in wrong.db.indices { wrong.db[l] = wrong.db[l].map { $0 * change } }
                wrong.dH[0] = wrong.dH[0].map { $0 * change }
                XCTAssertEqual(differences(GradientCheck(network: net, solution: wrong)), expected, "\(net.widths) × \(change)")
            }
        }
    }

    /// An unnormalised data set (one sample 10⁴ times another) keeps the usual step and passes.
    func testAnUnnormalisedDataSetKeepsTheUsualStep() throws {
        let text = """
            data:
              - { input: [1, 0.5], target: [1] }
              - { input: [1e4, 3], target: [0] }
            loss: mse
            layers:
              - { units: 2, activation: tanh, weights: [[1, -1], [0.5, 1]], bias: [0, 0] }
              - { units: 1, activation: sigmoid, weights: [[1], [1]], bias: [0] }
            """
        let net = try NetworkFile.parse(text: text, file: "unnormalised.yaml")
        let check = GradientCheck(network: net, solution: try net.solve())
        XCTAssertTrue(check.passed, "worst \(check.worst.map { "\($0.error) at \($0.quantity)" } ?? "")")
        XCTAssertEqual(check.kinkCount, 0)
    }

    func testActivationDerivativesAtTheirCorners() {
        XCTAssertEqual(Activation.relu.derivativeElement(z: 0, h: 0), 0, "ReLU′(0) = 0, as PyTorch")
        XCTAssertEqual(Activation.relu.derivativeElement(z: 1e-300, h: 1e-300), 1)
        XCTAssertEqual(Activation.leakyReLU(slope: 0.01).derivativeElement(z: -3, h: -0.03), 0.01)
        XCTAssertEqual(Activation.sigmoid.apply([0]), [0.5])
        XCTAssertEqual(Activation.sigmoid.apply([-1000]), [0], "no overflow for large negative inputs")
        XCTAssertEqual(Activation.softplus.apply([1000]), [1000])
        let p = Activation.softmax.apply([1000, 1000])
        XCTAssertEqual(p, [0.5, 0.5], "softmax is shifted, so large inputs do not overflow")
    }

    func testLossesByHand() {
        XCTAssertEqual(LossFunction.rss.value(z: [8], yHat: [8], target: [0]), 64)
        XCTAssertEqual(LossFunction.halfSSE.value(z: [8], yHat: [8], target: [0]), 32)
        XCTAssertEqual(LossFunction.mse.value(z: [1, 3], yHat: [1, 3], target: [0, 0]), 5)
        XCTAssertEqual(LossFunction.bce.value(z: [0], yHat: [0.5], target: [1]), -log(0.5), accuracy: 1e-15)
        XCTAssertEqual(LossFunction.crossEntropy.value(z: [0, 0], yHat: [0.5, 0.5], target: [0, 1]), log(2), accuracy: 1e-15)
    }

    func testSeededInitIsReproducibleAndPortable() {
        let a = WeightInit.he.matrix(rows: 4, columns: 3, seed: 7, layer: 1)
        let b = WeightInit.he.matrix(rows: 4, columns: 3, seed: 7, layer: 1)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, WeightInit.he.matrix(rows: 4, columns: 3, seed: 7, layer: 2), "layers differ")
        // The first outputs of SplitMix64 from seed 0 are published constants.
        var rng = SeededRandom(seed: 0)
        XCTAssertEqual(rng.nextUInt64(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.nextUInt64(), 0x6E78_9E6A_A1B9_65F4)
        // The portable logarithm agrees with the C library's to the last bits.
        for x in stride(from: 0.001, through: 1.0, by: 0.0137) {
            XCTAssertEqual(SeededRandom.portableLog(x), Foundation.log(x), accuracy: 4e-16 * max(1, abs(Foundation.log(x))))
        }
        // Moments of the normal generator are right.
        var r = SeededRandom(seed: 99)
        let xs = (0..<20000).map { _ in r.nextNormal() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.03)
    }
}
