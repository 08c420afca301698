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
    struct Counts: Equatable { var crossings = 0, misplaced = 0, labels = 0 }

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

    func render(_ sample: String, view: View) throws -> Data {
        let solution = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
        let diagram = Annotator(solution: solution).diagram(view: view)
        return try DiagramRenderer(theme: try Theme.named("classroom")).render(diagram, format: .json)
    }

    func testEveryLabelIsOnItsOwnEdgeAndNoOtherEdgePassesUnderIt() throws {
        for sample in ["question-1.yaml", "xor.yaml", "dead-relu.yaml", "softmax-classifier.yaml"] {
            for view in [View.forward, .backward, .full] {
                let counts = try Self.counts(inGraphvizJSON: render(sample, view: view))
                XCTAssertGreaterThan(counts.labels, 0, "\(sample) \(view)")
                XCTAssertEqual(counts.crossings, 0, "\(sample) \(view): edges under other edges' labels")
                XCTAssertEqual(counts.misplaced, 0, "\(sample) \(view): labels nearer another edge than their own")
            }
        }
    }

    /// The same slides: every frame of a deck shares the full view's layout.
    func testTheDeckLayoutKeepsOwnership() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let frames = SlideDeck(solution: solution).frames.map(\.diagram)
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let layout = try renderer.layout(sharedBy: frames)
        let counts = try Self.counts(inGraphvizJSON: renderer.render(frames[9], format: .json, layout: layout))
        XCTAssertEqual(counts, Counts(crossings: 0, misplaced: 0, labels: 12))
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
}
