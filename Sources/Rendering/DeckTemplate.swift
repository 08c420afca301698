import Annotation
import Foundation
import Graphviz

/// A deck's SVG frames from one Graphviz rendering. The frames of a deck share their layout
/// and differ only in which values are known, what is highlighted, their tooltips and their
/// caption, so Graphviz draws the deck once — every label with every line, each line's
/// colours, each node's and edge's stroke and each tooltip replaced by a marker — and each
/// frame is that SVG with the markers replaced: the frame's colours, "?" for values not known
/// yet, invisible for lines the frame does not have, and the frame's caption added as SVG
/// text. A frame costs a pass over bytes instead of a Graphviz layout and render.
///
/// When the frames are not variations of one diagram (different nodes, edges or values), the
/// template is refused and the deck falls back to one Graphviz rendering per frame.
struct DeckTemplate {
    /// A stroke width no frame uses, so Graphviz always writes the attribute that frames set.
    static let markerWidth = 1.37

    struct Markers {
        /// Per node or edge: a (symbol, value) colour pair per line; no value colour for a
        /// line without a value.
        var lines: [String: [(String, String?)]] = [:]
        var strokes: [String: String] = [:]
        var tooltips: [String: String] = [:]
    }

    /// A node or edge whose lines, stroke and tooltip frames set, by its index in the frames'
    /// nodes or edges (every frame has the base's nodes and edges, in its order).
    private enum Owner { case node(Int), edge(Int) }
    private struct TextMarker { var owner: Int; var line: Int; var isValue: Bool }

    /// What a frame changes in the template, in the template's order; the bytes between two
    /// edits are the same in every frame and are copied whole.
    private enum Edit {
        /// A `<text>` element from its start: the marker colour's seven bytes at `color` take
        /// the line's colour; the content (after the tag's end, up to `close`) may become "?".
        case text(marker: Int, color: Int, tagEnd: Int, close: Int)
        /// A stroke marker `"#ppxxxx"` and, when `width` is true, the ` stroke-width="…"` after it;
        /// `arrowhead`: in an edge's arrowhead (its polygon).
        case stroke(owner: Int, width: Bool, arrowhead: Bool)
        /// A tooltip marker `@@Tn@@`.
        case tooltip(owner: Int)
    }
    /// Each edit with where it starts and where the template's bytes resume after it.
    private struct Step { var start: Int; var resume: Int; var edit: Edit }

    private let template: [UInt8]
    private let textPrefix: String
    private let strokePrefix: String
    private let owners: [Owner]
    private let textMarkers: [TextMarker]
    private let steps: [Step]
    private let palette: Palette
    private let builder: GraphBuilder
    private let layout: DiagramRenderer.Layout
    private let theme: Theme

