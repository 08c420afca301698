import Annotation
import Foundation
import Graphviz
import Synchronization

/// Builds the Graphviz graph of a diagram on a fixed geometry: every node pinned, every edge
/// drawn as a straight segment with its label at a computed spot. Graphviz (engine `nop2`)
/// then only draws, so a deck's frames share one layout exactly.
struct GraphBuilder {
    let theme: Theme
    var labels: LabelBuilder
    /// Set when drawing a deck's template: colours and tooltips become markers that each
    /// frame replaces (see DeckTemplate).
    var markers: DeckTemplate.Markers?
    /// From how many edges and how many nodes `measure` sizes their labels on every core (and
    /// `graph` builds the nodes' labels), and in how many chunks (nil: four per core); tests
    /// change them.
    var parallelSizing: (edges: Int, nodes: Int, chunks: Int?) = (GraphBuilder.parallelEdges, GraphBuilder.parallelNodes, nil)
    /// Edge labels made while measuring (`measure`'s `edgeMarkup`), drawn as they are where
    /// they fit the edge (see `edgeMarkup`).
    var measuredEdgeLabels: [EdgeID: DrawnLabel] = [:]

    init(theme: Theme, scripts: LabelBuilder.ScriptStyle = .faces) {
        self.theme = theme
        self.labels = LabelBuilder(theme: theme, style: scripts)
    }

    // MARK: - Labels (shared with measuring)

    func nodeLabel(_ node: DiagramNode, width: Double? = nil) -> HTML {
        // On a shaded node the gradient colour is the fill's own hue: its numbers take the
        // value colour, which keeps its contrast.
        let lines = node.shade == nil ? node.lines : node.lines.map { line -> Line in
            var line = line
            if line.role == .gradient { line.role = .value }
            return line
        }
        return labels.lines(lines, dimmed: node.emphasis.dimmed, align: node.kind == .loss ? "CENTER" : "LEFT",
                            markers: markers?.lines[node.id.raw], width: width)
    }

    /// An edge's label on a background that masks the edge behind it. A label on an edge
    /// drawn by its gradient (`flow`: the layers view's, width by norm, up to 10 points)
    /// keeps a few points of background round its text: with one, the cut ends of a thick
    /// line touched its first and last characters.
    func edgeLabel(_ edge: DiagramEdge) -> HTML {
        labels.lines(edge.lines, background: theme.color("background"), dimmed: edge.emphasis.dimmed, size: theme.edgeLabelSize,
                     padding: edge.flow == nil ? 1 : 3, markers: markers?.lines[edge.id.raw])
    }

    /// Whether an edge label as measured is, once its stacked lines are fixed at their
    /// sizes, the label this builder draws: with faces, without a deck's markers.
    var drawsMeasuredLabels: Bool { labels.style == .faces && markers == nil }

    /// An edge label's markup: the one made while measuring when it was made from these
    /// lines and dimming (and this builder draws measured labels), else built now.
    func edgeMarkup(_ edge: DiagramEdge) -> Value {
        if drawsMeasuredLabels, let measured = measuredEdgeLabels[edge.id], measured.dimmed == edge.emphasis.dimmed, measured.lines == edge.lines {
            return .html(.raw(measured.markup))
        }
        return Self.markup(edgeLabel(edge))
    }

    func headerLabel(_ text: MathText) -> HTML {
        labels.math(text, color: theme.color("header"), size: theme.fontSize, bold: false)
    }

    func titleLabel(_ text: MathText) -> HTML {
        labels.math(text, color: theme.color("text"), size: theme.titleSize, bold: true)
    }

    /// A frame's caption, its scripts one after the other: a deck draws the caption of its
    /// frames as SVG text (see DeckTemplate.caption), which cannot stack scripts without
    /// knowing their widths, and the two ways of drawing a frame must agree. The deck's page
    /// shows the caption as HTML, which stacks them.
    func captionLabel(_ lines: [Line]) -> HTML {
        labels.lines(lines.map { Line($0.text, role: $0.role == .title ? .title : .value, hidden: $0.hidden) },
                     size: theme.captionSize, align: "CENTER", padding: 3, stack: false)
    }

    static func labelID(_ edge: DiagramEdge) -> String { edgeID(edge) + "__label" }
    static func edgeID(_ edge: DiagramEdge) -> String { edge.tail.raw + "__" + edge.head.raw }

    static let plainText: Attributes = ["shape": "plaintext", "margin": "0", "width": "0", "height": "0", "fixedsize": "false", "style": ""]

