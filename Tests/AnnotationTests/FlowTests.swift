import Annotation
import NetworkModel
import TestSupport
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
                for (g, f) in edges where g != 0 { XCTAssertEqual(f.negative, g < 0) }
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
}
