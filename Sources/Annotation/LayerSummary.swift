import NetworkModel

/// The `layers` view: one node per layer with its gradient statistics — ‖∂Loss/∂Z‖, mean and
/// largest |∂Loss/∂Z|, the share of dead units — and edges carrying ‖∂Loss/∂W^(L)‖, drawn
/// in a neutral colour (a norm has no sign) with widths proportional to the norm from zero,
/// so gradient health can be compared across depth: half the width is half the norm.
struct LayerSummary: Sendable {
    let annotator: Annotator
    let thresholds: HealthReport.Thresholds

    init(annotator: Annotator, thresholds: HealthReport.Thresholds = .init()) {
        self.annotator = annotator
        self.thresholds = thresholds
    }

    struct Statistics: Equatable, Sendable {
        var norm: Double
        var meanAbs: Double
        var maxAbs: Double
        var dead: Int
        var units: Int
    }

    /// Statistics of ∂Loss/∂Z per layer (∂Loss/∂x for layer 0).
    func statistics() -> [Statistics] {
        let s = annotator.solution
        let health = HealthReport(s, thresholds: thresholds)
        return (0...s.network.depth).map { l in
            let g = l == 0 ? s.dX : s.dZ[l]
            let dead = l == 0 ? 0 : (1...g.count).filter { health.isDead(layer: l, unit: $0) }.count
            // Scaled norm and mean: sums of squares or magnitudes past 1.8e308 would overflow.
            return Statistics(norm: euclideanNorm(g), meanAbs: g.reduce(0) { $0 + abs($1) / Double(g.count) },
                              maxAbs: g.map(abs).max() ?? 0, dead: dead, units: g.count)
        }
    }

    func diagram() -> Diagram {
        let s = annotator.solution
        let net = s.network
        let f = annotator.format
        let L = net.depth
        let health = HealthReport(s, thresholds: thresholds)
        let stats = statistics()
        let loss = net.notation.loss
        var nodes: [DiagramNode] = []
        for l in 0...L {
            let st = stats[l]
            let wrt = l == 0 ? net.notation.input : net.notation.preactivation
            var lines = [Line(MathText(l == 0 ? "Input · \(st.units) value\(st.units == 1 ? "" : "s")"
                                      : "Layer \(l) · \(net.layers[l - 1].activation.displayName) · \(st.units) unit\(st.units == 1 ? "" : "s")"), role: .title),
                         Line(MathText("‖∂\(loss)/∂\(wrt)‖ = " + f.string(st.norm)), role: .gradient),
                         Line(MathText("mean |∂\(loss)/∂\(wrt)| = " + f.string(st.meanAbs)), role: .gradient),
                         Line(MathText("max |∂\(loss)/∂\(wrt)| = " + f.string(st.maxAbs)), role: .gradient)]
            if l > 0, net.layers[l - 1].activation == .relu {
                lines.append(Line(MathText("dead: \(st.dead) of \(st.units) (\(Int((Double(st.dead) / Double(st.units) * 100).rounded()))%)"), role: .note))
            }
            for finding in health.findings {
                if case .vanishing(l, _) = finding { lines.append(Line("vanishing ↓", role: .note)) }
                if case .exploding(l, _) = finding { lines.append(Line("exploding ↑", role: .note)) }
            }
            var node = DiagramNode(id: .layer(l), kind: l == 0 ? .input : (l == L ? .output : .neuron), column: l, row: 0, lines: lines,
                                   tooltip: "layer \(l): ‖∂\(loss)/∂\(wrt)‖ = \(f.detailed(st.norm)), mean |·| = \(f.detailed(st.meanAbs)), max |·| = \(f.detailed(st.maxAbs)), dead \(st.dead)")
            if l > 0, st.dead * 2 > st.units { node.health = .dead }
            nodes.append(node)
        }
        nodes.append(annotator.compactLossNode())

        let norms = health.weightGradientNorms
        let largest = norms.dropFirst().max() ?? 0
        var edges: [DiagramEdge] = []
        for l in 1...L {
            // The whole matrix is W, the capital of the weight symbol.
            let w = MathText([.init("‖∂\(loss)/∂\(net.notation.weight.uppercased())"), .init("(\(l))", .sup), .init("‖ = " + f.string(norms[l]))])
            var edge = DiagramEdge(EdgeID(.layer(l - 1), .layer(l)), lines: [Line(w, role: .gradient)],
                                   tooltip: "‖∂\(loss)/∂\(net.notation.weight.uppercased())^(\(l))‖ = \(f.detailed(norms[l]))")
            edge.flow = Flow(magnitude: largest > 0 ? norms[l] / largest : 0, stroke: norms[l] == 0 ? .zero : .magnitude, width: .proportional)
            edges.append(edge)
        }
        edges.append(DiagramEdge(EdgeID(.layer(L), .loss), lines: [], tooltip: ""))
        let headers = annotator.headers()
        let weights = "‖∂\(loss)/∂\(net.notation.weight.uppercased())‖"
        var keys = [Legend.Key(.magnitude, MathText("edge width ∝ \(weights) of the layer it enters, from 0 (the widest: \(f.string(largest)))"))]
        let zeros = norms.dropFirst().filter { $0 == 0 }.count
        if zeros > 0 { keys.append(Legend.Key(.zero, MathText("\(weights) = 0 exactly: no gradient reaches the layer's weights"))) }
        let legend = Legend(keys: keys, entries: [Legend.Entry(MathText("nodes: statistics of ∂\(loss)/∂\(net.notation.preactivation) over the layer's units"))],
                            smallest: 0, largest: largest, logarithmic: false)
        return Diagram(title: MathText((net.name.map { $0 + " — " } ?? "") + "gradients by layer"), headers: headers, nodes: nodes, edges: edges, legend: legend)
    }
}
