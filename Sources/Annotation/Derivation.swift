import NetworkModel

/// The chain-rule derivation of one gradient, as the worked example writes it: the factors
/// from the loss down to the quantity along every path, each factor's value, the products and
/// their sum.
///
/// Convention (the document's): a layer whose activation is the identity contributes one
/// factor ∂H^(m)/∂H^(m−1) = w (its ∂H/∂Z = 1 is folded in), every other layer two,
/// ∂H/∂Z · ∂Z/∂H. Where the output's gradient couples its units (softmax) or has a fused
/// closed form (sigmoid with bce, softmax with cross-entropy) the chain starts at
/// ∂Loss/∂Z^(L). Beyond `maxPaths` paths the derivation switches to the recursive form
/// through ∂Loss/∂Z of the layer above.
public struct Derivation: Sendable {
    /// What is differentiated.
    public enum Target: Hashable, Sendable {
        /// ∂Loss/∂w_jk^(L): unit j of layer L−1 into unit k of layer L, all 1-based.
        case weight(layer: Int, j: Int, k: Int)
        /// ∂Loss/∂b_k^(L).
        case bias(layer: Int, k: Int)
        /// ∂Loss/∂H_k^(L); layer 0 is the input x_k.
        case activation(layer: Int, k: Int)
        /// ∂Loss/∂Z_k^(L).
        case preactivation(layer: Int, k: Int)

        /// The quantity differentiated by.
        public var quantity: Quantity {
            switch self {
            case let .weight(l, j, k): .weight(layer: l, j: j, k: k)
            case let .bias(l, k): .bias(layer: l, k: k)
            case let .activation(l, k): .output(layer: l, k: k)
            case let .preactivation(l, k): .preactivation(layer: l, k: k)
            }
        }

        /// The target for a quantity a derivation can end at; nil for the loss, targets and
        /// gradients.
        public init?(_ q: Quantity) {
            switch q {
            case let .weight(l, j, k): self = .weight(layer: l, j: j, k: k)
            case let .bias(l, k): self = .bias(layer: l, k: k)
            case let .input(i): self = .activation(layer: 0, k: i)
            case let .activation(l, k): self = .activation(layer: l, k: k)
            case let .preactivation(l, k): self = .preactivation(layer: l, k: k)
            case .target, .loss, .gradient: return nil
            }
        }
    }

    /// One factor of a chain: a partial derivative, what it equals and its value.
    public struct Factor: Sendable {
        /// ∂H^(3)/∂H_1^(2)
        public var symbol: Partial
        /// What it equals in the notation: w_11^(3), ReLU′(Z_1^(2)), H_1^(1), −2(Y − H^(3)).
        public var meaning: MathText?
        /// The factor's value in this pass.
        public var value: Double
        /// A remark such as "Z_1^(2) = 4 > 0".
        public var remark: MathText?
    }

    /// One path from the loss down to the target: its factors, loss end first.
    public struct Path: Sendable {
        /// The factors, loss end first.
        public var factors: [Factor]
        /// The product of the factors: this path's share of the gradient.
        public var product: Double { factors.reduce(1) { $0 * $1.value } }
    }

    /// How the derivation is written.
    public enum Form: Sendable {
        /// One product per path from the loss to the target; the gradient is their sum.
        case paths([Path])
        /// ∂Loss/∂target = ∂Loss/∂Z_k^(l) · ∂Z_k^(l)/∂target: `factors` multiply to the value;
        /// `support` says where the first one comes from (∂Loss/∂H_k^(l) as a sum over the
        /// layer above, and the activation's derivative).
        case recursive(factors: [Factor], support: [Factor], pathCount: Int)
    }

    /// What is differentiated.
    public var target: Target
    /// The gradient's symbol, ∂Loss/∂target.
    public var symbol: Partial
    /// The gradient's value, as the backward pass computed it.
    public var value: Double
    /// The paths, or the recursive form for deep networks.
    public var form: Form

