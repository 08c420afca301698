import Annotation
import Foundation
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
///   measures exactly like the plain font), `DejaVu Sans Bold` and, for a script in a bold
///   line, `DejaVu Sans,sub Bold` — which leaks nothing; the SVG pass turns the faces back
///   into shifts and weights. Measuring and SVG use it.
struct LabelBuilder {
    enum ScriptStyle { case tags, faces }

    let theme: Theme
    var style: ScriptStyle = .faces
    /// The natural size of each line with stacked scripts, by `sizeKey`, as Graphviz measured
    /// it (see `stackedLines(in:)`): such a line is a table, and Graphviz stretches a table to
    /// the width of its cell, spreading the extra width between the symbol, the stack and the
    /// value. A line table of a known size is fixed at it and keeps its runs together.
    var lineSizes: [MarkupKey: Size] = [:]

    static let subFace = ",sub", supFace = ",sup", boldFace = " Bold"
    static let pangoScriptCompensation = 1.2

    /// `value` (a line's ` = value`) is drawn after the text as a run of its own, in
    /// `valueColor` when given: a deck template marks values so frames can swap them.
    ///
    /// A subscript and a superscript on the same symbol (w₁₁⁽¹⁾) are stacked, as textbooks set
    /// them: the line becomes a one-row table whose stack cell holds the superscript above the
    /// subscript, both starting right after the symbol, the stack as wide as the wider. Graphviz
    /// measures and places the cells itself, so every output (SVG, PNG, PDF) stacks alike and
    /// the label's box has the stacked width.
    /// `align`: where a line of a known size sits in a wider cell (LEFT, CENTER or RIGHT).
    /// `stack`: false sets scripts one after the other (see `lines`).
    /// With `lineSizes` (drawing, not measuring), a stacked line drawn with faces comes back
    /// as its markup (`.raw`), not as a tree: nothing looks into a label drawn at known sizes.
    func math(_ text: MathText, color: String, size: Double, bold: Bool = false, value: String? = nil, valueColor: String? = nil,
              align: String? = nil, stack: Bool = true) -> HTML {
        let small = (size * 0.72).rounded()
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
        let pieces = Self.pieces(spans)
        guard stack, pieces.contains(where: { if case .stack = $0 { true } else { false } }) else {
            return run(spans, color: color, size: size, small: small, bold: bold, value: valueRun, valueColor: valueColor)
        }
        var cells: [HTML.Cell] = []
        for (k, piece) in pieces.enumerated() {
            let last = k == pieces.count - 1
            switch piece {
            case .runs(let runs):
                cells.append(HTML.Cell(run(runs, color: color, size: size, small: small, bold: bold,
                                           value: last ? valueRun : nil, valueColor: valueColor)))
            case let .stack(sub, sup):
                cells.append(HTML.Cell(.table(stackTable(sub: sub, sup: sup, color: color, small: small, bold: bold))))
                if last, let valueRun {
                    cells.append(HTML.Cell(run([], color: color, size: size, small: small, bold: bold, value: valueRun, valueColor: valueColor)))
                }
            }
        }
        var table = HTML.Table(rows: [cells], attributes: Self.lineAttributes)
        guard !lineSizes.isEmpty else { return .table(table) }
        func fix(_ known: Size) { Self.fix(&table, at: known, align: align) }
        // Sizes are measured with faces, without colours and with the value in the text's
        // last run (see `sizeKey`): PNG's tags and a deck's marker colours draw the same
        // glyphs at the same size.
        guard style == .faces && valueColor == nil else {
            var measured = self
            measured.style = .faces
            measured.lineSizes = [:]
            if let key = Self.sizeKey(measured.math(text, color: "#000000", size: size, bold: bold, value: value)), let known = lineSizes[key] { fix(known) }
            return .table(table)
        }
        // Drawn with faces and the value in the last run (SVG), the line is that markup
        // already, but for its colours: written once, its key scanned out of it, and the line
        // kept as that markup with its start tag rewritten to fix the size (a large net's
        // lines were written twice, for the key and in their label).
        var line = MarkupBytes()
        table.writeStart(to: &line)
        let startLength = line.bytes.count
        for row in table.rows { HTML.Table.write(row: row, to: &line) }
        line.append("</TABLE>")
        guard let known = lineSizes[line.bytes.withUnsafeBufferPointer(Self.key(ofLine:))] else { return .raw(line.string) }
        var fixed = MarkupBytes(capacity: line.bytes.count + 64)
        Self.appendFixed(table, at: known, align: align, body: startLength..<line.bytes.count, of: line, to: &fixed)
        return .raw(fixed.string)
    }

