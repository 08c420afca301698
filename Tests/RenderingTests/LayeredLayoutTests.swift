import Graphviz
@testable import Rendering
import XCTest

/// The op graph's own layered layout, on small graphs whose right answer is known.
final class LayeredLayoutTests: XCTestCase {
    typealias L = LayeredLayout
    static let box = L.Node(extent: .init(along: 60, across: 30))
    static let op = L.Node(extent: .init(along: 24, across: 24), ellipse: true)
    static let label = L.Extent(along: 50, across: 14)

    /// x, w → × → p, b → + → z: one unit of a layer, as the op graph draws it.
    /// Nodes: 0 x, 1 w, 2 ×, 3 p, 4 b, 5 +, 6 z.
    func unit() -> L {
        L(nodes: [Self.box, Self.box, Self.op, Self.box, Self.box, Self.op, Self.box], edges: [
            L.Edge(tail: 0, head: 2, label: Self.label), L.Edge(tail: 1, head: 2, label: Self.label),
            L.Edge(tail: 2, head: 3),
            L.Edge(tail: 3, head: 5, label: Self.label), L.Edge(tail: 4, head: 5, label: Self.label),
            L.Edge(tail: 5, head: 6),
        ])
    }

    func testALabelledEdgeSpansTwoRanksAndSourcesSitBesideTheirConsumer() {
        let edges = [L.Edge(tail: 0, head: 2, label: Self.label), L.Edge(tail: 1, head: 2, label: Self.label),
                     L.Edge(tail: 2, head: 3), L.Edge(tail: 3, head: 5, label: Self.label),
                     L.Edge(tail: 4, head: 5, label: Self.label), L.Edge(tail: 5, head: 6)]
        // The bias feeds only the sum: it sits in the product's rank, not with the inputs.
        XCTAssertEqual(L.ranks(nodeCount: 7, edges: edges), [0, 0, 2, 3, 3, 5, 6])
    }

    func testAnOperationsInputsKeepTheirOrderAndNoBoxesOverlap() {
        let layout = unit()
        let c = layout.centers
        XCTAssertLessThan(c[0].y, c[1].y, "x above w")
        XCTAssertLessThan(c[3].y, c[4].y, "the product above the bias")
        // The same rank, the same column; boxes apart by at least the node gap.
        XCTAssertEqual(c[0].x, c[1].x)
        XCTAssertGreaterThanOrEqual(abs(c[0].y - c[1].y), 30 + 16 - 1e-9)
        XCTAssertGreaterThanOrEqual(abs(c[3].y - c[4].y), 30 + 16 - 1e-9)
        // An operation between its inputs; ranks left to right.
        XCTAssertTrue(c[2].y > c[0].y && c[2].y < c[1].y)
        XCTAssertTrue(c[0].x < c[2].x && c[2].x < c[3].x && c[3].x < c[5].x && c[5].x < c[6].x)
        XCTAssertEqual(c[4].x, c[3].x, "the bias in the product's column")
    }

    func testRoutesRunFromBorderToBorderThroughTheirLabels() throws {
        let layout = unit()
        let edges = [(0, 2), (1, 2), (2, 3), (3, 5), (4, 5), (5, 6)]
        for (e, (t, h)) in edges.enumerated() {
            let route = layout.routes[e]
            XCTAssertEqual(route.count % 3, 1, "edge \(e): a cubic Bézier's points")
            let tip = try XCTUnwrap(layout.tips[e]), end = route[route.count - 1]
            let extentT = t == 2 || t == 5 ? 24.0 : 60, extentH = h == 2 || h == 5 ? 24.0 : 60
            XCTAssertEqual(route[0].x, layout.centers[t].x + extentT / 2, accuracy: 1e-9, "edge \(e) leaves its tail's border")
            // The tip stops short of the border by the stroked tip's reach, along the arrowhead.
            let reach = L.Spacing().tipReach, touch = Point(x: tip.x + (tip.x - end.x) / 7 * reach, y: tip.y + (tip.y - end.y) / 7 * reach)
            XCTAssertGreaterThan(reach, 1.4)
            XCTAssertEqual(touch.x, layout.centers[h].x - extentH / 2 * (h == 2 || h == 5 ? (1 - pow((touch.y - layout.centers[h].y) / 12, 2)).squareRoot() : 1),
                           accuracy: 1e-9, "edge \(e)'s stroked tip touches its head's border")
            XCTAssertEqual(hypot(end.x - tip.x, end.y - tip.y), 7, accuracy: 1e-9, "room for the arrowhead")
            XCTAssertLessThan(end.x, tip.x, "the arrowhead points into its head")
            XCTAssertTrue(zip(route, route.dropFirst()).allSatisfy { $0.0.x <= $0.1.x + 1e-9 }, "edge \(e) never turns back")
            if let center = layout.labelCenters[e] {
                // The route crosses the label's column level with the label's centre.
                let inside = route.filter { abs($0.x - center.x) < Self.label.along / 2 }
                XCTAssertFalse(inside.isEmpty)
                XCTAssertTrue(inside.allSatisfy { abs($0.y - center.y) < 1e-9 }, "edge \(e) runs straight under its label")
            } else {
                XCTAssertTrue([2, 5].contains(e), "edge \(e) has a label")
            }
        }
    }