    static let maxPaths = 8
}

/// Builds derivations for a solved network.
public struct Deriver: Sendable {
    /// The solved network derivations are written for.
    public let solution: Solution
    /// Its symbols, in its notation.
    public let symbols: Symbols

    /// A deriver for `solution`.
    public init(solution: Solution) {
        self.solution = solution
        self.symbols = Symbols(network: solution.network)
    }

    var network: Network { solution.network }
    var L: Int { network.depth }

    /// Whether the chain starts at ∂Loss/∂Z^(L) (see `Derivation`).
    var startsAtOutputZ: Bool {
        let out = network.layers[L - 1].activation
        return out == .softmax || network.loss.hasFusedOutputGradient(out)
    }

    func isIdentity(_ l: Int) -> Bool { network.layers[l - 1].activation == .identity }

    /// The derivation of ∂Loss/∂target: paths when there are at most eight, the recursive form
    /// otherwise. The target's indices must exist in the network (`Network.contains(_:)`).
    public func derive(_ target: Derivation.Target) -> Derivation {
        let (layer, unit) = anchor(target)
        let value = solution.value(of: .gradient(target.quantity))
        let symbol = Partial(of: symbols.loss, by: targetSymbol(target))
        let pathCount = countPaths(fromLayer: layer)
        if pathCount > Derivation.maxPaths {
            let (factors, support) = recursiveFactors(target, layer: layer, unit: unit)
            return Derivation(target: target, symbol: symbol, value: value, form: .recursive(factors: factors, support: support, pathCount: pathCount))
        }
        if case .activation = target, layer == L, startsAtOutputZ {
            // The output's own gradient is the loss's derivative, whatever the chain starts at.
            return Derivation(target: target, symbol: symbol, value: value, form: .paths([Derivation.Path(factors: [lossFactor(unit, form: .activation)])]))
        }
        let paths = unitPaths(from: layer, unit: unit).map { Derivation.Path(factors: factors(along: $0, target: target)) }
        return Derivation(target: target, symbol: symbol, value: value, form: .paths(paths))
    }

    func targetSymbol(_ t: Derivation.Target) -> MathText { symbols.symbol(t.quantity) }

    /// The layer and unit where the chain ends before the last factor.
    func anchor(_ t: Derivation.Target) -> (Int, Int) {
        switch t {
        case let .weight(l, _, k), let .bias(l, k), let .preactivation(l, k): (l, k)
        case let .activation(l, k): (l, k)
        }
    }

    /// Paths from the output to (layer, unit) pass through one unit of each layer above.
    func countPaths(fromLayer l: Int) -> Int {
        var n = 1
        if l < L { for m in (l + 1)...L { n = n.multipliedReportingOverflow(by: network.widths[m]).overflow ? Int.max : n * network.widths[m] } }
        return n
    }

    /// Unit sequences u_L, u_{L−1}, …, u_l = unit.
    func unitPaths(from l: Int, unit: Int) -> [[Int]] {
        guard l < L else { return [[unit]] }
        var paths: [[Int]] = [[]]
        for m in stride(from: L, to: l, by: -1) {
            paths = paths.flatMap { p in (1...network.widths[m]).map { p + [$0] } }
        }
        return paths.map { $0 + [unit] }
    }

    /// ReLU′(Z_1^(2)), σ′(Z), …: how the document names dH/dZ.
    func derivativeName(_ l: Int, _ k: Int) -> MathText {
        let a = network.layers[l - 1].activation
        return MathText(a.displayName + "′(") + symbols.preactivation(k, layer: l) + ")"
    }

