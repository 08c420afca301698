import Annotation
import Foundation
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// Unlabelled edges between layers leave and enter through the sides of the boxes that face
/// each other, within their middle half: in the MNIST flow view, edges aimed at the units' centres
/// came in steeply from a folded input far away and crossed a neighbouring unit's text (182
/// crossings in svgcheck). Labelled edges keep the line toward the centres, where their labels
/// were placed.
final class EdgeEndsTests: XCTestCase {
    struct Box { var x0, y0, x1, y1: Double }

    /// Each node's box and each edge's straight line, read from Graphviz's SVG.
    func shapes(_ svg: String) -> (nodes: [String: Box], edges: [(tail: String, head: String, from: (Double, Double), to: (Double, Double))]) {
        func numbers(_ s: Substring) -> [Double] {
            s.split(whereSeparator: { !"0123456789.-".contains($0) }).compactMap { Double($0) }
        }
        var nodes: [String: Box] = [:], edges: [(String, String, (Double, Double), (Double, Double))] = []
        // A node's or edge's group holds its tooltip's anchor group: read them as one.
        var groups: [String] = []
        for chunk in svg.components(separatedBy: "<g id=\"").dropFirst() {
            if chunk.hasPrefix("a_"), !groups.isEmpty { groups[groups.count - 1] += chunk } else { groups.append(chunk) }
        }
        for group in groups {
            let id = String(group.prefix { $0 != "\"" })
            if group.hasPrefix(id + "\" class=\"node\""), let r = group.range(of: " d=\"") ?? group.range(of: " points=\"") {
                let n = numbers(group[r.upperBound...].prefix { $0 != "\"" })
                let xs = stride(from: 0, to: n.count - 1, by: 2).map { n[$0] }, ys = stride(from: 1, to: n.count, by: 2).map { n[$0] }
                nodes[id] = Box(x0: xs.min()!, y0: ys.min()!, x1: xs.max()!, y1: ys.max()!)
            } else if group.hasPrefix(id + "\" class=\"edge\""), let r = group.range(of: "<path"), let d = group[r.upperBound...].range(of: " d=\"") {
                let n = numbers(group[d.upperBound...].prefix { $0 != "\"" })
                let ends = id.components(separatedBy: "__")
                edges.append((ends[0], ends[1], (n[0], n[1]), (n[n.count - 2], n[n.count - 1])))
            }
        }
        return (nodes, edges)
    }

