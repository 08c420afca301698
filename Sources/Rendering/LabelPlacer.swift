import Annotation

/// Where each edge label goes between two columns of nodes, so that its owner is never in
/// doubt: every label sits on its own edge (centred on the line, which it interrupts), and
/// no other edge passes under it; labels keep clear of each other and of the nodes.
///
/// Coordinates: `a` along the layers from the tail column's centre (the head column is at
/// `a = gap`), `c` across them. Edges are straight lines between node centres, as drawn.
/// For a given gap the labels are placed greedily, each at the spot along its edge with the
/// most room to the other edges; the gap widens until every label has a spot.
struct LabelPlacer {
    struct Node {
        var id: NodeID
        /// Centre across the layers, extent across, and half the extent along.
        var c: Double
        var size: Double
        var half: Double
    }

    let tails: [Node]
    let heads: [Node]
    let edges: [(id: EdgeID, tail: NodeID, head: NodeID)]
    let labels: [(id: EdgeID, along: Double, across: Double)]
    let gap: Double
    let arrowRoom: Double

    struct Rect {
        var a0, a1, c0, c1: Double
        func overlaps(_ o: Rect, by margin: Double) -> Bool {
            a0 - margin < o.a1 && o.a0 - margin < a1 && c0 - margin < o.c1 && o.c0 - margin < c1
        }
    }

    /// The narrowest gap from `start` at which every label has a spot (widening by a quarter
    /// until one is found, then halving the step back toward `start` five times); with it,
    /// each label's centre along the layers.
    ///
    /// Dense layers of large nets may have no such gap: a steep edge crosses so many others
    /// that no spot along it is clear at any width. Widening stops at `widest` times `start`;
    /// the gap where most labels found a clear spot is kept, and every other label goes
    /// where the fewest edges pass under it, so that no label is left out.
    func narrowestGap(from start: Double, widest: Double = 8) -> (Double, [(EdgeID, Double)]) {
        var low = start, width = start
        var found: (Double, [(EdgeID, Double)])?
        var most: (gap: Double, placed: [(EdgeID, Double)], clear: Int) = (start, [], -1)
        while width <= start * widest {
            let (placed, clear, complete) = place(gap: width)
            if complete { found = (width, placed); break }
            if clear > most.clear { most = (width, placed, clear) }
            low = width
            width *= 1.25
        }
        guard var best = found else { return (most.gap, most.placed) }
        var high = best.0
        for _ in 0..<5 where high - low > 4 {
            let middle = (low + high) / 2
            let (placed, _, complete) = place(gap: middle)
            if complete { best = (middle, placed); high = middle } else { low = middle }
        }
        return best
    }

    /// Distance from a segment to a rectangle (0 when they touch).
    static func distance(_ p: (Double, Double), _ q: (Double, Double), _ r: Rect) -> Double {
        if segmentHitsRect(p, q, r) { return 0 }
        func pointRect(_ x: (Double, Double)) -> Double {
            let da = max(r.a0 - x.0, 0, x.0 - r.a1), dc = max(r.c0 - x.1, 0, x.1 - r.c1)
            return (da * da + dc * dc).squareRoot()
        }
        func pointSegment(_ x: (Double, Double)) -> Double {
            let va = q.0 - p.0, vc = q.1 - p.1
            let len2 = va * va + vc * vc
            let t = len2 == 0 ? 0 : max(0, min(1, ((x.0 - p.0) * va + (x.1 - p.1) * vc) / len2))
            let da = p.0 + t * va - x.0, dc = p.1 + t * vc - x.1
            return (da * da + dc * dc).squareRoot()
        }
        let corners = [(r.a0, r.c0), (r.a1, r.c0), (r.a0, r.c1), (r.a1, r.c1)]
        return min(pointRect(p), pointRect(q), corners.map(pointSegment).min()!)
    }

    static func segmentHitsRect(_ p: (Double, Double), _ q: (Double, Double), _ r: Rect) -> Bool {
        // Liang–Barsky clipping.
        var t0 = 0.0, t1 = 1.0
        let da = q.0 - p.0, dc = q.1 - p.1
        for (pk, qk) in [(-da, p.0 - r.a0), (da, r.a1 - p.0), (-dc, p.1 - r.c0), (dc, r.c1 - p.1)] {
            if pk == 0 { if qk < 0 { return false } else { continue } }
            let t = qk / pk
            if pk < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 > t1 { return false }
        }
        return true
    }

