@testable import Annotation
import NetworkModel
import TestSupport
import Foundation
import XCTest

/// The flow and layers views: encodings that must be monotonic and honest.
final class FlowTests: XCTestCase {
    func solve(_ sample: String) throws -> Solution { try NetworkFile.load(path: TestSupport.sample(sample)).solve() }

    func flow(_ s: Solution, scale: FlowAnnotator.Scale = .linear) -> Diagram {
        FlowAnnotator(annotator: Annotator(solution: s), options: .init(scale: scale)).diagram()
    }

    /// Edges between single units with their gradients, from the diagram's ids.
    func weightEdges(_ d: Diagram, _ s: Solution) -> [(Double, Flow)] {
        d.edges.compactMap { e in
            let ids = [e.tail, e.head].map { $0.raw.dropFirst().split(separator: "_").compactMap { Int($0) } }
            guard ids.allSatisfy({ $0.count == 2 }), let flow = e.flow else { return nil }
            return (s.dW[ids[1][0]][ids[0][1] - 1, ids[1][1] - 1], flow)
        }
    }

    /// The legend says shading is |∂Loss/∂Z|: inputs have no Z and are left unshaded, and the
    /// scale's top is the largest |∂Loss/∂Z| (question 1: |∂Loss/∂x| = 64 must not pale H⁽¹⁾).
    func testShadingIsTheZGradientOnlyAndInputsAreUnshaded() throws {
        for sample in ["question-1.yaml", "xor.yaml", "deep-sigmoid.yaml"] {
            let s = try solve(sample)
            let d = flow(s)
            let largest = (1...s.network.depth).flatMap { s.dZ[$0] }.map(abs).max()!
            XCTAssertGreaterThan(largest, 0, sample)
            for l in 0...s.network.depth {
                for k in 1...s.network.widths[l] {
                    let node = try XCTUnwrap(d.nodes.first { $0.id == .unit(layer: l, k: k) }, "\(sample) L\(l)_\(k)")
                    if l == 0 {
                        XCTAssertNil(node.shade, "\(sample): input \(k) has no Z and must not be shaded")
                    } else {
                        XCTAssertEqual(try XCTUnwrap(node.shade), abs(s.dZ[l][k - 1]) / largest, accuracy: 1e-12, "\(sample) L\(l)_\(k)")
                    }
                }
            }
        }
        // Question 1's inputs carry the largest gradient (64) of the net; the hidden unit with
        // the largest |∂Loss/∂Z| is drawn at full strength all the same.
        let s = try solve("question-1.yaml")
        XCTAssertGreaterThan(s.dX.map(abs).max()!, (1...s.network.depth).flatMap { s.dZ[$0] }.map(abs).max()!)
        XCTAssertEqual(flow(s).nodes.compactMap(\.shade).max(), 1)
    }

    /// On a data set the loss node's target is the shown sample's: its tooltip says which, as
    /// its target line does ("Y = 0 (sample 1 of 4)").
    func testTheLossTooltipNamesTheShownSampleLikeTheDiagram() throws {
        let s = try solve("xor-data.yaml")
        let n = try XCTUnwrap(s.batch).samples.count
        let node = try XCTUnwrap(Annotator(solution: s).diagram(view: .forward).nodes.first { $0.id == .loss })
        let target = try XCTUnwrap(node.lines.first { $0.text.plain.hasPrefix("Y = ") }).text.plain
        XCTAssertTrue(target.hasSuffix(" (sample 1 of \(n))"), target)
        XCTAssertTrue(node.tooltip.hasSuffix(" (sample 1 of \(n))"), node.tooltip)
        // A single example says nothing of samples.
        XCTAssertFalse(try XCTUnwrap(Annotator(solution: solve("question-1.yaml")).diagram(view: .forward).nodes.first { $0.id == .loss }).tooltip.contains("sample"))
    }

    func testWidthGrowsWithTheGradientAndColourFollowsItsSign() throws {
        var solutions = [try solve("question-1.yaml"), try solve("softmax-classifier.yaml"), try solve("xor.yaml")]
        for seed in UInt64(1)...5 {
            let widths = [3, 5, 4, 2]
            let layers = try (1..<widths.count).map { l in
                try Layer(activation: .tanh, weights: WeightInit.normal(std: 1).matrix(rows: widths[l - 1], columns: widths[l], seed: seed, layer: l),
                      bias: Array(repeating: 0.1, count: widths[l]))
            }
            solutions.append(try Network(input: [0.5, -1, 2], target: [1, 0], loss: .mse, layers: layers).solve())
        }
        for s in solutions {
            for scale in FlowAnnotator.Scale.allCases {
                let edges = weightEdges(flow(s, scale: scale), s).sorted { abs($0.0) < abs($1.0) }
                XCTAssertFalse(edges.isEmpty)
                for (a, b) in zip(edges, edges.dropFirst()) {
                    XCTAssertLessThanOrEqual(a.1.magnitude, b.1.magnitude + 1e-12, "\(scale): |\(a.0)| ≤ |\(b.0)| but widths disagree")
                }
                for (g, f) in edges { XCTAssertEqual(f.stroke, g > 0 ? .positive : g < 0 ? .negative : .zero, "∂Loss/∂w = \(g)") }
                XCTAssertEqual(edges.last?.1.magnitude ?? 0, 1, accuracy: 1e-12, "the largest gradient gets the widest edge")
            }
        }
    }

