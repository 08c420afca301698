import Foundation
import NetworkModel
import TestSupport
import XCTest

/// The op graph against the model: every operation recomputes its output from its inputs,
/// and at every value the chain rule holds locally, grad(in) = Σ grad(out) · ∂out/∂in, where
/// the named gradients come from the model's backward pass and the local derivatives from the
/// graph alone. On random networks of every activation and every loss.
final class OpGraphTests: XCTestCase {

    /// The worst violation of the local rule, relative to the gradient's size.
    func localRuleError(_ g: OpGraph) -> (Double, String) {
        var sums = Array(repeating: 0.0, count: g.values.count)
        for op in g.operations {
            for (i, input) in op.inputs.enumerated() {
                for (o, output) in op.outputs.enumerated() { sums[input] += (g.values[output].gradient ?? 0) * op.local[o][i] }
            }
        }
        var worst = (0.0, "")
        for (v, value) in g.values.enumerated() {
            guard let gradient = value.gradient, value.name != .quantity(.loss) else { continue }
            let error = abs(gradient - sums[v]) / max(1, abs(gradient))
            if error > worst.0 { worst = (error, "\(value.name): \(gradient) vs \(sums[v])") }
        }
        return worst
    }

    /// The worst difference between an operation's output and the operation applied to its inputs.
    func forwardError(_ g: OpGraph, _ net: Network) -> Double {
        var worst = 0.0
        for op in g.operations {
            let x = op.inputs.map { g.values[$0].value }
            let expected: [Double]
            switch op.kind {
            case .multiply: expected = [x[0] * x[1]]
            case .add: expected = [x.reduce(0, +)]
            case let .activation(a): expected = [a.applyElement(x[0])]
            case .softmax: expected = Activation.softmax.apply(x)
            case .subtract: expected = [x[0] - x[1]]
            case .square: expected = [x[0] * x[0]]
            case let .sum(scale): expected = [scale * x.reduce(0, +)]
            case .binaryCrossEntropy: expected = [-(x[1] * log(x[0]) + (1 - x[1]) * log(1 - x[0]))]
            case .crossEntropy: expected = [x[1] == 0 ? 0 : -x[1] * log(x[0])]
            }
            for (o, output) in op.outputs.enumerated() {
                worst = max(worst, abs(g.values[output].value - expected[o]) / max(1, abs(expected[o])))
            }
        }
        return worst
    }

    func check(_ net: Network, _ label: String) throws {
        let g = OpGraph(solution: try net.solve())
        XCTAssertEqual(g.operations.count, OpGraph.operationCount(net), label)
        let (rule, where_) = localRuleError(g)
        XCTAssertLessThan(rule, 1e-9, "\(label): the local rule fails at \(where_)")
        XCTAssertLessThan(forwardError(g, net), 1e-9, label)
        // Forward order is topological: an operation's inputs are given or computed before it.
        var computed = Set(g.values.indices.filter { i in !g.operations.contains { $0.outputs.contains(i) } })
        for op in g.operations {
            XCTAssertTrue(op.inputs.allSatisfy(computed.contains), label)
            computed.formUnion(op.outputs)
        }
    }

    func testEveryActivationWithEveryRegressionLoss() throws {
        for activation in RandomNetworks.hidden {
            for loss in [LossFunction.rss, .halfSSE, .mse] {
                for seed in UInt64(1)...3 {
                    try check(try RandomNetworks.make(seed: seed, hiddenActivation: activation, output: activation, loss: loss), "\(activation) \(loss) \(seed)")
                }
            }
        }
    }

    func testSoftmaxIsOneOperationWithSeveralOutputs() throws {
        for seed in UInt64(10)...14 {
            let net = try RandomNetworks.make(seed: seed, hiddenActivation: .tanh, output: .softmax, loss: .rss)
            try check(net, "softmax rss \(seed)")
            let softmax = OpGraph(solution: try net.solve()).operations.filter { $0.kind == .softmax }
            XCTAssertEqual(softmax.count, 1)
            XCTAssertEqual(softmax[0].outputs.count, net.widths.last!)
        }
    }

    func testTheFusedClosedFormsAgreeWithTheChain() throws {
        for seed in UInt64(20)...25 {
            let bce = try RandomNetworks.make(seed: seed, hiddenActivation: .relu, output: .sigmoid, loss: .bce)
            try check(bce, "bce \(seed)")
            XCTAssertTrue(OpGraph(solution: try bce.solve()).fusedOutputGradient)
            let ce = try RandomNetworks.make(seed: seed, hiddenActivation: .sigmoid, output: .softmax, loss: .crossEntropy)
            try check(ce, "cross-entropy \(seed)")
        }
    }

    func testTheWorkedExample() throws {
        let net = try NetworkFile.load(path: TestSupport.sample("question-1.yaml"))
        let g = OpGraph(solution: try net.solve())
        // 12 products, 5 sums, 5 activations, and RSS's −, (·)² and Σ.
        XCTAssertEqual(g.operations.count, 12 + 5 + 5 + 3)
        let w21 = try XCTUnwrap(g.position(of: .quantity(.weight(layer: 1, j: 2, k: 1))))
        let times = try XCTUnwrap(g.operations.first { $0.inputs.contains(w21) })
        XCTAssertEqual(times.kind, .multiply)
        XCTAssertEqual(times.local[0][1], 2, "∂(α₂·w₂₁⁽¹⁾)/∂w₂₁⁽¹⁾ = α₂ = 2")
        XCTAssertEqual(g.values[times.outputs[0]].gradient, 32, "∂Loss/∂(α₂·w₂₁⁽¹⁾) = ∂Loss/∂Z₁⁽¹⁾")
        XCTAssertEqual(g.values[w21].gradient, 64)
        XCTAssertEqual(g.values[try XCTUnwrap(g.position(of: .residual(1)))].value, -8)
        XCTAssertEqual(g.values[try XCTUnwrap(g.position(of: .residual(1)))].gradient, -16)
    }

    func testTheLocalRuleCatchesAWrongGradient() throws {
        let net = try RandomNetworks.make(seed: 3, hiddenActivation: .tanh, output: .identity, loss: .rss)
        var s = try net.solve()
        s.dZ[1][0] += 0.01
        XCTAssertGreaterThan(localRuleError(OpGraph(solution: s)).0, 1e-4)
    }
}
