import NetworkModel

/// The forward pass written out for every node, as the worked example does:
/// Z_1^(1) = α_1·w_11^(1) + α_2·w_21^(1) + α_3·w_31^(1) + b_1^(1) = 1·1 + 2·1 + (−1)·1 + 0 = 2,
/// H_1^(1) = ReLU(Z_1^(1)) = ReLU(2) = 2, and the loss.
struct ForwardArithmetic: Sendable {
    let solution: Solution
    let symbols: Symbols
    /// Sums longer than this are written with Σ instead of term by term.
    static let maxTerms = 8

    init(solution: Solution) {
        self.solution = solution
        self.symbols = Symbols(network: solution.network)
    }

    var network: Network { solution.network }

    func preactivation(layer l: Int, unit k: Int) -> Expression {
        let layer = network.layers[l - 1]
        let n = layer.weights.rows
        var e = Expression.m(symbols.preactivation(k, layer: l)) + .op(" = ")
        if n <= Self.maxTerms {
            e += .joined((1...n).map { j in .m(symbols.activation(j, layer: l - 1)) + .op("·") + .m(symbols.weight(j, k, layer: l)) }, by: " + ")
            e += .op(" + ") + .m(symbols.bias(k, layer: l)) + .op(" = ")
            e += .joined((1...n).map { j in .n(solution.H[l - 1][j - 1], factor: true) + .op("·") + .n(layer.weights[j - 1, k - 1], factor: true) }, by: " + ")
            e += .op(" + ") + .n(layer.bias[k - 1], factor: true)
        } else {
            let h = MathText([.init(l == 1 ? network.notation.input : network.notation.activation), .init("j", .sub)] + (l == 1 ? [] : [.init("(\(l - 1))", .sup)]))
            let w = MathText([.init(network.notation.weight), .init("j\(k)", .sub), .init("(\(l))", .sup)])
            e += .m(MathText([.init("Σ"), .init("j=1…\(n)", .sub), .init(" ")]) + h + "·" + w) + .op(" + ") + .m(symbols.bias(k, layer: l))
        }
        return e + .op(" = ") + .n(solution.Z[l][k - 1])
    }

    func activation(layer l: Int, unit k: Int) -> Expression {
        let a = network.layers[l - 1].activation
        let h = Expression.m(symbols.activation(k, layer: l)) + .op(" = ")
        let z = solution.Z[l][k - 1]
        switch a {
        case .identity:
            return h + .m(symbols.preactivation(k, layer: l)) + .op(" = ") + .n(solution.H[l][k - 1])
        case .softmax:
            let zSymbol = MathText([.init(network.notation.preactivation), .init("(\(l))", .sup)])
            return h + .m(MathText("softmax(") + zSymbol + ")" + MathText([.init(String(k), .sub)])) + .op(" = ") + .n(solution.H[l][k - 1])
        default:
            return h + .m(MathText(a.displayName + "(") + symbols.preactivation(k, layer: l) + ")") + .op(" = ")
                + .m(MathText(a.displayName + "(")) + .n(z) + .m(MathText(")")) + .op(" = ") + .n(solution.H[l][k - 1])
        }
    }

    /// 1 − H_i of a sigmoid output as σ(−Z_i): where σ(Z) rounds to 1 it keeps its value
    /// (1 − σ(37) = 8.5e−17, not 0, whose log the loss never took).
    func oneMinusOutput(_ i: Int) -> Double {
        let L = network.depth
        return network.layers[L - 1].activation == .sigmoid ? Activation.sigmoid(-solution.Z[L][i]) : 1 - solution.H[L][i]
    }

    /// Loss = (Y − H^(3))² = (0 − 8)² = 64, in the loss function's own form.
    func loss() -> Expression {
        let L = network.depth
        let annotator = Annotator(solution: solution)
        var e = Expression.m(symbols.loss) + .op(" = ") + .m(annotator.lossFormula()) + .op(" = ")
        let y = network.target, h = solution.H[L]
        let many = y.count > 1
        func squares() -> Expression {
            .joined(y.indices.map { i in .m(MathText("(")) + .n(y[i]) + .op(" − ") + .n(h[i]) + .m(MathText(")²")) }, by: " + ")
        }
        if y.count <= Self.maxTerms {
            switch network.loss {
            case .rss: e += squares()
            case .halfSSE: e += .m(MathText("½(")) + squares() + .m(MathText(")"))
            case .mse: e += (many ? .m(MathText("(1/\(y.count))(")) : .m(MathText(""))) + squares() + (many ? .m(MathText(")")) : .m(MathText("")))
            case .bce:
                e += .m(MathText("−(")) + .joined(y.indices.map { i in .n(y[i], factor: true) + .op("·") + .m(MathText("log ")) + .n(h[i]) + .op(" + ") + .n(1 - y[i], factor: true) + .op("·") + .m(MathText("log ")) + .n(oneMinusOutput(i)) }, by: " + ") + .m(MathText(")"))
            case .crossEntropy:
                let terms = y.indices.filter { y[$0] != 0 }
                e += .m(MathText("−(")) + .joined(terms.map { i in .n(y[i], factor: true) + .op("·") + .m(MathText("log ")) + .n(h[i]) }, by: " + ") + .m(MathText(")"))
            }
            e += .op(" = ")
        }
        return e + .n(solution.loss)
    }
}