    /// Edges into a small circle from many tails (a sum of products) end at tips spread
    /// round its border, each arrowhead along the radius: level arrowheads a few points
    /// apart merged into one blot. Each tip is on the side its edge comes from.
    func testArrowheadsIntoASumFanOutRoundItsBorder() throws {
        let tails = 4
        var nodes = Array(repeating: Self.box, count: tails)
        nodes.append(L.Node(extent: .init(along: 30, across: 30), ellipse: true))
        let layout = L(nodes: nodes, edges: (0..<tails).map { L.Edge(tail: $0, head: tails, label: Self.label) })
        let center = layout.centers[tails]
        var tips: [Point] = []
        for e in 0..<tails {
            let tip = try XCTUnwrap(layout.tips[e]), end = try XCTUnwrap(layout.routes[e].last)
            // The stroked tip touches the circle: the triangle's stops its reach short.
            let reach = L.Spacing().tipReach
            XCTAssertEqual(hypot(tip.x - center.x, tip.y - center.y), 15 + reach, accuracy: 1e-9, "edge \(e) ends at the circle")
            // The arrowhead (end → tip) points at the centre.
            XCTAssertEqual(hypot(center.x - end.x, center.y - end.y), 15 + reach + 7, accuracy: 1e-9, "edge \(e)'s arrowhead lies along the radius")
            XCTAssertLessThan(end.x, center.x, "edge \(e) comes in from the front")
            // The route never turns back and bends at most once: no hook at the arrowhead.
            let r = layout.routes[e]
            XCTAssertTrue(zip(r, r.dropFirst()).allSatisfy { $0.0.x <= $0.1.x + 1e-9 }, "edge \(e) never turns back")
            tips.append(tip)
        }
        // In the tails' order, top to bottom, at least an arrowhead's width (~5) apart.
        let order = (0..<tails).sorted { layout.centers[$0].y < layout.centers[$1].y }
        for (a, b) in zip(order, order.dropFirst()) {
            XCTAssertLessThan(tips[a].y, tips[b].y)
            XCTAssertGreaterThan(hypot(tips[a].x - tips[b].x, tips[a].y - tips[b].y), 7.5)
        }
        // Tails above the circle come in on its upper half, tails below on its lower half.
        for e in 0..<tails {
            let tail = layout.centers[e].y - center.y, tip = tips[e].y - center.y
            if abs(tail) > 40 { XCTAssertEqual(tail.sign, tip.sign, "edge \(e) comes in on its own side") }
        }
        // Each route's last arm lies along its arrowhead, so the line runs into it straight.
        for e in 0..<tails {
            let r = layout.routes[e], tip = layout.tips[e]!
            let (c, end) = (r[r.count - 2], r[r.count - 1])
            let cross = (end.x - c.x) * (tip.y - end.y) - (end.y - c.y) * (tip.x - end.x)
            XCTAssertEqual(cross, 0, accuracy: 1e-6)
        }
    }

    func testAChainOfSingleLinksIsStraight() {
        // z → ReLU (labelled) → h: level, though z is pulled between two inputs.
        let layout = L(nodes: [Self.box, Self.box, Self.op, Self.box, Self.op, Self.box], edges: [
            L.Edge(tail: 0, head: 2, label: Self.label), L.Edge(tail: 1, head: 2, label: Self.label),
            L.Edge(tail: 2, head: 3), L.Edge(tail: 3, head: 4, label: Self.label), L.Edge(tail: 4, head: 5),
        ])
        let c = layout.centers
        XCTAssertEqual(c[4].y, c[3].y, accuracy: 1e-9)
        XCTAssertEqual(c[5].y, c[3].y, accuracy: 1e-9)
        XCTAssertEqual(layout.labelCenters[3]?.y ?? .nan, c[3].y, accuracy: 1e-9)
    }

    func testALongEdgePassesEveryRankItCrosses() {
        // 0 → 1 → 2 → 3 and 0 → 3: the long edge gets a pass-through point in ranks 1 and 2
        // and never runs through node 1 or 2.
        let layout = L(nodes: Array(repeating: Self.box, count: 4), edges: [
            L.Edge(tail: 0, head: 1), L.Edge(tail: 1, head: 2), L.Edge(tail: 2, head: 3), L.Edge(tail: 0, head: 3),
        ])
        let route = layout.routes[3]
        for k in [1, 2] {
            let c = layout.centers[k]
            let inside = route.filter { abs($0.x - c.x) <= 30 }
            XCTAssertFalse(inside.isEmpty)
            XCTAssertTrue(inside.allSatisfy { abs($0.y - c.y) >= 15 + 6 - 1e-9 }, "the long edge passes node \(k) at a distance")
        }
    }
}