    /// Sizes every label of the diagrams, keeping the largest size of each label across
    /// diagrams, and every line with stacked scripts on its own, for `LabelBuilder.lineSizes`.
    /// Labels are sized in Swift exactly as Graphviz sizes them (HTMLLabelSizer, which asks
    /// Graphviz only for the spans of text): one Graphviz pass, the drawing, instead of two.
    /// A label it does not size goes to Graphviz's measure, in one call, each distinct one once.
    func measure(_ diagrams: [Diagram], legend: HTML?) throws -> (measured: DiagramGeometry.Measured, lineSizes: [MarkupKey: Size], edgeMarkup: [EdgeID: DrawnLabel]) {
        // Each node's and edge's label is measured once, in the diagram where it is largest:
        // the one with the most lines, and of those the one with the fewest hidden values
        // (a "?" is narrower than any number).
        func richness(_ lines: [Line]) -> Int { lines.count * 10_000 - lines.filter(\.hidden).count }
        var bestNode: [NodeID: (Int, Int)] = [:], bestEdge: [EdgeID: (Int, Int)] = [:]
        for (d, diagram) in diagrams.enumerated() {
            for n in diagram.nodes where (bestNode[n.id]?.1 ?? Int.min) < richness(n.lines) { bestNode[n.id] = (d, richness(n.lines)) }
            for e in diagram.edges where (bestEdge[e.id]?.1 ?? Int.min) < richness(e.lines) { bestEdge[e.id] = (d, richness(e.lines)) }
        }
        let nodeAttributes = Self.plainText.merging(["fontname": .text(theme.fontFamily)]) { a, _ in a }
        let sizer = HTMLLabelSizer(nodeAttributes: nodeAttributes)
        // Each label's tree lives only while it is sized and its stacked lines are collected:
        // a large net's trees took a hundred megabytes.
        var toMeasure: [Value] = [], measureIndex: [MarkupKey: Int] = [:]
        func size(_ label: HTML) throws -> LabelSize {
            if let size = try sizer?.size(label) { return .known(size) }
            let markup = label.markup
            let key = MarkupKey(markup)
            if let i = measureIndex[key] { return .measured(i) }
            measureIndex[key] = toMeasure.count
            toMeasure.append(.html(.raw(markup)))
            return .measured(toMeasure.count - 1)
        }
        var slots: [LabelSize] = []
        // Stacked lines of every frame, not only of the labels measured: a frame that shows
        // "?" for a value draws a line of its own.
        var lineSlots: [(key: MarkupKey, size: LabelSize)] = [], seen = Set<MarkupKey>()
        func collect(_ label: HTML) throws {
            for (key, line) in LabelBuilder.stackedLines(in: label) where seen.insert(key).inserted {
                lineSlots.append((key, try size(line)))
            }
        }
        func add(_ label: HTML) throws {
            // The stacked lines' sizes come from sizing the label itself: the sizer reports
            // each line table's size as its own label would have it (most of an ops view's
            // lines are different, and sizing each again was two fifths of the sizing).
            if let sizer, let (size, lineSizes) = try sizer.size(label, withTables: LabelBuilder.isStackedLine) {
                slots.append(.known(size))
                let lines = LabelBuilder.stackedLines(in: label)
                if lines.count == lineSizes.count {
                    for ((key, _), lineSize) in zip(lines, lineSizes) where seen.insert(key).inserted { lineSlots.append((key, .known(lineSize))) }
                    return
                }
                try collect(label)
                return
            }
            slots.append(try size(label))
            try collect(label)
        }
        // The lines of each node's and edge's labels collected so far. A label's stacked lines
        // (keyed without colours) follow from its lines alone — emphasis, shading and a loss
        // node's alignment change only colours and cell attributes — so a frame that repeats
        // a label's lines adds none: most of a deck's labels are built only once, not once a
        // frame (that was two fifths of a deck's time).
        var nodeLines: [NodeID: [[Line]]] = [:], edgeLines: [EdgeID: [[Line]]] = [:]
        func isNew<ID: Hashable>(_ lines: [Line], of id: ID, in known: inout [ID: [[Line]]]) -> Bool {
            // An element's lines change a few times in a deck (values become known): the
            // latest first.
            if known[id, default: []].reversed().contains(lines) { return false }
            known[id, default: []].append(lines)
            return true
        }
        var edgeMarkup: [EdgeID: DrawnLabel] = [:]
        var lastHeaders: (value: [MathText], slots: ArraySlice<LabelSize>)?, lastTitle: (value: MathText?, slots: ArraySlice<LabelSize>)?
        var lastCaption: (value: [Line], slots: ArraySlice<LabelSize>)?
        for (d, diagram) in diagrams.enumerated() {
            // A label sized off the main thread takes the same slots, in the same order, as
            // `add` gives it.
            func take(_ label: SizedLabel, orSize made: () -> HTML) throws {
                slots.append(try label.size.map { .known($0) } ?? size(made()))
                for line in label.lines where seen.insert(line.key).inserted {
                    lineSlots.append((line.key, try line.size.map { .known($0) } ?? size(line.line!)))
                }
            }
            let nodes = diagram.nodes.filter { bestNode[$0.id]?.0 == d }
            if let sized = try sizedInParallel(nodes.count, minimum: parallelSizing.nodes, nodeAttributes: nodeAttributes, writes: false,
                                               label: { [self] in nodeLabel(nodes[$0]) }) {
                for (n, label) in zip(nodes, sized) {
                    if diagrams.count > 1 { _ = isNew(n.lines, of: n.id, in: &nodeLines) }
                    try take(label) { nodeLabel(n) }
                }
            } else {
                for n in nodes {
                    if diagrams.count > 1 { _ = isNew(n.lines, of: n.id, in: &nodeLines) }
                    try add(nodeLabel(n))
                }
            }
            let edges = diagram.edges.filter { bestEdge[$0.id]?.0 == d }
            if let sized = try sizedInParallel(edges.count, minimum: parallelSizing.edges, nodeAttributes: nodeAttributes,
                                               writes: drawsMeasuredLabels, label: { [self] in edgeLabel(edges[$0]) }) {
                edgeMarkup.reserveCapacity(edgeMarkup.count + edges.count)
                for (e, label) in zip(edges, sized) {
                    if diagrams.count > 1 { _ = isNew(e.lines, of: e.id, in: &edgeLines) }
                    if let markup = label.markup { edgeMarkup[e.id] = DrawnLabel(lines: e.lines, dimmed: e.emphasis.dimmed, markup: markup) }
                    try take(label) { edgeLabel(e) }
                }
            } else {
                for e in edges {
                    if diagrams.count > 1 { _ = isNew(e.lines, of: e.id, in: &edgeLines) }
                    try add(edgeLabel(e))
                }
            }
            // Headers, title and caption mostly repeat the previous frame's: the same labels, so
            // the same sizes, without building them again.
            func repeated<T: Equatable>(_ value: T, _ last: inout (value: T, slots: ArraySlice<LabelSize>)?, _ labels: () throws -> Void) rethrows {
                if let last, last.value == value { slots += last.slots; return }
                let first = slots.count
                try labels()
                last = (value, slots[first...])
            }
            try repeated(diagram.headers, &lastHeaders) { for header in diagram.headers { try add(headerLabel(header)) } }
            try repeated(diagram.title, &lastTitle) { if let title = diagram.title { try add(titleLabel(title)) } }
            try repeated(diagram.caption, &lastCaption) { if !diagram.caption.isEmpty { try add(captionLabel(diagram.caption)) } }
        }
        if let legend { try add(legend) }
        if diagrams.count > 1 {
            for (d, diagram) in diagrams.enumerated() {
                for n in diagram.nodes where bestNode[n.id]?.0 != d && isNew(n.lines, of: n.id, in: &nodeLines) { try collect(nodeLabel(n)) }
                for e in diagram.edges where bestEdge[e.id]?.0 != d && isNew(e.lines, of: e.id, in: &edgeLines) { try collect(edgeLabel(e)) }
            }
        }
        measureIndex = [:]
        try sizer?.finish()
        let all = toMeasure.isEmpty ? [] : try GraphvizEngine.measure(toMeasure, nodeAttributes: nodeAttributes)
        func resolve(_ size: LabelSize) -> Size {
            switch size {
            case .known(let s): s
            case .measured(let i): all[i]
            }
        }
        var lineSizes: [MarkupKey: Size] = [:]
        for (key, size) in lineSlots { lineSizes[key] = resolve(size) }
        var i = 0
        func next() -> Size { defer { i += 1 }; return resolve(slots[i]) }
        func larger(_ a: Size?, _ b: Size) -> Size { Size(width: max(a?.width ?? 0, b.width), height: max(a?.height ?? 0, b.height)) }
        var nodes: [NodeID: Size] = [:], edges: [EdgeID: Size] = [:]
        var headers: [Size] = []
        var title: Size?, caption: Size?
        for (d, diagram) in diagrams.enumerated() {
            for n in diagram.nodes where bestNode[n.id]?.0 == d { nodes[n.id] = larger(nodes[n.id], next()) }
            for e in diagram.edges where bestEdge[e.id]?.0 == d { edges[e.id] = larger(edges[e.id], next()) }
            for (c, _) in diagram.headers.enumerated() {
                let s = next()
                if c < headers.count { headers[c] = larger(headers[c], s) } else { headers.append(s) }
            }
            if diagram.title != nil { title = larger(title, next()) }
            if !diagram.caption.isEmpty { caption = larger(caption, next()) }
        }
        let legendSize = legend.map { _ in next() }
        return (DiagramGeometry.Measured(nodes: nodes, edges: edges, headers: headers, title: title, caption: caption, legend: legendSize,
                                         headSpans: headSpans(diagrams)),
                lineSizes, edgeMarkup)
    }

