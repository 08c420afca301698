import NetworkModel
import Synchronization

/// Attaches a solved network's values to nodes and edges, in the network's notation.
public struct Annotator: Sendable {
    /// The solved network whose values the labels show.
    public let solution: Solution
    /// The network's symbols, in its notation.
    public let symbols: Symbols
    /// How the labels print numbers.
    public let format: NumberFormat
    /// Set for a deck (see `remembering`): each quantity's symbol and numbers, printed once.
    let printed: Printed?

    /// An annotator for `solution`, printing numbers with `format`.
    public init(solution: Solution, format: NumberFormat = NumberFormat()) {
        self.solution = solution
        self.symbols = Symbols(network: solution.network)
        self.format = format
        printed = nil
    }

    private init(_ annotator: Annotator, printed: Printed) {
        solution = annotator.solution
        symbols = annotator.symbols
        format = annotator.format
        self.printed = printed
    }

    /// This annotator, printing each quantity's symbol, value and tooltip line once and
    /// remembering them: a deck draws the same quantities in every frame, and only which of
    /// them are known changes (printing them was a tenth of a deck's time).
    func remembering() -> Annotator { Annotator(self, printed: Printed()) }

    /// A quantity's symbol, its value as labels print it and its tooltip line.
    struct Print: Sendable {
        var symbol: MathText
        var value: String
        var tooltip: String
    }

    /// The quantities printed so far; frames may be built on several threads.
    final class Printed: Sendable {
        let table = Mutex<[Quantity: Print]>([:])
    }

    /// What `printed` remembers of `q`, printed now if it is the first time.
    func print(_ q: Quantity, in printed: Printed) -> Print {
        if let known = printed.table.withLock({ $0[q] }) { return known }
        let symbol = symbols.symbol(q), value = solution.value(of: q)
        let made = Print(symbol: symbol, value: format.string(value), tooltip: "\(symbol.plain) = \(format.detailed(value))")
        printed.table.withLock { $0[q] = made }
        return made
    }

    var network: Network { solution.network }

    /// The diagram for a view; `known` says which computed values may be shown (all, unless
    /// a slide is being built).
    /// With `showUpdate` and a learning rate, edges and nodes also show w′ and b′ after one
    /// gradient-descent step.
    public func diagram(view: View, known: (Quantity) -> Bool = { _ in true }, showUpdate: Bool = false) -> Diagram {
        let update = showUpdate ? solution.update : nil
        let L = network.depth
        var nodes: [DiagramNode] = []
        var edges: [DiagramEdge] = []
        let forward = view.showsForward || view == .flow
        let backward = view.showsBackward

        func line(_ q: Quantity, _ role: Line.Role) -> Line { self.line(q, role, known: known) }
        func tip(_ qs: [Quantity]) -> String { tooltip(qs, known: known) }

        for i in 1...network.input.count {
            let x = Quantity.input(i)
            var lines: [Line] = []
            if forward || view == .backward { lines.append(line(x, .title)) }
            if backward { lines.append(line(.gradient(x), .gradient)) }
            nodes.append(DiagramNode(id: .unit(layer: 0, k: i), kind: .input, column: 0, row: i - 1, lines: lines,
                                     tooltip: tip([x, .gradient(x)])))
        }

        for l in 1...L {
            let layer = network.layers[l - 1]
            for k in 1...layer.units {
                let H = Quantity.activation(layer: l, k: k), Z = Quantity.preactivation(layer: l, k: k), b = Quantity.bias(layer: l, k: k)
                var lines: [Line] = []
                if forward || view == .backward { lines.append(line(H, .title)) }
                if forward {
                    lines.append(line(Z, .value))
                    lines.append(line(b, .value))
                }
                if backward {
                    lines.append(line(.gradient(H), .gradient))
                    lines.append(line(.gradient(Z), .gradient))
                    lines.append(line(.gradient(b), .gradient))
                }
                if let update { lines.append(Line(symbols.symbol(b).primed, value: format.string(update.b[l][k - 1]), role: .update)) }
                nodes.append(DiagramNode(id: .unit(layer: l, k: k), kind: l == L ? .output : .neuron, column: l, row: k - 1, lines: lines,
                                         tooltip: tip([H, Z, b, .gradient(H), .gradient(Z), .gradient(b)])))
                for j in 1...layer.weights.rows {
                    let w = Quantity.weight(layer: l, j: j, k: k)
                    var edgeLines: [Line] = []
                    if forward { edgeLines.append(line(w, .value)) }
                    if backward { edgeLines.append(line(.gradient(w), .gradient)) }
                    if let update { edgeLines.append(Line(symbols.symbol(w).primed, value: format.string(update.W[l][j - 1, k - 1]), role: .update)) }
                    edges.append(DiagramEdge(.weight(layer: l, j: j, k: k), lines: edgeLines, tooltip: tip([w, .gradient(w)])))
                }
            }
        }

        nodes.append(lossNode(view: view, known: known))
        for k in 1...network.layers[L - 1].units {
            edges.append(DiagramEdge(EdgeID(.unit(layer: L, k: k), .loss), lines: [],
                                     tooltip: tip([.gradient(.activation(layer: L, k: k))])))
        }
        return Diagram(title: network.name.map { MathText($0) }, headers: headers(), nodes: nodes, edges: edges)
    }

