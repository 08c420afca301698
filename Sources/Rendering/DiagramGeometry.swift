import Annotation
import Graphviz

/// Where every node, edge label, header and caption of a diagram goes, computed once from
/// measured label sizes. An MLP's layout is known in advance — layers are columns, units are
/// rows — so no crossing minimisation is needed; the work here is spacing columns so that
/// edge labels never overlap each other or the nodes.
///
/// Coordinates are computed along the layers (a) and across them (c), then mapped to x/y for
/// left-to-right or top-to-bottom diagrams; y grows downwards until `graphvizPoint` flips it.
struct DiagramGeometry: Equatable {
    struct Box: Equatable {
        var center: Point
        var size: Size
    }

    struct Route: Equatable {
        var points: [Point]
        var tip: Point?
    }

    var nodes: [NodeID: Box] = [:]
    var edgeLabels: [EdgeID: Point] = [:]
    /// Edges routed by a layout engine (graph geometry): the spline's points and the
    /// arrowhead's tip, in page coordinates. Other edges are straight, centre to centre.
    var edgeRoutes: [EdgeID: Route] = [:]
    /// The measured size of each edge label: the room a TikZ label may take.
    var edgeLabelSizes: [EdgeID: Size] = [:]
    var headers: [Box] = []
    var title: Box?
    var caption: Box?
    var legend: Box?
    var width = 0.0
    var height = 0.0

    static let padding = 8.0       // inside a node, around its label
    static let labelGap = 6.0      // between two edge labels
    static let arrowRoom = 14.0
    static let visibleShaft = 28.0 // of a lone labelled edge, each side of its label
    /// Above this many labelled edges between two columns, labels go in bands (see below):
    /// the placer's search grows with labels × edges × tries, and on layers this dense it
    /// finds no clear spot anyway (a labelled 32-64-64-10 took 85 s).
    static let densestPlacedGap = 64
    static let margin = 18.0

    /// Sizes of everything that has a label, measured by Graphviz's own text layout.
    struct Measured {
        var nodes: [NodeID: Size]
        var edges: [EdgeID: Size]
        var headers: [Size]
        var title: Size?
        var caption: Size?
        var legend: Size?
        /// Per node, how much of its side the arrowheads of side-to-side edges need from the
        /// first tip to the last (GraphBuilder.headSpans).
        var headSpans: [NodeID: Double] = [:]
    }

    /// A column's units grow to hold their arrowheads apart by up to this factor; beyond it
    /// (a unit of a wide layer with dozens of edges in) they stay as tall as their labels and
    /// the arrowheads are squeezed onto the side. A column's lone unit (the output of a
    /// regression) may grow as long as the picture does not get taller for it.
    static let headRoomGrowth = 2.0

    /// The widest a labelled picture should be for its height: a slide is 16 : 9, and the
    /// title and caption add height to the body.
    static let widestAspect = 2.2

    /// The layout of a grid diagram. Edge labels need room between crossing edges, which a
    /// wider gap or a taller pitch gives; the pitch is raised step by step until the picture
    /// is no wider than `widestAspect` (or stops getting narrower), so it reads at slide and
    /// page size instead of as a long strip.
    init(diagram: Diagram, measured: Measured, theme: Theme) {
        self.init(diagram: diagram, measured: measured, theme: theme, pitchScale: 1)
        // Large nets stay long strips whatever the pitch: only small ones are worth the search.
        let labelled = diagram.edges.filter { !$0.lines.isEmpty && measured.edges[$0.id] != nil }.count
        guard labelled > 0 else { return }
        var best = self
        // Larger nets try fewer pitches: the search costs a layout each, and above 150 labels
        // none (their banded layers are long whatever the pitch). Mid-sized ones (the
        // deep-sigmoid sample's 92 labels) also try tall pitches: the width hardly changes,
        // but the picture comes much nearer a slide's shape (4.2 : 1 → 2.6 : 1).
        let scales = labelled <= 40 ? [1.2, 1.4, 1.6, 1.8, 2.0, 2.3, 2.6] : labelled <= 150 ? [2.0, 2.6, 3.4, 4.4] : []
        for scale in scales where best.width > Self.widestAspect * best.height {
            let candidate = DiagramGeometry(diagram: diagram, measured: measured, theme: theme, pitchScale: scale)
            // Taller only where it pays: the candidate must be narrower in proportion.
            guard candidate.width / candidate.height < best.width / best.height - 0.05 else { if labelled <= 40 { break } else { continue } }
            best = candidate
        }
        self = best
    }

