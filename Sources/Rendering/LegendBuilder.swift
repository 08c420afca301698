import Annotation
import Graphviz

/// The flow and layers views' key, drawn as a small table: a sample of each stroke, in the
/// colour and dash the edges use, beside what it means.
struct LegendBuilder {
    let theme: Theme
    var style: LabelBuilder.ScriptStyle = .faces
    /// See `LabelBuilder.lineSizes`.
    var lineSizes: [MarkupKey: Size] = [:]
    /// The text column's width in points, padding included, as `browserTextWidth` finds it;
    /// nil leaves it to Graphviz's own measure.
    var textWidth: Int?

    /// The legend: each key's stroke sample beside what it means, then the notes, each with
    /// its swatch when it explains how something is drawn.
    func html(_ legend: Legend) -> HTML {
        let texts = self.texts(legend)
        var rows: [[HTML.Cell]] = []
        for (key, text) in zip(legend.keys, texts) {
            rows.append([HTML.Cell(.table(sample(key.stroke))), textCell(text)])
        }
        for (entry, text) in zip(legend.entries, texts.dropFirst(legend.keys.count)) {
            rows.append([entry.swatch.map { HTML.Cell(.table(swatch($0))) } ?? HTML.Cell(.text(" ")), textCell(text)])
        }
        return .table(HTML.Table(rows: rows, attributes: ["BORDER": "1", "CELLBORDER": "0", "CELLSPACING": "2", "CELLPADDING": String(Self.padding),
                                                          "COLOR": theme.color("dimmed"), "BGCOLOR": theme.color("background")]))
    }

    /// Each cell's padding, in points.
    static let padding = 2

    /// The text of every row, the keys' first, then the entries'.
    func texts(_ legend: Legend) -> [HTML] {
        let labels = LabelBuilder(theme: theme, style: style, lineSizes: lineSizes)
        let small = theme.edgeLabelSize
        return (legend.keys.map(\.text) + legend.entries.map(\.text)).map { labels.math($0, color: theme.color("text"), size: small) }
    }

    /// A text cell on the legend's own background: the fill drawn right behind its text, so
    /// a reader of the SVG (and a contrast check) finds the text on the background rather
    /// than on the swatch drawn just before it. `textWidth`, when known, keeps the column
    /// wide enough for the text as browsers draw it.
    func textCell(_ content: HTML) -> HTML.Cell {
        var attributes = ["ALIGN": "LEFT", "BGCOLOR": theme.color("background")]
        if let textWidth { attributes["WIDTH"] = String(textWidth) }
        return HTML.Cell(content, attributes: attributes)
    }

