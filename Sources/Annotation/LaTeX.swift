/// LaTeX source from bpviz's text: user text escaped so that it prints as written, and
/// `MathText` typeset as math. Every LaTeX writer in bpviz (worked solutions, TikZ figures,
/// Beamer decks) goes through here, so a name like `Cost in $` or `x_&%#{}\^~` compiles
/// everywhere and reads the same.
///
/// Only what pdflatex can set with its default OT1 encoding and UTF-8 input is passed through
/// (ASCII, the Latin-1 letters, a few Latin Extended-A ones, and the symbols bpviz writes);
/// any other character becomes `?`, because a picture that `\input`s into someone else's
/// document cannot load fonts or encodings for it.
public enum LaTeX {
    // MARK: - Text mode

    /// `s` as text-mode LaTeX that prints exactly `s` (up to unsupported characters).
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        var previous: Character?
        var pendingScript: (position: MathText.Position, text: String)?
        func flushScript() {
            guard let script = pendingScript else { return }
            out += "\\ensuremath{" + (script.position == .sub ? "_{" : "^{") + script.text + "}}"
            pendingScript = nil
        }
        for c in s {
            // Unicode sub- and superscripts (H₁⁽¹⁾ in a frame title) become real scripts.
            if let digit = unicodeSubscripts[c] {
                if pendingScript?.position != .sub { flushScript(); pendingScript = (.sub, "") }
                pendingScript!.text += mathEscape(digit)
                previous = c
                continue
            }
            if let digit = unicodeSuperscripts[c] {
                if pendingScript?.position != .sup { flushScript(); pendingScript = (.sup, "") }
                pendingScript!.text += mathEscape(digit)
                previous = c
                continue
            }
            flushScript()
            // Ligatures that would change what is printed: -- ``  '' !` ?` ,,
            if let p = previous, ligatureBreaks.contains("\(p)\(c)") { out += "{}" }
            if let special = textSpecials[c] {
                out += special
            } else if let math = mathSymbols[c] {
                out += "\\ensuremath{" + math + "}"
            } else if passesThrough(c) {
                out.append(c)
            } else if c.isWhitespace {
                out += " "
            } else {
                out += "?"
            }
            previous = c
        }
        flushScript()
        return out
    }

    /// ₁ → 1, ⁽ → (: the Unicode scripts `MathText.unicode` writes, read back.
    static let unicodeSubscripts: [Character: Character] = Dictionary(
        MathText.subscripts.filter { $0.key != $0.value }.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
    static let unicodeSuperscripts: [Character: Character] = Dictionary(
        MathText.superscripts.filter { $0.key != $0.value }.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })

    static let ligatureBreaks: Set<String> = ["--", "``", "''", "!`", "?`", ",,", "<<", ">>"]

    static let textSpecials: [Character: String] = [
        "#": "\\#", "$": "\\ensuremath{\\$}", "%": "\\%", "&": "\\&", "_": "\\_", "{": "\\{", "}": "\\}",
        // Written with OT1 accents and math so that no font beyond a basic TeX's is needed
        // (\\textasciitilde and friends, and \\$ in a sans font, reach for TS1 fonts, which
        // pdflatex may have to make with METAFONT).
        "\\": "\\ensuremath{\\backslash}", "^": "\\^{}", "~": "\\~{}",
        "<": "\\ensuremath{<}", ">": "\\ensuremath{>}", "|": "\\ensuremath{|}", "\"": "{\\ttfamily\\char34}",
        "…": "\\ldots{}", "“": "``", "”": "''", "‘": "`", "’": "'", "–": "--", "—": "---",
        "−": "\\ensuremath{-}", "\u{00A0}": "~",
    ]

    /// Latin-1 letters that OT1 cannot set (they need T1): Ð ð Þ þ.
    static let notInOT1: Set<Character> = ["Ð", "ð", "Þ", "þ"]
    static let extraLetters: Set<Character> = ["Ł", "ł", "Œ", "œ", "Š", "š", "Ž", "ž", "Ÿ", "ı"]

    static func passesThrough(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return false }
        switch scalar.value {
        case 0x20...0x7E: return true
        case 0xC0...0xFF: return !notInOT1.contains(c) && c != "×" && c != "÷"
        default: return extraLetters.contains(c)
        }
    }

    // MARK: - Math mode

    /// Math-mode LaTeX for one character of a symbol or formula, or nil when it is text.
    static let mathSymbols: [Character: String] = [
        "∂": "\\partial ", "α": "\\alpha ", "β": "\\beta ", "γ": "\\gamma ", "σ": "\\sigma ", "η": "\\eta ",
        "·": "\\cdot ", "Σ": "\\sum ", "×": "\\times ", "→": "\\to ", "θ": "\\theta ", "ω": "\\omega ",
        "δ": "\\delta ", "λ": "\\lambda ", "μ": "\\mu ", "ŷ": "\\hat{y}", "½": "{\\textstyle\\frac{1}{2}}", "²": "^{2}", "∞": "\\infty ",
        "≈": "\\approx ", "‖": "\\| ", "≤": "\\le ", "≥": "\\ge ", "≠": "\\ne ", "±": "\\pm ", "÷": "\\div ",
        "↓": "\\downarrow ", "↑": "\\uparrow ", "ε": "\\varepsilon ", "ζ": "\\zeta ", "κ": "\\kappa ", "ν": "\\nu ",
        "ξ": "\\xi ", "π": "\\pi ", "ρ": "\\rho ", "τ": "\\tau ", "φ": "\\varphi ", "χ": "\\chi ", "ψ": "\\psi ",
        "ι": "\\iota ", "ϑ": "\\vartheta ", "ϕ": "\\phi ", "ς": "\\varsigma ", "υ": "\\upsilon ",
        "Ω": "\\Omega ", "Δ": "\\Delta ", "Φ": "\\Phi ", "Λ": "\\Lambda ", "Γ": "\\Gamma ", "Θ": "\\Theta ", "Ψ": "\\Psi ",
        "Π": "\\Pi ", "Ξ": "\\Xi ", "Υ": "\\Upsilon ", "∑": "\\sum ", "∇": "\\nabla ", "′": "'", "″": "''",
        "−": "-", "…": "\\ldots ", "⋯": "\\cdots ", "∈": "\\in ", "∘": "\\circ ", "⊙": "\\odot ",
    ]

    /// Characters that may stand in math mode as they are.
    static func plainMath(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "+-=<>()[]/,.;:!?*'|".contains(c))
    }

    /// One character inside a sub- or superscript, or inside a symbol, in math mode.
    static func mathEscape(_ c: Character) -> String {
        if let m = mathSymbols[c] { return m }
        if plainMath(c) { return String(c) }
        if c == " " { return "\\ " }
        return "\\mbox{" + text(String(c)) + "}"
    }

    static func mathEscape(_ s: String) -> String {
        var out = ""
        for c in s { out += mathEscape(c) }
        return out
    }

    /// Functions LaTeX writes upright with their own spacing.
    static let functions: Set<String> = ["log", "ln", "exp", "max", "min", "tanh", "sin", "cos"]

    /// `text` in math mode: symbols italic (w, H), names of several letters upright
    /// (`\mathrm{Loss}`), words and phrases set as text (`\mbox{Hidden layer 1}`), with real
    /// sub- and superscripts. A formula such as `∂Loss/∂w_21^(1) = 64` becomes
    /// `\partial \mathrm{Loss}/\partial w_{21}^{(1)} = 64`.
    public static func math(_ text: MathText) -> String {
        var out = ""
        for span in text.spans where !span.text.isEmpty {
            switch span.position {
            case .base: out += baseMath(span.text)
            case .sub: out += "_{" + scriptMath(span.text) + "}"
            case .sup:
                // A prime joins the superscript: (1)′ is ^{(1)\prime}.
                out += "^{" + scriptMath(span.text).replacingOccurrences(of: "'", with: "\\prime ") + "}"
            }
        }
        return out
    }

    /// `$…$`: inline math.
    public static func inline(_ text: MathText) -> String { "$" + math(text) + "$" }

    static func scriptMath(_ s: String) -> String {
        var out = ""
        for c in s { out += c == "′" ? "\\prime " : mathEscape(c) }
        return out
    }

    /// Pieces of a base run, for deciding what is prose.
    private enum Token {
        case word(String)          // letters
        case space(Int)
        case number(String)        // digits and the decimal point
        case other(Character)
    }

    private static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter && mathSymbols[c] == nil
    }

    private static func tokens(_ s: String) -> [Token] {
        var result: [Token] = []
        var chars = Array(s)[...]
        while let c = chars.first {
            if isWordCharacter(c) {
                let word = chars.prefix { isWordCharacter($0) }
                result.append(.word(String(word)))
                chars = chars.dropFirst(word.count)
            } else if c == " " {
                let n = chars.prefix { $0 == " " }.count
                result.append(.space(n))
                chars = chars.dropFirst(n)
            } else if c.isASCII && c.isNumber {
                var n = chars.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }.count
                // 1.5e−7: a number in scientific notation is one number.
                let rest = chars.dropFirst(n)
                if rest.first == "e", let sign = rest.dropFirst().first, sign == "−" || sign == "-" || (sign.isASCII && sign.isNumber) {
                    let digits = rest.dropFirst(sign.isNumber ? 1 : 2).prefix { $0.isASCII && $0.isNumber }.count
                    if digits > 0 { n += (sign.isNumber ? 1 : 2) + digits }
                }
                result.append(.number(String(chars.prefix(n))))
                chars = chars.dropFirst(n)
            } else {
                result.append(.other(c))
                chars = chars.dropFirst()
            }
        }
        return result
    }

    /// Punctuation and user-text characters that may sit inside a run of prose.
    private static func joinsProse(_ c: Character) -> Bool {
        ",:;.'’-–!?\"“”#$%&_{}\\^~".contains(c)
    }

    private static func isProseWord(_ t: Token) -> Bool {
        if case .word(let w) = t { return w.count >= 2 && !functions.contains(w) }
        return false
    }

    private static func baseMath(_ s: String) -> String {
        let toks = tokens(s)
        var out = ""
        var i = 0
        while i < toks.count {
            if isProseWord(toks[i]) {
                // A run of prose: from this word over spaces, numbers, single letters and
                // punctuation, up to the last word of two or more letters before a formula.
                var end = i, j = i + 1
                while j < toks.count {
                    switch toks[j] {
                    case .word, .space, .number: break
                    case .other(let c) where joinsProse(c): break
                    default: j = toks.count; continue
                    }
                    if isProseWord(toks[j]) { end = j }
                    j += 1
                }
                // Trailing punctuation and numbers belong to the prose ("step: ", "layer 1"), and
                // so do spaces unless an operator follows, whose spacing math sets ("1 · ReLU").
                while end + 1 < toks.count {
                    if case .other(let c) = toks[end + 1], joinsProse(c) { end += 1; continue }
                    if case .number = toks[end + 1] { end += 1; continue }
                    if case .space = toks[end + 1], !(end + 2 < toks.count && isOperator(toks[end + 2])) { end += 1; continue }
                    break
                }
                // Leading spaces too (" and 3 more units" after "…"), unless after an operator:
                // the space token before the run wrote nothing for them.
                let start = i > 1 && isSpace(toks[i - 1]) && !isOperator(toks[i - 2]) || i == 1 && isSpace(toks[0]) ? i - 1 : i
                let run = toks[start...end].map(source).joined()
                if start == end, case .word(let w) = toks[start], w.allSatisfy(\.isASCII) {
                    out += "\\mathrm{" + w + "}"
                } else {
                    out += "\\mbox{" + text(run) + "}"
                }
                i = end + 1
                continue
            }
            switch toks[i] {
            case .word(let w):
                if functions.contains(w) { out += "\\" + w + " " } else if w.allSatisfy(\.isASCII) { out += w } else { out += "\\mbox{" + text(w) + "}" }
            case .space(let n):
                // Spaces before prose go into its \mbox (see above); elsewhere math spacing rules.
                if i + 1 < toks.count, isProseWord(toks[i + 1]), !(i > 0 && isOperator(toks[i - 1])) { break }
                // A space before a parenthesised remark stays: "0 (increasing w …)".
                if i + 2 < toks.count, case .other("(") = toks[i + 1], isProseWord(toks[i + 2]), i > 0, !isOperator(toks[i - 1]) {
                    out += "\\ "
                    break
                }
                out += n >= 2 ? "\\quad " : ""
            case .number(let n):
                out += numberMath(n)
            case .other(let c):
                out += mathEscape(c)
            }
            i += 1
        }
        return out
    }

    /// Binary operators and relations: math mode spaces them itself.
    private static func isOperator(_ t: Token) -> Bool {
        if case .other(let c) = t { return "=+−·×/<>≤≥≈→±÷".contains(c) }
        return false
    }

    private static func isSpace(_ t: Token) -> Bool {
        if case .space = t { return true }
        return false
    }

    private static func source(_ t: Token) -> String {
        switch t {
        case .word(let w): return w
        case .space(let n): return String(repeating: " ", count: n)
        case .number(let n): return n
        case .other(let c): return String(c)
        }
    }

    /// 1.5e−7 → 1.5 \times 10^{-7}.
    static func numberMath(_ n: String) -> String {
        guard let e = n.firstIndex(of: "e") else { return n }
        let exponent = n[n.index(after: e)...].replacingOccurrences(of: "−", with: "-")
        return String(n[..<e]) + " \\times 10^{" + exponent + "}"
    }
}

extension MathText {
    /// Text whose Unicode sub- and superscripts (`w₂₁⁽¹⁾`, as `unicode` writes them) become
    /// real ones again.
    public init(unicode: String) {
        var spans: [Span] = []
        for c in unicode {
            let position: Position, char: Character
            if let d = LaTeX.unicodeSubscripts[c] { (position, char) = (.sub, d) } else if let d = LaTeX.unicodeSuperscripts[c] { (position, char) = (.sup, d) } else { (position, char) = (.base, c) }
            if let last = spans.last, last.position == position { spans[spans.count - 1].text.append(char) } else { spans.append(Span(String(char), position)) }
        }
        self.init(spans)
    }
}
