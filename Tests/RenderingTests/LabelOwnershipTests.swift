import Annotation
import Foundation
import Graphviz
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// Which edge does a label belong to? Read from Graphviz's laid-out JSON: each edge's drawn
/// path, each edge label's background box. A label is well placed when no other edge passes
/// under its box and its own edge is nearer than any other.
final class LabelOwnershipTests: XCTestCase {
    /// `throughNodes`: edges drawn across a node or header that is not one of their ends.
    struct Counts: Equatable { var crossings = 0, misplaced = 0, labels = 0, throughNodes = 0 }

    static func polyline(_ ops: [[String: Any]]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        for op in ops where (op["op"] as? String) == "b" || (op["op"] as? String) == "B" {
            let p = (op["points"] as? [[Double]] ?? []).map { ($0[0], $0[1]) }
            var i = 0
            while i + 3 < p.count {
                for s in 0...16 {
                    let t = Double(s) / 16, u = 1 - t
                    let x = u * u * u * p[i].0 + 3 * u * u * t * p[i + 1].0 + 3 * u * t * t * p[i + 2].0 + t * t * t * p[i + 3].0
                    let y = u * u * u * p[i].1 + 3 * u * u * t * p[i + 1].1 + 3 * u * t * t * p[i + 2].1 + t * t * t * p[i + 3].1
                    out.append((x, y))
                }
                i += 3
            }
        }
        return out
    }

    /// Distance from a point to a box (0 inside).
    static func distance(_ p: (Double, Double), _ b: (x0: Double, x1: Double, y0: Double, y1: Double)) -> Double {
        let dx = max(b.x0 - p.0, 0, p.0 - b.x1), dy = max(b.y0 - p.1, 0, p.1 - b.y1)
        return (dx * dx + dy * dy).squareRoot()
    }

