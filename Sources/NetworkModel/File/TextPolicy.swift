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
    /// bidirectional overrides that reorder what a terminal shows) written as escapes —
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

    /// One character as it may appear in a message.
    static func escape(_ c: Unicode.Scalar) -> String {
        switch c {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let v = c.value
            if isUnprintable(c) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F {
                return "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            }
            return String(c)
        }
    }
}