    func activationFactor(_ l: Int, _ k: Int) -> Derivation.Factor {
        let z = solution.Z[l][k - 1]
        let a = network.layers[l - 1].activation
        let d = a.derivativeElement(z: z, h: solution.H[l][k - 1])
        var remark: MathText?
        if a == .relu || { if case .leakyReLU = a { return true }; return false }() {
            remark = symbols.preactivation(k, layer: l) + " = " + NumberFormat().string(z) + (z > 0 ? " > 0" : " ≤ 0")
        }
        return Derivation.Factor(symbol: Partial(symbols.activation(k, layer: l), symbols.preactivation(k, layer: l)),
                                 meaning: derivativeName(l, k), value: d, remark: remark)
    }

    enum LossFactorForm { case chainStart, activation }

    /// The first factor: ∂Loss/∂H_k^(L), or ∂Loss/∂Z_k^(L) where the chain starts there.
    func lossFactor(_ k: Int, form: LossFactorForm = .chainStart) -> Derivation.Factor {
        if startsAtOutputZ && form == .chainStart {
            let meaning: MathText?
            switch (network.loss, network.layers[L - 1].activation) {
            case (.crossEntropy, .softmax), (.bce, .sigmoid):
                meaning = symbols.activation(k, layer: L) + " − " + (network.target.count == 1 ? "Y" : MathText([.init("Y"), .init(String(k), .sub)]))
            default:
                meaning = MathText("Σ") + MathText([.init("i", .sub)]) + " ∂\(network.notation.loss)/∂" + MathText([.init(network.notation.activation), .init("i", .sub), .init("(\(L))", .sup)]) + " · ∂" + MathText([.init(network.notation.activation), .init("i", .sub), .init("(\(L))", .sup)]) + "/∂" + symbols.preactivation(k, layer: L)
            }
            return Derivation.Factor(symbol: Partial(of: symbols.loss, by: symbols.preactivation(k, layer: L)), meaning: meaning, value: solution.dZ[L][k - 1])
        }
        let h = symbols.activation(k, layer: L)
        let y: MathText = network.target.count == 1 ? "Y" : MathText([.init("Y"), .init(String(k), .sub)])
        let meaning: MathText
        switch network.loss {
        case .rss: meaning = "−2(" + y + " − " + h + ")"
        case .halfSSE: meaning = "−(" + y + " − " + h + ")"
        case .mse: meaning = MathText("−(2/\(network.target.count))(") + y + " − " + h + ")"
        case .bce: meaning = "(" + h + " − " + y + ") / (" + h + "(1 − " + h + "))"
        case .crossEntropy: meaning = "−" + y + " / " + h
        }
        return Derivation.Factor(symbol: Partial(of: symbols.loss, by: h), meaning: meaning, value: solution.dH[L][k - 1])
    }

    /// The factors along one unit path (u_L … u_l), ending at the target.
    func factors(along path: [Int], target: Derivation.Target) -> [Derivation.Factor] {
        var result = [lossFactor(path[0])]
        var m = L
        var index = 0
        // Between layers: from unit path[index] of layer m down to path[index+1] of layer m−1.
        let (anchorLayer, _) = anchor(target)
        while m > anchorLayer {
            let k = path[index], j = path[index + 1]
            let w = network.layers[m - 1].weights[j - 1, k - 1]
            let fromH = symbols.activation(k, layer: m), fromZ = symbols.preactivation(k, layer: m)
            let toH = symbols.activation(j, layer: m - 1)
            let startHere = m == L && startsAtOutputZ
            if isIdentity(m) && !startHere {
                result.append(Derivation.Factor(symbol: Partial(fromH, toH), meaning: symbols.weight(j, k, layer: m), value: w))
            } else {
                if !startHere { result.append(activationFactor(m, k)) }
                result.append(Derivation.Factor(symbol: Partial(fromZ, toH), meaning: symbols.weight(j, k, layer: m), value: w))
            }
            m -= 1
            index += 1
        }
        result += lastFactors(target, startedAtZ: anchorLayer == L && startsAtOutputZ)
        return result
    }