    static func distance(_ line: [(Double, Double)], _ b: (x0: Double, x1: Double, y0: Double, y1: Double)) -> Double {
        var best = Double.infinity
        for (p, q) in zip(line, line.dropFirst()) {
            // Sample each piece finely enough for boxes a few points high.
            let n = max(1, Int((abs(q.0 - p.0) + abs(q.1 - p.1)) / 2))
            for s in 0...n {
                let t = Double(s) / Double(n)
                best = min(best, distance((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)), b))
            }
        }
        return best
    }

    static func counts(inGraphvizJSON data: Data) throws -> Counts {
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var lines: [String: [(Double, Double)]] = [:]
        for edge in root["edges"] as? [[String: Any]] ?? [] {
            guard let id = edge["id"] as? String else { continue }
            lines[id] = polyline(edge["_draw_"] as? [[String: Any]] ?? [])
        }
        var counts = Counts()
        // Nodes and headers (not labels, title, caption, legend or the invisible corners),
        // shrunk by a point: an edge ends on its own nodes' borders.
        var boxes: [Int: (x0: Double, x1: Double, y0: Double, y1: Double)] = [:]
        for object in root["objects"] as? [[String: Any]] ?? [] {
            guard let name = object["name"] as? String, let gvid = object["_gvid"] as? Int, !name.hasSuffix("__label"),
                  !["title", "caption", "legend", "corner_ll", "corner_ur"].contains(name),
                  let pos = object["pos"] as? String, let w = Double(object["width"] as? String ?? ""),
                  let h = Double(object["height"] as? String ?? "") else { continue }
            let p = pos.split(separator: ",").compactMap { Double($0) }
            boxes[gvid] = (p[0] - w * 36 + 1, p[0] + w * 36 - 1, p[1] - h * 36 + 1, p[1] + h * 36 - 1)
        }
        for edge in root["edges"] as? [[String: Any]] ?? [] {
            guard let id = edge["id"] as? String, let line = lines[id] else { continue }
            let ends = [edge["tail"] as? Int, edge["head"] as? Int]
            counts.throughNodes += boxes.filter { !ends.contains($0.key) && distance(line, $0.value) == 0 }.count
        }
        for object in root["objects"] as? [[String: Any]] ?? [] {
            guard let name = object["name"] as? String, name.hasSuffix("__label") else { continue }
            let owner = String(name.dropLast("__label".count))
            let ops = (object["_ldraw_"] as? [[String: Any]] ?? []) + (object["_draw_"] as? [[String: Any]] ?? [])
            guard let polygon = ops.first(where: { ($0["op"] as? String) == "P" })?["points"] as? [[Double]], let own = lines[owner] else { continue }
            let xs = polygon.map { $0[0] }, ys = polygon.map { $0[1] }
            // The box shrunk by a point: an edge grazing the border is not under the label.
            let box = (x0: xs.min()! + 1, x1: xs.max()! - 1, y0: ys.min()! + 1, y1: ys.max()! - 1)
            counts.labels += 1
            let ownDistance = distance(own, box)
            var nearestOther = Double.infinity
            for (id, line) in lines where id != owner {
                let d = distance(line, box)
                if d == 0 { counts.crossings += 1 }
                nearestOther = min(nearestOther, d)
            }
            if nearestOther <= ownDistance { counts.misplaced += 1 }
        }
        return counts
    }

    // MARK: - The table: one line per sample and view, one per deck

    /// A single view of a sample: every label owned by its edge, no text on other text.
    struct ViewCase { var sample: String, view: View }
    /// Every frame of a deck of a sample, drawn on the deck's shared layout.
    struct DeckCase { var sample: String, steps: SlideDeck.Steps }

    static let smallSamples = ["question-1.yaml", "xor.yaml", "dead-relu.yaml", "softmax-classifier.yaml"]

    /// One line per case: add a view (or a sample) here and it is checked like the others.
    static let viewCases: [ViewCase] = smallSamples.flatMap { sample in
        [View.forward, .backward, .full, .flow, .layers, .ops].map { ViewCase(sample: sample, view: $0) }
    }

    static let deckCases: [DeckCase] = [
        DeckCase(sample: "question-1.yaml", steps: .node),
        DeckCase(sample: "question-1.yaml", steps: .layer),
        DeckCase(sample: "question-1.yaml", steps: .ops),
    ]

    /// What is wrong with one rendered picture, or nothing.
    static func problems(_ json: Data) throws -> (counts: Counts, collisions: [String]) {
        (try counts(inGraphvizJSON: json), try TextBox.collisions(in: json))
    }

    static func check(_ json: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (counts, collisions) = try problems(json)
        XCTAssertEqual(counts.crossings, 0, "\(what): edges under other edges' labels", file: file, line: line)
        XCTAssertEqual(counts.misplaced, 0, "\(what): labels nearer another edge than their own", file: file, line: line)
        XCTAssertEqual(counts.throughNodes, 0, "\(what): edges across nodes that are not their ends", file: file, line: line)
        XCTAssertEqual(collisions, [], "\(what): overlapping text", file: file, line: line)
    }

    func testEveryLabelIsOwnedOnEverySmallSampleInEveryView() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        var labelled = 0
        for c in Self.viewCases {
            let solution = try NetworkFile.load(path: TestSupport.sample(c.sample)).solve()
            let json = try renderer.render(try c.view.diagram(solution), format: .json)
            try Self.check(json, "\(c.sample) \(c.view)")
            labelled += try Self.counts(inGraphvizJSON: json).labels
        }
        // The check looked at labels at all (the unit views label every weight).
        XCTAssertGreaterThan(labelled, 100)
    }

    func testEveryDeckFrameKeepsOwnership() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        for c in Self.deckCases {
            let solution = try NetworkFile.load(path: TestSupport.sample(c.sample)).solve()
            let frames = SlideDeck(solution: solution, steps: c.steps).frames
            let layout = try renderer.layout(sharedBy: frames.map(\.diagram))
            var labelled = 0
            for (i, frame) in frames.enumerated() {
                let json = try renderer.render(frame.diagram, format: .json, layout: layout)
                try Self.check(json, "\(c.sample) --steps \(c.steps) frame \(i + 1)")
                labelled += try Self.counts(inGraphvizJSON: json).labels
            }
            XCTAssertGreaterThan(labelled, 0, "\(c.sample) --steps \(c.steps)")
        }
    }

    func testTheOwnershipCheckCanFail() throws {
        // A label moved onto another edge's path is reported as crossed and misplaced.
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let d = Annotator(solution: solution).diagram(view: .full)
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        var graph = try renderer.graph(d, layout: try renderer.layout(d))
        graph = graph.movingNode("L0_1__L1_1__label", onto: "L1_1")
        graph = graph.movingNode("L0_2__L1_1__label", onto: "corner_ll")
        let counts = try Self.counts(inGraphvizJSON: GraphvizEngine.render(graph, engine: .pinned, format: .json))
        XCTAssertGreaterThan(counts.crossings + counts.misplaced, 0, "\(counts)")
    }

    func testWorkedExampleIsSlideShaped() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let layout = try DiagramRenderer(theme: try Theme.named("classroom")).layout(Annotator(solution: solution).diagram(view: .full))
        XCTAssertLessThanOrEqual(layout.width / layout.height, 2.4, "\(layout.width) × \(layout.height)")
        // Edge labels (12 pt) at 1000 pixels wide are at least 9 pixels.
        XCTAssertGreaterThanOrEqual(12 * 1000 / layout.width, 9, "\(layout.width)")
    }

    /// A deep narrow net (8 columns of at most 4 units, 92 labels) is drawn taller, nearer a
    /// slide's shape, at about the same width (5663 × 1354 before).
    func testDeepSigmoidIsNearerASlidesShape() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("deep-sigmoid.yaml")).solve()
        let layout = try DiagramRenderer(theme: try Theme.named("classroom")).layout(Annotator(solution: solution).diagram(view: .full))
        XCTAssertLessThanOrEqual(layout.width / layout.height, 2.7, "\(layout.width) × \(layout.height)")
        XCTAssertLessThanOrEqual(layout.width, 5663, "no wider than before")
    }
    /// Dense labelled layers (8 × 16 and 16 × 16 weights) go in bands: every weight label is
    /// drawn, no label overlaps another, and the layout is quick (the clear-spot search took
    /// minutes on a 32-64-64-10). Edges may pass under labels there; the counts are reported.
    func testDenseLayersDrawEveryLabelWithoutOverlaps() throws {
        let text = """
        input: [0.5, -1.2, 0.3, 2.0, -0.7, 1.1, 0.0, -0.4]
        target: [0, 1, 0, 0]
        loss: cross_entropy
        layers:
          - { units: 16, activation: tanh, weights: { init: xavier, seed: 1 }, bias: 0 }
          - { units: 16, activation: tanh, weights: { init: xavier, seed: 2 }, bias: 0 }
          - { units: 4, activation: softmax, weights: { init: xavier, seed: 3 }, bias: 0 }
        """
        let solution = try NetworkFile.parse(text: text, file: "dense.yaml").solve()
        let diagram = try View.full.diagram(solution)
        let json = try DiagramRenderer(theme: try Theme.named("classroom")).render(diagram, format: .json)
        let counts = try Self.counts(inGraphvizJSON: json)
        XCTAssertEqual(counts.labels, 8 * 16 + 16 * 16 + 16 * 4, "every weight's label drawn")
        XCTAssertEqual(try TextBox.collisions(in: json), [], "overlapping text")
    }
}
