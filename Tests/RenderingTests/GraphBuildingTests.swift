import Annotation
import Graphviz
import NetworkModel
@testable import Rendering
import TestSupport
import XCTest

/// The pinned graph's edges and their label nodes are built in chunks on every core when a
/// diagram has many edges (`GraphBuilder.parallelEdges`): cut into chunks or not, the graph
/// holds the same edges and label nodes in the same order.
final class GraphBuildingTests: XCTestCase {
    func testEdgesBuiltInChunksAreTheEdgesBuiltInOrder() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        for (sample, view) in [("softmax-classifier.yaml", View.full), ("question-1.yaml", .flow), ("xor.yaml", .ops)] {
            let diagram = try view.diagram(NetworkFile.load(path: TestSupport.sample(sample)).solve())
            let layout = try renderer.layout(diagram)
            var builder = GraphBuilder(theme: renderer.theme)
            builder.labels.lineSizes = layout.lineSizes
            let inOrder = builder.drawnEdges(diagram.edges, geometry: layout.geometry, chunks: 1)
            XCTAssertFalse(inOrder.isEmpty, sample)
            for chunks in [2, 3, 8, diagram.edges.count + 3] {
                let chunked = builder.drawnEdges(diagram.edges, geometry: layout.geometry, chunks: chunks)
                XCTAssertEqual(chunked.map(\.edge), inOrder.map(\.edge), "\(sample) \(view) in \(chunks) chunks")
                XCTAssertEqual(chunked.map(\.label), inOrder.map(\.label), "\(sample) \(view) in \(chunks) chunks")
            }
        }
    }

    /// `measure` sizes a large diagram's edge labels in chunks on every core: in chunks or not,
    /// every size, and every stacked line's, is the same.
    func testEdgeLabelsSizedInChunksAreSizedAsInOrder() throws {
        let theme = try Theme.named("classroom")
        for (sample, view) in [("softmax-classifier.yaml", View.full), ("question-1.yaml", .full), ("deep-sigmoid.yaml", .backward),
                               ("question-1.yaml", .ops), ("softmax-classifier.yaml", .ops)] {
            let diagram = try view.diagram(NetworkFile.load(path: TestSupport.sample(sample)).solve())
            var builder = GraphBuilder(theme: theme)
            builder.parallelSizing = (.max, .max, nil)
            let inOrder = try builder.measure([diagram], legend: nil)
            XCTAssertFalse(inOrder.lineSizes.isEmpty, sample)
            for chunks in [1, 2, 3, diagram.edges.count + 3] {
                builder.parallelSizing = (1, 1, chunks)
                let chunked = try builder.measure([diagram], legend: nil)
                XCTAssertEqual(chunked.measured.edges, inOrder.measured.edges, "\(sample) in \(chunks) chunks")
                XCTAssertEqual(chunked.measured.nodes, inOrder.measured.nodes, "\(sample) in \(chunks) chunks")
                XCTAssertEqual(chunked.lineSizes, inOrder.lineSizes, "\(sample) in \(chunks) chunks")
            }
        }
    }

    /// Above `parallelSizing.edges` edges, each edge label is written once, while it is
    /// sized, and drawn as written: the markup equals the label built for drawing on the
    /// finished layout (its stacked lines fixed at their measured sizes), in every chunking,
    /// theme and view.
    func testEdgeLabelsWrittenWhileSizedAreTheLabelsBuiltForDrawing() throws {
        var compared = 0
        for theme in ["classroom", "chalkboard"] {
            let renderer = DiagramRenderer(theme: try Theme.named(theme))
            for (sample, view) in [("softmax-classifier.yaml", View.full), ("question-1.yaml", .full), ("question-1.yaml", .backward),
                                   ("deep-sigmoid.yaml", .forward), ("xor.yaml", .ops), ("dead-relu.yaml", .full)] {
                let diagram = try view.diagram(NetworkFile.load(path: TestSupport.sample(sample)).solve())
                var measuring = GraphBuilder(theme: renderer.theme)
                measuring.parallelSizing = (1, 1, 3)
                let (_, lineSizes, written) = try measuring.measure([diagram], legend: nil)
                var drawing = GraphBuilder(theme: renderer.theme)
                drawing.labels.lineSizes = lineSizes
                for edge in diagram.edges where !edge.lines.isEmpty {
                    let label = try XCTUnwrap(written[edge.id], "\(theme) \(sample) \(view) \(edge.id)")
                    XCTAssertEqual(label.markup, drawing.edgeLabel(edge).markup, "\(theme) \(sample) \(view) \(edge.id)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 100)
    }

    /// The graph drawn with the labels written while measuring is the graph drawn without
    /// them; a layout drawing another diagram (other values on the same edges, or dimmed
    /// edges), or in PNG's tags, builds those labels anew.
    func testGraphsDrawnWithWrittenLabelsAreTheGraphsBuiltAnew() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let network = try NetworkFile.load(path: TestSupport.sample("question-1.yaml"))
        let full = try View.full.diagram(network.solve())
        var measuring = GraphBuilder(theme: renderer.theme)
        measuring.parallelSizing = (1, 1, 2)
        let (measured, lineSizes, written) = try measuring.measure([full], legend: nil)
        XCTAssertFalse(written.isEmpty)
        let geometry = DiagramGeometry(diagram: full, measured: measured, theme: renderer.theme)
        var dimmed = full
        dimmed.edges[0].emphasis.dimmed = true
        let backward = try View.backward.diagram(network.solve())
        for (diagram, scripts) in [(full, LabelBuilder.ScriptStyle.faces), (dimmed, .faces), (backward, .faces), (full, .tags)] {
            var plain = GraphBuilder(theme: renderer.theme, scripts: scripts)
            plain.labels.lineSizes = lineSizes
            var reusing = plain
            reusing.measuredEdgeLabels = written
            XCTAssertEqual(reusing.graph(diagram, geometry: geometry, legend: nil, dpi: nil), plain.graph(diagram, geometry: geometry, legend: nil, dpi: nil))
        }
    }
}