    /// An edge label's markup as `graph` draws it with faces and no deck markers, written
    /// while it was measured (see `LabelBuilder.WrittenLabel`), and the lines and dimming it
    /// was made from: a layout may draw a diagram other than the one it measured.
    struct DrawnLabel: Sendable {
        var lines: [Line]
        var dimmed: Bool
        var markup: String
    }

    /// An edge label sized off the main thread: its size and each of its stacked lines' (nil
    /// where HTMLLabelSizer does not size it; the line is kept then, for Graphviz's measure).
    struct SizedLabel: Sendable {
        var size: Size?
        var lines: [(key: MarkupKey, size: Size?, line: HTML?)]
        /// The label's markup as `graph` draws it (see `DrawnLabel`), when this builder draws
        /// measured labels and the label was written and sized at once.
        var markup: String?
    }

    /// `count` labels (`labelOf(i)`: edge labels, or nodes') built and sized on every core, a
    /// chunk at a time with a sizer of its own (a labelled 32-64-64-10's 6,784 edge labels took
    /// ~0.5 s on one), or nil below `minimum` labels or when the labels are not sized in Swift.
    /// With `writes`, each label's markup is kept as it was written (edge labels drawn as
    /// measured). A chunk lists each stacked line once, where it first appears in the chunk,
    /// as `measure` keeps only a line's first size.
    func sizedInParallel(_ count: Int, minimum: Int, nodeAttributes: Attributes, writes: Bool,
                         label labelOf: @escaping @Sendable (Int) -> HTML) throws -> [SizedLabel]? {
        guard count >= minimum, HTMLLabelSizer(nodeAttributes: nodeAttributes) != nil else { return nil }
        let chunks = parallelSizing.chunks ?? Self.chunksPerRun
        let size = (count + chunks - 1) / chunks
        let slots = Mutex([Result<[SizedLabel], Error>](repeating: .success([]), count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let part = Result { () throws -> [SizedLabel] in
                guard let sizer = HTMLLabelSizer(nodeAttributes: nodeAttributes) else { return [] }
                var seen = Set<MarkupKey>()
                return try (min(count, c * size)..<min(count, (c + 1) * size)).map { i in
                    let label = labelOf(i)
                    var lines: [(key: MarkupKey, size: Size?, line: HTML?)] = []
                    // Written once where it is drawn as measured: the lines' keys and the
                    // markup drawn come from that one writing (see `WrittenLabel`).
                    let written = writes ? LabelBuilder.written(label) : nil
                    let keys = written?.keys ?? LabelBuilder.stackedLines(in: label).map(\.key)
                    // The lines' sizes from sizing the label, as `measure`'s `add` takes them.
                    if let (size, lineSizes) = try sizer.size(label, withTables: LabelBuilder.isStackedLine), lineSizes.count == keys.count {
                        for (key, lineSize) in zip(keys, lineSizes) where seen.insert(key).inserted { lines.append((key, lineSize, nil)) }
                        return SizedLabel(size: size, lines: lines, markup: written?.fixed(lineSizes))
                    }
                    for (key, line) in LabelBuilder.stackedLines(in: label) where seen.insert(key).inserted {
                        let size = try sizer.size(line)
                        lines.append((key, size, size == nil ? line : nil))
                    }
                    return SizedLabel(size: try sizer.size(label), lines: lines, markup: nil)
                }
            }
            slots.withLock { $0[c] = part }
        }
        return try slots.withLock { $0 }.flatMap { try $0.get() }
    }

    /// A label's size: computed, or the index of its markup in Graphviz's measure call.
    enum LabelSize {
        case known(Size)
        case measured(Int)
    }

    // MARK: - The graph

    /// A label as its markup: the graph keeps a few kilobytes of text per label instead of
    /// the label's tree of cells and attribute dictionaries, several times that size (a large
    /// net's graph holds ~7,000 labels), and the markup is written once.
    static func markup(_ label: HTML) -> Value { .html(.raw(label.markup)) }

    func graph(_ diagram: Diagram, geometry: DiagramGeometry, legend: HTML?, dpi: Double?) -> Graph {
        var geometry = geometry
        if let dpi, dpi > 0 {
            // A whole number of pixels each way: otherwise Cairo leaves the last row and
            // column partly transparent and writes RGBA instead of the usual RGB.
            let scale = dpi / 72
            geometry.width = (geometry.width * scale - 1e-6).rounded(.up) / scale
            geometry.height = (geometry.height * scale - 1e-6).rounded(.up) / scale
        }
        var graphAttributes: Attributes = [
            "bgcolor": .text(theme.color("background")),
            "outputorder": "edgesfirst",
            "pad": "0",
            "bb": .text("0,0,\(f(geometry.width, digits: 4)),\(f(geometry.height, digits: 4))"),
        ]
        if let dpi { graphAttributes["dpi"] = .text(f(dpi)) }
        var g = Graph(name: "bpviz", attributes: graphAttributes,
                      nodeDefaults: ["shape": "box", "style": "rounded,filled", "fixedsize": "true",
                                     "fontname": .text(theme.fontFamily), "penwidth": "1.2"],
                      edgeDefaults: ["arrowsize": "0.7", "fontname": .text(theme.fontFamily)])

        func pos(_ p: Point) -> Value { position(p, geometry: geometry) }

        // Two invisible corner points fix the canvas: Graphviz sizes the drawing by its
        // content, and frames of a deck must all have the same size. A point is at least
        // 0.01 inch wide, so each sits half that inside its corner: the canvas is exactly
        // width × height.
        let corner: Attributes = ["shape": "point", "style": "invis", "width": "0.01", "height": "0.01", "label": ""]
        let inset = 0.36
        g.addNode("corner_ll", corner.merging(["pos": .text("\(f(inset)),\(f(inset))!")]) { _, b in b })
        g.addNode("corner_ur", corner.merging(["pos": .text("\(f(geometry.width - inset, digits: 4)),\(f(geometry.height - inset, digits: 4))!")]) { _, b in b })

        if let title = diagram.title, let box = geometry.title {
            g.addNode("title", Self.plainText.merging(["label": Self.markup(titleLabel(title)), "pos": pos(box.center), "id": "title"]) { _, b in b })
        }
        for (c, header) in diagram.headers.enumerated() where c < geometry.headers.count {
            g.addNode("header_\(c)", Self.plainText.merging(["label": Self.markup(headerLabel(header)), "pos": pos(geometry.headers[c].center),
                                                               "id": .text("header_\(c)")]) { _, b in b })
        }
        let placed = diagram.nodes.compactMap { node in geometry.nodes[node.id].map { (node, $0) } }
        let nodeChunks = placed.count < parallelSizing.nodes ? 1 : parallelSizing.chunks ?? Self.chunksPerRun
        let drawnNodes = Self.inChunks(placed.count, chunks: nodeChunks) { [self, geometry] range in
            range.map { nodeAttributes(placed[$0].0, box: placed[$0].1, position: position(placed[$0].1.center, geometry: geometry)) }
        }
        for ((node, _), attributes) in zip(placed, drawnNodes) { g.addNode(node.id.raw, attributes) }
        for (edge, label) in drawnEdges(diagram.edges, geometry: geometry) {
            g.add(edge)
            if let label { g.add(label) }
        }
        if !diagram.caption.isEmpty, let box = geometry.caption {
            g.addNode("caption", Self.plainText.merging(["label": Self.markup(captionLabel(diagram.caption)), "pos": pos(box.center), "id": "caption"]) { _, b in b })
        }
        if let legend, let box = geometry.legend {
            g.addNode("legend", Self.plainText.merging(["label": Self.markup(legend), "pos": pos(box.center), "id": "legend"]) { _, b in b })
        }
        return g
    }

    /// Each edge of the picture with the node of its label, in the diagram's order: the
    /// labels are most of a large labelled net's graph (a 32-64-64-10 has 6,784 of them,
    /// ~0.3 s to build) and each is pure computation on immutable data, so above a few
    /// hundred edges they are built on every core, a chunk at a time, each chunk into its slot.
    /// `chunks` (for tests) overrides how many pieces the edges are cut into.
    func drawnEdges(_ edges: [DiagramEdge], geometry: DiagramGeometry, chunks: Int? = nil) -> [(edge: Edge, label: Node?)] {
        let chunks = chunks ?? (edges.count < Self.parallelEdges ? 1 : Self.chunksPerRun)
        let ports = headPorts(edges, geometry: geometry)
        return Self.inChunks(edges.count, chunks: chunks) { [self] range in range.compactMap { drawn(edges[$0], geometry: geometry, ports: ports) } }
    }

    /// `make` over 0..<count cut into `chunks` ranges, on every core when there is more than
    /// one, the results joined in order.
    static func inChunks<T: Sendable>(_ count: Int, chunks: Int, _ make: @escaping @Sendable (Range<Int>) -> [T]) -> [T] {
        guard chunks > 1 else { return make(0..<count) }
        let size = (count + chunks - 1) / chunks
        let slots = Mutex([[T]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let part = make(min(count, c * size)..<min(count, (c + 1) * size))
            slots.withLock { $0[c] = part }
        }
        return slots.withLock { $0 }.flatMap { $0 }
    }

    /// How many pieces work on every core is cut into: four per core, so a core that finishes
    /// early takes another.
    static var chunksPerRun: Int { 4 * max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Below this many edges a graph is built on one thread: waking the others costs more.
    static let parallelEdges = 512
    /// Below this many nodes their labels are sized and built on one thread. A node's label
    /// (an ops view's value and gradient with stacked scripts) is several edge labels' work.
    static let parallelNodes = 64

    /// An edge from border to border (or along its route), and the node of its label when it
    /// has lines: an edge's label is a node of its own, `<edge id>__label`, because Graphviz
    /// draws an edge label together with its edge, so later edges would cross it; nodes come
    /// after every edge, so the label's background masks the lines behind it.
    func drawn(_ edge: DiagramEdge, geometry: DiagramGeometry, ports: [EdgeID: Double] = [:]) -> (edge: Edge, label: Node?)? {
        guard let tail = geometry.nodes[edge.tail], let head = geometry.nodes[edge.head] else { return nil }
        var attributes = edgeAttributes(edge)
        if let route = geometry.edgeRoutes[edge.id], route.points.count >= 4 {
            attributes["pos"] = .text(spline(route, geometry: geometry))
        } else {
            attributes["pos"] = .text(spline(from: tail, to: head, sides: edge.lines.isEmpty, geometry: geometry,
                                             penwidth: geometricPen(edge), headAcross: ports[edge.id]))
        }
        var label: Node?
        if let lp = geometry.edgeLabels[edge.id], !edge.lines.isEmpty {
            let id = Self.labelID(edge)
            label = Node(id, Self.plainText.merging([
                "label": edgeMarkup(edge), "pos": position(lp, geometry: geometry), "id": .text(id),
                "tooltip": .text(markers?.tooltips[edge.id.raw] ?? edge.tooltip),
            ]) { _, b in b })
        }
        return (Edge(edge.tail.raw, edge.head.raw, attributes), label)
    }

    /// A pinned position (`x,y!`, in points, y up) of a point of the geometry.
    func position(_ p: Point, geometry: DiagramGeometry) -> Value {
        let q = geometry.graphvizPoint(p)
        return .text("\(f(q.x)),\(f(q.y))!")
    }

    /// How a node is painted: fill, border, border width and line style.
    struct NodePaint: Equatable {
        var fill: String
        var border: String
        var penwidth: Double
        var style: String
    }

    func nodePaint(_ node: DiagramNode) -> NodePaint {
        var fill: String
        switch node.kind {
        case .input: fill = theme.color("input")
        case .loss: fill = theme.color("loss")
        default: fill = theme.color("node")
        }
        var border = theme.color("node_border")
        var penwidth = 1.2
        var style = "rounded,filled"
        if let shade = node.shade { fill = shadeFill(shade) }
        switch node.health {
        case .dead:
            fill = Colors.tint(theme.color("background"), toward: theme.color("dead"), upTo: 0.35, keepingTextReadable: nodeTextColors)
            border = theme.color("dead")
            style = "rounded,filled,dashed"
        case .saturated:
            border = theme.color("dead")
            style = "rounded,filled,dashed"
        case .healthy: break
        }
        if node.kind == .loss { penwidth = 2 }
        if node.kind == .aggregate { style = "rounded,filled,dotted" }
        if node.emphasis.dimmed { border = theme.color("dimmed") }
        if node.emphasis.highlighted { border = theme.color("highlight"); penwidth = 3.5 }
        if let marker = markers?.strokes[node.id.raw] { border = marker; penwidth = DeckTemplate.markerWidth }
        return NodePaint(fill: fill, border: border, penwidth: penwidth, style: style)
    }

    /// The colours of text drawn on shaded or dead nodes (titles, values, notes; gradient
    /// lines on a shaded node are drawn in the value colour, see `nodeLabel`).
    var nodeTextColors: [String] { [theme.color("value"), theme.color("text"), theme.color("header")] }

    /// A flow node's fill for |∂Loss/∂Z| scaled to 0…1: the node colour tinted toward the
    /// gradient colour, linearly, up to the strongest tint that keeps every node text at WCAG
    /// AA contrast (4.5 : 1). Dark themes tint toward a dark `shading` colour so light text
    /// stays readable. The legend draws its swatches with this same function.
    func shadeFill(_ shade: Double) -> String {
        let strongest = Colors.strongestTint(theme.color("node"), toward: theme.color("shading"), upTo: 0.55, keepingTextReadable: nodeTextColors)
        return Colors.mix(theme.color("node"), theme.color("shading"), max(0, min(1, shade)) * strongest)
    }

    func nodeAttributes(_ node: DiagramNode, box: DiagramGeometry.Box, position: Value) -> Attributes {
        let paint = nodePaint(node)
        var attributes: Attributes = [
            "label": Self.markup(nodeLabel(node, width: box.size.width - 2 * DiagramGeometry.padding)),
            "pos": position,
            "width": .text(f(box.size.width / 72, digits: 4)),
            "height": .text(f(box.size.height / 72, digits: 4)),
            "fillcolor": .text(paint.fill),
            "color": .text(paint.border),
            "penwidth": .text(f(paint.penwidth)),
            "style": .text(paint.style),
            "tooltip": .text(markers?.tooltips[node.id.raw] ?? node.tooltip),
            "id": .text(node.id.raw),
        ]
        if node.kind == .operation { attributes["shape"] = "ellipse" }
        return attributes
    }

    /// The colour and dash of a flow stroke; the legend draws its samples with the same.
    /// Zero and unsigned sizes are neutral: only a signed gradient has a sign's colour.
    /// The sign is told by line style as well as colour: negative dashed, zero dotted.
    static func strokePaint(_ stroke: Flow.Stroke, theme: Theme) -> (color: String, style: String?) {
        switch stroke {
        case .positive: (theme.color("positive"), nil)
        case .negative: (theme.color("negative"), "dashed")
        case .zero: (theme.color("edge"), "dotted")
        case .magnitude: (theme.color("edge"), nil)
        }
    }

    /// An edge's colour and width.
    func edgePaint(_ edge: DiagramEdge) -> (color: String, penwidth: Double) {
        var color = theme.color("edge")
        var penwidth = 1.0
        if let flow = edge.flow {
            color = Self.strokePaint(flow.stroke, theme: theme).color
            penwidth = FlowScale.penwidth(flow)
        }
        if edge.emphasis.dimmed { color = theme.color("dimmed") }
        if edge.emphasis.highlighted { color = theme.color("highlight"); penwidth = max(penwidth, 3) }
        if let marker = markers?.strokes[edge.id.raw] { color = marker; penwidth = DeckTemplate.markerWidth }
        return (color, penwidth)
    }

    /// The pen an edge's end is placed for (Arrowhead.tip): its own, or in a deck's template
    /// (one drawing for every frame, its strokes markers) the pen it has when not highlighted,
    /// which most frames draw (DeckTemplate strokes its arrowhead with that pen in every frame).
    func geometricPen(_ edge: DiagramEdge) -> Double {
        guard markers != nil else { return edgePaint(edge).penwidth }
        return Self.plainPen(edge)
    }

    /// An edge's pen when it is not highlighted: its flow's width, or 1.
    static func plainPen(_ edge: DiagramEdge) -> Double { edge.flow.map(FlowScale.penwidth) ?? 1 }

    func edgeAttributes(_ edge: DiagramEdge) -> Attributes {
        let (color, penwidth) = edgePaint(edge)
        var attributes: Attributes = ["color": .text(color), "penwidth": .text(f(penwidth, digits: 3)),
                                      "tooltip": .text(markers?.tooltips[edge.id.raw] ?? edge.tooltip), "id": .text(Self.edgeID(edge))]
        // The arrowhead's triangle stays 4.9 wide on a thick pen (see Arrowhead).
        let arrowsize = Arrowhead.arrowsize(penwidth: penwidth)
        if arrowsize != Arrowhead.size { attributes["arrowsize"] = .text(f(arrowsize, digits: 4)) }
        // The sign is told by line style as well as colour (WCAG 1.4.1; greyscale print).
        if let flow = edge.flow, let style = Self.strokePaint(flow.stroke, theme: theme).style { attributes["style"] = .text(style) }
        return attributes
    }

    /// A straight edge's line from the tail's border to the arrowhead's base, and the tip
    /// (page coordinates), placed so the tip's stroke touches the head's border. The SVG's
    /// spline and the TikZ picture draw the same.
    func straightArrow(from tail: DiagramGeometry.Box, to head: DiagramGeometry.Box, sides: Bool, penwidth: Double,
                       headAcross: Double? = nil) -> (start: Point, base: Point, tip: Point) {
        let ends = straightEnds(from: tail, to: head, sides: sides, headAcross: headAcross)
        let tip = Arrowhead.tip(touching: ends.tip, from: ends.start, penwidth: penwidth)
        let dx = tip.x - ends.start.x, dy = tip.y - ends.start.y
        let length = max((dx * dx + dy * dy).squareRoot(), 1e-9)
        let arrow = Arrowhead.triangle(penwidth: penwidth).length
        return (ends.start, Point(x: tip.x - dx / length * arrow, y: tip.y - dy / length * arrow), tip)
    }

    /// `straightArrow` as Graphviz's `pos`: a straight cubic to the base, the tip as `e,…`.
    func spline(from tail: DiagramGeometry.Box, to head: DiagramGeometry.Box, sides: Bool, geometry: DiagramGeometry, penwidth: Double,
                headAcross: Double? = nil) -> String {
        let arrow = straightArrow(from: tail, to: head, sides: sides, penwidth: penwidth, headAcross: headAcross)
        let start = geometry.graphvizPoint(arrow.start), tip = geometry.graphvizPoint(arrow.tip), end = geometry.graphvizPoint(arrow.base)
        let p1 = Point(x: start.x + (end.x - start.x) / 3, y: start.y + (end.y - start.y) / 3)
        let p2 = Point(x: start.x + 2 * (end.x - start.x) / 3, y: start.y + 2 * (end.y - start.y) / 3)
        return "e,\(f(tip.x)),\(f(tip.y)) " + [start, p1, p2, end].map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")
    }

    /// A routed edge (graph geometry) in Graphviz's `pos` form.
    func spline(_ route: DiagramGeometry.Route, geometry: DiagramGeometry) -> String {
        let tip = route.tip.map { p -> String in let q = geometry.graphvizPoint(p); return "e,\(f(q.x)),\(f(q.y)) " } ?? ""
        return tip + route.points.map { p -> String in let q = geometry.graphvizPoint(p); return "\(f(q.x)),\(f(q.y))" }.joined(separator: " ")
    }

    /// Where a straight edge between two boxes starts and ends (page coordinates): from border
    /// to border toward the centres, the line LabelPlacer puts an edge's label on. With
    /// `sides` (an edge without a label, as in the flow view) and the head wholly beyond the
    /// tail along the layout's direction, the line toward the centres still, but always
    /// leaving and entering through the sides that face each other, within their middle
    /// half: a steep edge (the MNIST flow view's, from a folded input to a unit far down)
    /// aimed at a centre entered through the top or bottom and crossed a neighbour's text on
    /// its way; the sides of a column's boxes line up, so it now runs beside them. Shallow
    /// edges keep their ends, spread along the side; steep ones end at the middle half's
    /// edge. Where several end on one head, `headPorts` gives their tips (`headAcross`:
    /// where across the layers the tip is on the head's side).
    func straightEnds(from tail: DiagramGeometry.Box, to head: DiagramGeometry.Box, sides: Bool, headAcross: Double? = nil) -> (start: Point, tip: Point) {
        if sides, let ends = facingSides(of: tail, and: head, headAcross: headAcross) { return ends }
        return (border(from: tail.center, toward: head.center, size: tail.size), border(from: head.center, toward: tail.center, size: head.size))
    }

    /// The ends on the two boxes' facing sides along the layout's direction; nil when the
    /// boxes overlap along it (the loss under the output).
    func facingSides(of tail: DiagramGeometry.Box, and head: DiagramGeometry.Box, headAcross: Double? = nil) -> (start: Point, tip: Point)? {
        guard let (start, tip) = sidePoints(of: tail, and: head, headAcross: headAcross) else { return nil }
        // Ends near a corner go onto its curve, along the line.
        let direction = (dx: tip.x - start.x, dy: tip.y - start.y)
        return (RoundedBox.onOutline(start, direction: direction, center: tail.center, size: tail.size),
                RoundedBox.onOutline(tip, direction: direction, center: head.center, size: head.size))
    }

    /// `facingSides` on the sides' lines, before the ends go onto a corner's curve: where
    /// `headPorts` orders and spaces the tips (moved along lines of different slopes, two
    /// tips clamped to one point came apart in the wrong order and their lines crossed).
    func sidePoints(of tail: DiagramGeometry.Box, and head: DiagramGeometry.Box, headAcross: Double? = nil) -> (start: Point, tip: Point)? {
        let lr = theme.direction == .leftToRight
        // Along the layers (a) and across them (c), so one rule serves both directions.
        func a(_ p: Point) -> Double { lr ? p.x : p.y }
        func c(_ p: Point) -> Double { lr ? p.y : p.x }
        func along(_ s: Size) -> Double { lr ? s.width : s.height }
        func across(_ s: Size) -> Double { lr ? s.height : s.width }
        func point(_ a: Double, _ c: Double) -> Point { lr ? Point(x: a, y: c) : Point(x: c, y: a) }
        let d = a(head.center) - a(tail.center)
        let tailSide = a(tail.center) + (d > 0 ? 1 : -1) * along(tail.size) / 2
        let headSide = a(head.center) - (d > 0 ? 1 : -1) * along(head.size) / 2
        guard d > 0 ? headSide > tailSide : headSide < tailSide else { return nil }
        // Where the line between the centres crosses each side, kept to its middle half.
        func crossing(_ box: DiagramGeometry.Box, at side: Double) -> Double {
            let t = (side - a(tail.center)) / d
            let y = c(tail.center) + t * (c(head.center) - c(tail.center))
            return min(max(y, c(box.center) - across(box.size) / 4), c(box.center) + across(box.size) / 4)
        }
        return (point(tailSide, crossing(tail, at: tailSide)), point(headSide, headAcross ?? crossing(head, at: headSide)))
    }

    /// Where across the layers each side-to-side edge (see `facingSides`) ends on its head's
    /// side when several end on one: where each would, moved apart in that order until
    /// neighbouring arrowheads are their widths apart (half each, and a point), centred on
    /// where they would be, and kept on the side clear of its rounded corners (squeezed
    /// together only when they cannot all fit: DiagramGeometry makes units taller for them
    /// when twice their height is enough, a lone unit as tall as the tallest column). The flow view's thick arrowheads into one
    /// unit, all within the side's middle half, had piled up into one blot, the red one of
    /// a negative gradient over the blue ones. Only heads: edges still leave a tail within
    /// its side's middle half (see `facingSides`), and a line that ends on its head's side
    /// comes from the column before, beside that column's boxes.
    func headPorts(_ edges: [DiagramEdge], geometry: DiagramGeometry) -> [EdgeID: Double] {
        let lr = theme.direction == .leftToRight
        func c(_ p: Point) -> Double { lr ? p.y : p.x }
        var byHead: [NodeID: [(id: EdgeID, at: Double, tail: Double, width: Double)]] = [:]
        for edge in edges where edge.lines.isEmpty && geometry.edgeRoutes[edge.id] == nil {
            guard let tail = geometry.nodes[edge.tail], let head = geometry.nodes[edge.head],
                  let ends = sidePoints(of: tail, and: head) else { continue }
            byHead[edge.head, default: []].append((edge.id, c(ends.tip), c(tail.center), Arrowhead.visibleWidth(penwidth: geometricPen(edge))))
        }
        var ports: [EdgeID: Double] = [:]
        for (id, ends) in byHead where ends.count > 1 {
            guard let head = geometry.nodes[id] else { continue }
            let sorted = ends.sorted { ($0.at, $0.tail, $0.id.raw) < ($1.at, $1.tail, $1.id.raw) }
            let gaps = zip(sorted, sorted.dropFirst()).map { ($0.width + $1.width) / 2 + Self.arrowheadGap }
            var at = sorted.map(\.at)
            for k in at.indices.dropFirst() { at[k] = max(at[k], at[k - 1] + gaps[k - 1]) }
            let shift = (sorted.map(\.at).reduce(0, +) - at.reduce(0, +)) / Double(at.count)
            at = at.map { $0 + shift }
            // The side less its rounded corners.
            let middle = c(head.center), side = lr ? head.size.height : head.size.width
            let clearance = Self.cornerClearance(head.size)
            let low = middle - side / 2 + clearance, high = middle + side / 2 - clearance
            let span = at[at.count - 1] - at[0]
            if span > high - low {
                at = high > low ? at.map { low + ($0 - at[0]) * (high - low) / span } : at.map { _ in middle }
            } else {
                at = at.map { $0 + min(max(0, low - at[0]), high - at[at.count - 1]) }
            }
            for (k, end) in sorted.enumerated() { ports[end.id] = at[k] }
        }
        return ports
    }

    /// Points of side between neighbouring arrowheads into one unit, beyond their stroked
    /// half-widths (Arrowhead.visibleWidth).
    static let arrowheadGap = 2.0

    /// How much of a side, from the first tip to the last, arrowheads of these widths take
    /// side by side (`headPorts`), whatever their order: at most their widths less the
    /// narrowest, and the gaps between them.
    static func headSpan(_ widths: [Double]) -> Double {
        guard widths.count > 1, let narrowest = widths.min() else { return 0 }
        return widths.reduce(0, +) - narrowest + Double(widths.count - 1) * arrowheadGap
    }

    /// The spread (`headSpan`) of the arrowheads each node takes on its side from side-to-side
    /// edges (the flow view's), the largest over `diagrams`: DiagramGeometry makes a column's
    /// units tall enough to hold them apart.
    func headSpans(_ diagrams: [Diagram]) -> [NodeID: Double] {
        var spans: [NodeID: Double] = [:]
        for diagram in diagrams {
            let columnOf = Dictionary(diagram.nodes.map { ($0.id, $0.column) }, uniquingKeysWith: { a, _ in a })
            var widths: [NodeID: [Double]] = [:]
            for edge in diagram.edges where edge.lines.isEmpty && edge.flow != nil {
                guard let t = columnOf[edge.tail], let h = columnOf[edge.head], t < h else { continue }
                widths[edge.head, default: []].append(Arrowhead.visibleWidth(penwidth: geometricPen(edge)))
            }
            for (id, w) in widths where w.count > 1 { spans[id] = max(spans[id] ?? 0, Self.headSpan(w)) }
        }
        return spans
    }

    /// How far from a side's ends an arrowhead's tip stays: 0.7 of the corner radius of a
    /// rounded box (Graphviz rounds 12 points of each side, at most a third of the shorter
    /// one), where the outline is within half a point of the side's line, so a tip there
    /// still touches the box (its base may reach past the corner: it is outside the box).
    static func cornerClearance(_ size: Size) -> Double { 0.7 * RoundedBox.radius(size) }

    /// Where the ray from a box's centre toward `target` leaves the box (RoundedBox.onOutline).
    func border(from center: Point, toward target: Point, size: Size) -> Point {
        let dx = target.x - center.x, dy = target.y - center.y
        let sx = dx == 0 ? Double.infinity : (size.width / 2) / abs(dx)
        let sy = dy == 0 ? Double.infinity : (size.height / 2) / abs(dy)
        let s = min(sx, sy, 1)
        let hit = Point(x: center.x + dx * s, y: center.y + dy * s)
        return s < 1 ? RoundedBox.onOutline(hit, direction: (dx, dy), center: center, size: size) : hit
    }

    /// A coordinate with at most `digits` decimals, trailing zeros dropped. Written by hand
    /// because String(format:) is slow, and a large diagram formats hundreds of thousands.
    func f(_ x: Double, digits: Int = 2) -> String {
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        guard x.isFinite, abs(x) < 1e12 else { return "0" }
        let n = Int64((abs(x) * Double(scale)).rounded())
        if n == 0 { return "0" }
        var whole = String(n / scale)
        var fraction = String(n % scale)
        if fraction != "0" {
            fraction = String(repeating: "0", count: digits - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            whole += "." + fraction
        }
        return (x < 0 ? "-" : "") + whole
    }
}

/// Colour arithmetic for shading.
enum Colors {
    static func rgb(_ hex: String) -> (Double, Double, Double)? {
        guard hex.hasPrefix("#"), hex.count >= 7, let v = UInt32(hex.dropFirst().prefix(6), radix: 16) else { return nil }
        return (Double(v >> 16 & 0xFF), Double(v >> 8 & 0xFF), Double(v & 0xFF))
    }

    /// WCAG 2 relative luminance of a `#rrggbb` colour.
    static func luminance(_ hex: String) -> Double? {
        guard let (r, g, b) = rgb(hex) else { return nil }
        func linear(_ c: Double) -> Double { let c = c / 255; return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// WCAG 2 contrast ratio, 1…21 (1 when a colour is not `#rrggbb`).
    static func contrast(_ a: String, _ b: String) -> Double {
        guard let x = luminance(a), let y = luminance(b) else { return 1 }
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    /// The largest t ≤ `limit` (in steps of 0.01) for which every text colour keeps 4.5 : 1
    /// against `mix(base, target, t)`.
    static func strongestTint(_ base: String, toward target: String, upTo limit: Double, keepingTextReadable texts: [String]) -> Double {
        var t = limit
        while t > 0, texts.contains(where: { contrast($0, mix(base, target, t)) < 4.5 }) { t -= 0.01 }
        return max(0, t)
    }

    static func tint(_ base: String, toward target: String, upTo limit: Double, keepingTextReadable texts: [String]) -> String {
        mix(base, target, strongestTint(base, toward: target, upTo: limit, keepingTextReadable: texts))
    }

    /// `a` moved toward `b` by t in 0…1.
    static func mix(_ a: String, _ b: String, _ t: Double) -> String {
        guard let x = rgb(a), let y = rgb(b) else { return t < 0.5 ? a : b }
        let t = max(0, min(1, t))
        func c(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * t).rounded()) }
        return String(format: "#%02x%02x%02x", c(x.0, y.0), c(x.1, y.1), c(x.2, y.2))
    }
}

/// Edge widths in the flow and layers views, in points.
package enum FlowScale {
    package static let minWidth = 0.6
    package static let maxWidth = 9.0
    /// An exactly-zero gradient: a plain line (dotted, neutral), not the thinnest gradient.
    package static let zeroWidth = 1.0
    /// The least width of a proportional edge, so a tiny nonzero value still shows as a hairline.
    package static let hairline = 0.25

    package static func penwidth(_ flow: Flow) -> Double {
        if flow.stroke == .zero { return zeroWidth }
        switch flow.width {
        case .range: return minWidth + (maxWidth - minWidth) * flow.magnitude
        case .proportional: return max(hairline, maxWidth * flow.magnitude)
        }
    }
}