    /// An entry's swatch, painted by the functions that paint the nodes (GraphBuilder): the
    /// shading from no gradient to the largest, in three cells; or a small node of a unit
    /// with that health — a dead ReLU's tinted fill and grey dashed border, a saturated
    /// unit's dashed border — its border held to 3 : 1 against the legend as a graphic.
    func swatch(_ swatch: Legend.Entry.Swatch) -> HTML.Table {
        let painter = GraphBuilder(theme: theme)
        let plain = ["BORDER": "1", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0"]
        switch swatch {
        case .shading:
            let cells = [0.0, 0.5, 1.0].map { HTML.Cell(.text(" "), attributes: ["BGCOLOR": painter.shadeFill($0), "WIDTH": "9", "HEIGHT": "9"]) }
            return HTML.Table(rows: [cells], attributes: plain.merging(["COLOR": theme.color("node_border")]) { _, b in b })
        case .node(let health):
            var unit = DiagramNode(id: NodeID("legend_swatch"), kind: .neuron, column: 0, row: 0, lines: [], tooltip: "")
            unit.health = health
            let paint = painter.nodePaint(unit)
            // The border drawn in cells, as the stroke samples are: Graphviz 2.43's JSON
            // output crashes on a table with a dashed STYLE. Dashed top and bottom when the
            // node's border is dashed, solid sides.
            let dashed = paint.style.split(separator: ",").contains("dashed")
            let edge: [(Int, Int, String?)] = dashed ? [(4, 1, paint.border), (2, 1, nil), (4, 1, paint.border), (2, 1, nil), (5, 1, paint.border), (2, 1, nil),
                                                        (4, 1, paint.border), (2, 1, nil), (4, 1, paint.border)] : [(29, 1, paint.border)]
            let body: [(Int, Int, String?)] = [(1, 11, paint.border), (27, 11, paint.fill), (1, 11, paint.border)]
            return HTML.Table(rows: [edge, body, edge].map { [HTML.Cell(.table(strip($0)))] },
                              attributes: ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0"])
        }
    }

    /// A row of cells of fixed sizes, each painted in its colour or left empty, fixed at its
    /// own size: a table in a wider column would otherwise be stretched, and Graphviz would
    /// spread the stretch as gaps between the pieces.
    func strip(_ pieces: [(width: Int, height: Int, color: String?)]) -> HTML.Table {
        let cells = pieces.map { width, height, color in
            var attributes = ["WIDTH": String(width), "HEIGHT": String(height), "FIXEDSIZE": "TRUE"]
            if let color { attributes["BGCOLOR"] = color }
            return HTML.Cell(.text(""), attributes: attributes)
        }
        let width = pieces.reduce(0) { $0 + $1.width }, height = pieces.map(\.height).max() ?? 1
        return HTML.Table(rows: [cells], attributes: ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0",
                                                      "FIXEDSIZE": "TRUE", "WIDTH": String(width), "HEIGHT": String(height)])
    }

    // MARK: - Room for browsers

    /// How many times larger `browserTextWidth` measures the texts.
    static let browserScale = 16.0

    /// The text column's width, padding included, that holds every row as browsers draw it.
    ///
    /// Graphviz measures text with Pango using hinted metrics: every glyph's advance is rounded
    /// to a whole pixel at 96 dpi, up to 0.375 pt per glyph off the font's own advance, which
    /// is what Chromium and Firefox use in SVG. Over a legend line of 70 glyphs that adds up to
    /// several points (the xor flow view's "width: thinnest …" line measured 386 pt and was
    /// drawn 394 pt wide, past the border; at 10 pt text a line came out 3.4 % wider, and a
    /// run of "i"s 10 %). The rounding is the same absolute amount at any size, so the texts
    /// are measured at 16 times their size and scaled back: within 0.375/16 pt a glyph of the
    /// font's own widths (Chromium and Firefox drew the legend's lines within 0.6 pt of that).
    /// That residue per glyph, and a point for the browsers' own rounding, are added.
    func browserTextWidth(_ legend: Legend) throws -> Int {
        let k = Self.browserScale
        let texts = self.texts(legend)
        let glyphs = (legend.keys.map(\.text) + legend.entries.map(\.text)).map { $0.plain.count }
        let attributes = GraphBuilder.plainText.merging(["fontname": .text(theme.fontFamily), "fontsize": .text(String(theme.fontSize * k))]) { _, b in b }
        let sizes = try GraphvizEngine.measure(texts.map { .html(Self.scaled($0, by: k)) }, nodeAttributes: attributes)
        let widest = zip(sizes, glyphs).map { size, count in size.width / k + Double(count) * 0.375 / k + 1 }.max() ?? 0
        return Int((widest + Double(2 * Self.padding)).rounded(.up))
    }

    /// `html` drawn `k` times as large: font sizes and a table's spacing, padding, borders and
    /// fixed sizes (whole points, which is why `k` should be large).
    static func scaled(_ html: HTML, by k: Double) -> HTML {
        func table(_ t: HTML.Table) -> HTML.Table {
            var t = t
            t.attributes = attributes(t.attributes)
            t.rows = t.rows.map { $0.map { cell in
                var cell = cell
                cell.attributes = attributes(cell.attributes)
                cell.content = scaled(cell.content, by: k)
                return cell
            } }
            return t
        }
        func attributes(_ a: [String: String]) -> [String: String] {
            var a = a
            for name in ["BORDER", "CELLBORDER", "CELLSPACING", "CELLPADDING", "WIDTH", "HEIGHT"] {
                if let value = a[name].flatMap(Double.init) { a[name] = String(Int((value * k).rounded())) }
            }
            return a
        }
        switch html {
        case .text, .raw, .lineBreak: return html
        case .sub(let inner): return .sub(scaled(inner, by: k))
        case .sup(let inner): return .sup(scaled(inner, by: k))
        case .bold(let inner): return .bold(scaled(inner, by: k))
        case .italic(let inner): return .italic(scaled(inner, by: k))
        case let .font(inner, color, size, face): return .font(scaled(inner, by: k), color: color, size: size.map { $0 * k }, face: face)
        case .sequence(let parts): return .sequence(parts.map { scaled($0, by: k) })
        case .table(let t): return .table(table(t))
        }
    }

    /// A sample of a stroke drawn as filled cells in the edges' colour — a graphic, held to
    /// WCAG's 3 : 1 for graphics, instead of a text glyph (held to 4.5 : 1, and drawn in
    /// whatever font the viewer has): solid for a positive gradient, dashed for a negative
    /// one, dotted for zero, and for a size a thin bar beside a thick one, as the edges' widths.
    func sample(_ stroke: Flow.Stroke) -> HTML.Table {
        let color = GraphBuilder.strokePaint(stroke, theme: theme).color
        // (width, height, painted) of each cell, left to right, 22 points in all.
        let pieces: [(Int, Int, Bool)]
        switch stroke {
        case .positive: pieces = [(22, 3, true)]
        case .negative: pieces = [(6, 3, true), (2, 3, false), (6, 3, true), (2, 3, false), (6, 3, true)]
        case .zero: pieces = [(3, 3, true), (3, 3, false), (3, 3, true), (3, 3, false), (3, 3, true), (3, 3, false), (4, 3, true)]
        case .magnitude: pieces = [(8, 1, true), (4, 1, false), (10, 5, true)]
        }
        return strip(pieces.map { ($0.0, $0.1, $0.2 ? color : nil) })
    }
}
