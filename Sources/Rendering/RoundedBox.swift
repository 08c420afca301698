import Graphviz

/// The outline Graphviz draws for a `rounded` box (every bpviz node box but the ops view's
/// operations), which edge ends and the TikZ picture follow. Each corner is a cubic from
/// `radius` before the corner on one side to `radius` after it on the other, its control
/// points halfway to the corner (round_corners in Graphviz's shapes.c); `radius` is 12
/// points, at most a third of the shorter side.
enum RoundedBox {
    static func radius(_ size: Size) -> Double { min(12, min(size.width, size.height) / 3) }

    /// A corner's four control points, from the vertical side to the horizontal one, for the
    /// corner at (cx, cy) of a box centred on the origin.
    static func corner(_ cx: Double, _ cy: Double, radius r: Double) -> [Point] {
        let ux = cx < 0 ? 1.0 : -1.0, uy = cy < 0 ? 1.0 : -1.0  // from the corner back along the sides
        return [Point(x: cx, y: cy + uy * r), Point(x: cx, y: cy + uy * r / 2), Point(x: cx + ux * r / 2, y: cy), Point(x: cx + ux * r, y: cy)]
    }

    /// A line's point `hit` on the box's bounding rectangle, moved along the line onto the
    /// outline: near a corner the outline curves inside the rectangle, and a tip put on the
    /// rectangle stopped short of it (5.3 points on a line aimed at the corner, 0.65 on the
    /// flow view's side-to-side edges).
    static func onOutline(_ hit: Point, direction: (dx: Double, dy: Double), center: Point, size: Size) -> Point {
        let q = Point(x: hit.x - center.x, y: hit.y - center.y)
        let w = size.width / 2, h = size.height / 2, r = radius(size)
        guard r > 0, abs(q.x) > w - r, abs(q.y) > h - r else { return hit }
        let p = corner(q.x < 0 ? -w : w, q.y < 0 ? -h : h, radius: r)
        func curve(_ t: Double) -> Point {
            let a = (1 - t) * (1 - t) * (1 - t), b = 3 * (1 - t) * (1 - t) * t, c = 3 * (1 - t) * t * t, d = t * t * t
            return Point(x: a * p[0].x + b * p[1].x + c * p[2].x + d * p[3].x, y: a * p[0].y + b * p[1].y + c * p[2].y + d * p[3].y)
        }
        // Where the line crosses the curve, nearest the rectangle's point (a steep line can
        // cross it twice, or pass it): the curve as 64 chords, each crossing refined on its
        // chord's parameter.
        func side(_ b: Point) -> Double { direction.dx * (b.y - q.y) - direction.dy * (b.x - q.x) }
        var best: Point?, bestDistance = Double.infinity
        var t0 = 0.0, b0 = curve(0), s0 = side(b0)
        for k in 1...64 {
            let t1 = Double(k) / 64, b1 = curve(t1), s1 = side(b1)
            if (s0 <= 0) != (s1 <= 0) {
                var low = t0, high = t1
                for _ in 0..<30 {
                    let mid = (low + high) / 2
                    if (side(curve(mid)) <= 0) == (s0 <= 0) { low = mid } else { high = mid }
                }
                let b = curve((low + high) / 2), d = (b.x - q.x) * (b.x - q.x) + (b.y - q.y) * (b.y - q.y)
                if d < bestDistance { best = b; bestDistance = d }
            }
            t0 = t1; b0 = b1; s0 = s1
        }
        // A steep line can pass the curve by (it would leave through the other side): the
        // end goes to the curve's point nearest the rectangle's, not into the cut corner.
        let b = best ?? nearest(to: q, on: curve)
        return Point(x: center.x + b.x, y: center.y + b.y)
    }

    /// The point of a curve nearest `q`: the nearest of 64 samples, refined by halving.
    private static func nearest(to q: Point, on curve: (Double) -> Point) -> Point {
        func distance(_ t: Double) -> Double { let b = curve(t); return (b.x - q.x) * (b.x - q.x) + (b.y - q.y) * (b.y - q.y) }
        var t = (0...64).map { Double($0) / 64 }.min { distance($0) < distance($1) }!
        var step = 1.0 / 64
        for _ in 0..<20 {
            step /= 2
            for candidate in [t - step, t + step] where candidate >= 0 && candidate <= 1 && distance(candidate) < distance(t) { t = candidate }
        }
        return curve(t)
    }

    /// The outline as points of a closed path of lines and cubics, clockwise in page
    /// coordinates from the top side's left end: `.line(to)` and `.curve(c1, c2, to)`.
    enum Piece { case line(Point), curve(Point, Point, Point) }
    static func outline(center: Point, size: Size) -> (start: Point, pieces: [Piece]) {
        let w = size.width / 2, h = size.height / 2, r = radius(size)
        func at(_ p: Point) -> Point { Point(x: center.x + p.x, y: center.y + p.y) }
        // Corners clockwise from the top right (y grows downward): each from the side before it.
        var pieces: [Piece] = []
        for (cx, cy) in [(w, -h), (w, h), (-w, h), (-w, -h)] {
            var p = corner(cx, cy, radius: r)
            // `corner` runs from the vertical side; the top-right and bottom-left corners are
            // reached from the horizontal one.
            if (cx > 0) == (cy < 0) { p.reverse() }
            pieces.append(.line(at(p[0])))
            pieces.append(.curve(at(p[1]), at(p[2]), at(p[3])))
        }
        return (at(Point(x: -w + r, y: -h)), pieces)
    }
}
