import Foundation
import NetworkModel
import TestSupport
import XCTest

/// Saturated outputs whose loss is finite: every gradient against its closed form, written
/// from Z as PyTorch's BCEWithLogits and log-softmax do. What a double cannot hold is refused
/// by name.
final class SaturationTests: XCTestCase {
    func oneUnit(z: Double, target: Double, loss: LossFunction = .bce, activation: Activation = .sigmoid) throws -> Solution {
        try Network(input: [1], target: [target], loss: loss,
                    layers: [Layer(activation: activation, weights: Matrix(rows: 1, columns: 1, repeating: z), bias: [0])]).solve()
    }

    func assertClose(_ a: Double, _ b: Double, _ what: String, relative: Double = 1e-14, line: UInt = #line) {
        XCTAssertTrue(a.isFinite, "\(what) = \(a)", line: line)
        XCTAssertLessThanOrEqual(abs(a - b), relative * abs(b), "\(what): \(a) vs closed form \(b)", line: line)
    }

    func testSigmoidBCEAtZ37TargetOne() throws {
        // σ(37) rounds to 1, so ŷ − y and ŷ(1 − ŷ) are both 0; from Z they are not.
        let s = try oneUnit(z: 37, target: 1)
        let e = exp(-37.0)
        assertClose(s.loss, log1p(e), "Loss = softplus(−37)")
        assertClose(s.dZ[1][0], -e / (1 + e), "∂Loss/∂Z = −σ(−37)")
        assertClose(s.dH[1][0], -(1 + e), "∂Loss/∂ŷ = −1/σ(37)")
        assertClose(s.dW[1][0, 0], -e / (1 + e), "∂Loss/∂w = x · ∂Loss/∂Z")
        assertClose(s.dX[0], -37 * e / (1 + e), "∂Loss/∂x = w · ∂Loss/∂Z")
    }

    func testSigmoidBCEAtZ100TargetZero() throws {
        let s = try oneUnit(z: 100, target: 0)
        assertClose(s.loss, 100 + log1p(exp(-100)), "Loss = softplus(100)")
        assertClose(s.dZ[1][0], 1 / (1 + exp(-100)), "∂Loss/∂Z = σ(100)")
        assertClose(s.dH[1][0], 1 + exp(100), "∂Loss/∂ŷ = 1/σ(−100) = 1 + e¹⁰⁰")
        XCTAssertEqual(s.dH[1][0], 2.6881171418161356e43, accuracy: 1e29)
    }

    func testSigmoidBCEWithASoftTargetAndANegativeZ() throws {
        let s = try oneUnit(z: -40, target: 0.25)
        let p = 1 / (1 + exp(40.0))   // σ(−40)
        assertClose(s.dZ[1][0], p - 0.25, "∂Loss/∂Z = σ(z) − y")
        assertClose(s.dH[1][0], -0.25 * (1 + exp(40)) + 0.75 * (1 + exp(-40)), "∂Loss/∂ŷ = −y/ŷ + (1−y)/(1−ŷ)")
    }

    func testSaturatedDerivativesWithOtherLosses() throws {
        // Sigmoid and tanh with MSE: the derivative comes from Z, not 1 − h or 1 − h².
        let sig = try oneUnit(z: 37, target: 0, loss: .halfSSE)
        let e = exp(-37.0)
        assertClose(sig.dZ[1][0], sig.dH[1][0] * e / ((1 + e) * (1 + e)), "σ′(37) = σ(37)σ(−37)")
        XCTAssertGreaterThan(abs(sig.dZ[1][0]), 0)
        let th = try oneUnit(z: 20, target: 0, loss: .halfSSE, activation: .tanh)
        let t = exp(-40.0)
        assertClose(th.dZ[1][0], th.dH[1][0] * 4 * t / ((1 + t) * (1 + t)), "tanh′(20) = sech²(20)")
        XCTAssertEqual(Activation.tanh.derivativeElement(z: 0.3, h: tanh(0.3)), 1 - tanh(0.3) * tanh(0.3), accuracy: 1e-15)
        XCTAssertEqual(Activation.tanh.derivativeElement(z: -1000, h: -1), 0, "no overflow far out")
    }

