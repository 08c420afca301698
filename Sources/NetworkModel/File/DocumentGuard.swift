/// A look at a YAML or JSON text before Yams parses it, so that a small file cannot make the
/// parser do unbounded work:
///
/// - every scalar costs Yams' node tree about 170 bytes, so a 20 MB list of ten million
///   numbers would take 1.7 GB before any check on the values could run; the look counts
///   list separators and lines, a bound on the number of values, and refuses a text with
///   more than `maxValues`;
/// - Yams hashes every mapping key to find duplicates, and an alias (`*a`) to a nested
///   collection used as a key is hashed in full each time: a 480-byte "alias bomb" of
///   complex keys takes minutes. Network and theme files only ever use plain keys, so
///   explicit keys (`? …`), collections as keys (`[…]: …`) and aliases as keys (`*a: …`)
///   are refused outright. Aliases as values stay allowed: Yams shares their storage, but
///   anything that walks the tree walks each alias in full, so ten levels of ten aliases
///   each are 10¹⁰ nodes from 551 bytes. The look notes whether the text may hold an alias
///   (any `*` outside quotes and comments) and where the first one is; the reader then
///   counts the parsed tree's nodes, aliases expanded, against `maxValues`
///   (`YAMLReader.checkExpansion`), a walk bounded by that limit.
///
/// The look is a small tokenizer, not a YAML parser: it knows quotes, comments and flow
/// brackets, which is enough to find those three forms. Where it cannot tell (a quote that
/// could continue a plain scalar) it errs towards looking, so it may refuse an odd file but
/// never misses a complex key.
struct DocumentGuard {
    static let maxValues = 2_000_000

    enum Problem: Equatable {
        case tooManyValues(Int)
        case complexKey(line: Int, column: Int)
    }

    /// What the look found: a problem, or whether the text may hold aliases.
    struct Look {
        var problem: Problem?
        /// A `*` outside quotes and comments: maybe an alias (errs towards yes).
        var mayHaveAliases = false
        /// The first `*` where a value starts (a real alias, as far as the look can tell).
        var firstAlias: (line: Int, column: Int)?
    }

    static func check(_ text: String) -> Problem? { look(text).problem }

    static func look(_ text: String) -> Look {
        var look = Look()
        var separators = 0
        var line = 1, lineStart = 0
        var depth = 0                  // flow brackets open: [ {
        var tokenStart = true          // a quote here opens a quoted scalar
        var quote: UInt8? = nil
        var escaped = false
        var inComment = false
        var previous: UInt8 = 10
        // The last token that ended, if it could be a key: a closing bracket or an alias name.
        var keyCandidate = false
        var inAlias = false
        var afterQuote = false         // the last token was a quoted scalar
        let bytes = Array(text.utf8)
        var i = 0
        func column(_ at: Int) -> Int { at - lineStart + 1 }
        while i < bytes.count {
            let c = bytes[i]
            defer { previous = c; i += 1 }
            if c == 10 {
                separators += 1
                if separators > maxValues { look.problem = .tooManyValues(separators); return look }
                line += 1; lineStart = i + 1
                // Quoted scalars may span lines, but a quote mistaken for an opening one must
                // not hide the next line; comments end here.
                quote = nil; escaped = false; inComment = false; inAlias = false; keyCandidate = false; afterQuote = false
                if depth == 0 { tokenStart = true }
                continue
            }
            if inComment { continue }
            if let q = quote {
                if q == UInt8(ascii: "\"") {
                    if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == q { quote = nil }
                } else if c == q {
                    quote = nil   // '' inside single quotes closes and reopens: harmless
                }
                if quote == nil { afterQuote = true }
                continue
            }
            let isSpace = c == 32 || c == 9 || c == 13
            let isFlowIndicator = c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]")
                || c == UInt8(ascii: "{") || c == UInt8(ascii: "}")
            if inAlias {
                if isSpace || isFlowIndicator || c == UInt8(ascii: ":") { inAlias = false; keyCandidate = true } else { continue }
            }
            if c == UInt8(ascii: "#") && (previous == 10 || previous == 32 || previous == 9) { inComment = true; continue }
            if isSpace { continue }
            if c == UInt8(ascii: ":") {
                if keyCandidate { look.problem = .complexKey(line: line, column: column(i)); return look }
                // A value starts after ": " or after a quoted (JSON-like) key; "a:'b" is one
                // plain scalar, and its quote opens nothing.
                let next = i + 1 < bytes.count ? bytes[i + 1] : 10
                let separates = next == 32 || next == 9 || next == 10 || next == 13 || next == UInt8(ascii: ",")
                    || next == UInt8(ascii: "[") || next == UInt8(ascii: "]") || next == UInt8(ascii: "{") || next == UInt8(ascii: "}")
                tokenStart = separates || afterQuote
                afterQuote = false
                continue
            }
            keyCandidate = false
            afterQuote = false
            switch c {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1; tokenStart = true
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1); keyCandidate = true; tokenStart = false
            case UInt8(ascii: ","):
                separators += 1
                if separators > maxValues { look.problem = .tooManyValues(separators); return look }
                tokenStart = true
            case UInt8(ascii: "?"):
                let next = i + 1 < bytes.count ? bytes[i + 1] : 10
                if tokenStart && (next == 32 || next == 9 || next == 10 || next == 13) {
                    look.problem = .complexKey(line: line, column: column(i)); return look
                }
                tokenStart = false
            case UInt8(ascii: "-"):
                let next = i + 1 < bytes.count ? bytes[i + 1] : 10
                // "- " opens a block sequence item; "-1" is a number.
                if !(tokenStart && (next == 32 || next == 9 || next == 10 || next == 13)) { tokenStart = false }
            case UInt8(ascii: "*"):
                look.mayHaveAliases = true
                if tokenStart {
                    inAlias = true
                    if look.firstAlias == nil { look.firstAlias = (line, column(i)) }
                }
                tokenStart = false
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                if tokenStart { quote = c }
                tokenStart = false
            default:
                tokenStart = false
            }
        }
        return look
    }
}
