import Annotation
import Graphviz

/// The flow and layers views' key, drawn as a small table: a sample of each stroke, in the
/// colour and dash the edges use, beside what it means.
struct LegendBuilder {
    let theme: Theme
    var style: LabelBuilder.ScriptStyle = .faces
    /// See `LabelBuilder.lineSizes`.
    var lineSizes: [String: Size] = [:]

    /// `shaded`: the diagram shades its nodes (the flow view); the last legend entry, which
    /// explains the shading, then gets swatches of the fills actually drawn.
    func html(_ legend: Legend, shaded: Bool = false) -> HTML {
        let labels = LabelBuilder(theme: theme, style: style, lineSizes: lineSizes)
        let small = theme.fontSize * 0.86
        var rows: [[HTML.Cell]] = []
        for key in legend.keys {
            rows.append([HTML.Cell(.table(sample(key.stroke))),
                         textCell(labels.math(key.text, color: theme.color("text"), size: small))])
        }
        for (i, entry) in legend.entries.enumerated() {
            var swatch = HTML.Cell(.text(" "))
            if shaded && i == legend.entries.count - 1 {
                // From no gradient to the largest, as GraphBuilder fills the nodes.
                let painter = GraphBuilder(theme: theme)
                let cells = [0.0, 0.5, 1.0].map { HTML.Cell(.text(" "), attributes: ["BGCOLOR": painter.shadeFill($0), "WIDTH": "9", "HEIGHT": "9"]) }
                swatch = HTML.Cell(.table(HTML.Table(rows: [cells], attributes: ["BORDER": "1", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0",
                                                                                   "COLOR": theme.color("node_border")])))
            }
            rows.append([swatch, textCell(labels.math(entry.text, color: theme.color("text"), size: small))])
        }
        return .table(HTML.Table(rows: rows, attributes: ["BORDER": "1", "CELLBORDER": "0", "CELLSPACING": "2", "CELLPADDING": "2",
                                                          "COLOR": theme.color("dimmed"), "BGCOLOR": theme.color("background")]))
    }

    /// A text cell on the legend's own background: the fill drawn right behind its text, so
    /// a reader of the SVG (and a contrast check) finds the text on the background rather
    /// than on the swatch drawn just before it.
    func textCell(_ content: HTML) -> HTML.Cell {
        HTML.Cell(content, attributes: ["ALIGN": "LEFT", "BGCOLOR": theme.color("background")])
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
        let cells = pieces.map { width, height, painted in
            var attributes = ["WIDTH": String(width), "HEIGHT": String(height), "FIXEDSIZE": "TRUE"]
            if painted { attributes["BGCOLOR"] = color }
            return HTML.Cell(.text(""), attributes: attributes)
        }
        // Fixed at its own size: a table in a wider column would otherwise be stretched, and
        // Graphviz would spread the stretch as gaps between the pieces.
        let width = pieces.reduce(0) { $0 + $1.0 }, height = pieces.map(\.1).max() ?? 1
        return HTML.Table(rows: [cells], attributes: ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0",
                                                      "FIXEDSIZE": "TRUE", "WIDTH": String(width), "HEIGHT": String(height)])
    }
}
