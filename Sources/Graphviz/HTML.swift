import Foundation

/// A builder for Graphviz's HTML-like labels. Text given to `.text` always appears exactly
/// as given: entity-escaped (`<`, `&`, `"`), its backslashes doubled (Graphviz rewrites `\N`,
/// `\G`, `\\`… in label text), and characters XML cannot hold shown as control pictures.
public indirect enum HTML: Hashable, Sendable {
    /// Text as written: escaped when the markup is made.
    case text(String)
    /// A subscript, `<SUB>`.
    case sub(HTML)
    /// A superscript, `<SUP>`.
    case sup(HTML)
    /// Bold, `<B>`.
    case bold(HTML)
    /// Italic, `<I>`.
    case italic(HTML)
    /// `<FONT>` with any of a colour (`#rrggbb` or a name), a size in points and a face.
    case font(HTML, color: String? = nil, size: Double? = nil, face: String? = nil)
    /// `<BR/>`, aligning the line it ends when `align` is given.
    case lineBreak(align: Alignment? = nil)
    /// The parts one after another.
    case sequence([HTML])
    /// A `<TABLE>`.
    case table(Table)
    /// Markup inserted as it is: for labels read back from Graphviz, never for user text.
    case raw(String)

    /// How a line break aligns the line it ends.
    public enum Alignment: String, Sendable {
        /// Flush left.
        case left = "LEFT"
        /// Centred.
        case center = "CENTER"
        /// Flush right.
        case right = "RIGHT"
    }

    /// A `<TABLE>`: rows of cells, with table attributes (`BORDER`, `CELLSPACING`, …).
    public struct Table: Hashable, Sendable {
        /// The rows, top to bottom, each its cells left to right.
        public var rows: [[Cell]]
        /// Attributes of the `<TABLE>` element; values are escaped when written.
        public var attributes: [String: String]
        /// A table without borders or spacing unless `attributes` says otherwise.
        public init(rows: [[Cell]], attributes: [String: String] = ["BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0"]) {
            self.rows = rows
            self.attributes = attributes
        }
    }

    /// A `<TD>` cell and its attributes (`ALIGN`, `BGCOLOR`, `COLSPAN`, …).
    public struct Cell: Hashable, Sendable {
        /// What the cell shows.
        public var content: HTML
        /// Attributes of the `<TD>` element; values are escaped when written.
        public var attributes: [String: String]
        /// A cell showing `content`.
        public init(_ content: HTML, attributes: [String: String] = [:]) {
            self.content = content
            self.attributes = attributes
        }
    }

    /// The label body, without the enclosing `<` `>` of DOT.
    public var markup: String {
        // Labels in a graph are usually markup already: no copy.
        if case .raw(let s) = self { return s }
        var out = MarkupBytes()
        write(to: &out)
        return out.string
    }

    func write(to out: inout String) {
        if case .raw(let s) = self { out += s } else { out += markup }
    }

    /// Writes the markup as bytes: a large net's labels are tens of megabytes of markup, and
    /// appending byte runs to one array costs a fraction of appending Strings (each append a
    /// capacity check, a copy and often a reallocation through String's storage).
    public func write(to out: inout MarkupBytes) {
        switch self {
        case .text(let s): out.appendEscaped(s, backslashes: true)
        case .raw(let s): out.omitsColors ? out.appendWithoutColors(s) : out.append(s)
        case .sub(let h): out.append("<SUB>"); h.write(to: &out); out.append("</SUB>")
        case .sup(let h): out.append("<SUP>"); h.write(to: &out); out.append("</SUP>")
        case .bold(let h): out.append("<B>"); h.write(to: &out); out.append("</B>")
        case .italic(let h): out.append("<I>"); h.write(to: &out); out.append("</I>")
        case let .font(h, color, size, face):
            out.append("<FONT")
            if let color, !out.omitsColors { out.append(" COLOR=\""); out.appendEscaped(color, backslashes: false); out.append("\"") }
            if let size { out.append(" POINT-SIZE=\""); out.append(HTML.number(size)); out.append("\"") }
            if let face { out.append(" FACE=\""); out.appendEscaped(face, backslashes: false); out.append("\"") }
            out.append(">")
            h.write(to: &out)
            out.append("</FONT>")
        case .lineBreak(let align):
            if let align { out.append("<BR ALIGN=\""); out.append(align.rawValue); out.append("\"/>") } else { out.append("<BR/>") }
        case .sequence(let parts): for p in parts { p.write(to: &out) }
        case .table(let t):
            t.writeStart(to: &out)
            for row in t.rows { _ = HTML.Table.write(row: row, to: &out) }
            out.append("</TABLE>")
        }
    }

    /// Escapes the five XML specials, which Graphviz's HTML parser (expat) decodes back.
    /// Characters XML 1.0 cannot hold at all (C0 controls but tab, newline and return) become
    /// their control pictures (U+241B for escape), so the SVG stays well-formed. In label
    /// text (`backslashes`), each `\` is doubled: Graphviz substitutes `\N`, `\G`, `\L`… in
    /// label text and turns `\\` back into one.
    public static func escape(_ s: String, backslashes: Bool = false) -> String {
        // Most text has nothing to escape: a scan of its bytes, and the string as it is.
        if !s.utf8.contains(where: { needsEscape($0, backslashes: backslashes) }) { return s }
        var out = MarkupBytes()
        out.appendEscaped(s, backslashes: backslashes)
        return out.string
    }

    /// Whether a byte of UTF-8 text is one `escape` rewrites: an XML special, a control
    /// character or DEL, or (in label text) a backslash. Every byte of a multi-byte
    /// character is 0x80 or above, so none is ever taken for one of these.
    @inline(__always)
    static func needsEscape(_ b: UInt8, backslashes: Bool) -> Bool {
        switch b {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x7F, 0..<0x20: true
        case UInt8(ascii: "\\"): backslashes
        default: false
        }
    }

    /// U+2400 + c for the C0 controls XML forbids, U+2421 for DEL; anything else as it is.
    public static func controlPicture(_ c: Unicode.Scalar) -> Unicode.Scalar {
        switch c.value {
        case 0x09, 0x0A, 0x0D: return c
        case 0..<0x20: return Unicode.Scalar(0x2400 + c.value)!
        case 0x7F: return "\u{2421}"
        default: return c
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(x)
    }
}

extension HTML.Table {
    /// `<TABLE` and its attributes `>`: with the rows and `</TABLE>`, the table's markup.
    /// Written in parts so a label's rows can be written once and reused (see
    /// GraphBuilder.measure, which measures a label's rows apart).
    public func writeStart(to out: inout MarkupBytes) {
        out.append("<TABLE")
        out.appendAttributes(attributes)
        out.append(">")
    }

    /// One row, `<TR>…</TR>`; returns where each cell's content is in `out.bytes`.
    @discardableResult
    public static func write(row: [HTML.Cell], to out: inout MarkupBytes) -> [Range<Int>] {
        var contents: [Range<Int>] = []
        contents.reserveCapacity(row.count)
        out.append("<TR>")
        for cell in row {
            out.append("<TD")
            out.appendAttributes(cell.attributes)
            out.append(">")
            let start = out.bytes.count
            cell.content.write(to: &out)
            contents.append(start..<out.bytes.count)
            out.append("</TD>")
        }
        out.append("</TR>")
        return contents
    }
}

/// A growing run of UTF-8 markup bytes: what `HTML.write` appends to.
public struct MarkupBytes: Sendable {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []

    /// Whether ` COLOR="…"` attributes are left out: the markup then is `withoutColors` of
    /// the markup with them, written in one pass (values and text are escaped, so the
    /// pattern is found only where a colour is written, and in raw markup, which is scanned).
    public var omitsColors = false

    /// An empty buffer with room for a typical label.
    public init(capacity: Int = 512, omitsColors: Bool = false) {
        bytes.reserveCapacity(capacity)
        self.omitsColors = omitsColors
    }

    /// Bytes, copied as they are.
    @inline(__always)
    public mutating func append(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }

    /// Another buffer's bytes in `range`.
    public mutating func append(_ other: MarkupBytes, range: Range<Int>) {
        other.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Markup without its ` COLOR="…"` attributes (see `withoutColors`).
    public mutating func appendWithoutColors(_ s: String) {
        var s = s
        s.withUTF8 { MarkupBytes.withoutColors($0, into: &self) }
    }

    /// `markup`, without its ` COLOR="…"` attributes, appended to `out`: a scan of its bytes
    /// (the pattern and the quote are ASCII, so no character is ever cut). A value without
    /// its closing quote is kept.
    public static func withoutColors(_ markup: UnsafeBufferPointer<UInt8>, into out: inout MarkupBytes) {
        let pattern: StaticString = " COLOR=\""
        let m = pattern.utf8CodeUnitCount, n = markup.count
        guard let base = markup.baseAddress else { return }
        var i = 0, copied = 0
        while i + m <= n {
            guard base[i] == UInt8(ascii: " "), memcmp(base + i, pattern.utf8Start, m) == 0 else { i += 1; continue }
            out.append(UnsafeBufferPointer(start: base + copied, count: i - copied))
            i += m
            if let close = markup[i...].firstIndex(of: UInt8(ascii: "\"")) { i = close + 1 }
            copied = i
        }
        out.append(UnsafeBufferPointer(start: base + copied, count: n - copied))
    }

    /// The bytes as a String (they are valid UTF-8: every append keeps whole characters).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// A literal, copied as bytes.
    @inline(__always)
    public mutating func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A String's UTF-8, copied as it is.
    @inline(__always)
    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `HTML.escape(s, backslashes:)`'s bytes, written without making the escaped String:
    /// runs of bytes that need no escaping are copied whole. Every byte of a multi-byte
    /// character is 0x80 or above, so none is ever taken for a special.
    public mutating func appendEscaped(_ s: String, backslashes: Bool) {
        var s = s
        s.withUTF8 { text in
            var start = 0
            for i in 0..<text.count {
                let b = text[i]
                guard HTML.needsEscape(b, backslashes: backslashes) else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<i])) }
                start = i + 1
                switch b {
                case UInt8(ascii: "&"): append("&amp;")
                case UInt8(ascii: "<"): append("&lt;")
                case UInt8(ascii: ">"): append("&gt;")
                case UInt8(ascii: "\""): append("&quot;")
                case UInt8(ascii: "'"): append("&#39;")
                case UInt8(ascii: "\\"): append("\\\\")
                // Graphviz drops tabs and line breaks in label text: show them (XML keeps
                // them in attribute values).
                case 0x09, 0x0A, 0x0D: if backslashes { bytes.append(contentsOf: [0xE2, 0x90, 0x80 + b] as [UInt8]) } else { bytes.append(b) }
                // U+2400 + b (control pictures), U+2421 for DEL: E2 90 80+b, E2 90 A1.
                case 0x7F: bytes.append(contentsOf: [0xE2, 0x90, 0xA1] as [UInt8])
                default: bytes.append(contentsOf: [0xE2, 0x90, 0x80 + b] as [UInt8])
                }
            }
            if start < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...])) }
        }
    }

    /// Attributes in the order of their names, each ` NAME="value"` with the value escaped.
    mutating func appendAttributes(_ attributes: [String: String]) {
        // A label's cells and tables have a handful of attributes each: sorted in place on
        // the stack, not in an array allocated for each.
        let n = attributes.count
        if n == 0 { return }
        if n == 1 { let (key, value) = attributes.first!; appendAttribute(key, value); return }
        withUnsafeTemporaryAllocation(of: (key: String, value: String).self, capacity: n) { pairs in
            var count = 0
            for pair in attributes {
                // Insertion sort by name.
                var j = count
                while j > 0 && pair.key < pairs[j - 1].key { j -= 1 }
                if j < count { (pairs.baseAddress! + j + 1).moveInitialize(from: pairs.baseAddress! + j, count: count - j) }
                (pairs.baseAddress! + j).initialize(to: pair)
                count += 1
            }
            for pair in pairs { appendAttribute(pair.key, pair.value) }
            _ = pairs.deinitialize()
        }
    }

    @inline(__always)
    mutating func appendAttribute(_ key: String, _ value: String) {
        if omitsColors && key == "COLOR" { return }
        append(" ")
        append(key)
        append("=\"")
        appendEscaped(value, backslashes: false)
        append("\"")
    }
}