    init(diagram: Diagram, measured: Measured, theme: Theme, pitchScale: Double) {
        let lr = theme.direction == .leftToRight
        // Extents along (a) and across (c) the layer axis.
        func along(_ s: Size) -> Double { lr ? s.width : s.height }
        func across(_ s: Size) -> Double { lr ? s.height : s.width }

        var columnCount = (diagram.nodes.map(\.column).max() ?? 0) + 1
        var columns = Array(repeating: [DiagramNode](), count: columnCount)
        for node in diagram.nodes { columns[node.column].append(node) }
        for c in columns.indices { columns[c].sort { $0.row < $1.row } }

        // A lone loss node goes under a lone output unit instead of into a column of its own:
        // the picture gets narrower, closer to a slide's shape, and the loss stays beside
        // the output it is computed from. Under two outputs, the edge from the upper one ran
        // down through the lower one, and read as an edge between them.
        var stackedLoss: DiagramNode?
        if lr, columnCount >= 3, columns[columnCount - 1].count == 1, columns[columnCount - 1][0].kind == .loss,
           columns[columnCount - 2].count == 1 {
            stackedLoss = columns.removeLast()[0]
            columnCount -= 1
        }

        // Node boxes: label plus padding; one width per column, for tidy columns.
        var boxSize: [NodeID: Size] = [:]
        var columnAlong = Array(repeating: 0.0, count: columnCount)
        for (c, column) in columns.enumerated() {
            for node in column {
                let m = measured.nodes[node.id] ?? Size(width: 20, height: 20)
                boxSize[node.id] = Size(width: m.width + 2 * Self.padding, height: m.height + 2 * Self.padding)
            }
            columnAlong[c] = column.map { along(boxSize[$0.id]!) }.max() ?? 0
            for node in column {
                var s = boxSize[node.id]!
                if lr { s.width = columnAlong[c] } else { s.height = columnAlong[c] }
                boxSize[node.id] = s
            }
        }
        // Units that take several arrowheads side by side (the flow view) are tall enough to
        // hold them apart and clear of the rounded corners, each column's alike: three heads
        // into a 30-point unit overlapped, the thin one under the thick.
        let columnExtents = columns.map { column in
            let tallest = column.map { across(boxSize[$0.id]!) }.max() ?? 0
            return Double(column.count) * tallest + Double(max(column.count - 1, 0)) * theme.rowGap
        }
        for (c, column) in columns.enumerated() {
            let tallest = column.map { across(boxSize[$0.id]!) }.max() ?? 0
            let limit = column.count == 1 ? max(Self.headRoomGrowth * tallest, columnExtents.max() ?? 0) : Self.headRoomGrowth * tallest
            guard let span = column.compactMap({ measured.headSpans[$0.id] }).max() else { continue }
            let corners = 2 * GraphBuilder.cornerClearance(Size(width: columnAlong[c], height: columnAlong[c]))
            // Whole points: Graphviz draws a node's box that size (POINTS rounds its height).
            let need = (span + corners).rounded(.up)
            // Each unit grows to `need` (a column's boxes can differ: a dead ReLU's is a line
            // taller, and its neighbours still need the room). The limit in whole points, as
            // `need` is: 96 against 95.9994 kept five heads squeezed onto 18 points.
            guard need <= limit.rounded(.up) else { continue }
            for node in column {
                var s = boxSize[node.id]!
                if lr { s.height = max(s.height, need) } else { s.width = max(s.width, need) }
                boxSize[node.id] = s
            }
        }
        if let loss = stackedLoss {
            let m = measured.nodes[loss.id] ?? Size(width: 20, height: 20)
            boxSize[loss.id] = Size(width: m.width + 2 * Self.padding, height: m.height + 2 * Self.padding)
        }

        // Edge labels between each pair of columns.
        var labelSize: [EdgeID: Size] = [:]
        for edge in diagram.edges { if let s = measured.edges[edge.id], !edge.lines.isEmpty { labelSize[edge.id] = s } }
        let columnOf = Dictionary(uniqueKeysWithValues: diagram.nodes.map { ($0.id, $0.column) })
        var maxLabelAcross = Array(repeating: 0.0, count: columnCount)
        for edge in diagram.edges {
            guard let s = labelSize[edge.id], let c = columnOf[edge.tail], c < columnCount else { continue }
            maxLabelAcross[c] = max(maxLabelAcross[c], across(s))
        }

        // Rows: a column's units are a pitch apart; the pitch leaves room for a label between
        // neighbouring edges.
        var pitch = Array(repeating: 0.0, count: columnCount)
        for c in 0..<columnCount {
            let tallest = columns[c].map { across(boxSize[$0.id]!) }.max() ?? 0
            let labelsHere = max(c > 0 ? maxLabelAcross[c - 1] : 0, maxLabelAcross[c])
            pitch[c] = max(tallest + theme.rowGap, labelsHere > 0 ? 2 * (labelsHere + Self.labelGap) + 4 : 0) * pitchScale
        }
        var extent = Array(repeating: 0.0, count: columnCount)
        for c in 0..<columnCount {
            let tallest: Double = columns[c].map { across(boxSize[$0.id]!) }.max() ?? 0
            extent[c] = Double(max(columns[c].count - 1, 0)) * pitch[c] + tallest
        }
        // The stacked loss: below the output column, a row gap under it. It hangs below the
        // column instead of counting in its extent, so the output units stay centred with
        // the other columns: a column raised by half the loss slanted the edges into it (in
        // the layers view, one thick edge cut square by its label's background).
        var lossOffset = 0.0
        if let loss = stackedLoss {
            lossOffset = extent[columnCount - 1] + theme.rowGap + across(boxSize[loss.id]!) / 2
        }
        let tallestExtent = extent.max() ?? 0

        // Headers run beside the network (above it left to right, left of it top to bottom);
        // the title goes above and the caption and legend below, in page coordinates.
        let headerAcross = measured.headers.map(across).max() ?? 0
        var top = Self.margin
        let headerTop = top
        top += headerAcross > 0 ? headerAcross + 14 : 0

        // Across the layers: each column centred on the tallest one.
        var acrossOf: [NodeID: Double] = [:]
        for c in 0..<columnCount {
            let start = top + (tallestExtent - extent[c]) / 2
            let first = (columns[c].map { across(boxSize[$0.id]!) }.max() ?? 0) / 2
            for (i, node) in columns[c].enumerated() { acrossOf[node.id] = start + first + Double(i) * pitch[c] }
            if c == columnCount - 1, let loss = stackedLoss { acrossOf[loss.id] = start + lossOffset }
        }

        // Along the layers: each gap between columns is as narrow as lets every edge label
        // sit on its own edge, clear of every other edge, label and node (LabelPlacer).
        var position = Array(repeating: 0.0, count: columnCount)
        var labelAlong: [EdgeID: Double] = [:]
        for c in 0..<max(columnCount - 1, 0) {
            let tailHalf = columnAlong[c] / 2, headHalf = columnAlong[c + 1] / 2
            var gap = tailHalf + headHalf + theme.columnGap
            // Headers must not run into each other.
            if c + 1 < measured.headers.count {
                gap = max(gap, (along(measured.headers[c]) + along(measured.headers[c + 1])) / 2 + 24)
            }
            // In the flow view the edges are the content: give them room to fan out.
            if diagram.edges.contains(where: { $0.flow != nil && columnOf[$0.tail] == c }) {
                gap = max(gap, tailHalf + headHalf + 3 * theme.columnGap)
            }
            let edges = diagram.edges.filter { columnOf[$0.tail] == c && columnOf[$0.head] == c + 1 }
            let labelled = edges.filter { labelSize[$0.id] != nil }
            if labelled.count > Self.densestPlacedGap {
                // Too many labels for any spot clear of every other edge (a dense layer's
                // edges cross everywhere), and the search would cost minutes: bands instead.
                // Labels of edges into head k sit at the k-th band along the gap, so every
                // label is drawn, none overlaps another, in time linear in the edges.
                let rowOf = Dictionary(uniqueKeysWithValues: columns[c + 1].enumerated().map { ($0.element.id, $0.offset) })
                let widest = labelled.map { along(labelSize[$0.id]!) }.max() ?? 0
                let tallest = labelled.map { across(labelSize[$0.id]!) }.max() ?? 0
                let slot = widest + 2 * Self.labelGap, left = tailHalf + 2 * Self.labelGap
                let heads = Double(columns[c + 1].count)
                // Labels in one band are (1 − t)·pitch apart across, t the band's fraction of
                // the gap; the pitch holds two labels, so t ≤ ½ keeps them apart.
                let tMax = max(0.5, 1 - (tallest + Self.labelGap) / max(pitch[c], 1))
                gap = max(gap, left + heads * slot + headHalf + Self.arrowRoom + Self.labelGap, (left + (heads - 0.5) * slot) / tMax)
                for edge in labelled {
                    guard let k = rowOf[edge.head] else { continue }
                    labelAlong[edge.id] = position[c] + left + (Double(k) + 0.5) * slot
                }
            } else if !labelled.isEmpty {
                // The stacked loss is wider than its column: an obstacle for the last gap's labels.
                let obstacles = c + 1 == columnCount - 1 ? [stackedLoss].compactMap { $0 } : []
                let placer = LabelPlacer(tails: columns[c].map { LabelPlacer.Node(id: $0.id, c: acrossOf[$0.id]!, size: across(boxSize[$0.id]!), half: tailHalf) },
                                         heads: (columns[c + 1] + obstacles).map { LabelPlacer.Node(id: $0.id, c: acrossOf[$0.id]!, size: across(boxSize[$0.id]!),
                                                                                                  half: along(boxSize[$0.id]!) / 2) },
                                         edges: edges.map { ($0.id, $0.tail, $0.head) },
                                         labels: labelled.map { ($0.id, along(labelSize[$0.id]!), across(labelSize[$0.id]!)) },
                                         gap: Self.labelGap, arrowRoom: Self.arrowRoom)
                let (width, placed) = placer.narrowestGap(from: gap)
                gap = width
                for (id, a) in placed { labelAlong[id] = position[c] + a }
                // A lone edge labelled with its layer's gradient (the layers view) shows its
                // line on both sides of the label, the label midway: as narrow as the label
                // allowed, the label filled the edge and read as a box between boxes.
                if edges.count == 1, let edge = labelled.first, labelled.count == 1, edge.flow != nil, let size = labelSize[edge.id] {
                    gap = max(gap, tailHalf + headHalf + along(size) + 2 * Self.visibleShaft + Self.arrowRoom)
                    labelAlong[edge.id] = position[c] + (tailHalf + gap - headHalf - Self.arrowRoom) / 2
                }
            }
            position[c + 1] = position[c] + gap
        }

        // Place nodes.
        var centers: [NodeID: (a: Double, c: Double)] = [:]
        // The first and last columns' headers may be wider than their nodes.
        let firstHeader = measured.headers.first.map(along) ?? 0
        let lastHeader = columnCount - 1 < measured.headers.count ? along(measured.headers[columnCount - 1]) : 0
        let leftEdge = Self.margin + max(columnAlong.first ?? 0, lr ? firstHeader : 0) / 2
        for c in 0..<columnCount {
            for node in columns[c] { centers[node.id] = (leftEdge + position[c], acrossOf[node.id]!) }
        }
        var lossHalf = 0.0
        var lossEnd = 0.0
        if let loss = stackedLoss {
            lossHalf = along(boxSize[loss.id]!) / 2
            let lossAcrossHalf = across(boxSize[loss.id]!) / 2
            var c = acrossOf[loss.id]!
            // The loss is wider than its column: an edge climbing into the output layer from
            // further down would run across it. Lower it until every such edge passes above.
            let lossA = leftEdge + position[columnCount - 1]
            for edge in diagram.edges {
                guard let tail = centers[edge.tail], let head = centers[edge.head], head.a == lossA, tail.a < head.a else { continue }
                let a = max(tail.a, lossA - lossHalf - Self.labelGap)
                let lowest = max(tail.c, head.c) == tail.c ? tail.c + (a - tail.a) / (head.a - tail.a) * (head.c - tail.c) : head.c
                c = max(c, lowest + Self.labelGap + lossAcrossHalf)
            }
            centers[loss.id] = (lossA, c)
            lossEnd = c + lossAcrossHalf
        }

        // Edge labels: on their own edge, where the placer put them.
        var labels: [EdgeID: (a: Double, c: Double)] = [:]
        for edge in diagram.edges {
            guard let a = labelAlong[edge.id], let tail = centers[edge.tail], let head = centers[edge.head], head.a != tail.a else { continue }
            let t = (leftEdge + a - tail.a) / (head.a - tail.a)
            labels[edge.id] = (leftEdge + a, tail.c + t * (head.c - tail.c))
        }

        // The network's own extent.
        let alongEnd = leftEdge + (position.last ?? 0) + max(columnAlong.last ?? 0, lr ? lastHeader : 0, 2 * lossHalf) / 2 + Self.margin
        let acrossEnd = max(top + tallestExtent, lossEnd) + Self.margin

        func point(_ a: Double, _ c: Double) -> Point { lr ? Point(x: a, y: c) : Point(x: c, y: a) }
        func size(_ a: Double, _ c: Double) -> Size { lr ? Size(width: a, height: c) : Size(width: c, height: a) }

        for (id, p) in centers { nodes[id] = Box(center: point(p.a, p.c), size: boxSize[id]!) }
        for (id, p) in labels { edgeLabels[id] = point(p.a, p.c) }
        edgeLabelSizes = labelSize.filter { labels[$0.key] != nil }
        // A stacked loss needs no header: its node names the loss and its formula.
        for (c, s) in measured.headers.enumerated() where c < columnCount {
            headers.append(Box(center: point(leftEdge + position[c], headerTop + headerAcross / 2), size: s))
        }

        placePage(body: size(alongEnd, acrossEnd), measured: measured)
    }