    /// A stacked line's size key from its markup: the markup without its colours, as
    /// `sizeKey` writes it.
    static func key(ofLine markup: UnsafeBufferPointer<UInt8>) -> MarkupKey {
        var key = MarkupBytes(capacity: markup.count, omitsColors: true)
        MarkupBytes.withoutColors(markup, into: &key)
        return MarkupKey(key.string)
    }

    /// A stacked line fixed at its measured size: a start tag that fixes `table` at `size`
    /// (see `fix`), then the line's markup after its own start tag (`markup[body]`).
    static func appendFixed(_ table: HTML.Table, at size: Size, align: String?, body: Range<Int>, of markup: MarkupBytes, to out: inout MarkupBytes) {
        var table = table
        fix(&table, at: size, align: align)
        table.writeStart(to: &out)
        out.append(markup, range: body)
    }

    /// A stacked line's table fixed at its measured size (`known`), placed by `align` in a
    /// wider cell.
    static func fix(_ table: inout HTML.Table, at known: Size, align: String?) {
        table.attributes["FIXEDSIZE"] = "TRUE"
        table.attributes["WIDTH"] = String(Int(known.width.rounded(.up)))
        table.attributes["HEIGHT"] = String(Int(known.height.rounded(.up)))
        if let align { table.attributes["ALIGN"] = align }
    }

    /// A label `lines` made, written once: its markup and where each stacked line is in it,
    /// from which come both the lines' size keys and, once they are sized, the markup as
    /// drawn (writing a large net's labels for each was a third of sizing them).
    struct WrittenLabel {
        var markup: MarkupBytes
        /// Each stacked line (in the order of `stackedLines(in:)`): where its markup is, and
        /// the alignment of the cell that holds it.
        var lines: [(range: Range<Int>, table: HTML.Table, align: String?)]

        /// Each stacked line's size key: its markup without colours, as `sizeKey` gives it.
        var keys: [MarkupKey] {
            markup.bytes.withUnsafeBufferPointer { bytes in
                lines.map { LabelBuilder.key(ofLine: UnsafeBufferPointer(rebasing: bytes[$0.range])) }
            }
        }

        /// The markup with each stacked line fixed at its size (`sizes`, one per line): what
        /// `lines` gives once `lineSizes` holds them (see `math`, which rewrites a line's start
        /// tag the same way).
        func fixed(_ sizes: [Size]) -> String {
            var out = MarkupBytes(capacity: markup.bytes.count + 64 * lines.count)
            var copied = 0
            for (line, size) in zip(lines, sizes) {
                out.append(markup, range: copied..<line.range.lowerBound)
                // The original start tag ends at its first ">": values are escaped (`&gt;`).
                let tagEnd = markup.bytes[line.range].firstIndex(of: UInt8(ascii: ">"))! + 1
                LabelBuilder.appendFixed(line.table, at: size, align: line.align, body: tagEnd..<line.range.upperBound, of: markup, to: &out)
                copied = line.range.upperBound
            }
            out.append(markup, range: copied..<markup.bytes.count)
            return out.string
        }
    }

    /// A label as `lines` makes it (a table whose cells each hold a line: a stacked line or
    /// text) written once, or nil for a label of another shape.
    static func written(_ label: HTML) -> WrittenLabel? {
        guard case .table(let table) = label, !isStackedLine(table) else { return nil }
        var lines: [(range: Range<Int>, table: HTML.Table, align: String?)] = []
        for row in table.rows {
            for cell in row {
                if case .table(let line) = cell.content, isStackedLine(line) {
                    lines.append((0..<0, line, cell.attributes["ALIGN"]))
                } else if containsTable(cell.content) {
                    return nil
                }
            }
        }
        var out = MarkupBytes(capacity: 2048)
        table.writeStart(to: &out)
        var next = 0
        for row in table.rows {
            let contents = HTML.Table.write(row: row, to: &out)
            for (cell, range) in zip(row, contents) {
                if case .table(let line) = cell.content, isStackedLine(line) { lines[next].range = range; next += 1 }
            }
        }
        out.append("</TABLE>")
        return WrittenLabel(markup: out, lines: lines)
    }

    static func containsTable(_ html: HTML) -> Bool {
        switch html {
        case .table: return true
        case .font(let inner, _, _, _), .sub(let inner), .sup(let inner), .bold(let inner), .italic(let inner): return containsTable(inner)
        case .sequence(let parts): return parts.contains { containsTable($0) }
        case .text, .raw, .lineBreak: return false
        }
    }

    /// A line with stacked scripts is a one-row table with these attributes (and a stack in
    /// one of its cells); nothing else LabelBuilder draws has exactly these.
    static let lineAttributes = ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0"]

    /// The key of a stacked line's size: its markup without colours, or nil for any other HTML.
    static func sizeKey(_ html: HTML) -> MarkupKey? {
        guard case .table(let table) = html, isStackedLine(table) else { return nil }
        // Written without its colours in one pass: what `MarkupBytes.withoutColors` of its markup gives.
        var out = MarkupBytes(omitsColors: true)
        html.write(to: &out)
        return MarkupKey(out.string)
    }