    init?(frames: [Diagram], renderer: DiagramRenderer, layout: DiagramRenderer.Layout) throws {
        theme = renderer.theme
        self.layout = layout
        builder = GraphBuilder(theme: theme)
        // Marker colours start with two hex digits no colour of the theme starts with.
        let used = Set(theme.colors.values.map { String($0.lowercased().prefix(3)) })
        let free = (0..<256).map { "#" + String(format: "%02x", $0) }.filter { !used.contains($0) }.reversed()
        guard free.count >= 2 else { return nil }
        let textPrefix = Array(free)[0], strokePrefix = Array(free)[1]
        // The base: the frame with the most lines, every one of them known.
        let total = { (d: Diagram) in d.nodes.reduce(0) { $0 + $1.lines.count } + d.edges.reduce(0) { $0 + $1.lines.count } }
        guard var base = frames.max(by: { total($0) <= total($1) }) else { return nil }
        guard !base.nodes.contains(where: { $0.lines.contains(where: \.hidden) }),
              !base.edges.contains(where: { $0.lines.contains(where: \.hidden) }) else {
            return nil
        }
        for frame in frames where !DeckTemplate.compatible(frame, with: base, builder: builder) {
            return nil
        }

        var markers = Markers()
        var texts: [TextMarker] = []
        var owners: [Owner] = []
        // Each owner has one stroke and one tooltip marker, numbered as the owners are.
        func mark(_ id: String, _ owner: Owner, _ lines: [Line]) {
            let o = owners.count
            owners.append(owner)
            markers.lines[id] = lines.indices.map { k in
                texts.append(TextMarker(owner: o, line: k, isValue: false))
                let symbol = DeckTemplate.color(textPrefix, texts.count - 1)
                guard lines[k].value != nil else { return (symbol, nil) }
                texts.append(TextMarker(owner: o, line: k, isValue: true))
                return (symbol, DeckTemplate.color(textPrefix, texts.count - 1))
            }
            markers.strokes[id] = DeckTemplate.color(strokePrefix, o)
            markers.tooltips[id] = "@@T\(o)@@"
        }
        for (i, node) in base.nodes.enumerated() { mark(node.id.raw, .node(i), node.lines) }
        for (i, edge) in base.edges.enumerated() { mark(edge.id.raw, .edge(i), edge.lines) }
        guard texts.count < 0xFFFF, owners.count < 0xFFFF else { return nil }
        base.caption = []
        for i in base.nodes.indices { base.nodes[i].emphasis = Emphasis() }
        for i in base.edges.indices { base.edges[i].emphasis = Emphasis() }

        var marked = builder
        marked.markers = markers
        marked.labels.lineSizes = layout.lineSizes
        let deckTheme = renderer.theme
        let legend = base.legend.map { LegendBuilder(theme: deckTheme, lineSizes: layout.lineSizes, textWidth: layout.legendTextWidth).html($0) }
        let graph = marked.graph(base, geometry: layout.geometry, legend: legend, dpi: nil)
        let svg = try GraphvizEngine.render(graph, engine: .pinned, format: .svg)
        template = Array(SVGTypography.process(String(decoding: svg, as: UTF8.self), fontFamily: deckTheme.fontFamily).utf8)
        // Every marker must have reached the SVG, or a frame would silently keep the base's
        // colours, values or tooltips somewhere: without them all, frames are drawn one by one.
        let found = DeckTemplate.markersFound(in: template, textPrefix: textPrefix, strokePrefix: strokePrefix)
        guard found.texts == Set(texts.indices), found.strokes == Set(owners.indices), found.tooltips == Set(owners.indices) else {
            return nil
        }
        textMarkers = texts
        self.owners = owners
        self.textPrefix = textPrefix
        self.strokePrefix = strokePrefix
        steps = DeckTemplate.steps(in: template, textPrefix: textPrefix, strokePrefix: strokePrefix, texts: texts.count, owners: owners.count)
        palette = Palette(LabelBuilder(theme: theme))
    }

    /// The colours of lines by role (LabelBuilder.color), looked up once for the deck.
    private struct Palette {
        let dimmed, title, value, gradient, note, update: [UInt8]

        init(_ labels: LabelBuilder) {
            func of(_ role: Line.Role, hidden: Bool = false) -> [UInt8] { Array(labels.color(for: Line(MathText(""), role: role, hidden: hidden)).utf8) }
            dimmed = of(.value, hidden: true)
            title = of(.title)
            value = of(.value)
            gradient = of(.gradient)
            note = of(.note)
            update = of(.update)
        }

        func color(for line: Line) -> [UInt8] {
            if line.hidden { return dimmed }
            switch line.role {
            case .title: return title
            case .value: return value
            case .gradient: return gradient
            case .note: return note
            case .update: return update
            }
        }
    }

