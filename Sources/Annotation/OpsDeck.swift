import NetworkModel

/// The backward pass through the op graph as a deck (`slides --steps ops`): the forward pass
/// a unit at a time first (OpsDeck+Steps.swift), then ∂Loss/∂Loss = 1, then one frame per
/// operation in reverse topological order, each applying the local rule with numbers, e.g.
/// ∂Loss/∂w₂₁⁽¹⁾ = ∂Loss/∂(α₂·w₂₁⁽¹⁾) · ∂(α₂·w₂₁⁽¹⁾)/∂w₂₁⁽¹⁾ = 32 · 2 = 64.
/// A value's gradient appears in the frame of the last operation it feeds (the first in
/// forward order), when its sum is complete; earlier frames show the terms it gets.
/// It ends with each unit's weights and bias and their gradients. Every frame is the same
/// graph, so the deck shares one layout.
struct OpsDeck {
    let ops: OpsAnnotator
    /// The forward frames' arithmetic.
    let forward: ForwardArithmetic
    let format: NumberFormat

    /// At most this many lines are worked out in one caption (inputs of an operation, outputs
    /// of a softmax, lines of gradients); a note says how many more.
    static let captionInputs = 6

    var graph: OpGraph { ops.graph }
    var network: Network { ops.network }

    /// A value's name as the subject of a derivative: compound names in parentheses.
    func subject(_ v: Int) -> MathText {
        let name = graph.values[v].name
        switch name {
        case .product, .residual: return "(" + ops.symbol(name) + ")"
        default: return ops.symbol(name)
        }
    }

    func frames() -> [SlideDeck.Frame] {
        var frames: [SlideDeck.Frame] = []
        var known = Set<Int>()
        let loss = graph.position(of: .quantity(.loss))!
        let lossSymbol = ops.symbols.loss
        // Every frame is the whole graph with some gradients hidden: printed once for the deck.
        let printed = ops.printed(), notes = ops.notes()

        /// `computed`: during the forward pass, the operations computed so far (nil after it).
        func add(_ slug: String, _ title: String, caption: [Line], nodes: Set<NodeID> = [], edges: Set<EdgeID> = [], everything: Bool = false,
                 computed: Set<Int>? = nil) {
            let snapshot = known
            var d = printed.diagram(knownGradient: { everything || snapshot.contains($0) }, computed: computed.map { ops in { ops.contains($0) } })
            for i in d.nodes.indices where nodes.contains(d.nodes[i].id) { d.nodes[i].emphasis.highlighted = true }
            for i in d.edges.indices where edges.contains(d.edges[i].id) { d.edges[i].emphasis.highlighted = true }
            // The closed-form note is about a gradient: not before the backward pass.
            d.caption = snapshot.isEmpty && !everything ? caption : caption + notes
            frames.append(SlideDeck.Frame(name: "\(String.padded(frames.count + 1))-\(slug)", title: title, diagram: d))
        }

        // Forward, a unit at a time (its products, its sum, its activation), then a softmax and
        // the loss's operations: each frame's window is a readable part of the graph, which is
        // far too wide to read whole on a slide.
        // What is not computed yet reads "?", as in the node deck's forward pass.
        var computed = Set<Int>()
        for step in forwardSteps() {
            computed.formUnion(step.operations)
            add(step.slug, step.title, caption: step.caption, nodes: step.nodes, edges: step.edges, computed: computed)
        }
        known.insert(loss)
        add("backward-seed", "Backward: ∂\(lossSymbol.unicode)/∂\(lossSymbol.unicode) = 1", caption: [
            Line((Expression.p(Partial(lossSymbol, lossSymbol)) + .op(" = ") + .n(1)).mathText(format), role: .title),
        ], nodes: [ops.valueID(loss)])

        // For each value, the (operation, output) pairs it feeds; a value is complete when the
        // backward pass has visited all of them.
        var feeds = Array(repeating: [(op: Int, output: Int, input: Int)](), count: graph.values.count)
        for (o, op) in graph.operations.enumerated() {
            for (i, v) in op.inputs.enumerated() { for r in op.outputs.indices { feeds[v].append((o, r, i)) } }
        }
        var visited = Set<Int>()
        for o in graph.operations.indices.reversed() {
            let op = graph.operations[o]
            visited.insert(o)
            var caption: [Line] = []
            var nodes: Set<NodeID> = [ops.operationID(o)]
            var edges = Set<EdgeID>()
            for v in op.outputs {
                nodes.insert(ops.valueID(v))
                edges.insert(EdgeID(ops.operationID(o), ops.valueID(v)))
            }
            for (i, v) in op.inputs.enumerated() {
                nodes.insert(ops.valueID(v))
                edges.insert(EdgeID(ops.valueID(v), ops.operationID(o)))
                guard graph.values[v].gradient != nil else { continue }   // data: no gradient
                let complete = feeds[v].allSatisfy { visited.contains($0.op) }
                if complete { known.insert(v) }
                guard caption.count < Self.captionInputs else { continue }
                caption.append(Line(rule(v, terms: complete ? feeds[v] : feeds[v].filter { $0.op == o }, complete: complete, of: feeds[v].count, input: i),
                                    role: complete ? .title : .value))
            }
            let shown = op.inputs.filter { graph.values[$0].gradient != nil }.count
            if shown > caption.count { caption.append(Line(MathText("… and \(shown - caption.count) more inputs, each the same way"), role: .note)) }
            let name = ops.operationLabel(op.kind).unicode
            add("backward-" + ops.operationID(o).raw.replacingOccurrences(of: "_", with: "-"), "Backward: \(name) → \(op.outputs.map { ops.symbol(graph.values[$0].name).unicode }.joined(separator: ", "))",
                caption: caption, nodes: nodes, edges: edges)
        }
        // The answers: each unit's weights and bias with their gradients, every value known.
        for step in gradientSteps() {
            add(step.slug, step.title, caption: step.caption, nodes: step.nodes, everything: true)
        }
        return frames
    }

    /// ∂Loss/∂v = Σ ∂Loss/∂out · ∂out/∂v = numbers = total, over the given terms.
    func rule(_ v: Int, terms: [(op: Int, output: Int, input: Int)], complete: Bool, of total: Int, input: Int) -> MathText {
        let loss = ops.symbols.loss
        var symbolic: [Expression] = [], numeric: [Expression] = []
        var sum = 0.0
        for t in terms {
            let op = graph.operations[t.op]
            let out = op.outputs[t.output]
            let g = graph.values[out].gradient ?? 0, local = op.local[t.output][t.input]
            symbolic.append(.p(Partial(loss, subject(out))) + .op(" · ") + .p(Partial(subject(out), subject(v))))
            numeric.append(.n(g, factor: true) + .op(" · ") + .n(local, factor: true))
            sum += g * local
        }
        let head = Expression.p(Partial(loss, subject(v)))
        var e: Expression
        if complete {
            e = head + .op(" = ")
            if terms.count <= 3 { e += Expression.joined(symbolic, by: " + ") + .op(" = ") }
            // The model's gradient: the sum above is checked against it by the tests.
            e += Expression.joined(numeric, by: " + ") + .op(" = ") + .n(graph.values[v].gradient ?? sum)
        } else {
            e = .op("term of ") + head + .op(": ") + Expression.joined(symbolic, by: " + ") + .op(" = ")
                + Expression.joined(numeric, by: " + ") + .op(" = ") + .n(sum) + .op(" (\(terms.count) of \(total))")
        }
        return e.mathText(format)
    }
}