    static func isStackedLine(_ table: HTML.Table) -> Bool {
        guard table.attributes == lineAttributes, table.rows.count == 1 else { return false }
        return table.rows[0].contains { cell in
            if case .table(let inner) = cell.content { return isStack(inner) }
            return false
        }
    }

    /// Every stacked line in a label, without colours, each with its size key: what
    /// GraphBuilder measures along with the labels, so `lineSizes` can fix each at its size.
    static func stackedLines(in html: HTML) -> [(key: MarkupKey, line: HTML)] {
        switch html {
        case .table(let table):
            if isStackedLine(table), let key = sizeKey(html) { return [(key, html)] }
            return table.rows.flatMap { $0.flatMap { stackedLines(in: $0.content) } }
        case .font(let inner, _, _, _), .sub(let inner), .sup(let inner), .bold(let inner), .italic(let inner):
            return stackedLines(in: inner)
        case .sequence(let parts): return parts.flatMap { stackedLines(in: $0) }
        case .text, .raw, .lineBreak: return []
        }
    }

    /// A line cut where scripts stack: runs drawn one after another, and stacks.
    enum Piece: Equatable {
        case runs([MathText.Span])
        case stack(sub: String, sup: String)
    }

    /// A subscript next to a superscript (either order) is a stack; every other span stays in
    /// a run, lone scripts shifted as before.
    static func pieces(_ spans: [MathText.Span]) -> [Piece] {
        var pieces: [Piece] = []
        var runs: [MathText.Span] = []
        var i = 0
        while i < spans.count {
            if i + 1 < spans.count, Self.isScriptPair(spans[i].position, spans[i + 1].position) {
                if !runs.isEmpty { pieces.append(.runs(runs)); runs = [] }
                let (a, b) = (spans[i], spans[i + 1])
                pieces.append(a.position == .sub ? .stack(sub: a.text, sup: b.text) : .stack(sub: b.text, sup: a.text))
                i += 2
            } else {
                runs.append(spans[i])
                i += 1
            }
        }
        if !runs.isEmpty { pieces.append(.runs(runs)) }
        return pieces
    }

    /// A subscript and a superscript, in either order (compared directly: a Set of the two
    /// for every span was a tenth of building a large net's labels).
    static func isScriptPair(_ a: MathText.Position, _ b: MathText.Position) -> Bool {
        (a == .sub && b == .sup) || (a == .sup && b == .sub)
    }

    /// Spans drawn one after another, lone scripts smaller and shifted, and the value after.
    func run(_ spans: [MathText.Span], color: String, size: Double, small: Double, bold: Bool, value: String?, valueColor: String?) -> HTML {
        var parts: [HTML] = []
        let family = theme.fontFamily
        for span in spans {
            switch (span.position, style) {
            case (.base, .tags): parts.append(.text(span.text))
            case (.base, .faces): parts.append(bold ? .font(.text(span.text), face: family + Self.boldFace) : .text(span.text))
            // Pango draws <sub>/<sup> at 1/1.2 of the surrounding size (measured with
            // Graphviz 2.43 and Pango 1.50): ask for 1.2 × so scripts match the SVG's.
            case (.sub, .tags): parts.append(.font(.sub(.text(span.text)), size: small * Self.pangoScriptCompensation))
            case (.sup, .tags): parts.append(.font(.sup(.text(span.text)), size: small * Self.pangoScriptCompensation))
            // In a bold line the script is bold too, as <B> draws it in PNG and PDF: the style
            // after the family list (`DejaVu Sans,sub Bold`) is what Pango reads as bold.
            case (.sub, .faces): parts.append(.font(.text(span.text), size: small, face: family + Self.subFace + (bold ? Self.boldFace : "")))
            case (.sup, .faces): parts.append(.font(.text(span.text), size: small, face: family + Self.supFace + (bold ? Self.boldFace : "")))
            }
        }
        var body: HTML = bold && style == .tags ? .bold(.sequence(parts)) : .sequence(parts)
        if let value {
            let run: HTML = bold && style == .faces ? .font(.text(value), face: family + Self.boldFace) : .text(value)
            body = .sequence([body, .font(bold && style == .tags ? .bold(run) : run, color: valueColor ?? color)])
        }
        return .font(body, color: color, size: size)
    }

    /// How far the stack's two rows overlap, as a fraction of the scripts' size: Pango's line
    /// box is about 1.2 × the size, so the rows' baselines end up about 0.9 × apart — the
    /// superscript about half its size above the symbol's baseline and the subscript a third
    /// below, as the lone scripts are set — and the stack is no taller than a line of text.
    static let stackOverlap = 0.3
    /// The empty rows above and below a stack, as a fraction of the scripts' size.
    static let stackPadding = 0.4
    /// The superscript's row height, as a fraction of the scripts' size.
    static let superscriptRow = 1.3

