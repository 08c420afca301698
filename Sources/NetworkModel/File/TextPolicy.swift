/// Which characters user text (names, symbols, theme descriptions) may hold. Control
/// characters are not representable in XML 1.0 (SVG, HTML), change meaning in DOT and
/// terminals, and vanish or break lines elsewhere, so files may not contain them.
package enum TextPolicy {
    /// C0 and C1 control characters (newline and tab included), DEL, and the noncharacters
    /// U+FFFE and U+FFFF, which XML forbids.
    package static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }

    /// `U+001B`: how a message names a character it must not print.
    package static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The visible stand-in for a control character XML cannot hold (U+241B for escape,
    /// U+2421 for DEL); anything else, tab, newline and return included, as it is.
    package static func controlPicture(_ c: Unicode.Scalar) -> Unicode.Scalar {
        switch c.value {
        case 0x09, 0x0A, 0x0D: return c
        case 0..<0x20: return Unicode.Scalar(0x2400 + c.value)!
        case 0x7F: return "\u{2421}"
        default: return c
        }
    }

    /// A message as one terminal line, whatever text it quotes: control characters (and the
    /// bidirectional and invisible characters of `needsEscape`) written as escapes —
    /// `\n`, `\t`, `\u{1B}` — so no escape sequence reaches the terminal and no value breaks
    /// the line; each quoted excerpt (between backticks) and each word cut to `excerpt`
    /// characters with `…`, so a 100 KB name makes a short message. The text before the
    /// first `: ` (the file and place) is kept whole, as editors jump to it.
    package static func oneLine(_ message: String, excerpt: Int = 80) -> String {
        var out = ""
        out.reserveCapacity(min(message.utf8.count, 4096))
        var place = message.range(of: ": ").map { message[..<$0.lowerBound].count } ?? 0
        var run = 0          // characters of the current word or quoted excerpt
        var quoted = false
        var cut = false
        var tail = ""        // closing punctuation after a cut (`";`), kept so the sentence reads on
        func endRun() {
            out += tail
            tail = ""
            run = 0
            cut = false
        }
        for c in message.unicodeScalars {
            let escaped = escape(c)
            if place > 0 {
                place -= 1
                out += escaped
                continue
            }
            if c == "`" || (c == " " && !quoted) {
                if c == "`" { quoted.toggle() }
                endRun()
                out += escaped
                continue
            }
            run += 1
            if run > excerpt {
                if !cut { out += "…"; cut = true }
                tail = "\"';:,.)]".unicodeScalars.contains(c) && tail.count < 4 ? tail + escaped : ""
                continue
            }
            out += escaped
        }
        out += tail
        return out
    }

    /// Text bound for a terminal as lines (`values`, `check` and `explain` in their text
    /// formats): each character as a message shows it (`oneLine`'s escapes, nothing cut),
    /// newlines kept. File text has no control characters (refused when read), but it may
    /// hold bidirectional overrides and invisible characters: shown escaped here as in a
    /// message, a name reads the same on stdout as on stderr.
    package static func terminalLines(_ text: String) -> String {
        guard mayNeedEscape(text.utf8) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text.unicodeScalars { out += c == "\n" ? "\n" : escape(c) }
        return out
    }

    /// Text quoted into a terminal line, whole (a file name on stdout): every character as
    /// a message shows it, a newline as `\n`.
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        return text.unicodeScalars.map(escape).joined()
    }

    /// Whether UTF-8 text holds a character of `needsEscape` other than a newline, read from
    /// its bytes: `values` prints megabytes of symbols (∂, ⁽¹⁾ share lead bytes with the
    /// bidirectional controls), and this costs a fraction of decoding every scalar.
    static func mayNeedEscape(_ utf8: String.UTF8View) -> Bool {
        var it = utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case 0x0A: continue
            case 0..<0x20, 0x7F: return true
            case 0xC2: if let n = it.next(), (0x80...0x9F).contains(n) { return true }                 // C1
            case 0xD8: if it.next() == 0x9C { return true }                                             // U+061C
            case 0xE2:
                switch (it.next(), it.next()) {
                case (0x80, let c?) where c == 0x8B || c == 0x8E || c == 0x8F || (0xAA...0xAE).contains(c): return true
                case (0x81, let c?) where c == 0xA0 || (0xA6...0xA9).contains(c): return true
                default: continue
                }
            case 0xEF:
                switch (it.next(), it.next()) {
                case (0xBB, 0xBF), (0xBF, 0xBE), (0xBF, 0xBF): return true                             // U+FEFF, U+FFFE/F
                default: continue
                }
            default: continue
            }
        }
        return false
    }

    /// Control characters, and what a terminal draws out of order or not at all: the
    /// bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F,
    /// U+202A–E, U+2066–9), which can show a line other than the one written (CVE-2021-42574),
    /// and the invisible U+200B, U+2060 and U+FEFF. ZWJ and ZWNJ (U+200C/D) stay: scripts
    /// and emoji need them.
    static func needsEscape(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return isUnprintable(c) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x061C || v == 0x200E || v == 0x200F || v == 0x200B || v == 0x2060 || v == 0xFEFF
    }

    /// One character as it may appear in a message.
    static func escape(_ c: Unicode.Scalar) -> String {
        switch c {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            if needsEscape(c) { return "\\u{" + String(c.value, radix: 16, uppercase: true) + "}" }
            return String(c)
        }
    }
}
