import NetworkModel

/// Text with real subscripts and superscripts, kept as structure until a renderer decides
/// how to draw it (HTML-like Graphviz labels, HTML, LaTeX or plain text).
public struct MathText: Equatable, Sendable, ExpressibleByStringLiteral {
    /// Where a span sits: on the baseline, as a subscript or as a superscript.
    public enum Position: Equatable, Sendable {
        /// On the baseline.
        case base
        /// A subscript, as the k of Z_k.
        case sub
        /// A superscript, as the (L) of Z^(L).
        case sup
    }

    /// A run of text at one position.
    public struct Span: Equatable, Sendable {
        /// The characters, unescaped.
        public var text: String
        /// Baseline, subscript or superscript.
        public var position: Position
        /// A span of `text` at `position`.
        public init(_ text: String, _ position: Position = .base) {
            self.text = text
            self.position = position
        }
    }

    /// The runs in reading order.
    public var spans: [Span]

    /// Text made of `spans`.
    public init(_ spans: [Span] = []) { self.spans = spans }
    /// Baseline text, so `"Loss"` can stand for a `MathText`.
    public init(stringLiteral value: String) { spans = [Span(value)] }
    /// Baseline text.
    public init(_ text: String) { spans = [Span(text)] }

    /// The spans of `a`, then those of `b`.
    public static func + (a: MathText, b: MathText) -> MathText { MathText(a.spans + b.spans) }
    /// `a` followed by baseline text.
    public static func + (a: MathText, b: String) -> MathText { a + MathText(b) }
    /// Baseline text followed by `b`.
    public static func + (a: String, b: MathText) -> MathText { MathText(a) + b }
    /// Appends `b`.
    public static func += (a: inout MathText, b: MathText) { a = a + b }

    /// The parts with baseline `separator` between them.
    public static func joined(_ parts: [MathText], separator: String) -> MathText {
        var out = MathText()
        for (i, p) in parts.enumerated() {
            if i > 0 { out += MathText(separator) }
            out += p
        }
        return out
    }

    /// The symbol with a prime (w′ after a gradient step). The prime joins a trailing
    /// superscript, so LaTeX does not see a double superscript.
    var primed: MathText {
        var copy = self
        if let last = copy.spans.last, last.position == .sup {
            copy.spans[copy.spans.count - 1].text += "′"
        } else {
            copy.spans.append(Span("′"))
        }
        return copy
    }

    /// `w_21^(1)`: the form PARAM arguments and plain-text tooltips use.
    public var plain: String {
        spans.map { span in
            switch span.position {
            case .base: span.text
            // A Character, not a String: Foundation's search for one bridged every span to NSString.
            case .sub: "_" + (span.text.count > 1 && span.text.contains(Character(",")) ? "{\(span.text)}" : span.text)
            case .sup: "^" + span.text
            }
        }.joined()
    }

    /// `w₂₁⁽¹⁾` where Unicode has the characters, else the plain form: for terminals.
    public var unicode: String {
        spans.map { span in
            switch span.position {
            case .base: return span.text
            case .sub: return MathText.map(span.text, MathText.subscripts) ?? "_" + span.text
            case .sup: return MathText.map(span.text, MathText.superscripts) ?? "^" + span.text
            }
        }.joined()
    }

    /// LaTeX math-mode source (see `LaTeX.math`).
    public var latex: String { LaTeX.math(self) }

    /// HTML with <sub> and <sup>, text escaped.
    public var html: String {
        spans.map { span in
            let t = MathText.htmlEscape(span.text)
            switch span.position {
            case .base: return t
            case .sub: return "<sub>\(t)</sub>"
            case .sup: return "<sup>\(t)</sup>"
            }
        }.joined()
    }

    /// HTML with <sub> and <sup> for Markdown (`values --format markdown`): the text escaped
    /// as `markdownEscape` does, so a symbol such as `[a](javascript:)` or `![](//e.co/a)`
    /// shows as written instead of becoming a link or a remote image.
    public var markdown: String {
        spans.map { span in
            let t = MathText.markdownEscape(span.text)
            switch span.position {
            case .base: return t
            case .sub: return "<sub>\(t)</sub>"
            case .sup: return "<sup>\(t)</sup>"
            }
        }.joined()
    }

    /// Markdown's inline punctuation: what can start a link or an image (`[`, `]`, `!`),
    /// emphasis, code, strikethrough, math (`$`), a backslash escape, or end a table cell
    /// (`|`). Parentheses only make a link after a `]`, so they stay and `(1)` reads `(1)`.
    public static let markdownInlineSpecials = "\\`*_[]!|~$"

    /// User text for Markdown, which is read as HTML too: a backslash before each of
    /// `specials`, then `htmlEscape`'s entities, so the text shows exactly as written and
    /// can open neither a tag nor a link.
    public static func markdownEscape(_ s: String, specials: String = markdownInlineSpecials) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 4)
        for c in s {
            if c.isASCII, specials.contains(c) { out.append("\\") }
            out.append(c)
        }
        return htmlEscape(out)
    }

    /// Text for HTML and XML, in element content or a quoted attribute: the five specials
    /// as entities, and control characters (which XML cannot hold, and which would end a
    /// line in an attribute) as `&#10;` or their control pictures.
    public static func htmlEscape(_ s: String) -> String {
        // Byte by byte: everything escaped is ASCII, and a deck escapes every tooltip of
        // every frame. Text with nothing to escape is returned as it is.
        func special(_ b: UInt8) -> Bool {
            b < 0x20 && b != 0x0D || b == 0x7F || b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
                || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
        }
        guard s.utf8.contains(where: special) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            case 0x0A: out += "&#10;".utf8
            case 0x09: out += "&#9;".utf8
            // The other control characters as their pictures (TextPolicy.controlPicture),
            // U+2400 + c and U+2421 in UTF-8; a carriage return stays.
            case 0..<0x20 where b != 0x0D: out += [0xE2, 0x90, 0x80 + b]
            case 0x7F: out += [0xE2, 0x90, 0xA1]
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let subscripts: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
        "(": "₍", ")": "₎", ",": ",", "+": "₊", "-": "₋", "k": "ₖ", "j": "ⱼ", "i": "ᵢ", "u": "ᵤ", "=": "₌",
    ]
    static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
        "(": "⁽", ")": "⁾", "+": "⁺", "-": "⁻", "′": "′", "L": "ᴸ",
    ]

    static func map(_ text: String, _ table: [Character: Character]) -> String? {
        var out = ""
        for c in text {
            guard let m = table[c] else { return nil }
            out.append(m)
        }
        return out
    }
}
