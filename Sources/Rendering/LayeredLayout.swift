import Foundation
import Graphviz

/// A layered drawing of a directed acyclic graph whose boxes are all measured: the op graph.
/// Its structure is known to be layered (values feed operations, which make values), so the
/// classic Sugiyama steps are each done in one cheap, deterministic pass instead of asking
/// Graphviz's `dot` for a general layout (whose network-simplex passes took seconds on an
/// 8-16-16-4 net):
///
/// 1. ranks: longest path from the sources, then every node pulled as close to its
///    consumers as it can go (a weight sits just before its product, not beside the inputs);
/// 2. an edge with a label spans two ranks and its label is an item of the rank before its
///    head, so the label sits on its own edge and every other edge passes it at a node's
///    distance; longer edges get a thin item in every rank they cross;
/// 3. order within ranks from the sink back: each item under the mean position of what it
///    feeds, ties in the consumer's input order (α₁ above α₂, H above w), which for a
///    network's in-tree of operations crosses edges only where a value feeds several units;
/// 4. positions across the ranks: block coordinate descent on the squared edge slopes, each
///    rank solved exactly under its order and separations (isotonic regression, pool
///    adjacent violators);
/// 5. routes: inside a rank's column an edge runs straight at its item's height, between
///    columns it is one S-shaped cubic, so no edge ever crosses a node or another edge's
///    label.
///
/// Coordinates are along the ranks (a) and across them (c), with the drawing's corner at 0;
/// `Point.x` holds a and `Point.y` holds c.
struct LayeredLayout {
    /// A box's extent along the ranks and across them.
    struct Extent: Equatable {
        var along: Double
        var across: Double
    }

    struct Node {
        var extent: Extent
        /// Drawn as an ellipse: edges meet its curved border.
        var ellipse = false
    }

    struct Edge {
        var tail: Int
        var head: Int
        /// The label's box, placed on the edge.
        var label: Extent?
    }

    struct Spacing {
        /// Between two boxes of a rank.
        var nodeGap = 16.0
        /// Between a rank's item and an edge passing through the rank.
        var passGap = 6.0
        /// Between two ranks' columns: at least, at most, and as a share of the largest
        /// distance an edge crosses there (steep edges get a wider gap).
        var minRankGap = 30.0
        var maxRankGap = 90.0
        var slope = 0.2
        /// The arrowhead's length: a route ends this far before its tip.
        var arrow = 7.0
        /// How far short of the head's border the tip stops: the stroked tip of a plain edge
        /// reaches that far past the triangle's (Arrowhead.tipReach).
        var tipReach = Arrowhead.tipReach(penwidth: 1)
        /// Largest distance between the ends of two edges meeting one side of a node.
        var port = 6.0
        /// Edges into an ellipse: the distance along its border between two arrowheads'
        /// tips (an arrowhead is ~5 points wide), and the largest angle of a tip from the
        /// side's middle, in radians (75°: edges from far below or above come in near the bottom or top).
        var fanArc = 8.0
        var fanAngle = 75.0 * Double.pi / 180
        var sweeps = 12
    }

    private(set) var centers: [Point] = []
    /// Per edge: the label's centre (for a labelled edge), the cubic Bézier control points
    /// (3k + 1 of them, from the tail's border) and the arrowhead's tip on the head's border.
    private(set) var labelCenters: [Point?] = []
    private(set) var routes: [[Point]] = []
    private(set) var tips: [Point?] = []
    /// The drawing's extent: along (the last column's end) and across.
    private(set) var size = Extent(along: 0, across: 0)

    // MARK: - Items: the nodes, the labels and the pass-through points of long edges

    private enum Kind { case node, label, pass }
    private struct Item {
        var kind: Kind
        var rank: Int
        var extent: Extent
        var preds: [Int] = []
        var succs: [Int] = []
    }