    /// Where a frame changes the template: found once for the deck, so a frame is its runs of
    /// the template's bytes copied whole with the edits' bytes between them.
    private static func steps(in input: [UInt8], textPrefix: String, strokePrefix: String, texts: Int, owners: Int) -> [Step] {
        var steps: [Step] = []
        let textOpen = Array("<text ".utf8), textClose = Array("</text>".utf8)
        let textFill = Array("fill=\"\(textPrefix)".utf8)
        let strokeMark = Array("\"\(strokePrefix)".utf8), widthKey = Array(" stroke-width=\"".utf8), polygonOpen = Array("<polygon".utf8)
        let tipMark = Array("@@T".utf8)
        var i = 0
        while i < input.count {
            let byte = input[i]
            guard byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "@") else { i += 1; continue }
            if byte == UInt8(ascii: "<"), input.starts(with: textOpen, at: i),
               let end = input.firstIndex(of: UInt8(ascii: ">"), from: i),
               let close = input.firstRun(of: textClose, from: end) {
                // The marker's four digits and closing quote lie inside the tag.
                if let at = input.firstRun(of: textFill, in: i..<(end + 1)), at + textFill.count + 4 <= end,
                   let index = DeckTemplate.hex(input, at: at + textFill.count), index < texts {
                    steps.append(Step(start: i, resume: close, edit: .text(marker: index, color: at + 6, tagEnd: end + 1, close: close)))
                }
                i = close
                continue
            }
            if byte == UInt8(ascii: "\""), input.starts(with: strokeMark, at: i), let index = DeckTemplate.hex(input, at: i + 4), index < owners {
                let start = i
                var width = false
                i += 4 + 4 + 1
                if input.starts(with: widthKey, at: i), let q = input.firstIndex(of: UInt8(ascii: "\""), from: i + widthKey.count) {
                    width = true
                    i = q + 1
                }
                // In an arrowhead: the marker's tag is the edge's polygon.
                let tag = input[..<start].lastIndex(of: UInt8(ascii: "<")) ?? start
                let arrowhead = input.starts(with: polygonOpen, at: tag)
                steps.append(Step(start: start, resume: i, edit: .stroke(owner: index, width: width, arrowhead: arrowhead)))
                continue
            }
            if byte == UInt8(ascii: "@"), input.starts(with: tipMark, at: i),
               let end = input.firstRun(of: Array("@@".utf8), from: i + 3),
               let index = Int(String(decoding: input[(i + 3)..<end], as: UTF8.self)), index < owners {
                steps.append(Step(start: i, resume: end + 2, edit: .tooltip(owner: index)))
                i = end + 2
                continue
            }
            i += 1
        }
        return steps
    }

    /// The indices of the text, stroke and tooltip markers an SVG contains.
    static func markersFound(in svg: [UInt8], textPrefix: String, strokePrefix: String) -> (texts: Set<Int>, strokes: Set<Int>, tooltips: Set<Int>) {
        var texts = Set<Int>(), strokes = Set<Int>(), tooltips = Set<Int>()
        let textFill = Array("fill=\"\(textPrefix)".utf8), strokeMark = Array("\"\(strokePrefix)".utf8), tipMark = Array("@@T".utf8)
        var i = 0
        while i < svg.count {
            switch svg[i] {
            case UInt8(ascii: "f") where svg.starts(with: textFill, at: i):
                if let index = hex(svg, at: i + textFill.count) { texts.insert(index) }
            case UInt8(ascii: "\"") where svg.starts(with: strokeMark, at: i):
                if let index = hex(svg, at: i + strokeMark.count) { strokes.insert(index) }
            case UInt8(ascii: "@") where svg.starts(with: tipMark, at: i):
                if let end = svg.firstRun(of: Array("@@".utf8), from: i + 3),
                   let index = Int(String(decoding: svg[(i + 3)..<end], as: UTF8.self)) { tooltips.insert(index) }
            default: break
            }
            i += 1
        }
        return (texts, strokes, tooltips)
    }

    static func color(_ prefix: String, _ index: Int) -> String {
        prefix + String(format: "%04x", index)
    }

    /// A frame fits the template when it has the same nodes and edges, no more lines than the
    /// base, the same text wherever it shows a value, and the same fills.
    static func compatible(_ frame: Diagram, with base: Diagram, builder: GraphBuilder) -> Bool {
        guard frame.nodes.map(\.id) == base.nodes.map(\.id), frame.edges.map(\.id) == base.edges.map(\.id),
              frame.legend == base.legend, frame.title == base.title, frame.headers == base.headers else { return false }
        func sameLines(_ a: [Line], _ b: [Line]) -> Bool {
            guard a.count <= b.count else { return false }
            for (x, y) in zip(a, b) where x.role != y.role || (!x.hidden && x.text != y.text) { return false }
            return true
        }
        for (n, m) in zip(frame.nodes, base.nodes) {
            guard sameLines(n.lines, m.lines) else { return false }
            let a = builder.nodePaint(n), b = builder.nodePaint(m)
            guard a.fill == b.fill, a.style == b.style else { return false }
        }
        for (e, f) in zip(frame.edges, base.edges) where !sameLines(e.lines, f.lines) || e.flow != f.flow { return false }
        return true
    }

    /// The SVG of one frame.
    func svg(for frame: Diagram) -> String {
        String(decoding: bytes(for: frame), as: UTF8.self)
    }

    /// The SVG of one frame, as bytes: the template's runs between its edits (see `steps`)
    /// copied whole, and each edit's bytes for this frame. `frame` is one of the frames the
    /// template was made for.
    func bytes(for frame: Diagram) -> [UInt8] {
        func lines(_ owner: Int) -> ([Line], Bool) {
            switch owners[owner] {
            case .node(let i): return i < frame.nodes.count ? (frame.nodes[i].lines, frame.nodes[i].emphasis.dimmed) : ([], false)
            case .edge(let i): return i < frame.edges.count ? (frame.edges[i].lines, frame.edges[i].emphasis.dimmed) : ([], false)
            }
        }
        // Each owner's stroke in this frame, computed once. An arrowhead keeps the pen its
        // edge has when not highlighted: the drawing placed its tip for that pen (see
        // GraphBuilder.geometricPen), so a highlighted edge's head touches its node as a
        // plain one's does instead of reaching 3 points into it.
        let strokes: [(color: [UInt8], width: [UInt8], arrowhead: [UInt8])] = owners.map { owner in
            switch owner {
            case .node(let i) where i < frame.nodes.count:
                let paint = builder.nodePaint(frame.nodes[i])
                let width = Array(builder.f(paint.penwidth).utf8)
                return (Array(paint.border.utf8), width, width)
            case .edge(let i) where i < frame.edges.count:
                let paint = builder.edgePaint(frame.edges[i])
                return (Array(paint.color.utf8), Array(builder.f(paint.penwidth, digits: 3).utf8),
                        Array(builder.f(GraphBuilder.plainPen(frame.edges[i]), digits: 3).utf8))
            default:
                return (Array(theme.color("edge").utf8), Array("1".utf8), Array("1".utf8))
            }
        }
        func tooltip(_ owner: Int) -> String {
            // A literal newline in an attribute reads as a space (XML attribute normalisation);
            // Graphviz writes &#10;, and so does htmlEscape.
            switch owners[owner] {
            case .node(let i): return i < frame.nodes.count ? MathText.htmlEscape(frame.nodes[i].tooltip) : ""
            case .edge(let i): return i < frame.edges.count ? MathText.htmlEscape(frame.edges[i].tooltip) : ""
            }
        }

        let input = template
        var out: [UInt8] = []
        out.reserveCapacity(input.count + 4096)
        let widthKey = Array(" stroke-width=\"".utf8), none = Array("none".utf8)
        var copied = 0
        for step in steps {
            out += input[copied..<step.start]
            copied = step.resume
            switch step.edit {
            case let .text(index, color, tagEnd, close):
                let marker = textMarkers[index]
                let (frameLines, dimmed) = lines(marker.owner)
                out += input[step.start..<color]
                var content: [UInt8]?
                if marker.line < frameLines.count {
                    let line = frameLines[marker.line]
                    out += dimmed ? palette.dimmed : palette.color(for: line)
                    // Graphviz writes the run's leading space as &#160;.
                    if marker.isValue, line.hidden, let value = line.valueText {
                        content = Array(("&#160;" + MathText.htmlEscape(String(value.dropFirst()))).utf8)
                    }
                } else {
                    out += none
                }
                out += input[(color + 7)..<tagEnd]
                if let content { out += content } else { out += input[tagEnd..<close] }
            case let .stroke(owner, width, arrowhead):
                out.append(UInt8(ascii: "\""))
                out += strokes[owner].color
                out.append(UInt8(ascii: "\""))
                if width {
                    out += widthKey
                    out += arrowhead ? strokes[owner].arrowhead : strokes[owner].width
                    out.append(UInt8(ascii: "\""))
                }
            case .tooltip(let owner):
                out += Array(tooltip(owner).utf8)
            }
        }
        out += input[copied...]
        // The caption goes inside the graph's group, just before the document closes.
        let tail = Array("</g>\n</svg>\n".utf8)
        if !frame.caption.isEmpty, let box = layout.geometry.caption, out.count >= tail.count, Array(out.suffix(tail.count)) == tail {
            out.removeLast(tail.count)
            out += Array(caption(frame.caption, box: box).utf8)
            out += tail
        }
        return out
    }

    /// `String(format: "%.2f", x)`, the same digits from C's formatter, without Foundation's
    /// format parsing (which costs more than the rest of a frame's caption).
    static func fixed(_ x: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let n = withVaList([x]) { vsnprintf(buffer.baseAddress!, 64, "%.2f", $0) }
            return n > 0 && n < 64 ? String(cString: buffer.baseAddress!) : String(format: "%.2f", x)
        }
    }

    /// Four hex digits at `index`, followed by a quote.
    static func hex(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 4 < bytes.count, bytes[index + 4] == UInt8(ascii: "\"") else { return nil }
        return Int(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
    }

    /// The caption as SVG text, centred in the caption's box: scripts are smaller runs moved
    /// with `dy`, which Chromium and Firefox honour alike.
    func caption(_ lines: [Line], box: DiagramGeometry.Box) -> String {
        let size = theme.captionSize
        let small = (size * 0.72).rounded()
        let center = layout.geometry.graphvizPoint(box.center)
        let pitch = (size * 1.45).rounded()
        let top = -center.y - pitch * Double(lines.count) / 2
        let family = MathText.htmlEscape("\(theme.fontFamily), Verdana, Arial, sans-serif")
        var out = "<g id=\"caption\" class=\"caption\">\n"
        for (k, line) in lines.enumerated() {
            let baseline = top + pitch * (Double(k) + 0.75)
            let color = line.hidden ? theme.color("dimmed") : LabelBuilder(theme: theme).color(for: Line(line.text, role: line.role == .title ? .title : .value))
            out += "<text text-anchor=\"middle\" x=\"\(DeckTemplate.fixed(center.x))\" y=\"\(DeckTemplate.fixed(baseline))\" font-family=\"\(family)\" font-size=\"\(DeckTemplate.fixed(size))\" fill=\"\(color)\"\(line.role == .title ? " font-weight=\"bold\"" : "") xml:space=\"preserve\">"
            var shift = 0.0
            var spans: [MathText.Span] = []
            for span in line.text.spans where !span.text.isEmpty {
                if span.position == .base, spans.last?.position == .base { spans[spans.count - 1].text += span.text } else { spans.append(span) }
            }
            for span in spans {
                let target: Double
                switch span.position {
                case .base: target = 0
                case .sub: target = SVGTypography.subscriptDrop * small
                case .sup: target = -SVGTypography.superscriptRise * small
                }
                let dy = target - shift
                shift = target
                out += "<tspan" + (span.position == .base ? "" : " font-size=\"\(DeckTemplate.fixed(small))\"")
                    + (dy == 0 ? "" : " dy=\"\(DeckTemplate.fixed(dy))\"") + ">" + MathText.htmlEscape(span.text) + "</tspan>"
            }
            out += "</text>\n"
        }
        return out + "</g>\n"
    }
}
