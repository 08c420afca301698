import NetworkModel

/// Writes derivations and the forward arithmetic as a worked solution: plain Unicode text,
/// Markdown with LaTeX math, or a LaTeX document that compiles with pdflatex.
public struct Explanation: Sendable {
    /// The document's language: Unicode text, Markdown with `$…$` math, or LaTeX.
    public enum Format: String, CaseIterable, Sendable {
        /// Plain Unicode text: w₁₁⁽¹⁾, ∂Loss/∂H⁽³⁾.
        case text
        /// Markdown, with the math in `$…$`.
        case markdown
        /// A LaTeX document that compiles with pdflatex.
        case latex
    }

    /// The solved network explained.
    public let solution: Solution
    /// The document's language.
    public let format: Format
    /// How numbers print.
    public let numbers: NumberFormat
    let deriver: Deriver
    let forward: ForwardArithmetic

    /// An explanation of `solution` in `format`.
    public init(solution: Solution, format: Format, numbers: NumberFormat = NumberFormat()) {
        self.solution = solution
        self.format = format
        self.numbers = numbers
        self.deriver = Deriver(solution: solution)
        self.forward = ForwardArithmetic(solution: solution)
    }

    var network: Network { solution.network }
    var symbols: Symbols { deriver.symbols }

    // MARK: - Pieces shared with slides

    /// `16 · 1 · 1 · 2 = 32` or `16·1·1·1·1·2 + 16·1·1·1·1·2 = 64`: the numbers of a derivation.
    static func arithmetic(_ d: Derivation) -> Expression {
        switch d.form {
        case .paths(let paths):
            let products = paths.map { p in Expression.joined(p.factors.map { .n($0.value, factor: true) }, by: " · ") }
            return .joined(products, by: " + ") + .op(" = ") + .n(d.value)
        case let .recursive(factors, _, _):
            return .joined(factors.map { .n($0.value, factor: true) }, by: " · ") + .op(" = ") + .n(d.value)
        }
    }

    /// ∂Loss/∂w = ∂Loss/∂H^(3) · … (+ …): the symbolic chain of a derivation.
    static func chain(_ d: Derivation) -> [Expression] {
        switch d.form {
        case .paths(let paths):
            return paths.map { p in Expression.joined(p.factors.map { .p($0.symbol) }, by: " · ") }
        case let .recursive(factors, _, _):
            return [Expression.joined(factors.map { .p($0.symbol) }, by: " · ")]
        }
    }

    /// The "where" list: each distinct factor once, with what it equals.
    static func definitions(_ d: Derivation) -> [Expression] {
        var seen = Set<String>()
        var out: [Expression] = []
        var all: [Derivation.Factor]
        switch d.form {
        case .paths(let paths): all = paths.flatMap(\.factors)
        case let .recursive(factors, support, _): all = factors + support
        }
        for f in all {
            let key = f.symbol.text.plain
            guard seen.insert(key).inserted else { continue }
            var e = Expression.p(f.symbol)
            if let meaning = f.meaning { e += .op(" = ") + .m(meaning) }
            e += .op(" = ") + .n(f.value)
            if let remark = f.remark { e += .op(", since ") + .m(remark) }
            out.append(e)
        }
        return out
    }

    // MARK: - Documents

    func derivationText(_ target: Derivation.Target) -> String {
        markdownSafe(derivation(target))
    }

