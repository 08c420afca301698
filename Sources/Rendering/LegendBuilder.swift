import Annotation
import Graphviz

/// The flow and layers views' key, drawn as a small table: a sample of each stroke, in the
/// colour and dash the edges use, beside what it means.
struct LegendBuilder {
    let theme: Theme
    var style: LabelBuilder.ScriptStyle = .faces

    /// `shaded`: the diagram shades its nodes (the flow view); the last legend entry, which
    /// explains the shading, then gets swatches of the fills actually drawn.
    func html(_ legend: Legend, shaded: Bool = false) -> HTML {
        let labels = LabelBuilder(theme: theme, style: style)
        let small = theme.fontSize * 0.86
        var rows: [[HTML.Cell]] = []
        for key in legend.keys {
            let paint = GraphBuilder.strokePaint(key.stroke, theme: theme)
            // A sample drawn in the edges' colour and dash.
            let sample = switch paint.style { case "dashed": "╍╍"; case "dotted": "┉┉"; default: "━━" }
            rows.append([HTML.Cell(.font(.text(sample), color: paint.color, size: small)),
                         HTML.Cell(labels.math(key.text, color: theme.color("text"), size: small), attributes: ["ALIGN": "LEFT"])])
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
            rows.append([swatch, HTML.Cell(labels.math(entry.text, color: theme.color("text"), size: small), attributes: ["ALIGN": "LEFT"])])
        }
        return .table(HTML.Table(rows: rows, attributes: ["BORDER": "1", "CELLBORDER": "0", "CELLSPACING": "2", "CELLPADDING": "2",
                                                          "COLOR": theme.color("dimmed"), "BGCOLOR": theme.color("background")]))
    }
}
