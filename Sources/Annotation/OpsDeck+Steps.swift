import NetworkModel

/// The ops deck's frames before and after the backward pass. The op graph is far too wide to
/// read whole on a slide (the worked example's is 5,000 points wide, its text 3 pixels high on
/// a 1280-pixel screen), so these frames, like the backward pass's, each highlight a small part
/// of it and the deck zooms to that part: the forward pass a unit at a time, with its
/// arithmetic, and at the end each unit's weights and bias with their gradients.
extension OpsDeck {
    /// One frame's content.
    struct Step {
        var slug: String
        var title: String
        var caption: [Line]
        var nodes: Set<NodeID>
        var edges: Set<EdgeID> = []
        /// A forward step's operations (by index in the graph).
        var operations: [Int] = []
    }

    /// Which forward step an operation belongs to.
    enum Part: Hashable {
        /// Unit k of layer l: its products, its sum Z and its element-wise activation H.
        case unit(layer: Int, k: Int)
        /// A softmax: every Z of the layer in, every H out.
        case softmax(layer: Int)
        /// The loss's own operations.
        case loss
    }

    func part(of op: OpGraph.Operation) -> Part {
        switch graph.values[op.outputs[0]].name {
        case let .product(l, _, k), let .quantity(.preactivation(l, k)): .unit(layer: l, k: k)
        case let .quantity(.activation(l, k)): op.kind == .softmax ? .softmax(layer: l) : .unit(layer: l, k: k)
        default: .loss
        }
    }

    /// The forward pass in the graph's order, a part at a time: the part's operations and the
    /// values they compute highlighted, with the edges between them, and its arithmetic as
    /// the worked example writes it (Z₁⁽¹⁾ = α₁·w₁₁⁽¹⁾ + … = 2, H₁⁽¹⁾ = ReLU(2) = 2).
    func forwardSteps() -> [Step] {
        var order: [Part] = [], members: [Part: [Int]] = [:]
        for (o, op) in graph.operations.enumerated() {
            let p = part(of: op)
            if members[p] == nil { order.append(p) }
            members[p, default: []].append(o)
        }
        return order.map { forwardStep($0, members[$0]!) }
    }

    /// The step of a part of the forward pass, made of the operations `members`.
    private func forwardStep(_ p: Part, _ members: [Int]) -> Step {
        var nodes = Set<NodeID>(), edges = Set<EdgeID>()
        for o in members {
            nodes.insert(ops.operationID(o))
            for v in graph.operations[o].outputs { nodes.insert(ops.valueID(v)) }
        }
        // The edges inside the part: into its operations from its own values (a product
        // into the sum, Z into the activation) and out to the values they compute.
        for o in members {
            let id = ops.operationID(o), op = graph.operations[o]
            for v in op.inputs where nodes.contains(ops.valueID(v)) { edges.insert(EdgeID(ops.valueID(v), id)) }
            for v in op.outputs { edges.insert(EdgeID(id, ops.valueID(v))) }
        }
        switch p {
        case let .unit(l, k):
            let z = ops.symbols.preactivation(k, layer: l), h = ops.symbols.activation(k, layer: l)
            let softmax = network.layers[l - 1].activation == .softmax
            var caption = [Line(forward.preactivation(layer: l, unit: k).mathText(format), role: .title)]
            if !softmax { caption.append(Line(forward.activation(layer: l, unit: k).mathText(format), role: .title)) }
            return Step(slug: "forward-" + slug(z: l, k), title: "Forward: " + (softmax ? z.unicode : z.unicode + ", " + h.unicode),
                        caption: caption, nodes: nodes, edges: edges, operations: members)
        case let .softmax(l):
            let units = network.layers[l - 1].units
            var caption = (1...min(units, Self.captionInputs)).map { Line(forward.activation(layer: l, unit: $0).mathText(format), role: .title) }
            if units > caption.count { caption.append(Line(MathText("… and \(units - caption.count) more outputs, each the same way"), role: .note)) }
            return Step(slug: "forward-softmax-\(l)", title: "Forward: softmax of layer \(l)", caption: caption, nodes: nodes, edges: edges, operations: members)
        case .loss:
            return Step(slug: "forward-loss", title: "Forward: " + ops.symbols.loss.unicode,
                        caption: [Line(forward.loss().mathText(format), role: .title)], nodes: nodes, edges: edges, operations: members)
        }
    }

    /// After the backward pass, unit by unit: its weights and bias highlighted, their
    /// gradients (what the worked example asks for) in the caption, a few to a line.
    func gradientSteps() -> [Step] {
        var steps: [Step] = []
        for (index, layer) in network.layers.enumerated() {
            let l = index + 1
            for k in 1...layer.units {
                let parameters = (1...layer.weights.rows).map { Quantity.weight(layer: l, j: $0, k: k) } + [.bias(layer: l, k: k)]
                var nodes = Set<NodeID>(), terms: [Expression] = []
                for q in parameters {
                    guard let v = graph.position(of: .quantity(q)), let g = graph.values[v].gradient else { continue }
                    nodes.insert(ops.valueID(v))
                    terms.append(.m(ops.gradientSymbol(.quantity(q))) + .op(" = ") + .n(g))
                }
                var caption = stride(from: 0, to: terms.count, by: Self.gradientsPerLine).prefix(Self.captionInputs).map { start in
                    Line(Expression.joined(Array(terms[start..<min(start + Self.gradientsPerLine, terms.count)]), by: ", ").mathText(format), role: .title)
                }
                let shown = min(terms.count, caption.count * Self.gradientsPerLine)
                if terms.count > shown { caption.append(Line(MathText("… and \(terms.count - shown) more"), role: .note)) }
                let unit = ops.symbols.preactivation(k, layer: l)
                steps.append(Step(slug: "gradients-" + slug(z: l, k), title: "Gradients of the weights and bias into " + unit.unicode,
                                  caption: caption, nodes: nodes))
            }
        }
        return steps
    }

    /// At most this many gradients on one caption line.
    static let gradientsPerLine = 3

    /// `Z1-2` for Z₂⁽¹⁾: the frame's file name names the unit as the backward frames do.
    private func slug(z l: Int, _ k: Int) -> String { "Z\(l)-\(k)" }
}