    init(nodes: [Node], edges: [Edge], spacing: Spacing = Spacing()) {
        let n = nodes.count
        guard n > 0 else { return }
        let ranks = Self.ranks(nodeCount: n, edges: edges)

        var items = nodes.indices.map { Item(kind: .node, rank: ranks[$0], extent: nodes[$0].extent) }
        var chains: [[Int]] = []
        for edge in edges {
            let span = ranks[edge.head] - ranks[edge.tail]
            guard span >= 1, edge.tail != edge.head else { chains.append([]); continue }
            var chain = [edge.tail]
            for r in ranks[edge.tail] + 1 ..< ranks[edge.head] {
                let isLabel = edge.label != nil && r == ranks[edge.head] - 1
                items.append(Item(kind: isLabel ? .label : .pass, rank: r,
                                  extent: isLabel ? edge.label! : Extent(along: 0, across: 2)))
                chain.append(items.count - 1)
            }
            chain.append(edge.head)
            for (u, v) in zip(chain, chain.dropFirst()) {
                items[u].succs.append(v)
                items[v].preds.append(u)
            }
            chains.append(chain)
        }

        let rankCount = (items.map(\.rank).max() ?? 0) + 1
        let layers = Self.order(items, rankCount: rankCount)
        let across = Self.positions(items, layers: layers, spacing: spacing)

        // Columns along the ranks, each as wide as its widest item; the gap after a column
        // grows with the steepest edge crossing it.
        var columnStart = Array(repeating: 0.0, count: rankCount)
        var columnWidth = Array(repeating: 0.0, count: rankCount)
        for item in items { columnWidth[item.rank] = max(columnWidth[item.rank], item.extent.along) }
        var steepest = Array(repeating: 0.0, count: rankCount)
        for (u, item) in items.enumerated() {
            for v in item.succs { steepest[item.rank] = max(steepest[item.rank], abs(across[v] - across[u])) }
        }
        for r in 1 ..< max(rankCount, 1) {
            let gap = min(spacing.maxRankGap, max(spacing.minRankGap, spacing.slope * steepest[r - 1]))
            columnStart[r] = columnStart[r - 1] + columnWidth[r - 1] + gap
        }
        func along(_ u: Int) -> Double { columnStart[items[u].rank] + columnWidth[items[u].rank] / 2 }

        centers = nodes.indices.map { Point(x: along($0), y: across[$0]) }
        size = Extent(along: columnStart[rankCount - 1] + columnWidth[rankCount - 1],
                      across: items.indices.map { across[$0] + items[$0].extent.across / 2 }.max() ?? 0)

        // Where each edge meets its nodes' sides: spread over the side in the order of the
        // other ends, so edges into one node do not share an arrowhead.
        func ports(_ u: Int, _ others: [Int]) -> [Int: Double] {
            guard items[u].kind == .node, others.count > 1 else { return [:] }
            let sorted = others.enumerated().sorted { (across[$0.element], $0.offset) < (across[$1.element], $1.offset) }
            let step = min(spacing.port, 0.6 * items[u].extent.across / Double(others.count - 1))
            var result: [Int: Double] = [:]
            for (k, other) in sorted.enumerated() { result[other.offset] = (Double(k) - Double(others.count - 1) / 2) * step }
            return result
        }
        // Half the box's extent along the ranks at `offset` from its centre across them.
        func halfAlong(_ u: Int, _ offset: Double) -> Double {
            let half = items[u].extent.along / 2
            guard u < n, nodes[u].ellipse else { return half }
            let t = min(1, abs(offset) / max(items[u].extent.across / 2, 1e-9))
            return half * (1 - t * t).squareRoot()
        }
        let outPorts = items.indices.map { ports($0, items[$0].succs) }
        let inPorts = items.indices.map { ports($0, items[$0].preds) }
        // Edges into an ellipse (an operation, most often a sum of several products) meet
        // its border where each would if it ran straight at the centre from where it leaves
        // the rank before, then moved apart, in the order of their tails, until tips are an
        // arrowhead's width apart along the border; each arrowhead along the border's normal.
        // Level arrowheads a few points apart on a small circle merged into one blot, and a
        // fan that ignored where each edge came from made edges hook round their arrowheads.
        func angles(_ u: Int) -> [Int: Double] {
            let others = items[u].preds
            guard u < n, nodes[u].ellipse, others.count > 1 else { return [:] }
            let sorted = others.enumerated().sorted { (across[$0.element], $0.offset) < (across[$1.element], $1.offset) }
            let radius = max(items[u].extent.across / 2, 1), limit = spacing.fanAngle
            let step = min(spacing.fanArc / radius, 2 * limit / Double(others.count - 1))
            var angle = sorted.map { other -> Double in
                let from = columnStart[items[other.element].rank] + columnWidth[items[other.element].rank]
                return min(max(atan2(across[other.element] - across[u], max(along(u) - from, 1e-9)), -limit), limit)
            }
            for k in angle.indices.dropFirst() { angle[k] = max(angle[k], angle[k - 1] + step) }
            angle[angle.count - 1] = min(angle[angle.count - 1], limit)
            for k in angle.indices.dropLast().reversed() { angle[k] = min(angle[k], angle[k + 1] - step) }
            var result: [Int: Double] = [:]
            for (k, other) in sorted.enumerated() { result[other.offset] = angle[k] }
            return result
        }
        let inAngles = items.indices.map(angles)

        for (e, chain) in chains.enumerated() {
            guard chain.count >= 2 else { labelCenters.append(nil); routes.append([]); tips.append(nil); continue }
            let tail = chain[0], head = chain[chain.count - 1]
            let out = outPorts[tail][items[tail].succs.firstIndex(of: chain[1])!] ?? 0
            let into = inPorts[head][items[head].preds.firstIndex(of: chain[chain.count - 2])!] ?? 0
            var points = [Point(x: along(tail) + halfAlong(tail, out), y: across[tail] + out)]
            func straight(to q: Point) {
                let p = points[points.count - 1]
                guard q.x - p.x > 0.01 else { return }
                points += [Point(x: p.x + (q.x - p.x) / 3, y: p.y + (q.y - p.y) / 3),
                           Point(x: p.x + 2 * (q.x - p.x) / 3, y: p.y + 2 * (q.y - p.y) / 3), q]
            }
            func curve(to q: Point) {
                let p = points[points.count - 1]
                let d = (q.x - p.x) / 2
                points += [Point(x: p.x + d, y: p.y), Point(x: q.x - d, y: q.y), q]
            }
            func columnEnd(_ u: Int) -> Double { columnStart[items[u].rank] + columnWidth[items[u].rank] }
            straight(to: Point(x: columnEnd(tail), y: across[tail] + out))
            for u in chain.dropFirst().dropLast() {
                curve(to: Point(x: columnStart[items[u].rank], y: across[u]))
                straight(to: Point(x: columnEnd(u), y: across[u]))
            }
            let start = columnStart[items[head].rank]
            let tip: Point
            if let angle = inAngles[head][items[head].preds.firstIndex(of: chain[chain.count - 2])!] {
                // On the ellipse's border at `angle`; the arrowhead lies along the border's
                // outward normal there (side by side, arrowheads along their own lines came
                // in parallel and overlapped), and so does the route's last, short arm, so
                // the line runs into the arrowhead straight.
                let a = items[head].extent.along / 2, b = items[head].extent.across / 2
                let border = Point(x: along(head) - a * cos(angle), y: across[head] + b * sin(angle))
                let length = hypot(cos(angle) / a, sin(angle) / b)
                let normal = (x: -cos(angle) / a / length, y: sin(angle) / b / length)
                tip = Point(x: border.x + spacing.tipReach * normal.x, y: border.y + spacing.tipReach * normal.y)
                let end = Point(x: tip.x + spacing.arrow * normal.x, y: tip.y + spacing.arrow * normal.y)
                if end.x - start > 0.01 { curve(to: Point(x: start, y: end.y)) }
                let p = points[points.count - 1]
                let d = max(0, end.x - p.x) / 2, arm = min(d, 2 * spacing.arrow)
                points += [Point(x: p.x + d, y: p.y), Point(x: end.x + arm * normal.x, y: end.y + arm * normal.y), end]
            } else {
                tip = Point(x: along(head) - halfAlong(head, into) - spacing.tipReach, y: across[head] + into)
                let end = Point(x: tip.x - spacing.arrow, y: tip.y)
                if end.x - start > 0.01 {
                    curve(to: Point(x: start, y: end.y))
                    straight(to: end)
                } else {
                    curve(to: end)
                }
            }
            routes.append(points)
            tips.append(tip)
            labelCenters.append(edges[e].label == nil ? nil : chain.dropFirst().dropLast().last.map { Point(x: along($0), y: across[$0]) })
        }
    }