    /// The superscript above the subscript, both left-aligned. The overlap is a negative cell
    /// spacing, which Graphviz also applies at the stack's left and right edges: an empty
    /// column on each side gives that back, so the scripts start right at the symbol and the
    /// cell is exactly as wide as the wider script.
    ///
    /// Two nested tables, each one row or one column: Graphviz sizes such a table by taking
    /// maxima, but a table that is both several rows and several columns high (the single
    /// table this used to be, with its edge columns spanning the rows) is sized by network
    /// simplex on two auxiliary graphs, which was a sixth of a labelled 32-64-64-10's render.
    /// The outer row [edge | stack | edge] has no spacing and edges one overlap wide; the
    /// stack inside is one column with the negative spacing. Both shapes stretch alike when
    /// their cell is larger (the outer row spreads extra width over three columns as the
    /// single table did, the stack extra height over its four rows), so every picture is
    /// drawn exactly as before.
    func stackTable(sub: String, sup: String, color: String, small: Double, bold: Bool) -> HTML.Table {
        let overlap = Int((small * Self.stackOverlap).rounded())
        func script(_ text: String) -> HTML.Cell {
            let face: String? = bold && style == .faces ? theme.fontFamily + Self.boldFace : nil
            let body: HTML = bold && style == .tags ? .bold(.text(text)) : .text(text)
            return HTML.Cell(.font(body, color: color, size: small, face: face), attributes: ["ALIGN": "LEFT"])
        }
        // The superscript's row a little taller than its text, the text at its top: a point
        // more between the two scripts, so a superscript's parentheses clear the subscript.
        var raised = script(sup)
        raised.attributes["VALIGN"] = "TOP"
        raised.attributes["HEIGHT"] = String(Int((small * Self.superscriptRow).rounded()))
        // Empty rows above and below: a stack reaches higher and lower than a line of text,
        // so its line is made a little taller, to clear the lines around it. The room is the
        // stack's own (a taller row around it would stretch the stack instead).
        let pad = HTML.Cell(.text(""), attributes: ["HEIGHT": String(Int((small * Self.stackPadding).rounded()))])
        let stack = HTML.Table(rows: [[pad], [raised], [script(sub)], [pad]],
                               attributes: ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": String(-overlap), "CELLPADDING": "0"])
        let edge = HTML.Cell(.text(""), attributes: ["WIDTH": String(overlap)])
        return HTML.Table(rows: [[edge, HTML.Cell(.table(stack)), edge]], attributes: Self.stackAttributes)
    }

    /// The outer table of a stack (see `stackTable`); nothing else LabelBuilder draws is a
    /// one-row table of three cells with a negatively spaced table in the middle one.
    static let stackAttributes = ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0"]

    static func isStack(_ table: HTML.Table) -> Bool {
        guard table.rows.count == 1, table.rows[0].count == 3, case .table(let inner) = table.rows[0][1].content,
              let spacing = Int(inner.attributes["CELLSPACING"] ?? ""), spacing < 0 else { return false }
        return table.attributes == stackAttributes
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
               align: String = "LEFT", padding: Int = 1, markers: [(String, String?)]? = nil, width: Double? = nil,
               stack: Bool = true) -> HTML {
        let base = size ?? theme.fontSize
        let rows: [[HTML.Cell]] = lines.enumerated().map { k, line in
            let c = markers?[k].0 ?? (dimmed ? theme.color("dimmed") : color(for: line))
            let s = line.role == .note ? theme.smallSize : base
            return [HTML.Cell(math(line.symbol, color: c, size: s, bold: line.role == .title, value: line.valueText, valueColor: markers?[k].1 ?? nil,
                                   align: align, stack: stack),
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

/// Label markup as a dictionary key, hashed and compared by its UTF-8 bytes: String's own
/// hashing and comparison normalise non-ASCII text (∂, ⁽…) to NFC first, which cost more than
/// building the labels when a large net's ~20,000 were told apart. Equal keys are found
/// often (a deck repeats its labels), so equality is one memcmp, not a walk over UTF8View.
/// The bytes are hashed once, when the key is made: a growing dictionary rehashes every key
/// it holds, and a large net's keys are megabytes of markup.
struct MarkupKey: Hashable {
    let markup: String
    let hash: Int

    init(_ markup: String) {
        var markup = markup
        var hasher = Hasher()
        markup.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        self.markup = markup
        hash = hasher.finalize()
    }

    static func == (a: MarkupKey, b: MarkupKey) -> Bool {
        guard a.hash == b.hash else { return false }
        var x = a.markup, y = b.markup
        return x.withUTF8 { p in
            y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
        }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
