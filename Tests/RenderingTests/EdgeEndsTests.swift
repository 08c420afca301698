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
        let groups = TestSupport.svgGroups(svg)  // each with its tooltip's anchor group
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
                // (On the side, or the curve of its rounded corner, a few tenths inside it.)
                XCTAssertTrue(e.from.0 <= tail.x1 + 0.02 && e.from.0 > tail.x1 - 0.7, "\(e.tail)→\(e.head) leaves at \(e.from)")
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

    /// Thick flow edges into one unit end side by side along its side, their arrowheads as
    /// drawn (triangle and stroke) apart, instead of piling up in its middle half (the red head
    /// of a negative gradient over the blue ones); every stroked tip touches the side, clear
    /// of the corners, and on question-1 every unit is tall enough for its heads (H₁⁽¹⁾'s
    /// three overlapped when it was as tall as its label).
    func testFlowEdgesIntoOneUnitEndApart() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.flow.diagram(solution), format: .svg), as: UTF8.self)
        let (nodes, edges) = shapes(svg)
        // Each arrowhead as drawn: its triangle (the polygon) stroked with the edge's pen, miter
        // joined. The stroke reaches half the pen over the sine of the tip's half-angle beyond
        // the triangle's tip, and is the triangle grown about its incentre by half the pen.
        var pen: [String: Double] = [:], tip: [String: (x: Double, y: Double, width: Double)] = [:]
        let groups = TestSupport.svgGroups(svg)  // each with its tooltip's anchor group
        for chunk in groups {
            let id = String(chunk.prefix { $0 != "\"" })
            guard chunk.hasPrefix(id + "\" class=\"edge\""), let path = chunk.range(of: "<path"),
                  let w = chunk[path.upperBound...].range(of: "stroke-width=\"") else { continue }
            let p = try XCTUnwrap(Double(chunk[w.upperBound...].prefix { $0 != "\"" }))
            pen[id] = p
            guard let polygon = chunk.range(of: "<polygon"), let points = chunk[polygon.upperBound...].range(of: "points=\"") else { continue }
            let xy = chunk[points.upperBound...].prefix { $0 != "\"" }.split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
            let corners = Array(xy.filter { $0.count == 2 }.prefix(3))
            XCTAssertEqual(corners.count, 3, id)
            // Edges run left to right: the tip is the rightmost corner.
            let t = corners.max { $0[0] < $1[0] }!, base = corners.filter { $0 != t }
            let baseMid = ((base[0][0] + base[1][0]) / 2, (base[0][1] + base[1][1]) / 2)
            let width = hypot(base[0][0] - base[1][0], base[0][1] - base[1][1])
            let length = hypot(t[0] - baseMid.0, t[1] - baseMid.1)
            let reach = (p / 2) / sin(atan(width / 2 / length))
            let side = hypot(width / 2, length), inradius = (width * length / 2) / ((width + 2 * side) / 2)
            tip[id] = (t[0] + (t[0] - baseMid.0) / length * reach, t[1] + (t[1] - baseMid.1) / length * reach, width * (1 + p / 2 / inradius))
        }
        XCTAssertTrue(pen.values.contains { $0 > 8 }, "thick edges among \(pen.count)")
        var heads = 0
        for (head, into) in Dictionary(grouping: edges, by: \.head) where into.count > 1 {
            let box = try XCTUnwrap(nodes[head], head)
            let ends = try into.map { e in try XCTUnwrap(tip["\(e.tail)__\(e.head)"], "\(e.tail)__\(e.head)") }.sorted { $0.y < $1.y }
            // The stroked tips touch the side (not inside the box, not short of it), or the
            // curve of its rounded corner, which is at most 0.65 points inside the side's line
            // where they may end (see testArrowheadsTouchTheOutlineOfTheirHeads).
            for end in ends { XCTAssertTrue(end.x > box.x0 - 0.1 && end.x < box.x0 + 0.7, "\(head): tip at \(end) on \(box)") }
            // Tips clear of the rounded corners (Graphviz rounds min(12, a third of the
            // shorter side)), where the outline is within half a point of the side.
            let corner = 0.7 * min(12, min(box.x1 - box.x0, box.y1 - box.y0) / 3)
            let low = box.y0 + corner, high = box.y1 - corner
            XCTAssertTrue(ends.allSatisfy { $0.y >= low - 0.05 && $0.y <= high + 0.05 }, "\(head): ends at \(ends) in the corners of \(box)")
            // Arrowheads their drawn half-widths and two points apart: the unit is tall enough.
            // (Apart on the side's line; a tip moved onto a corner's curve along its slanting
            // line moves across by a few tenths.)
            for (a, b) in zip(ends, ends.dropFirst()) {
                XCTAssertGreaterThanOrEqual(b.y - a.y, (a.width + b.width) / 2 + 2 - 0.3, "\(head): ends at \(ends)")
            }
            heads += 1
        }
        XCTAssertGreaterThanOrEqual(heads, 5)
        // Each column's units alike: H₁⁽¹⁾ and H₂⁽¹⁾ grew together.
        let h1 = try XCTUnwrap(nodes["L1_1"]), h2 = try XCTUnwrap(nodes["L1_2"])
        XCTAssertEqual(h1.y1 - h1.y0, h2.y1 - h2.y0, accuracy: 0.01)
    }

    /// Where many edges end on one unit (the MNIST flow view's 16 into each), the unit stays
    /// as tall as its label: growing it for them would make the picture several times taller.
    func testUnitsOfWideFanInStayTheirLabelsHeight() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("mnist-784-128-64-10.yaml")).solve()
        let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.flow.diagram(solution), format: .svg), as: UTF8.self)
        let (nodes, _) = shapes(svg)
        // Units, not the "… more units" boxes of the layers' folded rest (two lines high).
        let units = nodes.filter { ($0.key.hasPrefix("L1_") || $0.key.hasPrefix("L2_")) && !$0.key.hasSuffix("_more") }.map { $0.value.y1 - $0.value.y0 }
        XCTAssertFalse(units.isEmpty)
        XCTAssertLessThan(units.max()!, 45, "\(units)")
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

    /// Each straight edge's arrowhead as drawn — its triangle (the polygon) stroked with the
    /// edge's pen, miter joined, so the tip reaches half the pen over the sine of its
    /// half-angle beyond the triangle's — and how far that tip is from its head's outline
    /// (Graphviz's rounded box: lines and cubics; an operation's ellipse). `corner`: the tip is
    /// on a rounded corner.
    func tipsOffOutline(_ svg: String) throws -> [(edge: String, pen: Double, distance: Double, corner: Bool)] {
        var outline: [String: [(Double, Double)]] = [:], tips: [(edge: String, head: String, pen: Double, x: Double, y: Double)] = []
        let groups = TestSupport.svgGroups(svg)  // each with its tooltip's anchor group
        func numbers(_ s: Substring) -> [Double] { s.split(whereSeparator: { !"0123456789.-".contains($0) }).compactMap { Double($0) } }
        for chunk in groups {
            let id = String(chunk.prefix { $0 != "\"" })
            if chunk.hasPrefix(id + "\" class=\"node\""), let d = chunk.range(of: " d=\"M") {
                // The rounded box: cubic pieces, sampled finely.
                let n = numbers(chunk[d.upperBound...].prefix { $0 != "\"" })
                let p = stride(from: 0, to: n.count - 1, by: 2).map { (n[$0], n[$0 + 1]) }
                var samples: [(Double, Double)] = []
                var i = 0
                while i + 3 < p.count {
                    for k in 0...200 {
                        let t = Double(k) / 200, a = (1 - t) * (1 - t) * (1 - t), b = 3 * (1 - t) * (1 - t) * t, c = 3 * (1 - t) * t * t, e = t * t * t
                        samples.append((a * p[i].0 + b * p[i + 1].0 + c * p[i + 2].0 + e * p[i + 3].0, a * p[i].1 + b * p[i + 1].1 + c * p[i + 2].1 + e * p[i + 3].1))
                    }
                    i += 3
                }
                outline[id] = samples
            } else if chunk.hasPrefix(id + "\" class=\"node\""), let e = chunk.range(of: "<ellipse") {
                // An operation's ellipse.
                func attribute(_ name: String) -> Double? {
                    guard let r = chunk[e.upperBound...].range(of: " \(name)=\"") else { return nil }
                    return Double(chunk[r.upperBound...].prefix { $0 != "\"" })
                }
                guard let cx = attribute("cx"), let cy = attribute("cy"), let rx = attribute("rx"), let ry = attribute("ry") else { continue }
                outline[id] = (0...720).map { k in let a = Double(k) * Double.pi / 360; return (cx + rx * cos(a), cy + ry * sin(a)) }
            } else if chunk.hasPrefix(id + "\" class=\"edge\""), chunk.contains("<path"),
                      let polygon = chunk.range(of: "<polygon"), let points = chunk[polygon.upperBound...].range(of: "points=\"") {
                // The arrowhead's own pen, which its reach follows (Graphviz leaves out a pen
                // of 1; a deck frame's highlighted line is wider than its arrowhead's stroke).
                let tag = chunk[polygon.upperBound...].prefix { $0 != ">" }
                let pen = tag.range(of: "stroke-width=\"").flatMap { Double(tag[$0.upperBound...].prefix { $0 != "\"" }) } ?? 1
                let n = numbers(chunk[points.upperBound...].prefix { $0 != "\"" })
                guard n.count >= 6 else { continue }
                // Graphviz's polygon: the tip between the two base corners.
                let left = (n[0], n[1]), t = (n[2], n[3]), right = (n[4], n[5])
                let mid = ((left.0 + right.0) / 2, (left.1 + right.1) / 2)
                let width = hypot(left.0 - right.0, left.1 - right.1), length = hypot(t.0 - mid.0, t.1 - mid.1)
                let reach = (pen / 2) / sin(atan(width / 2 / length))
                tips.append((id, String(id.components(separatedBy: "__")[1]), pen, t.0 + (t.0 - mid.0) / length * reach, t.1 + (t.1 - mid.1) / length * reach))
            }
        }
        return try tips.map { tip in
            let samples = try XCTUnwrap(outline[tip.head], tip.head)
            // To the outline's chords between samples (a long side has few samples per point).
            let distance = zip(samples, samples.dropFirst()).map { a, b in
                let vx = b.0 - a.0, vy = b.1 - a.1, l2 = vx * vx + vy * vy
                let t = l2 == 0 ? 0 : max(0, min(1, ((tip.x - a.0) * vx + (tip.y - a.1) * vy) / l2))
                return hypot(a.0 + t * vx - tip.x, a.1 + t * vy - tip.y)
            }.min()!
            let xs = samples.map(\.0), ys = samples.map(\.1)
            let corner = min(tip.x - xs.min()!, xs.max()! - tip.x) > 0.5 && min(tip.y - ys.min()!, ys.max()! - tip.y) > 0.5
            return (tip.edge, tip.pen, distance, corner)
        }
    }

    /// Every straight edge's arrowhead, as drawn, touches its head's outline: not inside the
    /// box (a stroked tip reaches past the triangle's: 1.5 points on a plain edge, 7.3 on the
    /// flow view's thickest, when the triangle's tip was put on the border) and not short of a
    /// rounded corner (aimed at the bounding rectangle's corner).
    func testArrowheadsTouchTheOutlineOfTheirHeads() throws {
        let theme = try Theme.named("classroom")
        var checked = 0, corners = 0
        for sample in ["question-1.yaml", "deep-sigmoid.yaml", "softmax-classifier.yaml"] {
            let solution = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
            for view in [View.full, .forward, .backward, .flow, .layers] {
                let svg = String(decoding: try DiagramRenderer(theme: theme).render(try view.diagram(solution), format: .svg), as: UTF8.self)
                for tip in try tipsOffOutline(svg) {
                    XCTAssertLessThan(tip.distance, 0.15, "\(sample) \(view): the arrowhead of \(tip.edge) ends \(tip.distance) points off its head's outline")
                    if tip.corner { corners += 1 }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 120)
        XCTAssertGreaterThan(corners, 5, "some tips end on a rounded corner")
    }

    /// A deck's frames come from one drawing of every frame (DeckTemplate): its edges end
    /// where a frame's plain edge touches its head, as a lone render's do, and a highlighted
    /// edge's arrowhead keeps the plain pen, so it touches too (it reached 3 points in).
    func testDeckFramesPlainArrowheadsTouchTheOutline() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let dir = NSTemporaryDirectory() + "bpviz-deck-tips-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try DeckWriter(theme: try Theme.named("classroom")).write(SlideDeck(solution: solution), title: "q1", to: dir)
        let frames = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".svg") }.sorted()
        XCTAssertGreaterThan(frames.count, 10)
        var checked = 0, highlighted = 0
        for name in frames {
            let svg = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            for tip in try tipsOffOutline(svg) {
                XCTAssertLessThan(tip.distance, 0.15, "\(name): the arrowhead of \(tip.edge) ends \(tip.distance) points off its head's outline")
                checked += 1
            }
            highlighted += svg.components(separatedBy: "stroke-width=\"3\"").count - 1
        }
        XCTAssertGreaterThan(checked, 100)
        XCTAssertGreaterThan(highlighted, 10, "frames highlight edges")
    }

    /// Lines into one unit keep their order to the end: none crosses another within 40
    /// points of its arrowhead (tips put on a corner's curve along lines of different slopes
    /// had swapped two clamped to one point: 10 crossing pairs on deep-sigmoid's flow view,
    /// 2,497 on MNIST's).
    func testLinesIntoOneUnitDoNotCrossBeforeTheirHeads() throws {
        for sample in ["deep-sigmoid.yaml", "mnist-784-128-64-10.yaml", "question-1.yaml", "softmax-classifier.yaml"] {
            let solution = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
            let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.flow.diagram(solution), format: .svg), as: UTF8.self)
            let (_, edges) = shapes(svg)
            var crossings = 0
            for (_, into) in Dictionary(grouping: edges, by: \.head) {
                for i in into.indices {
                    for j in into.indices where j > i {
                        let a = into[i], b = into[j]
                        let r = (a.to.0 - a.from.0, a.to.1 - a.from.1), q = (b.to.0 - b.from.0, b.to.1 - b.from.1)
                        let den = r.0 * q.1 - r.1 * q.0
                        guard abs(den) > 1e-12 else { continue }
                        let t = ((b.from.0 - a.from.0) * q.1 - (b.from.1 - a.from.1) * q.0) / den
                        let u = ((b.from.0 - a.from.0) * r.1 - (b.from.1 - a.from.1) * r.0) / den
                        guard t > 0, t < 1, u > 0, u < 1 else { continue }
                        let x = (a.from.0 + t * r.0, a.from.1 + t * r.1)
                        if min(hypot(x.0 - a.to.0, x.1 - a.to.1), hypot(x.0 - b.to.0, x.1 - b.to.1)) < 40 { crossings += 1 }
                    }
                }
            }
            XCTAssertEqual(crossings, 0, sample)
        }
    }

    /// The ops view's routed edges end as the grid views' do: each stroked tip touches its
    /// head, an operation's ellipse or a value's box (they reached 1.3–1.7 points inside).
    func testOpsViewArrowheadsTouchTheirHeads() throws {
        for sample in ["question-1.yaml", "softmax-classifier.yaml"] {
            let solution = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
            let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.ops.diagram(solution), format: .svg), as: UTF8.self)
            let tips = try tipsOffOutline(svg)
            XCTAssertGreaterThan(tips.count, 40, sample)
            // Graphviz draws a node's box and ellipse whole points in size: a few tenths.
            for tip in tips { XCTAssertLessThan(tip.distance, 0.3, "\(sample) ops: the arrowhead of \(tip.edge) ends \(tip.distance) points off its head") }
        }
    }

    /// With two outputs the loss gets a column of its own: hung under the lower output, the
    /// edge from the upper one ran down through it and read as an edge between the outputs.
    /// No straight edge crosses a node other than its own two, in any grid view.
    func testNoEdgeRunsThroughANodeWithTwoOutputs() throws {
        let text = """
            name: two outputs
            input: [0.95, 0.71, -0.83]
            target: [0.5, 0.5]
            loss: half_sse
            layers:
              - { units: 3, activation: relu, weights: [[0.4, -0.3, 0.3], [-0.2, 0.6, -0.3], [0.1, 0.4, 0.5]], bias: 0.1 }
              - { units: 2, activation: identity, weights: [[0.39, -0.08], [-0.51, 0.07], [0.39, -0.86]], bias: [0.38, 0.44] }
            """
        let solution = try NetworkFile.parse(text: text, file: "two.yaml").solve()
        for view in [View.full, .flow, .forward, .backward] {
            let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try view.diagram(solution), format: .svg), as: UTF8.self)
            let (nodes, edges) = shapes(svg)
            XCTAssertGreaterThan(edges.count, 8, "\(view)")
            for e in edges {
                // Units and the loss (labels are svgcheck's: an edge runs under its own).
                for (id, box) in nodes where id != e.tail && id != e.head && !id.hasPrefix("legend") && !id.hasPrefix("title") && !id.hasPrefix("header") && !id.hasSuffix("__label") {
                    let inner = Box(x0: box.x0 + 1, y0: box.y0 + 1, x1: box.x1 - 1, y1: box.y1 - 1)
                    XCTAssertFalse(crosses(e.from, e.to, inner), "\(view): \(e.tail)→\(e.head) runs through \(id)")
                }
            }
        }
    }
}