    /// From H_k^(l) (the last unit of the path) to the target itself.
    func lastFactors(_ target: Derivation.Target, startedAtZ: Bool) -> [Derivation.Factor] {
        switch target {
        case .activation:
            return []
        case let .preactivation(l, k):
            return startedAtZ ? [] : [activationFactor(l, k)]
        case let .bias(l, k):
            let b = symbols.bias(k, layer: l)
            if startedAtZ {
                return [Derivation.Factor(symbol: Partial(symbols.preactivation(k, layer: l), b), meaning: nil, value: 1)]
            }
            if isIdentity(l) {
                return [Derivation.Factor(symbol: Partial(symbols.activation(k, layer: l), b), meaning: nil, value: 1)]
            }
            return [activationFactor(l, k), Derivation.Factor(symbol: Partial(symbols.preactivation(k, layer: l), b), meaning: nil, value: 1)]
        case let .weight(l, j, k):
            let w = symbols.weight(j, k, layer: l)
            let input = solution.H[l - 1][j - 1]
            let inputSymbol = symbols.activation(j, layer: l - 1)
            if startedAtZ {
                return [Derivation.Factor(symbol: Partial(symbols.preactivation(k, layer: l), w), meaning: inputSymbol, value: input)]
            }
            if isIdentity(l) {
                return [Derivation.Factor(symbol: Partial(symbols.activation(k, layer: l), w), meaning: inputSymbol, value: input)]
            }
            return [activationFactor(l, k), Derivation.Factor(symbol: Partial(symbols.preactivation(k, layer: l), w), meaning: inputSymbol, value: input)]
        }
    }

    /// The recursive form: the factors that multiply to the value, and the supporting ones.
    func recursiveFactors(_ target: Derivation.Target, layer l: Int, unit k: Int) -> (factors: [Derivation.Factor], support: [Derivation.Factor]) {
        let z = symbols.preactivation(k, layer: l)
        let h = symbols.activation(k, layer: l)
        let sum = MathText("Σ") + MathText([.init("u", .sub)]) + " ∂\(network.notation.loss)/∂"
            + MathText([.init(network.notation.preactivation), .init("u", .sub), .init("(\(l + 1))", .sup)]) + " · "
            + MathText([.init(network.notation.weight), .init("\(k)u", .sub), .init("(\(l + 1))", .sup)])
        let dH = Derivation.Factor(symbol: Partial(of: symbols.loss, by: h), meaning: l < L ? sum : nil, value: solution.dH[l][k - 1])
        // Only parameters (layer ≥ 1) have a ∂Loss/∂Z factor; inputs (layer 0) do not.
        func dZ() -> Derivation.Factor {
            Derivation.Factor(symbol: Partial(of: symbols.loss, by: z), meaning: symbols.gradient(h) + " · " + derivativeName(l, k), value: solution.dZ[l][k - 1])
        }
        switch target {
        case .activation:
            return ([dH], [])
        case .preactivation:
            return ([dH, activationFactor(l, k)], [])
        case let .bias(l, k):
            return ([dZ(), Derivation.Factor(symbol: Partial(z, symbols.bias(k, layer: l)), meaning: nil, value: 1)], [dH, activationFactor(l, k)])
        case let .weight(l, j, k):
            return ([dZ(), Derivation.Factor(symbol: Partial(z, symbols.weight(j, k, layer: l)), meaning: symbols.activation(j, layer: l - 1),
                                           value: solution.H[l - 1][j - 1])], [dH, activationFactor(l, k)])
        }
    }

    /// Every parameter in the document's order: output layer first; within a layer the bias,
    /// then the weights into unit 1, then unit 2, …
    public func parameterOrder() -> [Derivation.Target] {
        var order: [Derivation.Target] = []
        for l in stride(from: L, through: 1, by: -1) {
            for k in 1...network.widths[l] {
                order.append(.bias(layer: l, k: k))
                for j in 1...network.widths[l - 1] { order.append(.weight(layer: l, j: j, k: k)) }
            }
        }
        return order
    }
}
