@testable import Annotation
import NetworkModel
import TestSupport
import XCTest

/// The chain-rule derivations against the worked example, and against the backward pass on
/// random networks (the sum of path products must equal the gradient).
final class DerivationTests: XCTestCase {
    var solution: Solution!
    let f = NumberFormat()

    override func setUpWithError() throws {
        solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
    }

    func arithmetic(_ param: String) throws -> String {
        let target = try XCTUnwrap(Derivation.Target(try ParameterName.parse(param, network: solution.network)))
        return Explanation.arithmetic(Deriver(solution: solution).derive(target)).unicode(f)
    }

    func testTheSeventeenDerivationsOfTheDocument() throws {
        let expected: [(String, String)] = [
            ("b^(3)", "16 · 1 = 16"),
            ("w_11^(3)", "16 · 4 = 64"),
            ("w_21^(3)", "16 · 4 = 64"),
            ("b_1^(2)", "16 · 1 · 1 · 1 = 16"),
            ("w_11^(2)", "16 · 1 · 1 · 2 = 32"),
            ("w_21^(2)", "16 · 1 · 1 · 2 = 32"),
            ("b_2^(2)", "16 · 1 · 1 · 1 = 16"),
            ("w_12^(2)", "16 · 1 · 1 · 2 = 32"),
            ("w_22^(2)", "16 · 1 · 1 · 2 = 32"),
            ("b_1^(1)", "16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32"),
            ("w_11^(1)", "16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32"),
            ("w_21^(1)", "16 · 1 · 1 · 1 · 1 · 2 + 16 · 1 · 1 · 1 · 1 · 2 = 64"),
            ("w_31^(1)", "16 · 1 · 1 · 1 · 1 · (−1) + 16 · 1 · 1 · 1 · 1 · (−1) = −32"),
            ("b_2^(1)", "16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32"),
            ("w_12^(1)", "16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32"),
            ("w_22^(1)", "16 · 1 · 1 · 1 · 1 · 2 + 16 · 1 · 1 · 1 · 1 · 2 = 64"),
            ("w_32^(1)", "16 · 1 · 1 · 1 · 1 · (−1) + 16 · 1 · 1 · 1 · 1 · (−1) = −32"),
        ]
        for (param, arithmetic) in expected { XCTAssertEqual(try self.arithmetic(param), arithmetic, param) }
        // The document's order: output layer first, bias then weights into unit 1, unit 2.
        let order = Deriver(solution: solution).parameterOrder().map(\.quantity)
        XCTAssertEqual(order, try expected.map { try ParameterName.parse($0.0, network: solution.network) })
    }

    func testChainSymbolsFollowTheDocument() throws {
        let d = Deriver(solution: solution).derive(.weight(layer: 2, j: 1, k: 1))
        XCTAssertEqual(Explanation.chain(d).map { $0.unicode(f) },
                       ["∂Loss/∂H⁽³⁾ · ∂H⁽³⁾/∂H₁⁽²⁾ · ∂H₁⁽²⁾/∂Z₁⁽²⁾ · ∂Z₁⁽²⁾/∂w₁₁⁽²⁾"])
        let defs = Explanation.definitions(d).map { $0.unicode(f) }
        XCTAssertTrue(defs.contains("∂H⁽³⁾/∂H₁⁽²⁾ = w₁₁⁽³⁾ = 1"), "\(defs)")
        XCTAssertTrue(defs.contains("∂Loss/∂H⁽³⁾ = −2(Y − H⁽³⁾) = 16"), "\(defs)")
        XCTAssertTrue(defs.contains("∂Z₁⁽²⁾/∂w₁₁⁽²⁾ = H₁⁽¹⁾ = 2"), "\(defs)")
    }

    func testForwardArithmetic() {
        let fw = ForwardArithmetic(solution: solution)
        XCTAssertEqual(fw.preactivation(layer: 1, unit: 1).unicode(f), "Z₁⁽¹⁾ = α₁·w₁₁⁽¹⁾ + α₂·w₂₁⁽¹⁾ + α₃·w₃₁⁽¹⁾ + b₁⁽¹⁾ = 1·1 + 2·1 + (−1)·1 + 0 = 2")
        XCTAssertEqual(fw.activation(layer: 1, unit: 1).unicode(f), "H₁⁽¹⁾ = ReLU(Z₁⁽¹⁾) = ReLU(2) = 2")
        XCTAssertEqual(fw.activation(layer: 3, unit: 1).unicode(f), "H⁽³⁾ = Z⁽³⁾ = 8")
        XCTAssertEqual(fw.loss().unicode(f), "Loss = (Y − H⁽³⁾)² = (0 − 8)² = 64")
    }

    /// The sum of the path products (or the recursive product) equals the backward pass's
    /// gradient, for every quantity of random networks of every activation.
    func testDerivationsAgreeWithBackpropagation() throws {
        for sample in ["xor.yaml", "dead-relu.yaml", "softmax-classifier.yaml", "deep-sigmoid.yaml"] {
            let s = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
            let deriver = Deriver(solution: s)
            var targets = deriver.parameterOrder()
            for l in 0...s.network.depth {
                for k in 1...s.network.widths[l] {
                    targets.append(.activation(layer: l, k: k))
                    if l > 0 { targets.append(.preactivation(layer: l, k: k)) }
                }
            }
            for t in targets {
                let d = deriver.derive(t)
                let computed: Double
                switch d.form {
                case .paths(let paths): computed = paths.reduce(0) { $0 + $1.product }
                case let .recursive(factors, _, _): computed = factors.reduce(1) { $0 * $1.value }
                }
                XCTAssertEqual(computed, d.value, accuracy: 1e-12 * max(1, abs(d.value)), "\(sample) \(deriver.targetSymbol(t).plain)")
            }
        }
    }

    func testParameterNames() throws {
        let net = solution.network
        XCTAssertEqual(try ParameterName.parse("w_21^(1)", network: net), .weight(layer: 1, j: 2, k: 1))
        XCTAssertEqual(try ParameterName.parse("w_{21}^{(1)}", network: net), .weight(layer: 1, j: 2, k: 1))
        XCTAssertEqual(try ParameterName.parse("b^(3)", network: net), .bias(layer: 3, k: 1))
        XCTAssertEqual(try ParameterName.parse("H_2^(1)", network: net), .activation(layer: 1, k: 2))
        XCTAssertEqual(try ParameterName.parse("Z_1^{(2)}", network: net), .preactivation(layer: 2, k: 1))
        XCTAssertEqual(try ParameterName.parse("α_3", network: net), .input(3))
        for bad in ["q_1^(1)", "w_21^(4)", "w_2^(1)", "b^(1)", "w_41^(1)", "w_21^(x)", "w_{21^(1)"] {
            XCTAssertThrowsError(try ParameterName.parse(bad, network: net), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("PARAM `\(bad)`: "), "\(error)")
                XCTAssertTrue("\(error)".contains("expected"), "\(error)")
            }
        }
    }

    func testLargeFanOutSwitchesToTheRecursiveForm() throws {
        let s = try NetworkFile.load(path: TestSupport.sample("deep-sigmoid.yaml")).solve()
        let d = Deriver(solution: s).derive(.weight(layer: 1, j: 1, k: 1))
        guard case let .recursive(_, _, count) = d.form else { return XCTFail("expected the recursive form") }
        XCTAssertEqual(count, 4 * 4 * 4 * 4 * 4 * 1)
    }
}
