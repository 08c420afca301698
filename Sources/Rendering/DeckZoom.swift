import Annotation
import Graphviz

/// Zoom-to-active for a deck of a free-form graph (the op graph, `slides --steps ops`): the
/// whole graph is far too wide to read on a slide (the worked example's is 5230 × 800 points),
/// so each frame's picture is a window onto the one shared layout, centred on the frame's
/// active operation, its inputs and outputs. Every window has the same size, so stepping
/// from frame to frame keeps the scale (the page animates the move); frames with nothing
/// highlighted show the whole graph. Windows are in the SVG's user units (points, y down).
struct DeckZoom: Equatable {
    /// The whole drawing (nodes, edges and their labels), as the deck's pictures crop it.
    let whole: DeckHTML.Rect
    /// Each frame's window.
    let views: [DeckHTML.Rect]
    /// The most caption lines of any frame: the page keeps that much room under every
    /// picture, so the picture's area, and with it the scale, is the same on every frame.
    let captionLines: Int

    /// Width : height of a window: a 16 : 9 screen less the deck's header and a few caption
    /// lines (1280 × 720 leaves about 1264 × 530 pixels, 1920 × 1080 about 1904 × 890).
    static let aspect = 2.25
    /// A window this many font sizes high shows an operation with its inputs and outputs and
    /// draws the text at about a font size's height in pixels on a 1280 × 720 screen.
    static let readableHeight = 32.0
    /// Room around the active nodes, in points.
    static let margin = 24.0
    /// How much larger than the readable window the deck's window may grow to hold its
    /// steps.
    static let largestGrowth = 1.5

    /// Nil when the frames are not a graph's, or when the whole graph fits one readable window.
    init?(frames: [Diagram], geometry: DiagramGeometry, fontSize: Double) {
        guard let first = frames.first, first.geometry == .graph else { return nil }
        let p = geometry.picture
        whole = DeckHTML.Rect(x: p.x, y: p.y, width: p.width, height: p.height)
        var height = Self.readableHeight * fontSize
        guard whole.width > Self.aspect * height || whole.height > height else { return nil }
        let focus = frames.map { Self.focus(of: $0, geometry: geometry) }
        // The deck's window holds nine steps in ten, within limits; a larger step (a softmax
        // and every one of its inputs) gets a larger window of its own: zooming out is then
        // the point.
        let needs = focus.compactMap { $0.map { max($0.height, $0.width / Self.aspect) } }.sorted()
        if !needs.isEmpty {
            // At least nine in ten: the need at rank ⌈0.9 n⌉ (the 34th of 37, not the 33rd).
            let rank = (needs.count * 9 + 9) / 10
            height = min(max(height, needs[rank - 1]), Self.largestGrowth * height)
        }
        let window = Size(width: Self.aspect * height, height: height)
        let whole = whole
        let boxes = Self.boxes(geometry)
        views = focus.map { f in
            guard let f else { return whole }
            let h = max(window.height, f.height, f.width / Self.aspect)
            let centred = Self.centred(on: f, size: Size(width: Self.aspect * h, height: h), within: whole)
            return Self.snapped(centred, keeping: f, within: whole, boxes: boxes)
        }
        captionLines = frames.map(\.caption.count).max() ?? 0
    }

    /// The box around a frame's highlighted nodes, their edges and the edges' labels, with a
    /// margin; nil when nothing is highlighted.
    static func focus(of diagram: Diagram, geometry: DiagramGeometry) -> DeckHTML.Rect? {
        var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity
        func add(_ p: Point, _ s: Size = Size(width: 0, height: 0)) {
            x0 = min(x0, p.x - s.width / 2); x1 = max(x1, p.x + s.width / 2)
            y0 = min(y0, p.y - s.height / 2); y1 = max(y1, p.y + s.height / 2)
        }
        for node in diagram.nodes where node.emphasis.highlighted {
            if let box = geometry.nodes[node.id] { add(box.center, box.size) }
        }
        for edge in diagram.edges where edge.emphasis.highlighted {
            geometry.edgeRoutes[edge.id]?.points.forEach { add($0) }
            if let center = geometry.edgeLabels[edge.id], let size = geometry.edgeLabelSizes[edge.id] { add(center, size) }
        }
        guard x0 <= x1, y0 <= y1 else { return nil }
        return DeckHTML.Rect(x: x0 - margin, y: y0 - margin, width: x1 - x0 + 2 * margin, height: y1 - y0 + 2 * margin)
    }