    /// Whether the segment p–q passes through the inside of `b` (Liang–Barsky).
    func crosses(_ p: (Double, Double), _ q: (Double, Double), _ b: Box) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = q.0 - p.0, dy = q.1 - p.1
        for (pk, qk) in [(-dx, p.0 - b.x0), (dx, b.x1 - p.0), (-dy, p.1 - b.y0), (dy, b.y1 - p.1)] {
            if pk == 0 { if qk < 0 { return false }; continue }
            let t = qk / pk
            if pk < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 > t1 { return false }
        }
        return true
    }

    func testFlowEdgesPassBesideTheUnitsOfTheirColumns() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("mnist-784-128-64-10.yaml")).solve()
        let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.flow.diagram(solution), format: .svg), as: UTF8.self)
        let (nodes, edges) = shapes(svg)
        XCTAssertGreaterThan(nodes.count, 30)
        XCTAssertGreaterThan(edges.count, 300)
        var sideToSide = 0
        for e in edges {
            let tail = try XCTUnwrap(nodes[e.tail], e.tail), head = try XCTUnwrap(nodes[e.head], e.head)
            if head.x0 > tail.x1 {
                // From the middle half of the tail's right side toward the head's left side (the
                // line stops short of it, where the arrowhead starts).
                XCTAssertEqual(e.from.0, tail.x1, accuracy: 0.02, "\(e.tail)→\(e.head)")
                let middle = (tail.y0 + tail.y1) / 2, quarter = (tail.y1 - tail.y0) / 4
                XCTAssertTrue(abs(e.from.1 - middle) <= quarter + 0.02, "\(e.tail)→\(e.head) leaves at \(e.from)")
                XCTAssertLessThan(e.to.0, head.x0, "\(e.tail)→\(e.head)")
                sideToSide += 1
            }
            for (id, box) in nodes where id != e.tail && id != e.head && !id.hasPrefix("legend") && !id.hasPrefix("title") {
                let inner = Box(x0: box.x0 + 1, y0: box.y0 + 1, x1: box.x1 - 1, y1: box.y1 - 1)
                XCTAssertFalse(crosses(e.from, e.to, inner), "\(e.tail)→\(e.head) crosses \(id)")
            }
        }
        XCTAssertGreaterThan(sideToSide * 10, edges.count * 9, "nearly every edge goes from a layer to the next")
    }

    /// Thick flow edges into one unit end side by side along its side, an arrowhead's width
    /// apart or more, instead of piling up in its middle half (the red head of a negative
    /// gradient over the blue ones); every end stays on the side, clear of the corners.
    func testFlowEdgesIntoOneUnitEndApart() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.flow.diagram(solution), format: .svg), as: UTF8.self)
        let (nodes, edges) = shapes(svg)
        // Each edge's pen width, from its path: an arrowhead is 4.9 points wide, 1.22 times
        // the pen beyond a pen of 4.
        var pen: [String: Double] = [:], tipY: [String: Double] = [:]
        // A group's tooltip anchor is a group of its own: read them as one (as `shapes` does).
        var groups: [String] = []
        for chunk in svg.components(separatedBy: "<g id=\"").dropFirst() {
            if chunk.hasPrefix("a_"), !groups.isEmpty { groups[groups.count - 1] += chunk } else { groups.append(chunk) }
        }
        for chunk in groups {
            let id = String(chunk.prefix { $0 != "\"" })
            guard chunk.hasPrefix(id + "\" class=\"edge\""), let path = chunk.range(of: "<path"),
                  let w = chunk[path.upperBound...].range(of: "stroke-width=\"") else { continue }
            pen[id] = Double(chunk[w.upperBound...].prefix { $0 != "\"" })
            // The arrowhead's tip: its polygon's rightmost point (edges run left to right).
            if let polygon = chunk.range(of: "<polygon"), let points = chunk[polygon.upperBound...].range(of: "points=\"") {
                let xy = chunk[points.upperBound...].prefix { $0 != "\"" }.split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
                tipY[id] = xy.filter { $0.count == 2 }.max { $0[0] < $1[0] }?[1]
            }
        }
        XCTAssertTrue(pen.values.contains { $0 > 8 }, "thick edges among \(pen.count)")
        var heads = 0
        for (head, into) in Dictionary(grouping: edges, by: \.head) where into.count > 1 {
            let box = try XCTUnwrap(nodes[head], head)
            let ends = try into.map { e in
                let id = "\(e.tail)__\(e.head)"
                return (y: try XCTUnwrap(tipY[id], id), width: 4.9 * max(1, (pen[id] ?? 1) / 4))
            }.sorted { $0.y < $1.y }
            // Tips clear of the rounded corners (Graphviz rounds min(12, a third of the
            // shorter side)), where the outline is within half a point of the side.
            let corner = 0.7 * min(12, min(box.x1 - box.x0, box.y1 - box.y0) / 3)
            let low = box.y0 + corner, high = box.y1 - corner
            XCTAssertTrue(ends.allSatisfy { $0.y >= low - 0.05 && $0.y <= high + 0.05 }, "\(head): ends at \(ends) in the corners of \(box)")
            // Arrowheads their half-widths and a point apart, or, where they cannot all fit
            // on the side, spread over all of it.
            let fits = zip(ends, ends.dropFirst()).map { ($0.width + $1.width) / 2 + 1 }.reduce(0, +) <= high - low
            if fits {
                for (a, b) in zip(ends, ends.dropFirst()) {
                    XCTAssertGreaterThanOrEqual(b.y - a.y, (a.width + b.width) / 2 + 1 - 0.05, "\(head): ends at \(ends)")
                }
            } else {
                XCTAssertEqual(ends[0].y, low, accuracy: 0.05, "\(head): squeezed over the whole side")
                XCTAssertEqual(ends[ends.count - 1].y, high, accuracy: 0.05, "\(head): squeezed over the whole side")
            }
            heads += 1
        }
        XCTAssertGreaterThanOrEqual(heads, 5)
    }

    func testLabelledEdgesStillAimAtTheCentres() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.full.diagram(solution), format: .svg), as: UTF8.self)
        let (nodes, edges) = shapes(svg)
        // α₁ → H₂⁽¹⁾ runs steeply down: toward the centre it leaves α₁ through its bottom side,
        // not the middle of its right side.
        let e = try XCTUnwrap(edges.first { $0.tail == "L0_1" && $0.head == "L1_2" })
        let tail = try XCTUnwrap(nodes["L0_1"])
        XCTAssertEqual(e.from.1, tail.y1, accuracy: 0.02)
        XCTAssertLessThan(e.from.0, tail.x1 - 1)
    }
}