    func testTheDeadReLUSampleMarksExactlyItsDeadUnit() throws {
        let d = flow(try solve("dead-relu.yaml"))
        XCTAssertEqual(d.nodes.filter { $0.health == .dead }.map(\.id), [.unit(layer: 1, k: 2)])
        XCTAssertTrue(d.node(.unit(layer: 1, k: 2))!.lines.contains { $0.text.plain == "dead ReLU" })
        XCTAssertTrue(d.legend!.entries.contains { $0.text.plain.contains("dead ReLU") })
    }

    func testTheDeepSigmoidSampleFlagsItsVanishingLayers() throws {
        let s = try solve("deep-sigmoid.yaml")
        let d = flow(s)
        XCTAssertTrue(d.headers[1].plain.contains("vanishing"), d.headers[1].plain)
        XCTAssertFalse(d.headers[6].plain.contains("vanishing"))
        XCTAssertTrue(d.legend!.entries.contains { $0.text.plain.hasPrefix("layer 1: vanishing") })
        let summary = LayerSummary(annotator: Annotator(solution: s)).diagram()
        XCTAssertTrue(summary.node(.layer(1))!.lines.contains { $0.text.plain == "vanishing ↓" })
    }

    func testTheMNISTSizedNetworkIsFoldedAndStillNamesEveryLayer() throws {
        let s = try solve("mnist-784-128-64-10.yaml")
        let d = flow(s)
        XCTAssertLessThanOrEqual(d.nodes.count, 16 * 3 + 10 + 1)
        XCTAssertLessThanOrEqual(d.edges.count, 16 * 16 * 2 + 16 * 10 + 10)
        XCTAssertEqual(Set(d.nodes.map(\.column)), [0, 1, 2, 3, 4])
        XCTAssertEqual(d.headers.count, 5)
        for l in 0...2 { XCTAssertNotNil(d.node(.folded(layer: l)), "layer \(l) folded") }
        XCTAssertNil(d.node(.folded(layer: 3)), "10 outputs fit")
        let folded = d.legend!.entries.filter { $0.text.plain.contains("folded into") }
        XCTAssertEqual(folded.count, 3)
        XCTAssertTrue(folded[0].text.plain.hasPrefix("layer 0: 769 of 784 units folded"), folded[0].text.plain)
        // The kept units are the ones with the largest gradients.
        let kept = d.nodes.filter { $0.column == 1 && $0.kind == .neuron }.compactMap { Int($0.id.raw.split(separator: "_")[1]) }
        let threshold = kept.map { abs(s.dZ[1][$0 - 1]) }.min()!
        let strongerFolded = (1...128).filter { !kept.contains($0) && abs(s.dZ[1][$0 - 1]) > threshold }
        XCTAssertEqual(strongerFolded, [])
    }

