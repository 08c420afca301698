import CGraphviz
import Foundation

/// The size `GraphvizEngine.measure` gives an HTML-like label, computed here instead of by
/// Graphviz: parsing and laying out a large net's ~20,000 labels in a graph of its own was a
/// Graphviz pass of its own (expat, the HTML parser, a node each), made before the real one.
///
/// It follows Graphviz 2.42's code step by step: the parser's fonts and text items
/// (htmlparse.y: pushFont, appendFItemList, appendFLineList, mkText; htmllex.c: attributes
/// read by strtol, text outside tags as one item), the sizing of text, cells and tables
/// (htmltable.c: size_html_txt, size_html_cell, processTbl, sizeLinearArray, size_html_tbl,
/// make_html_label) and of a plain-text node around the label (shapes.c poly_init, utils.c
/// gv_nodesize). Every span of text is measured by Graphviz itself, through `textspan_size`
/// and whichever text-layout plugin it would use (the text-metrics cache, or Pango), so the
/// numbers are those Graphviz would get, and the arithmetic on them is Graphviz's, in the
/// same order and the same types (cells and tables are whole points, text is not).
///
/// A label of any other shape — raw markup, a table inside a font, cells spanning rows or
/// columns, an attribute that changes a size and is not read here, an empty font — gets
/// `nil`: Graphviz measures it as before. A test compares every size with Graphviz's own.
package final class HTMLLabelSizer {
    /// The node's font (Graphviz's `env->finfo`): the font of text outside any `<FONT>`.
    let fontName: String
    let fontSize: Double

    /// Graphviz's answer for each span measured so far.
    private var spans: [SpanKey: GraphvizEngine.TextSpanMetrics] = [:]

    /// A sizer for labels of plain-text nodes with these attributes (`GraphvizEngine.measure`'s
    /// `nodeAttributes`), or nil when they ask for anything but a plain-text node without
    /// margin or minimum size, whose size is its label's.
    package init?(nodeAttributes: Attributes) {
        let plain: Attributes = ["shape": "plaintext", "margin": "0", "width": "0", "height": "0", "fixedsize": "false", "style": ""]
        var fontName = "Times-Roman", fontSize = 14.0
        for (key, value) in nodeAttributes {
            guard case .text(let text) = value else { return nil }
            switch key {
            case "fontname": fontName = text
            case "fontsize":
                // late_double: strtod, the default when nothing is read, at least MIN_FONTSIZE.
                guard let size = Self.strtod(text) else { continue }
                fontSize = max(size, 1.0)
            default: if plain[key] != value { return nil }
            }
        }
        guard plain.keys.allSatisfy({ nodeAttributes[$0] != nil }) else { return nil }
        self.fontName = fontName
        self.fontSize = fontSize
    }

    /// The label's size as `GraphvizEngine.measure` gives it, or nil for a label this does
    /// not size (see the type's note).
    package func size(_ label: HTML) throws -> Size? {
        var parsed: Parsed
        if case .table(let table) = label {
            guard let t = parseTable(table) else { return nil }
            parsed = .table(t)
        } else {
            guard let text = parseText(label), text.itemCount > 0 else { return nil }
            parsed = .text(text)
        }
        var missing: [SpanKey] = [], seen = Set<SpanKey>()
        forEachSpan(parsed) { key in if spans[key] == nil, seen.insert(key).inserted { missing.append(key) } }
        if !missing.isEmpty {
            let answers = try GraphvizEngine.textSpans(missing.map { ($0.font, $0.size, $0.flags, $0.text) })
            for (key, answer) in zip(missing, answers) { spans[key] = answer }
        }
        // make_html_label: the label is a box centred on the origin, its size twice the half.
        let dimen: (x: Double, y: Double)
        switch parsed {
        case .table(let t):
            let (w, h) = tableSize(t)
            dimen = (Double(w) / 2 * 2, Double(h) / 2 * 2)
        case .text(let t):
            let (w, h) = textSize(t, env: envFont)
            dimen = (w / 2 + w / 2, h / 2 + h / 2)
        }
        return Self.nodeSize(dimen)
    }

    /// The label's size, and the size each of its tables that `wanted` picks (in document
    /// order, none inside another picked one) would have as a label of its own — what
    /// `size` gives that table's markup — from one parse and one sizing: a table's size does
    /// not depend on what is around it. Nil for a label this does not size.
    package func size(_ label: HTML, withTables wanted: @escaping (HTML.Table) -> Bool) throws -> (size: Size, tables: [Size])? {
        picks = wanted
        picked = []
        defer { picks = nil; picked = [] }
        guard let size = try size(label) else { return nil }
        return (size, picked.map { Self.nodeSize((Double($0.0) / 2 * 2, Double($0.1) / 2 * 2)) })
    }

    /// While `size(_:withTables:)` runs: which tables to report, and their sizes so far.
    private var picks: ((HTML.Table) -> Bool)?
    private var picked: [(Int, Int)] = []

    /// Saves the text metrics measured while sizing (at the end of a Graphviz conversation,
    /// as every measurement is).
    package func finish() throws { try GraphvizEngine.saveTextMetrics() }

    // MARK: - The parsed label

    struct SpanKey: Hashable {
        var font: String
        var size: Double
        var flags: UInt32
        var text: String
    }

    /// A font as the parser keeps it (textfont_t): unset name nil, unset size -1.
    struct Font: Equatable {
        var name: String?
        var size: Double = -1
        var flags: UInt32 = 0
    }

    struct Item {
        var text: String
        var font: Font?
    }

    /// A cell's or a label's text: its lines (htmltxt_t's spans), each its items.
    struct Text {
        var lines: [[Item]] = []
        /// How many `textitem`s the grammar saw (a string, a line break, a font around text).
        var itemCount = 0
    }

    struct Cell {
        var content: Content
        var width = 0, height = 0
        var fixed = false
        var pad: Int?, border: Int?
    }

    enum Content {
        case text(Text)
        case table(Table)
    }

    struct Table {
        var rows: [[Cell]]
        var width = 0, height = 0
        var fixed = false
        var space: Int?, border: Int?, cellBorder: Int?, pad: Int?
        /// Its place among the tables `size(_:withTables:)` reports, if it is one.
        var pick: Int?
    }

    enum Parsed {
        case text(Text)
        case table(Table)
    }

    var envFont: Font { Font(name: fontName, size: fontSize, flags: 0) }

    // MARK: - Parsing, as htmllex.c and htmlparse.y do

    /// Attributes of `<TABLE>` and `<TD>` that change no size.
    static let sizeless: Set<String> = ["ALIGN", "VALIGN", "BALIGN", "BGCOLOR", "COLOR", "ID", "TITLE", "TOOLTIP", "HREF", "TARGET"]

    func parseTable(_ table: HTML.Table) -> Table? {
        guard !table.rows.isEmpty else { return nil }  // `rows : row+`
        var t = Table(rows: [])
        if let picks, picks(table) {
            t.pick = picked.count
            picked.append((0, 0))
            // Tables inside a picked one are not picked.
            self.picks = nil
            defer { self.picks = picks }
            return parseTable(table, into: t)
        }
        return parseTable(table, into: t)
    }

    private func parseTable(_ table: HTML.Table, into t: Table) -> Table? {
        var t = t
        for (key, value) in table.attributes {
            switch key {
            case "BORDER": if let v = Self.int(value, 0...255) { t.border = v }
            case "CELLBORDER": if let v = Self.int(value, 0...127) { t.cellBorder = v }
            case "CELLSPACING": if let v = Self.int(value, -128...127) { t.space = v }
            case "CELLPADDING": if let v = Self.int(value, 0...255) { t.pad = v }
            case "WIDTH": if let v = Self.int(value, 0...65535) { t.width = v }
            case "HEIGHT": if let v = Self.int(value, 0...65535) { t.height = v }
            case "FIXEDSIZE": guard let fixed = Self.fixedSize(value) else { return nil }; t.fixed = fixed
            default: guard Self.sizeless.contains(key) else { return nil }
            }
        }
        for row in table.rows {
            guard !row.isEmpty else { return nil }  // `cells : cell+`
            var cells: [Cell] = []
            for cell in row {
                guard let c = parseCell(cell) else { return nil }
                cells.append(c)
            }
            t.rows.append(cells)
        }
        return t
    }

    func parseCell(_ cell: HTML.Cell) -> Cell? {
        let content: Content
        if case .table(let table) = cell.content {
            guard let t = parseTable(table) else { return nil }
            content = .table(t)
        } else {
            // A cell may be empty (`T_cell T_end_cell`): no text at all.
            guard let text = parseText(cell.content) else { return nil }
            content = .text(text)
        }
        var c = Cell(content: content)
        for (key, value) in cell.attributes {
            switch key {
            case "BORDER": if let v = Self.int(value, 0...255) { c.border = v }
            case "CELLPADDING": if let v = Self.int(value, 0...255) { c.pad = v }
            case "CELLSPACING": if Self.int(value, -128...127) == nil { return nil }
            case "WIDTH": if let v = Self.int(value, 0...65535) { c.width = v }
            case "HEIGHT": if let v = Self.int(value, 0...65535) { c.height = v }
            case "FIXEDSIZE": guard let fixed = Self.fixedSize(value) else { return nil }; c.fixed = fixed
            // A span other than 1 would need the network-simplex sizing; no label uses one.
            case "COLSPAN", "ROWSPAN": guard value == "1" else { return nil }
            default: guard Self.sizeless.contains(key) else { return nil }
            }
        }
        return c
    }

    /// The parser's walk over text: character data between two tags is one item, in the font
    /// innermost at that point; `<BR/>` ends a line (an empty line holds one empty item).
    struct TextWalk {
        var text = Text()
        var items: [Item] = []
        var pending = ""
        var hasPending = false
        var fonts: [Font?] = [nil]

        /// The string reduced to a text item when the next tag comes (appendFItemList).
        mutating func flush() {
            guard hasPending else { return }
            items.append(Item(text: pending, font: fonts.last!))
            text.itemCount += 1
            pending = ""
            hasPending = false
        }

        /// pushFont: unset name, size and colour come from the enclosing font; flags add up.
        mutating func push(_ f: Font) {
            var f = f
            if let current = fonts.last! {
                if f.size < 0 && current.size >= 0 { f.size = current.size }
                if f.name == nil, let name = current.name { f.name = name }
                f.flags |= current.flags
            }
            fonts.append(f)
        }
    }

    func parseText(_ html: HTML) -> Text? {
        var walk = TextWalk()
        guard walkText(html, &walk) else { return nil }
        walk.flush()
        // mkText: what is left after the last line break is a line of its own.
        if !walk.items.isEmpty { walk.text.lines.append(walk.items) }
        return walk.text
    }

    private func walkText(_ html: HTML, _ walk: inout TextWalk) -> Bool {
        switch html {
        case .text(let s):
            guard let decoded = Self.characterData(s) else { return false }
            if !decoded.isEmpty { walk.pending += decoded; walk.hasPending = true }
            return true
        case .sequence(let parts):
            for part in parts where !walkText(part, &walk) { return false }
            return true
        case .lineBreak:
            walk.flush()
            walk.text.lines.append(walk.items.isEmpty ? [Item(text: "", font: walk.fonts.last!)] : walk.items)
            walk.items = []
            walk.text.itemCount += 1
            return true
        case let .font(inner, _, size, face):
            var font = Font(name: face)
            // POINT-SIZE is read as a whole number (strtol), 0…255; anything else is ignored.
            if let size, let v = Self.int(HTML.number(size), 0...255) { font.size = Double(v) }
            return walkFont(font, inner, &walk)
        case .sub(let inner): return walkFont(Font(flags: UInt32(HTML_SUB)), inner, &walk)
        case .sup(let inner): return walkFont(Font(flags: UInt32(HTML_SUP)), inner, &walk)
        case .bold(let inner): return walkFont(Font(flags: UInt32(HTML_BF)), inner, &walk)
        case .italic(let inner): return walkFont(Font(flags: UInt32(HTML_IF)), inner, &walk)
        case .table, .raw: return false
        }
    }

    /// `font text n_font`: the text inside may not be empty (a syntax error for Graphviz).
    private func walkFont(_ font: Font, _ inner: HTML, _ walk: inout TextWalk) -> Bool {
        walk.flush()
        let before = walk.text.itemCount
        walk.push(font)
        guard walkText(inner, &walk) else { return false }
        walk.flush()
        walk.fonts.removeLast()
        guard walk.text.itemCount > before else { return false }
        walk.text.itemCount += 1
        return true
    }

    /// What reaches `textspan_size` of text written by `HTML.text`: expat decodes the
    /// entities, characters below a space are dropped (none are left: the markup shows them
    /// as control pictures), and Graphviz's `\\` substitution undoes the doubled backslashes.
    static func characterData(_ s: String) -> String? {
        // XML 1.0 has no U+FFFE or U+FFFF: expat rejects the label, and Graphviz falls back.
        if s.unicodeScalars.contains(where: { $0.value == 0xFFFE || $0.value == 0xFFFF }) { return nil }
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return s }
        var scalars = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            switch c.value {
            case 0..<0x20: scalars.append(Unicode.Scalar(0x2400 + c.value)!)
            default: scalars.append(HTML.controlPicture(c))
            }
        }
        return String(scalars)
    }

    // MARK: - Sizing, as htmltable.c does

    /// Every span `textSize` will ask about.
    func forEachSpan(_ parsed: Parsed, _ body: (SpanKey) -> Void) {
        func text(_ t: Text) {
            for line in t.lines {
                for item in line {
                    let f = spanFont(item.font, env: envFont)
                    body(SpanKey(font: f.name, size: f.size, flags: f.flags, text: item.text))
                }
            }
        }
        func table(_ t: Table) {
            for row in t.rows {
                for cell in row {
                    switch cell.content {
                    case .text(let x): text(x)
                    case .table(let x): table(x)
                    }
                }
            }
        }
        switch parsed {
        case .text(let t): text(t)
        case .table(let t): table(t)
        }
    }

    private func answer(_ key: SpanKey) -> GraphvizEngine.TextSpanMetrics { spans[key]! }

    /// The font of an item as size_html_txt makes it (tf).
    func spanFont(_ font: Font?, env: Font) -> (name: String, size: Double, flags: UInt32) {
        guard let font else { return (env.name!, env.size, env.flags) }
        let flags = font.flags != 0 ? font.flags : (env.flags > 0 ? env.flags : 0)
        return (font.name ?? env.name!, font.size > 0 ? font.size : env.size, flags)
    }

    /// size_html_txt: each line as wide as its items, as high as its tallest item; lines of
    /// one item in one font stacked by their heights, others by their font sizes.
    func textSize(_ text: Text, env: Font) -> (Double, Double) {
        var simple = true
        var previousSize = -1.0, previousName: String?
        for line in text.lines {
            if line.count > 1 { simple = false; break }
            let size: Double, name: String
            if let font = line[0].font {
                if font.flags != 0 { simple = false; break }
                size = font.size > 0 ? font.size : env.size
                name = font.name ?? env.name!
            } else {
                size = env.size
                name = env.name!
            }
            if previousSize == -1 { previousSize = size } else if size != previousSize { simple = false; break }
            if previousName == nil { previousName = name } else if !Self.sameBytes(name, previousName!) { simple = false; break }
        }
        var xsize = 0.0, ysize = 0.0, mxysize = 0.0
        for line in text.lines {
            var width = 0.0, mxfsize = 0.0
            mxysize = 0
            for item in line {
                let f = spanFont(item.font, env: env)
                let sz = answer(SpanKey(font: f.name, size: f.size, flags: f.flags, text: item.text))
                width += sz.width
                mxfsize = f.size > mxfsize ? f.size : mxfsize
                mxysize = sz.height > mxysize ? sz.height : mxysize
            }
            let lsize = simple ? mxysize : mxfsize
            xsize = width > xsize ? width : xsize
            ysize += lsize
        }
        return (xsize, text.lines.count == 1 ? mxysize : ysize)
    }

    /// size_html_cell: the content plus padding and border on each side, at least the
    /// cell's WIDTH and HEIGHT (exactly those when FIXEDSIZE).
    func cellSize(_ cell: Cell, in table: Table) -> (Double, Double) {
        let pad = cell.pad ?? table.pad ?? 2
        let border = cell.border ?? table.cellBorder ?? table.border ?? 1
        var sz: (x: Double, y: Double)
        switch cell.content {
        case .table(let t):
            let (w, h) = tableSize(t)
            sz = (Double(w), Double(h))
        case .text(let t):
            sz = textSize(t, env: envFont)
        }
        let margin = Double(2 * (pad + border))
        sz = (sz.x + margin, sz.y + margin)
        if cell.fixed && cell.width != 0 && cell.height != 0 { sz = (0, 0) }
        let w = Double(cell.width), h = Double(cell.height)
        return (sz.x > w ? sz.x : w, sz.y > h ? sz.y : h)
    }

    /// size_html_tbl with sizeLinearArray: each column as wide as its widest cell and each
    /// row as high as its highest, in whole points (a cell's size is truncated), plus the
    /// spacing around every cell and the border.
    func tableSize(_ table: Table) -> (Int, Int) {
        let rc = table.rows.count, cc = table.rows.map(\.count).max() ?? 0
        var heights = [Int](repeating: 0, count: rc), widths = [Int](repeating: 0, count: cc)
        for (r, row) in table.rows.enumerated() {
            for (c, cell) in row.enumerated() {
                let (w, h) = cellSize(cell, in: table)
                heights[r] = max(heights[r], Int(h))
                widths[c] = max(widths[c], Int(w))
            }
        }
        let space = table.space ?? 2, border = table.border ?? 1
        var wd = (cc + 1) * space + 2 * border, ht = (rc + 1) * space + 2 * border
        for w in widths { wd += w }
        for h in heights { ht += h }
        if table.fixed && table.width != 0 && table.height != 0 { wd = 0; ht = 0 }
        let size = (max(wd, table.width), max(ht, table.height))
        if let pick = table.pick { picked[pick] = size }
        return size
    }

    // MARK: - The node around the label

    /// poly_init for a plain-text node without margin or minimum size, then gv_nodesize, and
    /// the width and height written as `-Tdot` writes them (what `measure` reads).
    static func nodeSize(_ dimen: (x: Double, y: Double)) -> Size {
        var bb = (x: dimen.x > 0 ? dimen.x : 0, y: dimen.y > 0 ? dimen.y : 0)
        // A box's first vertex, scaled by the label, sets the size when it is larger.
        let (ux, uy) = boxVertex
        let xmax = abs(ux * bb.x) * 2, ymax = abs(uy * bb.y) * 2
        bb = (bb.x > xmax ? bb.x : xmax, bb.y > ymax ? bb.y : ymax)
        let w = bb.x / 72 * 72
        let lw = w / 2
        let ht = bb.y / 72 * 72
        return Size(width: bpviz_written_inches(lw + lw) * 72, height: bpviz_written_inches(ht) * 72)
    }

    /// The first vertex of a 4-sided polygon before it is scaled by the label (poly_init's
    /// loop, without distortion, skew or orientation, in its order of operations).
    static let boxVertex: (Double, Double) = {
        let sides = 4.0
        let sectorangle = 2 * Double.pi / sides
        let sidelength = sin(sectorangle / 2)
        let skewdist = hypot(0.0, 1.0)
        let gdistortion = 0.0 * 2.0.squareRoot() / cos(sectorangle / 2)
        let gskew = 0.0 / 2
        var angle = (sectorangle - Double.pi) / 2
        var s = 0.0, c = 0.0
        bpviz_sincos(angle, &s, &c)
        var r = (x: 0.5 * c, y: 0.5 * s)
        angle += (Double.pi - sectorangle) / 2
        angle += sectorangle
        bpviz_sincos(angle, &s, &c)
        r.x += sidelength * c
        r.y += sidelength * s
        var p = (x: r.x * (skewdist + r.y * gdistortion) + r.y * gskew, y: r.y)
        let alpha = 0.0 + atan2(p.y, p.x)
        bpviz_sincos(alpha, &s, &c)
        let h = hypot(p.x, p.y)
        p = (h * c, h * s)
        return (p.x, p.y)
    }()

    // MARK: - Reading values as Graphviz does

    /// doInt: strtol, ignored (nil) when nothing is read or it is out of range.
    static func int(_ v: String, _ range: ClosedRange<Int>) -> Int? {
        v.withCString { p -> Int? in
            var end: UnsafeMutablePointer<CChar>?
            let b = strtol(p, &end, 10)
            guard end != UnsafeMutablePointer(mutating: p), range.contains(b) else { return nil }
            return b
        }
    }

    static func strtod(_ v: String) -> Double? {
        v.withCString { p -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let d = Foundation.strtod(p, &end)
            return end == UnsafeMutablePointer(mutating: p) ? nil : d
        }
    }

    /// fixedsizefn: TRUE or FALSE in any case; anything else is a warning (not sized here).
    static func fixedSize(_ v: String) -> Bool? {
        switch v.uppercased() {
        case "TRUE": true
        case "FALSE": false
        default: nil
        }
    }

    /// strcmp equality (String's == compares canonical equivalence, not bytes).
    static func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}

