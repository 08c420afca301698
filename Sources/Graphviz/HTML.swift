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
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .text(let s): out += HTML.escape(s, backslashes: true)
        case .raw(let s): out += s
        case .sub(let h): out += "<SUB>"; h.write(to: &out); out += "</SUB>"
        case .sup(let h): out += "<SUP>"; h.write(to: &out); out += "</SUP>"
        case .bold(let h): out += "<B>"; h.write(to: &out); out += "</B>"
        case .italic(let h): out += "<I>"; h.write(to: &out); out += "</I>"
        case let .font(h, color, size, face):
            out += "<FONT"
            if let color { out += " COLOR=\"\(HTML.escape(color))\"" }
            if let size { out += " POINT-SIZE=\"\(HTML.number(size))\"" }
            if let face { out += " FACE=\"\(HTML.escape(face))\"" }
            out += ">"
            h.write(to: &out)
            out += "</FONT>"
        case .lineBreak(let align):
            out += align.map { "<BR ALIGN=\"\($0.rawValue)\"/>" } ?? "<BR/>"
        case .sequence(let parts): for p in parts { p.write(to: &out) }
        case .table(let t):
            out += "<TABLE"
            for key in t.attributes.keys.sorted() { out += " \(key)=\"\(HTML.escape(t.attributes[key]!))\"" }
            out += ">"
            for row in t.rows {
                out += "<TR>"
                for cell in row {
                    out += "<TD"
                    for key in cell.attributes.keys.sorted() { out += " \(key)=\"\(HTML.escape(cell.attributes[key]!))\"" }
                    out += ">"
                    cell.content.write(to: &out)
                    out += "</TD>"
                }
                out += "</TR>"
            }
            out += "</TABLE>"
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
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\\" where backslashes: out += "\\\\"
            // Graphviz drops tabs and line breaks in label text: show them.
            case _ where backslashes && (c == "\t" || c == "\n" || c == "\r"): out.unicodeScalars.append(Unicode.Scalar(0x2400 + c.value)!)
            default: out.unicodeScalars.append(controlPicture(c))
            }
        }
        return out
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
