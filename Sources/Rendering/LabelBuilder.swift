import Annotation
import Graphviz

/// Turns the annotation's lines into Graphviz HTML-like labels in a theme's fonts and
/// colours. Sub- and superscripts get an explicit smaller size, so Graphviz measures them
/// at the size they are drawn (the SVG pass then only has to shift them).
struct LabelBuilder {
    let theme: Theme

    func math(_ text: MathText, color: String, size: Double, bold: Bool = false) -> HTML {
        var parts: [HTML] = []
        for span in text.spans where !span.text.isEmpty {
            switch span.position {
            case .base: parts.append(.text(span.text))
            case .sub: parts.append(.font(.sub(.text(span.text)), size: (size * 0.72).rounded()))
            case .sup: parts.append(.font(.sup(.text(span.text)), size: (size * 0.72).rounded()))
            }
        }
        let body: HTML = bold ? .bold(.sequence(parts)) : .sequence(parts)
        return .font(body, color: color, size: size)
    }

    func color(for line: Line) -> String {
        if line.hidden { return theme.color("dimmed") }
        switch line.role {
        case .title, .value: return theme.color("value")
        case .gradient: return theme.color("gradient")
        case .note: return theme.color("header")
        case .update: return theme.color("positive")
        }
    }

    /// A stack of lines as a borderless table; `background` masks edges drawn behind it.
    func lines(_ lines: [Line], background: String? = nil, dimmed: Bool = false, size: Double? = nil,
               align: String = "LEFT", padding: Int = 1) -> HTML {
        let base = size ?? theme.fontSize
        let rows: [[HTML.Cell]] = lines.map { line in
            let c = dimmed ? theme.color("dimmed") : color(for: line)
            let s = line.role == .note ? theme.smallSize : base
            return [HTML.Cell(math(line.text, color: c, size: s, bold: line.role == .title), attributes: ["ALIGN": align])]
        }
        var attributes = ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": String(padding)]
        if let background { attributes["BGCOLOR"] = background }
        return .table(HTML.Table(rows: rows.isEmpty ? [[HTML.Cell(.text(" "))]] : rows, attributes: attributes))
    }
}