    /// Puts the title above the body and the caption and legend below it, all centred, and
    /// sets the page's size. Everything placed so far moves with the body.
    mutating func placePage(body: Size, measured: Measured) {
        let titleHeight = measured.title.map { $0.height + 12 } ?? 0
        var pageWidth = body.width
        for s in [measured.caption, measured.legend, measured.title].compactMap({ $0 }) {
            pageWidth = max(pageWidth, s.width + 2 * Self.margin)
        }
        let dx = (pageWidth - body.width) / 2, dy = titleHeight
        if dx != 0 || dy != 0 {
            func move(_ p: Point) -> Point { Point(x: p.x + dx, y: p.y + dy) }
            for id in nodes.keys { nodes[id]!.center = move(nodes[id]!.center) }
            for id in edgeLabels.keys { edgeLabels[id] = move(edgeLabels[id]!) }
            for i in headers.indices { headers[i].center = move(headers[i].center) }
            for id in edgeRoutes.keys {
                edgeRoutes[id]!.points = edgeRoutes[id]!.points.map(move)
                edgeRoutes[id]!.tip = edgeRoutes[id]!.tip.map(move)
            }
        }
        var bottom = dy + body.height
        if let s = measured.title { title = Box(center: Point(x: pageWidth / 2, y: Self.margin + s.height / 2), size: s) }
        if let s = measured.caption {
            caption = Box(center: Point(x: pageWidth / 2, y: bottom + s.height / 2), size: s)
            bottom += s.height + 12
        }
        if let s = measured.legend {
            legend = Box(center: Point(x: pageWidth / 2, y: bottom + s.height / 2), size: s)
            bottom += s.height + 12
        }
        width = pageWidth
        height = bottom
    }

