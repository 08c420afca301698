/// A line of mathematics as pieces — symbols, partial derivatives, numbers, operators — so
/// one derivation can be written as Unicode text, as slide captions with real sub- and
/// superscripts, or as LaTeX.
struct Expression: Sendable {
    enum Piece: Sendable {
        case math(MathText)
        case partial(Partial)
        /// A number; `factor` puts negative values in parentheses, as in 16 · (−1).
        case number(Double, factor: Bool)
        /// An operator or connective written the same way everywhere except LaTeX: " = ", " · ", " + ".
        case op(String)
    }

    var pieces: [Piece]

    init(_ pieces: [Piece] = []) { self.pieces = pieces }

    static func + (a: Expression, b: Expression) -> Expression { Expression(a.pieces + b.pieces) }
    static func += (a: inout Expression, b: Expression) { a.pieces += b.pieces }
    static func m(_ t: MathText) -> Expression { Expression([.math(t)]) }
    static func p(_ p: Partial) -> Expression { Expression([.partial(p)]) }
    static func n(_ x: Double, factor: Bool = false) -> Expression { Expression([.number(x, factor: factor)]) }
    static func op(_ s: String) -> Expression { Expression([.op(s)]) }

    static func joined(_ parts: [Expression], by op: String) -> Expression {
        var out = Expression()
        for (i, p) in parts.enumerated() {
            if i > 0 { out += .op(op) }
            out += p
        }
        return out
    }

    /// With sub- and superscripts as structure: for slide captions and diagrams.
    func mathText(_ format: NumberFormat) -> MathText {
        var out = MathText()
        for piece in pieces {
            switch piece {
            case .math(let t): out += t
            case .partial(let p): out += p.text
            case let .number(x, factor): out += MathText(factor ? format.factor(x) : format.string(x))
            case .op(let s): out += MathText(s)
            }
        }
        return out
    }

    func unicode(_ format: NumberFormat) -> String { mathText(format).unicode }

    /// LaTeX math-mode source.
    func latex(_ format: NumberFormat) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .math(let t): out += Partial.latexSymbol(t)
            case .partial(let p): out += p.latex
            case let .number(x, factor):
                var s = (factor ? format.factor(x) : format.string(x)).replacingOccurrences(of: "−", with: "-")
                if s.contains("e") {
                    let parts = s.split(separator: "e")
                    s = "\(parts[0]) \\times 10^{\(parts[1])}"
                }
                out += s
            case .op(let s):
                // Words (", since ", "paths") are text, not a product of italic variables.
                if s.contains(where: { $0.isASCII && $0.isLetter }) {
                    out += "\\text{" + LaTeX.text(s) + "}"
                } else {
                    out += LaTeX.math(MathText(s))
                }
            }
        }
        return out
    }
}