    func derivation(_ target: Derivation.Target) -> String {
        let d = deriver.derive(target)
        let chains = Self.chain(d)
        var lines: [String] = []
        var head = Expression.p(d.symbol) + .op(" = ")
        switch format {
        case .text:
            let first = head + chains[0]
            lines.append(first.unicode(numbers))
            let indent = String(repeating: " ", count: Expression.p(d.symbol).unicode(numbers).count + 1)
            for c in chains.dropFirst() { lines.append(indent + "+ " + c.unicode(numbers)) }
            lines.append(indent + "= " + Self.arithmetic(d).unicode(numbers))
            if case let .recursive(_, _, count) = d.form {
                lines.append("(\(count) paths from the loss: written recursively through ∂\(network.notation.loss)/∂\(network.notation.preactivation) of the layer above)")
            }
            lines.append("where")
            for def in Self.definitions(d) { lines.append("  " + def.unicode(numbers)) }
            return lines.joined(separator: "\n") + "\n"
        case .markdown, .latex:
            head = head + Expression.joined(chains, by: " + ")
            var body = "\\begin{aligned}\n" + Expression.p(d.symbol).latex(numbers) + " &= "
            body += chains.enumerated().map { i, c in (i == 0 ? "" : "\\\\\n &\\quad + ") + c.latex(numbers) }.joined()
            body += " \\\\\n &= " + Self.arithmetic(d).latex(numbers) + "\n\\end{aligned}"
            var out = format == .markdown ? "$$\n\(body)\n$$\n\n" : "\\[\n\(body)\n\\]\n"
            if case let .recursive(_, _, count) = d.form {
                let through = MathText("∂") + MathText(network.notation.loss) + "/∂" + MathText(network.notation.preactivation)
                out += "With \(count) paths from the loss, the gradient is written recursively through \(LaTeX.inline(through)) of the layer above.\n\n"
            }
            out += format == .markdown ? "where\n\n" : "where\n\\begin{itemize}\n"
            for def in Self.definitions(d) {
                out += format == .markdown ? "- $\(def.latex(numbers))$\n" : "  \\item $\\displaystyle \(def.latex(numbers))$\n"
            }
            out += format == .markdown ? "\n" : "\\end{itemize}\n"
            return out
        }
    }

    func math(_ e: Expression) -> String {
        switch format {
        case .text: return e.unicode(numbers) + "\n"
        case .markdown: return "$$\n\(e.latex(numbers))\n$$\n\n"
        case .latex: return "\\[\n\(e.latex(numbers))\n\\]\n"
        }
    }

    func heading(_ title: String, level: Int = 2) -> String {
        switch format {
        case .text: return "\n" + title + "\n" + String(repeating: level == 1 ? "=" : "-", count: title.count) + "\n\n"
        case .markdown: return "\n" + String(repeating: "#", count: level) + " " + title + "\n\n"
        case .latex: return "\n\\" + (level == 1 ? "section*" : "subsection*") + "{\(LaTeX.text(title))}\n"
        }
    }

    func inline(_ t: MathText) -> String {
        format == .text ? t.unicode : "$" + Partial.latexSymbol(t) + "$"
    }

    /// One quantity: its forward arithmetic (for node values) and its gradient's derivation.
    public func explain(_ target: Derivation.Target) -> String {
        var out = ""
        switch target {
        case let .activation(l, k) where l > 0:
            out += math(forward.preactivation(layer: l, unit: k)) + math(forward.activation(layer: l, unit: k))
        case let .preactivation(l, k):
            out += math(forward.preactivation(layer: l, unit: k))
        default: break
        }
        return markdownSafe(out + derivation(target))
    }