    func testSoftmaxCrossEntropyWithATinyProbability() throws {
        // p₂ = e^−700 / (1 + e^−700) is tiny but representable; −y₂/p₂ = −0.5·(1 + e⁷⁰⁰).
        let net = try Network(input: [1], target: [0.5, 0.5], loss: .crossEntropy,
                              layers: [Layer(activation: .softmax, weights: Matrix([[0, -700]]), bias: [0, 0])])
        let s = try net.solve()
        assertClose(s.loss, 0.5 * 700 + log1p(exp(-700)), "Loss = −Σ y log softmax")
        assertClose(s.dH[1][1], -0.5 * (1 + exp(700)), "∂Loss/∂ŷ₂ = −y₂ e^(logsumexp − z₂)", relative: 1e-12)
        assertClose(s.dH[1][0], -0.5 * (1 + exp(-700)), "∂Loss/∂ŷ₁")
        assertClose(s.dZ[1][1], -0.5, "∂Loss/∂Z₂ = p₂ − y₂")
    }

    func testAnUnderflowedProbabilityIsRefusedByName() throws {
        // p₂ = e^−800 underflows; ∂Loss/∂ŷ₂ = −e⁸⁰⁰ is past the largest double: refused, not drawn.
        let net = try Network(input: [1], target: [0, 1], loss: .crossEntropy,
                              layers: [Layer(activation: .softmax, weights: Matrix([[0, -800]]), bias: [0, 0])])
        XCTAssertEqual(net.forward().loss, 800, "the loss itself is finite")
        XCTAssertThrowsError(try net.solve()) { error in
            XCTAssertEqual(error as? SolveError, .overflow(what: "∂Loss/∂H_2^(1)", value: -.infinity))
        }
    }

    func testOverflowingGradientsAndStepsAreRefusedByName() throws {
        let dx = try Network(input: [0], target: [0], loss: .halfSSE,
                             layers: [Layer(activation: .identity, weights: Matrix([[1e300]]), bias: [1]),
                                      Layer(activation: .identity, weights: Matrix([[1e10]]), bias: [0])])
        XCTAssertThrowsError(try dx.solve()) { XCTAssertEqual($0 as? SolveError, .overflow(what: "∂Loss/∂x_1", value: .infinity)) }
        let q1 = try NetworkFile.load(path: TestSupport.sample("question-1.yaml"))
        XCTAssertThrowsError(try q1.solve(learningRate: 1e308)) { error in
            XCTAssertEqual(error as? SolveError, .stepOverflow(what: "w′_11^(1)", value: -.infinity))
            XCTAssertTrue("\(error)".contains("use a smaller learning rate"), "\(error)")
        }
        XCTAssertThrowsError(try q1.solve(learningRate: .nan))
    }

    func testUniformInitOverTheWholeRangeStaysFinite() {
        let m = WeightInit.uniform(low: -1.7e308, high: 1.7e308).matrix(rows: 4, columns: 4, seed: 3, layer: 1)
        XCTAssertTrue(m.storage.allSatisfy { $0.isFinite && abs($0) <= 1.7e308 }, "\(m.storage)")
        XCTAssertEqual(WeightInit.uniform(low: 0, high: 1).matrix(rows: 1, columns: 3, seed: 1, layer: 1),
                       WeightInit.uniform(low: 0, high: 1).matrix(rows: 1, columns: 3, seed: 1, layer: 1))
    }

    func testTheJSONExportRefusesNonFiniteNumbers() throws {
        var export = ValuesExport(try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve())
        XCTAssertNoThrow(try export.jsonData())
        export.dX[0] = .nan
        XCTAssertThrowsError(try export.jsonData()) { XCTAssertTrue("\($0)".contains("`dX` holds NaN"), "\($0)") }
    }

    func testTheGradientCheckPassesAtSaturation() throws {
        for (z, y) in [(37.0, 1.0), (100, 0), (-60, 1), (30, 0.5)] {
            let net = try Network(input: [1], target: [y], loss: .bce,
                                  layers: [Layer(activation: .sigmoid, weights: Matrix([[z]]), bias: [0])])
            let check = GradientCheck(network: net, solution: try net.solve())
            XCTAssertTrue(check.passed, "z \(z) y \(y): \(String(describing: check.worst))")
        }
    }

    func testTheOpGraphsLocalDerivativesStayFinite() throws {
        for s in [try oneUnit(z: 37, target: 1), try oneUnit(z: 100, target: 0)] {
            let graph = OpGraph(solution: s)
            for op in graph.operations { XCTAssertTrue(op.local.joined().allSatisfy(\.isFinite), "\(op.kind): \(op.local)") }
            for v in graph.values {
                XCTAssertTrue(v.value.isFinite && (v.gradient?.isFinite ?? true), "\(v.name): \(v.value), \(String(describing: v.gradient))")
            }
        }
    }
}
