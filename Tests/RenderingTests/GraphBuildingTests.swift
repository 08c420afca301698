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
        for (sample, view) in [("softmax-classifier.yaml", View.full), ("question-1.yaml", .full), ("deep-sigmoid.yaml", .backward)] {
            let diagram = try view.diagram(NetworkFile.load(path: TestSupport.sample(sample)).solve())
            var builder = GraphBuilder(theme: theme)
            builder.parallelSizing = (.max, nil)
            let inOrder = try builder.measure([diagram], legend: nil)
            XCTAssertFalse(inOrder.lineSizes.isEmpty, sample)
            for chunks in [1, 2, 3, diagram.edges.count + 3] {
                builder.parallelSizing = (1, chunks)
                let chunked = try builder.measure([diagram], legend: nil)
                XCTAssertEqual(chunked.measured.edges, inOrder.measured.edges, "\(sample) in \(chunks) chunks")
                XCTAssertEqual(chunked.measured.nodes, inOrder.measured.nodes, "\(sample) in \(chunks) chunks")
                XCTAssertEqual(chunked.lineSizes, inOrder.lineSizes, "\(sample) in \(chunks) chunks")
            }
        }
    }
}