    /// Each label's centre along the layers, how many of them have a spot no other edge
    /// passes under, and whether all do.
    func place(gap width: Double) -> (placed: [(EdgeID, Double)], clear: Int, complete: Bool) {
        var tailOf: [NodeID: Node] = [:], headOf: [NodeID: Node] = [:]
        for n in tails { tailOf[n.id] = n }
        for n in heads { headOf[n.id] = n }
        var segments: [EdgeID: ((Double, Double), (Double, Double))] = [:]
        for e in edges {
            guard let t = tailOf[e.tail], let h = headOf[e.head] else { continue }
            segments[e.id] = ((0, t.c), (width, h.c))
        }
        let segmentList = segments.map { ($0.key, $0.value) }
        let nodeRects = tails.map { Rect(a0: -$0.half, a1: $0.half, c0: $0.c - $0.size / 2, c1: $0.c + $0.size / 2) }
            + heads.map { Rect(a0: width - $0.half, a1: width + $0.half, c0: $0.c - $0.size / 2, c1: $0.c + $0.size / 2) }
        let tailHalf = tails.map(\.half).max() ?? 0
        let headHalf = heads.map(\.half).max() ?? 0
        var placedRects: [Rect] = []
        var placed: [(EdgeID, Double)] = []
        var complete = true, clear = 0
        for label in labels {
            guard let (p, q) = segments[label.id] else { continue }
            let ha = label.along / 2 + 1, hc = label.across / 2 + 1
            let low = tailHalf + gap + ha, high = width - headHalf - arrowRoom - gap - ha
            guard high >= low else { complete = false; continue }
            var bestA: Double?, bestScore = -Double.infinity
            var a = low
            let step = max(3, (high - low) / 60)
            while a <= high + 0.001 {
                let c = p.1 + (a - p.0) / (q.0 - p.0) * (q.1 - p.1)
                let r = Rect(a0: a - ha, a1: a + ha, c0: c - hc, c1: c + hc)
                var ok = !nodeRects.contains { $0.overlaps(r, by: 3) } && !placedRects.contains { $0.overlaps(r, by: gap) }
                var clearance = Double.infinity
                if ok {
                    for (id, s) in segmentList where id != label.id && min(s.0.1, s.1.1) <= r.c1 + 14 && max(s.0.1, s.1.1) >= r.c0 - 14 {
                        let d = Self.distance(s.0, s.1, r)
                        if d < 2 { ok = false; break }
                        clearance = min(clearance, d)
                    }
                }
                if ok {
                    // Room to the other edges matters up to a point; beyond it, prefer the
                    // spot nearer the head, where the label reads as the unit's input.
                    let score = min(clearance, 14) + 0.01 * (a - low)
                    if score > bestScore { bestScore = score; bestA = a }
                }
                a += step
            }
            if bestA == nil {
                // No clear spot: the free one (off the nodes and the other labels) with the
                // fewest edges under it.
                complete = false
                var fewest = Int.max
                a = low
                while a <= high + 0.001 {
                    let c = p.1 + (a - p.0) / (q.0 - p.0) * (q.1 - p.1)
                    let r = Rect(a0: a - ha, a1: a + ha, c0: c - hc, c1: c + hc)
                    if !nodeRects.contains(where: { $0.overlaps(r, by: 3) }) && !placedRects.contains(where: { $0.overlaps(r, by: gap) }) {
                        let under = segmentList.filter { $0.0 != label.id && Self.distance($0.1.0, $0.1.1, r) < 2 }.count
                        if under < fewest { fewest = under; bestA = a }
                    }
                    a += step
                }
            } else {
                clear += 1
            }
            if let a = bestA {
                let c = p.1 + (a - p.0) / (q.0 - p.0) * (q.1 - p.1)
                placedRects.append(Rect(a0: a - ha, a1: a + ha, c0: c - hc, c1: c + hc))
                placed.append((label.id, a))
            }
        }
        return (placed, clear, complete)
    }
}