    // MARK: - 1. Ranks

    /// Longest path from the sources (a labelled edge spans two ranks: its label takes the
    /// one between), then each node as late as its consumers allow, visited from the sinks.
    static func ranks(nodeCount n: Int, edges: [Edge]) -> [Int] {
        var outgoing = Array(repeating: [Int](), count: n), indegree = Array(repeating: 0, count: n)
        for (e, edge) in edges.enumerated() where edge.tail != edge.head {
            outgoing[edge.tail].append(e)
            indegree[edge.head] += 1
        }
        // Kahn's order, sources in index order: deterministic.
        var topological: [Int] = []
        topological.reserveCapacity(n)
        var remaining = indegree
        for v in 0 ..< n where remaining[v] == 0 { topological.append(v) }
        var next = 0
        while next < topological.count {
            let v = topological[next]
            next += 1
            for e in outgoing[v] {
                remaining[edges[e].head] -= 1
                if remaining[edges[e].head] == 0 { topological.append(edges[e].head) }
            }
        }
        // A cycle cannot come from an op graph; its nodes would go to rank 0 and their edges
        // be drawn without a route.
        var position = Array(repeating: Int.max, count: n)
        for (k, v) in topological.enumerated() { position[v] = k }
        func length(_ e: Int) -> Int { edges[e].label == nil ? 1 : 2 }
        func forward(_ e: Int) -> Bool { position[edges[e].tail] < position[edges[e].head] && position[edges[e].head] != Int.max }
        var rank = Array(repeating: 0, count: n)
        for v in topological {
            for e in outgoing[v] where forward(e) { rank[edges[e].head] = max(rank[edges[e].head], rank[v] + length(e)) }
        }
        for v in topological.reversed() {
            let later = outgoing[v].filter(forward).map { rank[edges[$0].head] - length($0) }
            if let r = later.min() { rank[v] = r }
        }
        return rank
    }