    func testLayersViewCarriesTheNorms() throws {
        let s = try solve("question-1.yaml")
        let d = LayerSummary(annotator: Annotator(solution: s)).diagram()
        XCTAssertEqual(d.nodes.map(\.id.raw), ["layer0", "layer1", "layer2", "layer3", "loss"])
        let norms = HealthReport(s).weightGradientNorms
        XCTAssertEqual(d.edges[0].lines[0].text.plain, "‖∂Loss/∂W^(1)‖ = " + NumberFormat().string(norms[1]))
        XCTAssertEqual(norms[3], (64.0 * 64 * 2).squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(d.node(.layer(1))!.lines.contains { $0.text.plain == "dead: 0 of 2 (0%)" })
    }

    func testShowUpdateAddsTheStep() throws {
        let s = try NetworkFile.load(path: TestSupport.sample("xor.yaml")).solve()
        let d = Annotator(solution: s).diagram(view: .full, showUpdate: true)
        let lines = d.edges.first { $0.id == .weight(layer: 1, j: 1, k: 1) }!.lines.map(\.text.plain)
        XCTAssertEqual(lines.last, "w_11^(1)′ = 0.5386")
        XCTAssertEqual(d.node(.unit(layer: 2, k: 1))!.lines.last?.text.plain, "b^(2)′ = 0.2755")
        XCTAssertEqual(Annotator(solution: s).diagram(view: .full).edges[0].lines.count, 2, "only when asked")
    }

    // MARK: - Honest pictures

    /// Every edge of the dead unit carries an exactly-zero gradient: a neutral stroke of its
    /// own (not the thinnest positive), counted in the legend.
    func testExactlyZeroGradientsHaveTheNeutralStrokeAndTheLegendSaysSo() throws {
        let s = try solve("dead-relu.yaml")
        for scale in FlowAnnotator.Scale.allCases {
            let d = flow(s, scale: scale)
            let zero = weightEdges(d, s).filter { $0.1.stroke == .zero }
            // w_12^(1), w_22^(1) into the dead unit and w_21^(2) out of it (its H is 0).
            XCTAssertEqual(zero.count, 3)
            XCTAssertTrue(zero.allSatisfy { $0.0 == 0 })
            XCTAssertTrue(weightEdges(d, s).filter { $0.0 != 0 }.allSatisfy { $0.1.stroke != .zero })
            let key = try XCTUnwrap(d.legend?.keys.first { $0.stroke == .zero })
            XCTAssertEqual(key.text.plain, "∂Loss/∂w = 0 exactly: no gradient reaches w")
            XCTAssertTrue(d.legend!.keys.first { $0.stroke == .magnitude }!.text.plain.hasPrefix("width: thinnest |∂Loss/∂w| = 0.18;"))
        }
        // The key is there exactly when some edge is zero (xor's input 0 zeroes its weights'
        // gradients; softmax-classifier has none).
        var without = 0
        for sample in ["xor.yaml", "softmax-classifier.yaml", "question-1.yaml", "deep-sigmoid.yaml"] {
            let s = try solve(sample), d = flow(s)
            let zeros = weightEdges(d, s).contains { $0.0 == 0 }
            XCTAssertEqual(d.legend!.keys.contains { $0.stroke == .zero }, zeros, sample)
            if !zeros { without += 1 }
        }
        XCTAssertGreaterThan(without, 0)
    }

    /// The legend's symbols are the file's: a network that calls its loss E and its weights θ
    /// gets ∂E/∂θ in the key, never ∂Loss/∂w.
    func testTheLegendsUseTheFilesNotation() throws {
        let text = try String(contentsOfFile: TestSupport.sample("dead-relu.yaml"), encoding: .utf8)
            + "notation: { loss: E, weight: θ, preactivation: z }\n"
        let s = try NetworkFile.parse(text: text, file: "renamed.yaml").solve()
        let flowLegend = try XCTUnwrap(flow(s).legend)
        XCTAssertEqual(flowLegend.keys.map(\.text.plain).prefix(3), [
            "∂E/∂θ > 0 (increasing θ raises E)",
            "∂E/∂θ < 0 (increasing θ lowers E)",
            "∂E/∂θ = 0 exactly: no gradient reaches θ"])
        let layersLegend = try XCTUnwrap(LayerSummary(annotator: Annotator(solution: s)).diagram().legend)
        XCTAssertTrue(layersLegend.keys[0].text.plain.hasPrefix("edge width ∝ ‖∂E/∂Θ‖ of the layer it enters, from 0"), layersLegend.keys[0].text.plain)
        for legend in [flowLegend, layersLegend] {
            let text = (legend.keys.map(\.text.plain) + legend.entries.map(\.text.plain)).joined(separator: "\n")
            XCTAssertFalse(text.contains("Loss"), text)
            XCTAssertFalse(text.contains("∂w") || text.contains("∂W") || text.contains("∂Z"), text)
        }
    }

    /// The layers view's widths start at zero: the edge widths' ratios are the norms' ratios
    /// (question 1: ‖∂Loss/∂W^(2)‖ = 64 is 0.577 × ‖∂Loss/∂W^(1)‖ = 110.9, not a vanishing
    /// gradient), drawn in the neutral stroke, since a norm has no sign.
    func testLayersViewWidthsAreProportionalToTheNorms() throws {
        let s = try solve("question-1.yaml")
        let d = LayerSummary(annotator: Annotator(solution: s)).diagram()
        let norms = HealthReport(s).weightGradientNorms
        let flows = d.edges.compactMap(\.flow)
        XCTAssertEqual(flows.count, 3)
        XCTAssertTrue(flows.allSatisfy { $0.stroke == .magnitude && $0.width == .proportional })
        for (l, flow) in zip(1..., flows) {
            XCTAssertEqual(flow.magnitude, norms[l] / norms[1...].max()!, accuracy: 1e-12)
        }
        XCTAssertEqual(flows[1].magnitude / flows[0].magnitude, 64 / norms[1], accuracy: 1e-12)
        XCTAssertEqual(norms[1], 110.85, accuracy: 0.01)
    }
}
