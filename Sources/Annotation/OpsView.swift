import NetworkModel

extension View {
    /// The computational graph: one node per scalar operation, values with their gradients,
    /// the local derivative on every edge into an operation. Laid out in layers (`Diagram.Geometry.graph`).
    public static let ops = View(name: "ops", summary: "the computational graph: one node per scalar operation") { _, solution, options in
        try OpsAnnotator.checkSize(solution.network, maxOps: options.maxOps, maxEdges: options.maxEdges)
        return OpsAnnotator(solution: solution, format: options.format).diagram()
    }
}

/// The op graph (`OpGraph`) as a diagram in the network's notation: value nodes read
/// `w₂₁⁽¹⁾ = 1` over `∂Loss/∂w₂₁⁽¹⁾ = 64`, operation nodes read `×`, `+`, `ReLU`, …, and the
/// edge from each input of an operation carries ∂out/∂in (`∂/∂w₂₁⁽¹⁾ = α₂ = 2`).
package struct OpsAnnotator: Sendable {
    let graph: OpGraph
    let symbols: Symbols
    let format: NumberFormat
    let network: Network

    init(solution: Solution, format: NumberFormat = NumberFormat()) {
        graph = OpGraph(solution: solution)
        symbols = Symbols(network: solution.network)
        self.format = format
        network = solution.network
    }

    /// Refuses graphs too large to read (and to lay out quickly), naming a view that draws
    /// the network: the full view when its weights are within `maxEdges`, else the flow view.
    package static func checkSize(_ network: Network, maxOps: Int, maxEdges: Int, deck: Bool = false) throws {
        let count = OpGraph.operationCount(network)
        guard count <= maxOps else {
            let instead = switch (network.weightCount <= maxEdges, deck) {
            case (true, false): "use --view full, which draws one node per unit"
            case (false, false): "use --view flow, which folds wide layers"
            case (true, true): "use --steps node, a frame per unit"
            case (false, true): "render the flow view instead"
            }
            throw ViewError("the ops view of a \(network.shape) network would draw \(count) operations; expected at most \(maxOps) (\(instead), or raise --max-ops)")
        }
    }

    // MARK: - Names and identifiers

    /// A value's name in the notation; products and the loss's terms are named by what they are.
    func symbol(_ name: OpGraph.Name) -> MathText {
        let L = network.depth
        switch name {
        case let .quantity(q): return symbols.symbol(q)
        case let .product(l, j, k): return symbols.activation(j, layer: l - 1) + "·" + symbols.weight(j, k, layer: l)
        case let .residual(k): return symbols.target(k) + " − " + symbols.activation(k, layer: L)
        case let .square(k): return "(" + symbols.target(k) + " − " + symbols.activation(k, layer: L) + ")²"
        case let .term(k): return network.target.count == 1 ? "ℓ" : MathText([.init("ℓ"), .init(String(k), .sub)])
        }
    }

    /// ∂Loss/∂name, with parentheses around compound names.
    func gradientSymbol(_ name: OpGraph.Name) -> MathText {
        switch name {
        case .product, .residual: symbols.gradient("(" + symbol(name) + ")")
        default: symbols.gradient(symbol(name))
        }
    }

    /// Stable node ids, so an SVG and a deck's frames name the same node the same way.
    func valueID(_ index: Int) -> NodeID {
        switch graph.values[index].name {
        case let .quantity(q):
            switch q {
            case let .input(i): return NodeID("x\(i)")
            case let .weight(l, j, k): return NodeID("w\(l)_\(j)_\(k)")
            case let .bias(l, k): return NodeID("b\(l)_\(k)")
            case let .preactivation(l, k): return NodeID("Z\(l)_\(k)")
            case let .activation(l, k): return NodeID("H\(l)_\(k)")
            case let .target(k): return NodeID("Y\(k)")
            case .loss: return .loss
            case .gradient: return NodeID("grad")   // never a node of the op graph
            }
        case let .product(l, j, k): return NodeID("p\(l)_\(j)_\(k)")
        case let .residual(k): return NodeID("r\(k)")
        case let .square(k): return NodeID("s\(k)")
        case let .term(k): return NodeID("t\(k)")
        }
    }

    func operationID(_ o: Int) -> NodeID { NodeID("op_" + valueID(graph.operations[o].outputs[0]).raw) }

    /// What an operation node reads.
    func operationLabel(_ kind: OpGraph.Kind) -> MathText {
        switch kind {
        case .multiply: "×"
        case .add: "+"
        case let .activation(a): MathText(a.displayName)
        case .softmax: "softmax"
        case .subtract: "−"
        case .square: "(·)²"
        case let .sum(scale): scale == 1 ? "Σ" : scale == 0.5 ? "½ Σ" : MathText("(1/\(network.target.count)) Σ")
        case .binaryCrossEntropy: "BCE"
        case .crossEntropy: "−Y log H"
        }
    }

    /// What ∂out/∂in equals in the notation, where that is short and helps: for H × w,
    /// ∂/∂w = H.
    func localMeaning(_ op: OpGraph.Operation, input i: Int) -> MathText? {
        let inputName = graph.values[op.inputs[i]].name
        switch op.kind {
        case .multiply: return symbol(graph.values[op.inputs[1 - i]].name)
        case let .activation(a) where a != .identity:
            return MathText(a.displayName + "′(") + symbol(inputName) + ")"
        case .square: return "2(" + symbol(graph.values[op.inputs[0]].name) + ")"
        case .binaryCrossEntropy where i == 0:
            let h = symbol(inputName), y = symbol(graph.values[op.inputs[1]].name)
            return "(" + h + " − " + y + ") / (" + h + "(1 − " + h + "))"
        case .crossEntropy where i == 0:
            return "−" + symbol(graph.values[op.inputs[1]].name) + " / " + symbol(inputName)
        default: return nil
        }
    }

    /// The lines on the edge from input i to operation o: ∂out/∂in for each output.
    func localLines(_ o: Int, input i: Int) -> [Line] {
        let op = graph.operations[o]
        let inputName = graph.values[op.inputs[i]].name
        let inputSymbol: MathText
        switch inputName {
        case .product, .residual, .square: inputSymbol = "(" + symbol(inputName) + ")"
        default: inputSymbol = symbol(inputName)
        }
        if op.outputs.count == 1 {
            var text = "∂/∂" + inputSymbol
            if let meaning = localMeaning(op, input: i) { text += " = " + meaning }
            return [Line(text, value: format.string(op.local[0][i]), role: .value)]
        }
        // Several outputs (softmax): one partial per output.
        return op.outputs.indices.map { r in
            Line("∂" + symbol(graph.values[op.outputs[r]].name) + "/∂" + inputSymbol, value: format.string(op.local[r][i]), role: .value)
        }
    }

    /// The note on fused closed forms, when the network has one.
    func notes() -> [Line] {
        guard graph.fusedOutputGradient else { return [] }
        let L = network.depth
        let z = symbols.gradient(MathText([.init(network.notation.preactivation), .init("(\(L))", .sup)]))
        let h = MathText([.init(network.notation.activation), .init("(\(L))", .sup)])
        let closed = network.loss == .bce || network.target.reduce(0, +) == 1 ? h + " − Y" : h + " · ΣY − Y"
        return [Line(z + " is computed in its closed form " + closed
                     + " (stable when the output saturates); the chain through the graph gives the same value", role: .note)]
    }

    // MARK: - The diagram

    /// The diagram with every gradient shown (a deck's frames: `Printed.diagram(knownGradient:)`).
    func diagram() -> Diagram { printed().whole }

    /// The diagram with every value and gradient shown, and each value's tooltip without its
    /// gradient and without its value: a deck's frames differ only in which values and
    /// gradients they show, so it prints the labels and tooltips once (printing them for every
    /// frame was most of the deck's annotation time).
    struct Printed: Sendable {
        let whole: Diagram
        /// Per value, in the order of the graph's values (which are the diagram's first nodes).
        let valueTooltips: [String]
        /// Per value, its tooltip before it is computed (`Z_1^(1) = ?`).
        let unknownTooltips: [String]
        /// Per value, the operation that computes it; nil for what is given.
        let producers: [Int?]

        /// The whole diagram with the gradients `knownGradient` does not know hidden and,
        /// during the forward pass, the values the operations `computed` does not include
        /// compute. (The local derivatives on the edges stay: an edge label's box is as wide as
        /// its text, and a "?" would make it narrower than in the frames after.)
        func diagram(knownGradient: (Int) -> Bool, computed: ((Int) -> Bool)? = nil) -> Diagram {
            var d = whole
            for v in valueTooltips.indices where d.nodes[v].lines.count > 1 && !knownGradient(v) {
                d.nodes[v].lines[1].hidden = true
                d.nodes[v].tooltip = valueTooltips[v]
            }
            guard let computed else { return d }
            for v in producers.indices {
                guard let o = producers[v], !computed(o) else { continue }
                d.nodes[v].lines[0].hidden = true
                d.nodes[v].tooltip = unknownTooltips[v]
            }
            return d
        }
    }

    /// Every label and tooltip of the diagram, printed once.
    func printed() -> Printed {
        var nodes: [DiagramNode] = []
        var edges: [DiagramEdge] = []
        var valueTooltips: [String] = [], unknownTooltips: [String] = []
        var producers = [Int?](repeating: nil, count: graph.values.count)
        for (o, op) in graph.operations.enumerated() { for v in op.outputs { producers[v] = o } }
        for (v, value) in graph.values.enumerated() {
            let name = value.name, named = symbol(name)
            var lines = [Line(named, value: format.string(value.value), role: .title)]
            let valueTooltip = "\(named.plain) = \(NumberFormat.exact(value.value))"
            unknownTooltips.append("\(named.plain) = \(Line.unknown)")
            var tip = valueTooltip
            if let g = value.gradient {
                let gradient = gradientSymbol(name)
                lines.append(Line(gradient, value: format.string(g), role: .gradient))
                tip += "\n\(gradient.plain) = \(NumberFormat.exact(g))"
            }
            let kind: DiagramNode.Kind
            switch name {
            case let .quantity(q) where q.isGiven: kind = .input
            case .quantity(.loss): kind = .loss
            default: kind = .neuron
            }
            nodes.append(DiagramNode(id: valueID(v), kind: kind, column: 0, row: v, lines: lines, tooltip: tip))
            valueTooltips.append(valueTooltip)
        }
        for (o, op) in graph.operations.enumerated() {
            let id = operationID(o)
            nodes.append(DiagramNode(id: id, kind: .operation, column: 0, row: graph.values.count + o,
                                     lines: [Line(operationLabel(op.kind), role: .title)], tooltip: operationLabel(op.kind).plain))
            for (i, input) in op.inputs.enumerated() {
                let lines = localLines(o, input: i)
                edges.append(DiagramEdge(EdgeID(valueID(input), id), lines: lines,
                                         tooltip: lines.map { $0.text.plain }.joined(separator: "\n")))
            }
            for output in op.outputs { edges.append(DiagramEdge(EdgeID(id, valueID(output)), lines: [], tooltip: "")) }
        }
        let title = MathText((network.name.map { $0 + " · " } ?? "") + "operations")
        return Printed(whole: Diagram(title: title, headers: [], nodes: nodes, edges: edges, caption: notes(), geometry: .graph),
                       valueTooltips: valueTooltips, unknownTooltips: unknownTooltips, producers: producers)
    }
}
