import Annotation
import NetworkModel
import TestSupport
import XCTest

final class AnnotationTests: XCTestCase {
    var solution: Solution!

    override func setUpWithError() throws {
        solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
    }

    func lines(_ node: DiagramNode?) -> [String] { node?.lines.map(\.text.plain) ?? [] }

    func testForwardLabelsInTheDocumentsNotation() throws {
        let d = Annotator(solution: solution).diagram(view: .forward)
        XCTAssertEqual(lines(d.node(.unit(layer: 0, k: 3))), ["α_3 = −1"])
        XCTAssertEqual(lines(d.node(.unit(layer: 1, k: 1))), ["H_1^(1) = 2", "Z_1^(1) = 2", "b_1^(1) = 0"])
        // A single-unit layer drops the k subscript, as the document does.
        XCTAssertEqual(lines(d.node(.unit(layer: 3, k: 1))), ["H^(3) = 8", "Z^(3) = 8", "b^(3) = 0"])
        XCTAssertEqual(lines(d.node(.loss)), ["Loss = (Y − H^(3))² = 64", "Y = 0"])
        let edge = try XCTUnwrap(d.edges.first { $0.id == .weight(layer: 1, j: 2, k: 1) })
        XCTAssertEqual(edge.lines.map(\.text.plain), ["w_21^(1) = 1"])
        XCTAssertEqual(d.edges.count, 6 + 4 + 2 + 1)
        XCTAssertEqual(d.headers.map(\.plain), ["Input layer", "Hidden layer 1 · ReLU", "Hidden layer 2 · ReLU", "Output layer · identity", "Loss · RSS"])
    }

    func testBackwardAndFullViews() throws {
        let back = Annotator(solution: solution).diagram(view: .backward)
        XCTAssertEqual(lines(back.node(.unit(layer: 1, k: 1))), ["H_1^(1) = 2", "∂Loss/∂H_1^(1) = 32", "∂Loss/∂Z_1^(1) = 32", "∂Loss/∂b_1^(1) = 32"])
        XCTAssertEqual(lines(back.node(.loss)), ["Loss = (Y − H^(3))² = 64", "∂Loss/∂H^(3) = 16"])
        XCTAssertEqual(back.edges.first { $0.id == .weight(layer: 1, j: 3, k: 2) }?.lines.map(\.text.plain), ["∂Loss/∂w_32^(1) = −32"])
        let full = Annotator(solution: solution).diagram(view: .full)
        XCTAssertEqual(full.edges.first { $0.id == .weight(layer: 1, j: 2, k: 1) }?.lines.map(\.text.plain), ["w_21^(1) = 1", "∂Loss/∂w_21^(1) = 64"])
        XCTAssertEqual(lines(full.node(.unit(layer: 0, k: 1))), ["α_1 = 1", "∂Loss/∂α_1 = 64"])
    }

    func testSubscriptsAreStructureNotCharacters() throws {
        let d = Annotator(solution: solution).diagram(view: .forward)
        let line = try XCTUnwrap(d.node(.unit(layer: 2, k: 1))?.lines.first)
        XCTAssertEqual(line.symbol.spans, [.init("H"), .init("1", .sub), .init("(2)", .sup)])
        XCTAssertEqual(line.value, "4", "the value is structure too, never searched for in the text")
        XCTAssertFalse(line.text.spans.contains { $0.text.contains("_") || $0.text.contains("^") })
    }

    func testUnknownValuesReadAsTheLineSays() throws {
        let d = Annotator(solution: solution).diagram(view: .full, known: { _ in false })
        let z = try XCTUnwrap(d.node(.unit(layer: 1, k: 1))?.lines.first { $0.symbol.plain == "Z_1^(1)" })
        XCTAssertTrue(z.hidden)
        XCTAssertEqual(z.text.plain, "Z_1^(1) = " + Line.unknown)
        XCTAssertEqual(d.node(.unit(layer: 1, k: 1))?.lines.first { $0.symbol.plain == "b_1^(1)" }?.hidden, false, "given values are always known")
    }