    /// The drawing without its title and caption (nodes, edges, their labels, headers and
    /// legend), with a margin: what a deck page shows above its own HTML caption.
    var picture: (x: Double, y: Double, width: Double, height: Double) {
        var boxes = Array(nodes.values) + headers
        if let legend { boxes.append(legend) }
        guard !boxes.isEmpty else { return (0, 0, width, height) }
        var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity
        for b in boxes {
            x0 = min(x0, b.center.x - b.size.width / 2); x1 = max(x1, b.center.x + b.size.width / 2)
            y0 = min(y0, b.center.y - b.size.height / 2); y1 = max(y1, b.center.y + b.size.height / 2)
        }
        // Edge labels lie between the nodes they join, except where an edge runs outside the
        // node columns (never in a column layout); keep them anyway.
        for p in edgeLabels.values { x0 = min(x0, p.x); x1 = max(x1, p.x); y0 = min(y0, p.y); y1 = max(y1, p.y) }
        let m = Self.margin / 2
        x0 = max(0, x0 - m); y0 = max(0, y0 - m); x1 = min(width, x1 + m); y1 = min(height, y1 + m)
        return (x0, y0, x1 - x0, y1 - y0)
    }

    /// Graphviz's frame: y grows upwards.
    func graphvizPoint(_ p: Point) -> Point { Point(x: p.x, y: height - p.y) }
}
