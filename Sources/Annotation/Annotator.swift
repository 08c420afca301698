import NetworkModel

/// Attaches a solved network's values to nodes and edges, in the network's notation.
public struct Annotator: Sendable {
    public let solution: Solution
    public let symbols: Symbols
    public let format: NumberFormat

    public init(solution: Solution, format: NumberFormat = NumberFormat()) {
        self.solution = solution
        self.symbols = Symbols(network: solution.network)
        self.format = format
    }

    var network: Network { solution.network }

    /// The stable ID of unit k (1-based) of layer l.
    public static func nodeID(layer: Int, unit: Int) -> String { "L\(layer)_\(unit)" }
    public static let lossID = "loss"

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

        func line(_ symbol: MathText, _ value: Double, _ q: Quantity, _ role: Line.Role) -> Line {
            let shown = q.isGiven || known(q)
            return Line(symbol + " = " + (shown ? format.string(value) : "?"), role: role, hidden: !shown)
        }

        for i in 1...network.input.count {
            var lines: [Line] = []
            if forward || view == .backward {
                lines.append(line(symbols.input(i), network.input[i - 1], .input(i), .title))
            }
            if backward { lines.append(line(symbols.gradient(symbols.input(i)), solution.dX[i - 1], .dInput(i), .gradient)) }
            nodes.append(DiagramNode(id: Self.nodeID(layer: 0, unit: i), kind: .input, column: 0, row: i - 1, lines: lines,
                                     tooltip: tooltip([(symbols.input(i), network.input[i - 1], .input(i)),
                                                      (symbols.gradient(symbols.input(i)), solution.dX[i - 1], .dInput(i))], known: known)))
        }

        for l in 1...L {
            let layer = network.layers[l - 1]
            for k in 1...layer.units {
                let H = symbols.activation(k, layer: l), Z = symbols.preactivation(k, layer: l), b = symbols.bias(k, layer: l)
                var lines: [Line] = []
                if forward || view == .backward { lines.append(line(H, solution.H[l][k - 1], .activation(layer: l, k: k), .title)) }
                if forward {
                    lines.append(line(Z, solution.Z[l][k - 1], .preactivation(layer: l, k: k), .value))
                    lines.append(line(b, layer.bias[k - 1], .bias(layer: l, k: k), .value))
                }
                if backward {
                    lines.append(line(symbols.gradient(H), solution.dH[l][k - 1], .dActivation(layer: l, k: k), .gradient))
                    lines.append(line(symbols.gradient(Z), solution.dZ[l][k - 1], .dPreactivation(layer: l, k: k), .gradient))
                    lines.append(line(symbols.gradient(b), solution.db[l][k - 1], .dBias(layer: l, k: k), .gradient))
                }
                if let update { lines.append(Line(b.primed + " = " + format.string(update.b[l][k - 1]), role: .update)) }
                let tip = tooltip([(H, solution.H[l][k - 1], .activation(layer: l, k: k)), (Z, solution.Z[l][k - 1], .preactivation(layer: l, k: k)),
                                   (b, layer.bias[k - 1], .bias(layer: l, k: k)),
                                   (symbols.gradient(H), solution.dH[l][k - 1], .dActivation(layer: l, k: k)),
                                   (symbols.gradient(Z), solution.dZ[l][k - 1], .dPreactivation(layer: l, k: k)),
                                   (symbols.gradient(b), solution.db[l][k - 1], .dBias(layer: l, k: k))], known: known)
                nodes.append(DiagramNode(id: Self.nodeID(layer: l, unit: k), kind: l == L ? .output : .neuron,
                                         column: l, row: k - 1, lines: lines, tooltip: tip))
                for j in 1...layer.weights.rows {
                    let w = symbols.weight(j, k, layer: l)
                    var edgeLines: [Line] = []
                    if forward { edgeLines.append(line(w, layer.weights[j - 1, k - 1], .weight(layer: l, j: j, k: k), .value)) }
                    if backward {
                        edgeLines.append(line(symbols.gradient(w), solution.dW[l][j - 1, k - 1], .dWeight(layer: l, j: j, k: k), .gradient))
                    }
                    if let update { edgeLines.append(Line(w.primed + " = " + format.string(update.W[l][j - 1, k - 1]), role: .update)) }
                    let tail = Self.nodeID(layer: l - 1, unit: j), head = Self.nodeID(layer: l, unit: k)
                    edges.append(DiagramEdge(id: "\(tail)->\(head)", tail: tail, head: head, lines: edgeLines,
                                             tooltip: tooltip([(w, layer.weights[j - 1, k - 1], .weight(layer: l, j: j, k: k)),
                                                               (symbols.gradient(w), solution.dW[l][j - 1, k - 1], .dWeight(layer: l, j: j, k: k))], known: known)))
                }
            }
        }