    func testEveryQuantityHasOneSymbolAndOneValue() throws {
        let sym = Symbols(network: solution.network)
        let cases: [(Quantity, String, Double)] = [
            (.input(3), "α_3", -1), (.weight(layer: 1, j: 2, k: 1), "w_21^(1)", 1), (.bias(layer: 3, k: 1), "b^(3)", 0),
            (.preactivation(layer: 2, k: 1), "Z_1^(2)", 4), (.activation(layer: 3, k: 1), "H^(3)", 8), (.target(1), "Y", 0),
            (.loss, "Loss", 64), (.gradient(.weight(layer: 1, j: 2, k: 1)), "∂Loss/∂w_21^(1)", 64),
            (.gradient(.input(2)), "∂Loss/∂α_2", 64), (.gradient(.preactivation(layer: 1, k: 1)), "∂Loss/∂Z_1^(1)", 32),
        ]
        for (q, symbol, value) in cases {
            XCTAssertEqual(sym.symbol(q).plain, symbol)
            XCTAssertEqual(solution.value(of: q), value, symbol)
            XCTAssertTrue(solution.network.contains(q), symbol)
            if let t = Derivation.Target(q) { XCTAssertEqual(try ParameterName.parse(symbol, network: solution.network), t.quantity) }
        }
        XCTAssertFalse(solution.network.contains(.weight(layer: 1, j: 4, k: 1)))
        XCTAssertFalse(solution.network.contains(.bias(layer: 4, k: 1)))
    }

    func testTooltipsShowTheDiagramsDigitsAndTheFullValueOnlyWhereItDiffers() throws {
        let q1 = try NetworkFile.load(path: TestSupport.sample("question-1.yaml"))
        let net = try Network(name: q1.name, input: [0.1, 0.2, -0.3], target: q1.target, loss: q1.loss,
                              notation: q1.notation, layers: q1.layers, learningRate: q1.learningRate)
        let d = Annotator(solution: try net.solve(), format: NumberFormat(precision: 2)).diagram(view: .full)
        let node = try XCTUnwrap(d.node(.unit(layer: 1, k: 1)))
        XCTAssertEqual(node.lines[1].text.plain, "Z_1^(1) = 5.6e−17")   // 0.1 + 0.2 − 0.3 in doubles, at 2 digits
        XCTAssertTrue(node.tooltip.contains("Z_1^(1) = 5.6e−17 (5.55111512312578e−17)"), node.tooltip)
        XCTAssertTrue(node.tooltip.contains("b_1^(1) = 0\n"), node.tooltip)
        let f = NumberFormat(precision: 4)
        XCTAssertEqual(f.detailed(0.7999999999999999), "0.8")          // float noise, not a difference
        XCTAssertEqual(f.detailed(0.123456), "0.1235 (0.123456)")
        XCTAssertEqual(f.detailed(-64), "−64")
        XCTAssertEqual(f.detailed(2.0 / 3.0), "0.6667 (0.666666666666667)")
    }

    func testNumberFormat() {
        let f = NumberFormat(precision: 4)
        XCTAssertEqual(f.string(16), "16")
        XCTAssertEqual(f.string(-32), "−32")
        XCTAssertEqual(f.string(0.1 + 0.2), "0.3")
        XCTAssertEqual(f.string(2.0 / 3.0), "0.6667")
        XCTAssertEqual(f.string(123456.7), "1.235e5")
        XCTAssertEqual(f.string(-1.5e-7), "−1.5e−7")
        XCTAssertEqual(NumberFormat(precision: 2).string(3.14159), "3.1")
        XCTAssertEqual(f.factor(-1), "(−1)")
        XCTAssertEqual(NumberFormat.exact(64), "64")
        XCTAssertEqual(NumberFormat.exact(0.1), "0.1")
    }

    func testNotationOverrides() throws {
        var net = try NetworkFile.load(path: TestSupport.sample("question-1.yaml"))
        net.notation.weight = "θ"
        net.notation.activation = "a"
        net.notation.loss = "L"
        let d = Annotator(solution: try net.solve()).diagram(view: .full)
        XCTAssertEqual(d.edges.first { $0.id == .weight(layer: 1, j: 1, k: 1) }?.lines.map(\.text.plain), ["θ_11^(1) = 1", "∂L/∂θ_11^(1) = 32"])
        XCTAssertEqual(lines(d.node(.unit(layer: 1, k: 2))).first, "a_2^(1) = 2")
    }

    func testUnitPastNineGetsACommaSeparatedWeightIndex() throws {
        let symbols = Symbols(network: try Network(input: Array(repeating: 0, count: 12), target: [0], loss: .rss,
                                                   layers: [try Layer(activation: .identity, weights: Matrix(rows: 12, columns: 1), bias: [0])]))
        XCTAssertEqual(symbols.weight(10, 1, layer: 1).plain, "w_{10,1}^(1)")
        XCTAssertEqual(symbols.weight(2, 1, layer: 1).plain, "w_21^(1)")
    }
}