    /// Every node's and edge label's box, which a window should show whole or not at all.
    static func boxes(_ geometry: DiagramGeometry) -> [DeckHTML.Rect] {
        func rect(_ c: Point, _ s: Size) -> DeckHTML.Rect { DeckHTML.Rect(x: c.x - s.width / 2, y: c.y - s.height / 2, width: s.width, height: s.height) }
        return geometry.nodes.values.map { rect($0.center, $0.size) }
            + geometry.edgeLabels.compactMap { id, c in geometry.edgeLabelSizes[id].map { rect(c, $0) } }
    }

    /// `window` moved, at its size and still holding `focus` and inside `whole`, to cut as
    /// few boxes as it can at its edges: a window centred on the focus showed slivers of the
    /// boxes around it (half a node at one side, "= ?" of a label at the other). Across, then
    /// down, then across again (moving down brings other boxes into the band); each way the
    /// positions tried are those that put a box's side `pad` inside or outside an edge of
    /// the window (so its outline is not clipped either), and the nearest of the best is
    /// kept. A result that cuts more boxes than `window` does, counted both ways, is dropped.
    static func snapped(_ window: DeckHTML.Rect, keeping focus: DeckHTML.Rect, within whole: DeckHTML.Rect, boxes: [DeckHTML.Rect]) -> DeckHTML.Rect {
        let pad = 2.0
        // One axis: the window's start there, given its length, the focus and the drawing on
        // that axis and the boxes' spans on it (those overlapping the window the other way).
        func best(_ start: Double, _ length: Double, focus: (Double, Double), whole: (Double, Double), spans: [(Double, Double)]) -> Double {
            let lo = max(whole.0, focus.1 - length), hi = min(whole.1 - length, focus.0)
            guard lo <= hi else { return start }
            // Only boxes an edge can reach from lo to hi can be cut: a large graph's other
            // boxes would make each frame's search quadratic in all of them.
            let spans = spans.filter { $0.1 > lo - pad && $0.0 < hi + length + pad }
            func cuts(_ s: Double) -> Int {
                spans.reduce(0) { n, span in
                    n + (span.0 < s + pad - 0.01 && span.1 > s - pad + 0.01 ? 1 : 0)
                      + (span.0 < s + length + pad - 0.01 && span.1 > s + length - pad + 0.01 ? 1 : 0)
                }
            }
            var chosen = start, fewest = cuts(start)
            let candidates = spans.flatMap { [$0.0 - pad, $0.1 + pad, $0.0 - pad - length, $0.1 + pad - length] }.map { min(max($0, lo), hi) }
            // Sorted, so that of two as near the centred start the earlier wins in every run
            // (the boxes come from dictionaries).
            for s in Set(candidates).sorted() {
                let n = cuts(s)
                if n < fewest || (n == fewest && abs(s - start) < abs(chosen - start) - 1e-9) { (chosen, fewest) = (s, n) }
            }
            return chosen
        }
        func across(_ w: DeckHTML.Rect) -> Double {
            best(w.x, w.width, focus: (focus.x, focus.x + focus.width), whole: (whole.x, whole.x + whole.width),
                 spans: boxes.filter { $0.y < w.y + w.height && $0.y + $0.height > w.y }.map { ($0.x, $0.x + $0.width) })
        }
        var w = window
        w.x = across(w)
        w.y = best(w.y, w.height, focus: (focus.y, focus.y + focus.height), whole: (whole.y, whole.y + whole.height),
                   spans: boxes.filter { $0.x < w.x + w.width && $0.x + $0.width > w.x }.map { ($0.y, $0.y + $0.height) })
        w.x = across(w)
        return cut(w, boxes) <= cut(window, boxes) ? w : window
    }

    /// How many boxes a window shows only in part.
    static func cut(_ w: DeckHTML.Rect, _ boxes: [DeckHTML.Rect]) -> Int {
        boxes.reduce(0) { n, b in
            let meets = b.x < w.x + w.width && b.x + b.width > w.x && b.y < w.y + w.height && b.y + b.height > w.y
            let inside = b.x >= w.x && b.x + b.width <= w.x + w.width && b.y >= w.y && b.y + b.height <= w.y + w.height
            return n + (meets && !inside ? 1 : 0)
        }
    }

    /// A window of `size` centred on `focus`, moved inside `whole` where it is smaller than
    /// `whole` (no empty page beyond the drawing), centred on `whole` where it is larger.
    static func centred(on focus: DeckHTML.Rect, size: Size, within whole: DeckHTML.Rect) -> DeckHTML.Rect {
        func place(_ centre: Double, _ length: Double, _ start: Double, _ extent: Double) -> Double {
            if length >= extent { return start + extent / 2 - length / 2 }
            return min(max(centre - length / 2, start), start + extent - length)
        }
        return DeckHTML.Rect(x: place(focus.x + focus.width / 2, size.width, whole.x, whole.width),
                             y: place(focus.y + focus.height / 2, size.height, whole.y, whole.height),
                             width: size.width, height: size.height)
    }
}