    /// `symbol = value` of a quantity, its value shown when given or known.
    public func line(_ q: Quantity, _ role: Line.Role, known: (Quantity) -> Bool = { _ in true }) -> Line {
        if let printed {
            let p = print(q, in: printed)
            return Line(p.symbol, value: p.value, role: role, known: q.isGiven || known(q))
        }
        return Line(symbols.symbol(q), value: format.string(solution.value(of: q)), role: role, known: q.isGiven || known(q))
    }

    func lossNode(view: View, known: (Quantity) -> Bool) -> DiagramNode {
        let L = network.depth
        var lines = [Line(symbols.loss + " = " + batchPrefix() + lossFormula(), value: format.string(solution.loss), role: .title, known: known(.loss))]
        if view != .backward { lines.append(Line(targetLine() + sampleNote(), role: .value)) }
        if view.showsBackward {
            for k in 1...network.layers[L - 1].units { lines.append(line(.gradient(.activation(layer: L, k: k)), .gradient, known: known)) }
        }
        let tips: [Quantity] = [.loss] + (1...network.target.count).map { .target($0) }
        // The targets are the shown sample's: say so as the node's target line does.
        return DiagramNode(id: .loss, kind: .loss, column: L + 1, row: 0, lines: lines, tooltip: tooltip(tips, known: known) + sampleNote().plain)
    }

    /// The loss node of the summary views (flow, layers): just `Loss = value`.
    func compactLossNode() -> DiagramNode {
        var node = lossNode(view: .forward, known: { _ in true })
        node.lines = [line(.loss, .title)]
        if let batch = solution.batch, batch.samples.count > 1 {
            node.lines.append(Line(MathText("\(batch.reduction.rawValue) over \(batch.samples.count) samples"), role: .note))
        }
        return node
    }

    func targetLine() -> MathText {
        if network.target.count == 1 { return "Y = " + format.string(network.target[0]) }
        return "Y = (" + network.target.map { format.string($0) }.joined(separator: ", ") + ")"
    }

    /// The loss as a formula of Y and the output symbol: (Y − H^(3))², Σ_k (Y_k − H_k^(3))², …
    func lossFormula() -> MathText {
        let L = network.depth
        let many = network.target.count > 1
        let y: MathText = many ? MathText([.init("Y"), .init("k", .sub)]) : "Y"
        let h: MathText = many ? MathText([.init(network.notation.activation), .init("k", .sub), .init("(\(L))", .sup)])
                               : symbols.activation(1, layer: L)
        let sum: MathText = many ? MathText([.init("Σ"), .init("k", .sub), .init(" ")]) : ""
        switch network.loss {
        case .rss: return sum + "(" + y + " − " + h + ")²"
        case .halfSSE: return "½" + sum + "(" + y + " − " + h + ")²"
        case .mse: return (many ? MathText([.init("(1/\(network.target.count)) Σ"), .init("k", .sub), .init(" ")]) : "") + "(" + y + " − " + h + ")²"
        case .bce: return "−" + sum + "[" + y + " log " + h + " + (1 − " + y + ") log(1 − " + h + ")]"
        case .crossEntropy: return "−" + sum + y + " log " + h
        }
    }

    func headers() -> [MathText] {
        let L = network.depth
        var result: [MathText] = ["Input layer"]
        for l in 1...L {
            let a = network.layers[l - 1].activation.displayName
            result.append(MathText(l == L ? "Output layer · \(a)" : "Hidden layer \(l) · \(a)"))
        }
        result.append(MathText("\(network.notation.loss) · \(network.loss.displayName)"))
        return result
    }

    /// Plain-text values for hover and screen readers (as drawn, plus every digit that matters
    /// where that differs), leaving out what is
    /// not known yet (a slide must not leak later values).
    public func tooltip(_ quantities: [Quantity], known: (Quantity) -> Bool = { _ in true }) -> String {
        quantities.filter { $0.isGiven || known($0) }.map { q in
            if let printed { return print(q, in: printed).tooltip }
            return "\(symbols.symbol(q).plain) = \(format.detailed(solution.value(of: q)))"
        }.joined(separator: "\n")
    }
}
