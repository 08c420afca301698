import Annotation
import Graphviz

/// Turns the annotation's lines into Graphviz HTML-like labels in a theme's fonts and
/// colours. Sub- and superscripts get an explicit smaller size, so Graphviz measures them
/// at the size they are drawn.
///
/// Two ways to mark scripts and bold text, because Graphviz 2.43's Pango plugin leaks two
/// allocations for every text run it lays out with a font flag (<B>, <SUB>, <SUP>: the
/// results of pango_parse_markup are never freed), about 50 kB per render of the worked
/// example:
/// - `.tags` uses <SUB>, <SUP> and <B>, which Cairo draws shifted and bold: PNG and PDF.
/// - `.faces` names the face instead — `DejaVu Sans,sub` (a family list whose first entry
///   measures exactly like the plain font) and `DejaVu Sans Bold` — which leaks nothing; the
///   SVG pass turns the faces back into shifts and weights. Measuring and SVG use it.
struct LabelBuilder {
    enum ScriptStyle { case tags, faces }

    let theme: Theme
    var style: ScriptStyle = .faces

    static let subFace = ",sub", supFace = ",sup", boldFace = " Bold"
    static let pangoScriptCompensation = 1.2

    /// `value` (a line's ` = value`) is drawn after the text as a run of its own, in
    /// `valueColor` when given: a deck template marks values so frames can swap them.
    func math(_ text: MathText, color: String, size: Double, bold: Bool = false, value: String? = nil, valueColor: String? = nil) -> HTML {
        var parts: [HTML] = []
        let small = (size * 0.72).rounded()
        let family = theme.fontFamily
        // Neighbouring base runs become one run (one text element in the SVG).
        var spans: [MathText.Span] = []
        for span in text.spans where !span.text.isEmpty {
            if span.position == .base, let last = spans.last, last.position == .base {
                spans[spans.count - 1].text += span.text
            } else {
                spans.append(span)
            }
        }
        // Without its own colour the value joins the text's last run (one text element).
        var valueRun = value
        if valueColor == nil, let run = valueRun {
            if spans.last?.position == .base { spans[spans.count - 1].text += run } else { spans.append(.init(run)) }
            valueRun = nil
        }
        for span in spans {
            switch (span.position, style) {
            case (.base, .tags): parts.append(.text(span.text))
            case (.base, .faces): parts.append(bold ? .font(.text(span.text), face: family + Self.boldFace) : .text(span.text))
            // Pango draws <sub>/<sup> at 1/1.2 of the surrounding size (measured with
            // Graphviz 2.43 and Pango 1.50): ask for 1.2 × so scripts match the SVG's.
            case (.sub, .tags): parts.append(.font(.sub(.text(span.text)), size: small * Self.pangoScriptCompensation))
            case (.sup, .tags): parts.append(.font(.sup(.text(span.text)), size: small * Self.pangoScriptCompensation))
            case (.sub, .faces): parts.append(.font(.text(span.text), size: small, face: family + Self.subFace))
            case (.sup, .faces): parts.append(.font(.text(span.text), size: small, face: family + Self.supFace))
            }
        }
        var body: HTML = bold && style == .tags ? .bold(.sequence(parts)) : .sequence(parts)
        if let valueRun {
            let run: HTML = bold && style == .faces ? .font(.text(valueRun), face: family + Self.boldFace) : .text(valueRun)
            body = .sequence([body, .font(bold && style == .tags ? .bold(run) : run, color: valueColor ?? color)])
        }
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
    /// `markers` gives each line a (symbol, value) colour pair instead of its own colours:
    /// see DeckTemplate.
    func lines(_ lines: [Line], background: String? = nil, dimmed: Bool = false, size: Double? = nil,
               align: String = "LEFT", padding: Int = 1, markers: [(String, String?)]? = nil, width: Double? = nil) -> HTML {
        let base = size ?? theme.fontSize
        let rows: [[HTML.Cell]] = lines.enumerated().map { k, line in
            let c = markers?[k].0 ?? (dimmed ? theme.color("dimmed") : color(for: line))
            let s = line.role == .note ? theme.smallSize : base
            return [HTML.Cell(math(line.symbol, color: c, size: s, bold: line.role == .title, value: line.valueText, valueColor: markers?[k].1 ?? nil),
                              attributes: ["ALIGN": align])]
        }
        var attributes = ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": String(padding)]
        if let background { attributes["BGCOLOR"] = background }
        // As wide as the box: left-aligned lines then start at the same x in every node of a
        // column, instead of each label being centred on its own width.
        if let width, width >= 1 { attributes["WIDTH"] = String(Int(width.rounded(.down))) }
        return .table(HTML.Table(rows: rows.isEmpty ? [[HTML.Cell(.text(" "))]] : rows, attributes: attributes))
    }
}