    // MARK: - 3. Order within ranks

    /// From the last rank back: each item at the mean position of the items it feeds, ties
    /// in the order the consumer lists its inputs, then in creation order.
    private static func order(_ items: [Item], rankCount: Int) -> [[Int]] {
        var layers = Array(repeating: [Int](), count: rankCount)
        for (u, item) in items.enumerated() { layers[item.rank].append(u) }
        var position = Array(repeating: 0.0, count: items.count)
        for r in stride(from: rankCount - 1, through: 0, by: -1) {
            let keyed = layers[r].map { u -> (Double, Int, Int) in
                let succs = items[u].succs
                guard let first = succs.first else { return (Double.infinity, 0, u) }
                let sorted = succs.map { position[$0] }.sorted()
                return (sorted[(sorted.count - 1) / 2], items[first].preds.firstIndex(of: u) ?? 0, u)
            }
            layers[r] = keyed.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.2)
            for (k, u) in layers[r].enumerated() { position[u] = Double(k) }
        }
        return layers
    }

    // MARK: - 4. Positions across the ranks

    /// Minimises the sum of squared differences across the ranks between the ends of every
    /// link, rank by rank in alternating sweeps; each rank's step is exact: items keep their
    /// order and separations (isotonic regression by pool-adjacent-violators).
    private static func positions(_ items: [Item], layers: [[Int]], spacing: Spacing) -> [Double] {
        var across = Array(repeating: 0.0, count: items.count)
        func separation(_ u: Int, _ v: Int) -> Double {
            let gap = items[u].kind == .pass || items[v].kind == .pass ? spacing.passGap : spacing.nodeGap
            return (items[u].extent.across + items[v].extent.across) / 2 + gap
        }
        // Start packed, each rank centred on 0.
        for layer in layers {
            var c = 0.0
            for (k, u) in layer.enumerated() {
                if k > 0 { c += separation(layer[k - 1], u) }
                across[u] = c
            }
            let shift = c / 2
            for u in layer { across[u] -= shift }
        }
        func place(_ layer: [Int]) {
            guard !layer.isEmpty else { return }
            // Offsets of the packed rank; the fit is of z = c - offset, non-decreasing.
            var offset = 0.0
            var blocks: [(weight: Double, sum: Double, count: Int)] = []
            for (k, u) in layer.enumerated() {
                if k > 0 { offset += separation(layer[k - 1], u) }
                let neighbours = items[u].preds + items[u].succs
                let weight = neighbours.isEmpty ? 1e-3 : Double(neighbours.count)
                let desired = neighbours.isEmpty ? across[u] : neighbours.reduce(0.0) { $0 + across[$1] } / Double(neighbours.count)
                blocks.append((weight, weight * (desired - offset), 1))
                while blocks.count > 1 {
                    let b = blocks[blocks.count - 1], a = blocks[blocks.count - 2]
                    guard a.sum / a.weight > b.sum / b.weight else { break }
                    blocks.removeLast(2)
                    blocks.append((a.weight + b.weight, a.sum + b.sum, a.count + b.count))
                }
            }
            var k = 0
            offset = 0
            for block in blocks {
                let z = block.sum / block.weight
                for _ in 0 ..< block.count {
                    if k > 0 { offset += separation(layer[k - 1], layer[k]) }
                    across[layer[k]] = z + offset
                    k += 1
                }
            }
        }
        for sweep in 0 ..< spacing.sweeps {
            if sweep % 2 == 0 { layers.reversed().forEach(place) } else { layers.forEach(place) }
        }
        // Straight runs: the optimum leaves a chain of single links (Z → its label → ReLU → H)
        // bent by a point or two at every item, which reads as a wobble. An item whose only
        // input feeds only it goes level with that input, then one whose only output is fed
        // only by it level with that output, wherever its neighbours in the rank leave room.
        func level(_ layer: [Int], with partner: (Int) -> Int?) {
            for (k, u) in layer.enumerated() {
                guard let p = partner(u) else { continue }
                let low = k > 0 ? across[layer[k - 1]] + separation(layer[k - 1], u) : -Double.infinity
                let high = k + 1 < layer.count ? across[layer[k + 1]] - separation(u, layer[k + 1]) : Double.infinity
                if across[p] >= low, across[p] <= high { across[u] = across[p] }
            }
        }
        for layer in layers {
            level(layer) { u in items[u].preds.count == 1 && items[items[u].preds[0]].succs.count == 1 ? items[u].preds[0] : nil }
        }
        for layer in layers.reversed() {
            level(layer) { u in items[u].succs.count == 1 && items[items[u].succs[0]].preds.count == 1 ? items[u].succs[0] : nil }
        }
        // The drawing's edge at 0.
        let low = items.indices.map { across[$0] - items[$0].extent.across / 2 }.min() ?? 0
        return across.map { $0 - low }
    }
}