        nodes.append(lossNode(view: view, known: known))
        for k in 1...network.layers[L - 1].units {
            let tail = Self.nodeID(layer: L, unit: k)
            edges.append(DiagramEdge(id: "\(tail)->\(Self.lossID)", tail: tail, head: Self.lossID, lines: [],
                                     tooltip: tooltip([(symbols.gradient(symbols.activation(k, layer: L)), solution.dH[L][k - 1],
                                                        .dActivation(layer: L, k: k))], known: known)))
        }
        return Diagram(title: network.name.map { MathText($0) }, headers: headers(), nodes: nodes, edges: edges)
    }

    func lossNode(view: View, known: (Quantity) -> Bool) -> DiagramNode {
        let L = network.depth
        let shownLoss = known(.loss)
        var lines = [Line(symbols.loss + " = " + lossFormula() + " = " + (shownLoss ? format.string(solution.loss) : "?"),
                          role: .title, hidden: !shownLoss)]
        if view != .backward { lines.append(Line(targetLine(), role: .value)) }
        if view.showsBackward {
            for k in 1...network.layers[L - 1].units {
                let q = Quantity.dActivation(layer: L, k: k)
                lines.append(Line(symbols.gradient(symbols.activation(k, layer: L)) + " = " + (known(q) ? format.string(solution.dH[L][k - 1]) : "?"),
                                  role: .gradient, hidden: !known(q)))
            }
        }
        var tips: [(MathText, Double, Quantity)] = [(symbols.loss, solution.loss, .loss)]
        for (i, y) in network.target.enumerated() { tips.append((targetSymbol(i + 1), y, .target)) }
        return DiagramNode(id: Self.lossID, kind: .loss, column: L + 1, row: 0, lines: lines, tooltip: tooltip(tips, known: known))
    }

    /// The loss node of the summary views (flow, layers): just `Loss = value`.
    func compactLossNode() -> DiagramNode {
        var node = lossNode(view: .forward, known: { _ in true })
        node.lines = [Line(symbols.loss + " = " + format.string(solution.loss), role: .title)]
        return node
    }

    /// Y, or Y_k when there are several outputs.
    func targetSymbol(_ k: Int) -> MathText {
        network.target.count == 1 ? "Y" : MathText([.init("Y"), .init(String(k), .sub)])
    }

    func targetLine() -> MathText {
        if network.target.count == 1 { return "Y = " + format.string(network.target[0]) }
        return "Y = (" + network.target.map { format.string($0) }.joined(separator: ", ") + ")"
    }

    /// The loss as a formula of Y and the output symbol: (Y − H^(3))², Σ_k (Y_k − H_k^(3))², …
    public func lossFormula() -> MathText {
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

    /// Plain-text, full-precision values for hover and screen readers.
    func tooltip(_ items: [(MathText, Double)]) -> String {
        items.map { "\($0.0.plain) = \(NumberFormat.exact($0.1))" }.joined(separator: "\n")
    }

    /// The same, leaving out what is not known yet (a slide must not leak later values).
    func tooltip(_ items: [(MathText, Double, Quantity)], known: (Quantity) -> Bool) -> String {
        tooltip(items.filter { $0.2.isGiven || known($0.2) }.map { ($0.0, $0.1) })
    }
}
