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

    private struct TextMarker { var owner: String; var line: Int; var isValue: Bool }

    private let template: [UInt8]
    private let textPrefix: String
    private let strokePrefix: String
    private let textMarkers: [TextMarker]
    private let strokeOwners: [String]
    private let tooltipOwners: [String]
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
        var strokes: [String] = []
        var tooltips: [String] = []
        func mark(_ owner: String, _ lines: [Line]) {
            markers.lines[owner] = lines.indices.map { k in
                texts.append(TextMarker(owner: owner, line: k, isValue: false))
                let symbol = DeckTemplate.color(textPrefix, texts.count - 1)
                guard lines[k].value != nil else { return (symbol, nil) }
                texts.append(TextMarker(owner: owner, line: k, isValue: true))
                return (symbol, DeckTemplate.color(textPrefix, texts.count - 1))
            }
            markers.strokes[owner] = DeckTemplate.color(strokePrefix, strokes.count)
            strokes.append(owner)
            markers.tooltips[owner] = "@@T\(tooltips.count)@@"
            tooltips.append(owner)
        }
        for node in base.nodes { mark(node.id.raw, node.lines) }
        for edge in base.edges { mark(edge.id.raw, edge.lines) }
        guard texts.count < 0xFFFF, strokes.count < 0xFFFF else { return nil }
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
        guard found.texts == Set(texts.indices), found.strokes == Set(strokes.indices), found.tooltips == Set(tooltips.indices) else {
            return nil
        }
        textMarkers = texts
        strokeOwners = strokes
        self.textPrefix = textPrefix
        self.strokePrefix = strokePrefix
        tooltipOwners = tooltips
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
                if let end = svg.firstIndex(of: Array("@@".utf8), from: i + 3),
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

    /// The SVG of one frame, as bytes: one pass over the template.
    func bytes(for frame: Diagram) -> [UInt8] {
        var nodes: [String: DiagramNode] = [:], edges: [String: DiagramEdge] = [:]
        for n in frame.nodes { nodes[n.id.raw] = n }
        for e in frame.edges { edges[e.id.raw] = e }
        func lines(_ owner: String) -> ([Line], Bool) {
            if let n = nodes[owner] { return (n.lines, n.emphasis.dimmed) }
            if let e = edges[owner] { return (e.lines, e.emphasis.dimmed) }
            return ([], false)
        }
        // Each owner's stroke in this frame, computed once.
        let strokes: [(String, String)] = strokeOwners.map { owner in
            if let n = nodes[owner] {
                let paint = builder.nodePaint(n)
                return (paint.border, builder.f(paint.penwidth))
            }
            if let e = edges[owner] {
                let paint = builder.edgePaint(e)
                return (paint.color, builder.f(paint.penwidth, digits: 3))
            }
            return (theme.color("edge"), "1")
        }
        func tooltip(_ owner: String) -> String {
            // A literal newline in an attribute reads as a space (XML attribute normalisation);
            // Graphviz writes &#10;, and so does htmlEscape.
            MathText.htmlEscape(nodes[owner]?.tooltip ?? edges[owner]?.tooltip ?? "")
        }

        let input = template
        var out: [UInt8] = []
        out.reserveCapacity(input.count + 4096)
        let textOpen = Array("<text ".utf8), textClose = Array("</text>".utf8)
        let textFill = Array("fill=\"\(textPrefix)".utf8)
        let strokeMark = Array("\"\(strokePrefix)".utf8), widthKey = Array(" stroke-width=\"".utf8)
        let tipMark = Array("@@T".utf8)
        // Bytes the frame keeps are copied in runs, from `copied` up to the next change.
        var i = 0, copied = 0
        func flush() { out += input[copied..<i] }
        /// The first `needle` that lies wholly inside `range`.
        func find(_ needle: [UInt8], in range: Range<Int>) -> Int? {
            var k = range.lowerBound
            while k + needle.count <= range.upperBound {
                if input[k] == needle[0] && input.starts(with: needle, at: k) { return k }
                k += 1
            }
            return nil
        }
        while i < input.count {
            let byte = input[i]
            guard byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "@") else { i += 1; continue }
            if byte == UInt8(ascii: "<"), input.starts(with: textOpen, at: i),
               let end = input.firstIndex(of: UInt8(ascii: ">"), from: i),
               let close = input.firstIndex(of: textClose, from: end) {
                // The marker's four digits and closing quote lie inside the tag.
                if let at = find(textFill, in: i..<(end + 1)), at + textFill.count + 4 <= end,
                   let index = DeckTemplate.hex(input, at: at + textFill.count), index < textMarkers.count {
                    var tag = Array(input[i...end])
                    var content = Array(input[(end + 1)..<close])
                    let marker = textMarkers[index]
                    let (frameLines, dimmed) = lines(marker.owner)
                    let color: String
                    if marker.line < frameLines.count {
                        let line = frameLines[marker.line]
                        color = line.hidden || dimmed ? theme.color("dimmed") : LabelBuilder(theme: theme).color(for: line)
                        // Graphviz writes the run's leading space as &#160;.
                        if marker.isValue, line.hidden, let value = line.valueText {
                            content = Array(("&#160;" + MathText.htmlEscape(String(value.dropFirst()))).utf8)
                        }
                    } else {
                        color = "none"
                    }
                    let valueStart = at - i + 6   // after fill="
                    tag.replaceSubrange(valueStart..<(valueStart + 7), with: Array(color.utf8))
                    flush()
                    out += tag
                    out += content
                    copied = close
                }
                i = close
                continue
            }
            if byte == UInt8(ascii: "\""), input.starts(with: strokeMark, at: i), let index = DeckTemplate.hex(input, at: i + 4),
               index < strokeOwners.count {
                flush()
                let (color, width) = strokes[index]
                out += Array("\"\(color)\"".utf8)
                i += 4 + 4 + 1
                if input.starts(with: widthKey, at: i), let q = input.firstIndex(of: UInt8(ascii: "\""), from: i + widthKey.count) {
                    out += widthKey + Array(width.utf8) + [UInt8(ascii: "\"")]
                    i = q + 1
                }
                copied = i
                continue
            }
            if byte == UInt8(ascii: "@"), input.starts(with: tipMark, at: i),
               let end = input.firstIndex(of: Array("@@".utf8), from: i + 3),
               let index = Int(String(decoding: input[(i + 3)..<end], as: UTF8.self)), index < tooltipOwners.count {
                flush()
                out += Array(tooltip(tooltipOwners[index]).utf8)
                i = end + 2
                copied = i
                continue
            }
            i += 1
        }
        flush()
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
        let size = theme.fontSize * 1.07
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
