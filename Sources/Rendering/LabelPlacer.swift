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
    ///
    /// Most trial gaps fail, so a trial stops at its first label without a clear spot; only
    /// when no gap succeeds are the trials made again in full, to find the best of them.
    func narrowestGap(from start: Double, widest: Double = 8) -> (Double, [(EdgeID, Double)]) {
        let scene = Scene(self)
        var low = start, width = start
        var found: (Double, [(EdgeID, Double)])?
        while width <= start * widest {
            let trial = scene.place(gap: width, stopAtMiss: true)
            if trial.complete { found = (width, trial.placed); break }
            low = width
            width *= 1.25
        }
        guard var best = found else {
            var most: (gap: Double, placed: [(EdgeID, Double)], clear: Int) = (start, [], -1)
            width = start
            while width <= start * widest {
                let (placed, clear, _) = scene.place(gap: width, stopAtMiss: false)
                if clear > most.clear { most = (width, placed, clear) }
                width *= 1.25
            }
            return (most.gap, most.placed)
        }
        var high = best.0
        for _ in 0..<5 where high - low > 4 {
            let middle = (low + high) / 2
            let trial = scene.place(gap: middle, stopAtMiss: true)
            if trial.complete { best = (middle, trial.placed); high = middle } else { low = middle }
        }
        return best
    }

    /// Distance from a segment to a rectangle (0 when they touch).
    static func distance(_ p: (Double, Double), _ q: (Double, Double), _ r: Rect) -> Double {
        if segmentHitsRect(p, q, r) { return 0 }
        @inline(__always) func pointRect(_ x0: Double, _ x1: Double) -> Double {
            let da = max(r.a0 - x0, 0, x0 - r.a1), dc = max(r.c0 - x1, 0, x1 - r.c1)
            return (da * da + dc * dc).squareRoot()
        }
        let va = q.0 - p.0, vc = q.1 - p.1
        let len2 = va * va + vc * vc
        @inline(__always) func pointSegment(_ x0: Double, _ x1: Double) -> Double {
            let t = len2 == 0 ? 0 : max(0, min(1, ((x0 - p.0) * va + (x1 - p.1) * vc) / len2))
            let da = p.0 + t * va - x0, dc = p.1 + t * vc - x1
            return (da * da + dc * dc).squareRoot()
        }
        let corners = min(min(pointSegment(r.a0, r.c0), pointSegment(r.a1, r.c0)), min(pointSegment(r.a0, r.c1), pointSegment(r.a1, r.c1)))
        return min(pointRect(p.0, p.1), pointRect(q.0, q.1), corners)
    }

    static func segmentHitsRect(_ p: (Double, Double), _ q: (Double, Double), _ r: Rect) -> Bool {
        // Liang–Barsky clipping.
        var t0 = 0.0, t1 = 1.0
        let da = q.0 - p.0, dc = q.1 - p.1
        @inline(__always) func clip(_ pk: Double, _ qk: Double) -> Bool {
            if pk == 0 { return qk >= 0 }
            let t = qk / pk
            if pk < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            return t0 <= t1
        }
        return clip(-da, p.0 - r.a0) && clip(da, r.a1 - p.0) && clip(-dc, p.1 - r.c0) && clip(dc, r.c1 - p.1)
    }

    /// Each label's centre along the layers, how many of them have a spot no other edge
    /// passes under, and whether all do.
    func place(gap width: Double) -> (placed: [(EdgeID, Double)], clear: Int, complete: Bool) {
        Scene(self).place(gap: width, stopAtMiss: false)
    }

    /// What a trial needs, looked up once for all the trials of one search: each edge's ends
    /// across the layers, and each label's edge.
    struct Scene {
        let placer: LabelPlacer
        /// Edges with both ends known; a later edge of the same id replaces an earlier one.
        let segments: [(tail: Double, head: Double)]
        let labels: [(id: EdgeID, segment: Int?, along: Double, across: Double)]
        let tailHalf: Double, headHalf: Double

        init(_ placer: LabelPlacer) {
            self.placer = placer
            var tailOf: [NodeID: Double] = [:], headOf: [NodeID: Double] = [:]
            for n in placer.tails { tailOf[n.id] = n.c }
            for n in placer.heads { headOf[n.id] = n.c }
            var index: [EdgeID: Int] = [:]
            var segments: [(tail: Double, head: Double)] = []
            for e in placer.edges {
                guard let t = tailOf[e.tail], let h = headOf[e.head] else { continue }
                if let i = index[e.id] { segments[i] = (t, h) } else { index[e.id] = segments.count; segments.append((t, h)) }
            }
            self.segments = segments
            labels = placer.labels.map { ($0.id, index[$0.id], $0.along, $0.across) }
            tailHalf = placer.tails.map(\.half).max() ?? 0
            headHalf = placer.heads.map(\.half).max() ?? 0
        }

        /// `LabelPlacer.place(gap:)`; with `stopAtMiss`, it gives up (incomplete, with what
        /// it placed so far) at the first label that has no clear spot.
        func place(gap width: Double, stopAtMiss: Bool) -> (placed: [(EdgeID, Double)], clear: Int, complete: Bool) {
            let gap = placer.gap
            let nodeRects = placer.tails.map { Rect(a0: -$0.half, a1: $0.half, c0: $0.c - $0.size / 2, c1: $0.c + $0.size / 2) }
                + placer.heads.map { Rect(a0: width - $0.half, a1: width + $0.half, c0: $0.c - $0.size / 2, c1: $0.c + $0.size / 2) }
            var placedRects: [Rect] = []
            var placed: [(EdgeID, Double)] = []
            var complete = true, clear = 0
            for label in labels {
                guard let own = label.segment else { continue }
                let p = (0.0, segments[own].tail), q = (width, segments[own].head)
                let ha = label.along / 2 + 1, hc = label.across / 2 + 1
                let low = tailHalf + gap + ha, high = width - headHalf - placer.arrowRoom - gap - ha
                guard high >= low else {
                    complete = false
                    if stopAtMiss { return (placed, clear, false) }
                    continue
                }
                var bestA: Double?, bestScore = -Double.infinity
                var a = low
                let step = max(3, (high - low) / 60)
                while a <= high + 0.001 {
                    let c = p.1 + (a - p.0) / (q.0 - p.0) * (q.1 - p.1)
                    let r = Rect(a0: a - ha, a1: a + ha, c0: c - hc, c1: c + hc)
                    // Room to the other edges matters up to a point; beyond it, prefer the
                    // spot nearer the head, where the label reads as the unit's input.
                    let bonus = 0.01 * (a - low)
                    if !nodeRects.contains(where: { $0.overlaps(r, by: 3) }) && !placedRects.contains(where: { $0.overlaps(r, by: gap) }) {
                        var ok = true
                        var clearance = Double.infinity
                        for (i, s) in segments.enumerated() where i != own && min(s.tail, s.head) <= r.c1 + 14 && max(s.tail, s.head) >= r.c0 - 14 {
                            let d = LabelPlacer.distance((0, s.tail), (width, s.head), r)
                            if d < 2 { ok = false; break }
                            clearance = min(clearance, d)
                            // The clearance only shrinks: once this spot cannot beat the best
                            // one, the remaining edges cannot change the choice.
                            if min(clearance, 14) + bonus <= bestScore { ok = false; break }
                        }
                        if ok {
                            let score = min(clearance, 14) + bonus
                            if score > bestScore { bestScore = score; bestA = a }
                        }
                    }
                    a += step
                }
                if bestA == nil {
                    complete = false
                    if stopAtMiss { return (placed, clear, false) }
                    // No clear spot: the free one (off the nodes and the other labels) with the
                    // fewest edges under it.
                    var fewest = Int.max
                    a = low
                    while a <= high + 0.001 {
                        let c = p.1 + (a - p.0) / (q.0 - p.0) * (q.1 - p.1)
                        let r = Rect(a0: a - ha, a1: a + ha, c0: c - hc, c1: c + hc)
                        if !nodeRects.contains(where: { $0.overlaps(r, by: 3) }) && !placedRects.contains(where: { $0.overlaps(r, by: gap) }) {
                            var under = 0
                            for (i, s) in segments.enumerated() where i != own && LabelPlacer.distance((0, s.tail), (width, s.head), r) < 2 { under += 1 }
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
}
