import NetworkModel

/// The symbols of one network in its notation: w_jk^(L), b_k^(L), Z_k^(L), H_k^(L), x_i,
/// and ∂Loss/∂ of each. A layer with a single unit drops the k subscript (H^(3), b^(3)).
public struct Symbols: Sendable {
    /// The symbols the network's file chose.
    public let notation: Notation
    /// Units per layer, input first; a layer of one unit drops the unit subscript.
    public let widths: [Int]

    /// The symbols of `network`.
    public init(network: Network) {
        notation = network.notation
        widths = network.widths
    }

    /// A subscript from indices: "21" when all are one digit, "10,3" otherwise.
    static func indexText(_ indices: [Int]) -> String {
        indices.allSatisfy({ $0 < 10 }) ? indices.map(String.init).joined() : indices.map(String.init).joined(separator: ",")
    }

    private func layered(_ base: String, _ k: Int?, _ layer: Int) -> MathText {
        var spans = [MathText.Span(base)]
        if let k, widths[layer] > 1 { spans.append(.init(String(k), .sub)) }
        spans.append(.init("(\(layer))", .sup))
        return MathText(spans)
    }

    /// x_i (α_i in question 1): the input nodes, H^(0).
    public func input(_ i: Int) -> MathText {
        MathText([.init(notation.input), .init(String(i), .sub)])
    }

    /// H_k^(L); for L = 0 the input symbol.
    public func activation(_ k: Int, layer: Int) -> MathText {
        layer == 0 ? input(k) : layered(notation.activation, k, layer)
    }

    /// Z_k^(L).
    public func preactivation(_ k: Int, layer: Int) -> MathText { layered(notation.preactivation, k, layer) }
    /// b_k^(L).
    public func bias(_ k: Int, layer: Int) -> MathText { layered(notation.bias, k, layer) }

    /// w_jk^(L): the weight from unit j of layer L−1 into unit k of layer L. Keeps both
    /// indices even for single-unit layers (w_11^(3)), as the document does.
    public func weight(_ j: Int, _ k: Int, layer: Int) -> MathText {
        MathText([.init(notation.weight), .init(Symbols.indexText([j, k]), .sub), .init("(\(layer))", .sup)])
    }

    /// The loss's symbol, `Loss` unless the file says otherwise.
    public var loss: MathText { MathText(notation.loss) }

    /// Y, or Y_k when there are several outputs.
    public func target(_ k: Int) -> MathText {
        widths.last == 1 ? "Y" : MathText([.init("Y"), .init(String(k), .sub)])
    }

    /// Any quantity in the notation: the one place a `Quantity` becomes a symbol.
    public func symbol(_ q: Quantity) -> MathText {
        switch q {
        case let .input(i): input(i)
        case let .weight(l, j, k): weight(j, k, layer: l)
        case let .bias(l, k): bias(k, layer: l)
        case let .preactivation(l, k): preactivation(k, layer: l)
        case let .activation(l, k): activation(k, layer: l)
        case let .target(k): target(k)
        case .loss: loss
        case let .gradient(inner): gradient(symbol(inner))
        }
    }

    /// ∂Loss/∂s.
    public func gradient(_ s: MathText) -> MathText { MathText("∂\(notation.loss)/∂") + s }
}

/// ∂of/∂by, kept as a pair so LaTeX can write a fraction.
public struct Partial: Equatable, Sendable {
    /// What is differentiated (the numerator).
    public var of: MathText
    /// What it is differentiated by (the denominator).
    public var by: MathText

    /// ∂of/∂by.
    public init(of: MathText, by: MathText) {
        self.of = of
        self.by = by
    }

    /// ∂of/∂by.
    public init(_ of: MathText, _ by: MathText) { self.init(of: of, by: by) }

    /// `∂of/∂by` as one line of text.
    public var text: MathText { "∂" + of + "/∂" + by }

    /// `\frac{\partial of}{\partial by}`.
    public var latex: String { "\\frac{\\partial \(Partial.latexSymbol(of))}{\\partial \(Partial.latexSymbol(by))}" }

    /// Multi-letter names (Loss) are upright in LaTeX, single letters italic variables.
    static func latexSymbol(_ m: MathText) -> String { LaTeX.math(m) }
}