    /// The whole worked solution, like the worked example. `figure`, LaTeX only: a picture
    /// of the network (a `tikzpicture`, see Rendering's TikZ writer) set at the top.
    public func document(figure: String? = nil) -> String {
        let L = network.depth
        let title = (network.name ?? "Network") + " — worked solution"
        var out = ""
        switch format {
        case .text: out += title + "\n" + String(repeating: "=", count: title.count) + "\n"
        case .markdown: break   // the title is added, escaped, at the end
        case .latex:
            out += """
            \\documentclass[11pt]{article}
            \\usepackage[utf8]{inputenc}
            \\usepackage{amsmath,amssymb}
            \\usepackage[margin=2cm]{geometry}
            \(figure == nil ? "" : "\\usepackage{tikz}\n")\\allowdisplaybreaks
            \\begin{document}
            \\section*{\(LaTeX.text(title))}

            """
            if let figure { out += "\\begin{center}\n" + figure + "\\end{center}\n" }
        }
        out += heading("Setup")
        let widths = network.widths.map(String.init).joined(separator: "-")
        let activations = network.layers.enumerated().map { "layer \($0.offset + 1): \($0.element.activation.name)" }.joined(separator: ", ")
        out += paragraph(prose("A \(widths) network (\(activations)), loss \(network.loss.displayName)."))
        let x = MathText("X = (") + MathText(network.input.prefix(16).map { numbers.string($0) }.joined(separator: ", ") + (network.input.count > 16 ? ", …" : "") + ")")
        let y = MathText("Y = (") + MathText(network.target.map { numbers.string($0) }.joined(separator: ", ") + ")")
        out += paragraph(inline(x) + ", " + inline(y) + ".")

        out += heading("Forward pass")
        for l in 1...L {
            for k in 1...network.widths[l] {
                out += math(forward.preactivation(layer: l, unit: k))
                out += math(forward.activation(layer: l, unit: k))
            }
        }
        out += heading("Loss")
        out += math(forward.loss())

        out += heading("Backpropagation")
        for target in deriver.parameterOrder() {
            let name = deriver.targetSymbol(target)
            out += format == .latex ? "\\paragraph{For \(inline(name))}\n" : (format == .markdown ? "**For \(inline(name))**\n\n" : "For \(name.unicode):\n")
            out += derivation(target)
            out += format == .text ? "\n" : ""
        }

        out += heading("Summary")
        for target in deriver.parameterOrder() {
            let d = deriver.derive(target)
            out += format == .text ? Expression.p(d.symbol).unicode(numbers) + " = " + numbers.string(d.value) + "\n"
                : (format == .markdown ? "- $\(Expression.p(d.symbol).latex(numbers)) = \(Expression.n(d.value).latex(numbers))$\n"
                   : "$\(Expression.p(d.symbol).latex(numbers)) = \(Expression.n(d.value).latex(numbers))$\\\\\n")
        }
        if let update = solution.update {
            out += heading("One gradient-descent step (η = \(numbers.string(update.learningRate)))")
            for l in stride(from: L, through: 1, by: -1) {
                for k in 1...network.widths[l] {
                    for j in 1...network.widths[l - 1] {
                        let w = symbols.weight(j, k, layer: l)
                        let e = Expression.m(w.primed) + .op(" = ") + .m(w) + .op(" − η · ") + .p(Partial(of: symbols.loss, by: w)) + .op(" = ")
                            + .n(network.layers[l - 1].weights[j - 1, k - 1]) + .op(" − ") + .n(update.learningRate) + .op(" · ")
                            + .n(solution.dW[l][j - 1, k - 1], factor: true) + .op(" = ") + .n(update.W[l][j - 1, k - 1])
                        out += math(e)
                    }
                    let b = symbols.bias(k, layer: l)
                    out += math(Expression.m(b.primed) + .op(" = ") + .n(network.layers[l - 1].bias[k - 1]) + .op(" − ") + .n(update.learningRate)
                                + .op(" · ") + .n(solution.db[l][k - 1], factor: true) + .op(" = ") + .n(update.b[l][k - 1]))
                }
            }
        }
        if format == .latex { out += "\n\\end{document}\n" }
        if format == .markdown { return "# " + Self.markdownText(title) + "\n" + markdownSafe(out) }
        return out
    }

    /// Markdown is read as HTML too: user text outside math is escaped like `values
    /// --format markdown` escapes it (entities), plus a backslash before Markdown's own
    /// punctuation, so a name shows exactly as written and can neither open a tag nor a link.
    /// A title starts a line after `# `: block punctuation (`#`, `+`, `-`, `.`) is escaped too.
    static func markdownText(_ s: String) -> String {
        MathText.markdownEscape(s, specials: MathText.markdownInlineSpecials + "{}()#+-.")
    }

    /// Markdown's math is plain Markdown to a viewer without math support, and only symbols
    /// from the notation can hold a `<` or a `](` (bpviz writes neither). MathJax's and
    /// KaTeX's `\lt` draws a `<` without an HTML tag ever opening; `]{}(` draws as `](` (an
    /// empty group adds no space) but is no link, so `[a](javascript:)` or `![](//e.co/a)`
    /// stays text. A link or image needs `](` (reference definitions cannot start a line of
    /// this output), so no other bracket needs changing, and the BCE loss's own `[…]` stays.
    func markdownSafe(_ s: String) -> String {
        guard format == .markdown, s.contains("<") || s.contains("](") else { return s }
        return s.replacingOccurrences(of: "<", with: "\\lt ").replacingOccurrences(of: "](", with: "]{}(")
    }

    func paragraph(_ s: String) -> String { s + "\n\n" }

    /// Text from the network file inside prose: LaTeX-escaped, Markdown-escaped as the
    /// title is, or (plain text) as written.
    static func userText(_ s: String, format: Format) -> String {
        switch format {
        case .text: s
        case .markdown: Self.markdownText(s)
        case .latex: LaTeX.text(s)
        }
    }

    /// Words from bpviz or the network file, as the format needs them.
    func prose(_ s: String) -> String { format == .latex ? LaTeX.text(s) : s }
}
