import Foundation
import NetworkModel

/// The flow view: gradient magnitude as edge width, its sign as edge colour, |∂Loss/∂Z| as
/// node shading, unhealthy units and layers marked — readable without a single number.
/// Layers wider than `maxUnits` keep their units with the largest gradients and fold the
/// rest into one "… N more" node whose edges carry the norm of the folded gradients.
public struct FlowAnnotator: Sendable {
    /// How gradient magnitudes map to widths and shading: linearly, or by their logarithm over at
    /// most six decades below the largest (so gradients that differ by powers of ten stay apart).
    public enum Scale: String, CaseIterable, Sendable {
        /// Width and shading proportional to the magnitude.
        case linear
        /// Width and shading by log₁₀ of the magnitude, over at most six decades.
        case log
    }

    /// What the flow view shows and how.
    public struct Options: Sendable {
        /// Linear or logarithmic widths and shading.
        public var scale: Scale
        /// Also print each gradient's value on its edge and node.
        public var numbers: Bool
        /// Layers wider than this keep their `maxUnits − 1` strongest units and fold the rest.
        public var maxUnits: Int
        /// When units count as dead or saturated and layers as vanishing or exploding.
        public var thresholds: HealthReport.Thresholds
        /// Fixed magnitude ranges for edge widths and node shading, instead of this diagram's
        /// own: frames of a training run share one scale, so shrinking gradients look shrinking.
        public var edgeRange: Range?
        /// A fixed range for node shading (see `edgeRange`).
        public var nodeRange: Range?
        /// The units to keep visible in each layer (1-based), instead of the largest: frames
        /// of a run keep the same units, so they share one layout.
        public var keep: [[Int]]?
        /// Options with no fixed ranges and no kept units.
        public init(scale: Scale = .linear, numbers: Bool = false, maxUnits: Int = 16, thresholds: HealthReport.Thresholds = .init()) {
            self.scale = scale
            self.numbers = numbers
            self.maxUnits = maxUnits
            self.thresholds = thresholds
        }
    }

    /// The smallest non-zero and the largest magnitude a scale spans.
    public struct Range: Equatable, Sendable {
        /// The smallest non-zero magnitude, drawn thinnest.
        public var smallest: Double
        /// The largest magnitude, drawn thickest.
        public var largest: Double
        /// A range from `smallest` to `largest`.
        public init(smallest: Double, largest: Double) {
            self.smallest = smallest
            self.largest = largest
        }
    }

    /// The solved network and its number format.
    public let annotator: Annotator
    /// What to show.
    public let options: Options

    /// A flow annotator for `annotator`'s solution.
    public init(annotator: Annotator, options: Options = Options()) {
        self.annotator = annotator
        self.options = options
    }

    /// Log scales span at most this many decades below the largest gradient.
    static let decades = 6.0

    /// The units of each layer that stay visible (1-based, in index order), and the rest.
    public func visibleUnits() -> [(kept: [Int], folded: [Int])] {
        let s = annotator.solution
        return s.network.widths.enumerated().map { l, width in
            if let keep = options.keep, l < keep.count {
                let kept = Set(keep[l])
                return (keep[l].sorted(), (1...width).filter { !kept.contains($0) })
            }
            guard width > options.maxUnits else { return (Array(1...width), []) }
            let strength: (Int) -> Double = { k in l == 0 ? abs(s.dX[k - 1]) : abs(s.dZ[l][k - 1]) }
            let ranked = (1...width).sorted { strength($0) != strength($1) ? strength($0) > strength($1) : $0 < $1 }
            let kept = ranked.prefix(options.maxUnits - 1).sorted()
            return (Array(kept), ranked.dropFirst(options.maxUnits - 1).sorted())
        }
    }

    /// The flow view's diagram, with its legend.
    public func diagram() -> Diagram {
        let s = annotator.solution
        let net = s.network
        let sym = annotator.symbols
        let f = annotator.format
        let L = net.depth
        let health = HealthReport(s, thresholds: options.thresholds)
        let units = visibleUnits()
        func id(_ l: Int, _ k: Int?) -> NodeID { k.map { .unit(layer: l, k: $0) } ?? .folded(layer: l) }

        // Edge gradients, aggregated where units are folded: one entry per drawn edge.
        struct Drawn { var tail: (Int, Int?); var head: (Int, Int?); var value: Double; var count: Int }
        var drawn: [Drawn] = []
        for l in 1...L {
            let tails: [Int?] = units[l - 1].kept.map { $0 } + (units[l - 1].folded.isEmpty ? [] : [nil])
            let heads: [Int?] = units[l].kept.map { $0 } + (units[l].folded.isEmpty ? [] : [nil])
            for h in heads {
                for t in tails {
                    let js = t.map { [$0] } ?? units[l - 1].folded
                    let ks = h.map { [$0] } ?? units[l].folded
                    if js.count == 1 && ks.count == 1 {
                        drawn.append(Drawn(tail: (l - 1, t), head: (l, h), value: s.dW[l][js[0] - 1, ks[0] - 1], count: 1))
                    } else {
                        // The root mean square of the folded gradients, signed by their sum: a
                        // typical folded edge, comparable in width with the single edges (the
                        // norm would grow with the number folded). The tooltip gives the norm.
                        var folded: [Double] = [], sum = 0.0
                        for j in js { for k in ks { let g = s.dW[l][j - 1, k - 1]; folded.append(g); sum += g } }
                        let count = js.count * ks.count
                        // Scaled norm: squares of gradients past 1e154 would overflow.
                        drawn.append(Drawn(tail: (l - 1, t), head: (l, h), value: (sum < 0 ? -1 : 1) * euclideanNorm(folded) / Double(count).squareRoot(),
                                           count: count))
                    }
                }
            }
        }
        let largest = options.edgeRange?.largest ?? drawn.map { abs($0.value) }.max() ?? 0
        let smallestNonZero = options.edgeRange?.smallest ?? drawn.map { abs($0.value) }.filter { $0 > 0 }.min() ?? 0
        let scale = scaler(largest: largest, smallest: smallestNonZero)

        // |∂Loss/∂Z| per unit (|∂Loss/∂x| for inputs, for their labels).
        var nodeStrength: [NodeID: Double] = [:]
        for l in 0...L {
            for k in units[l].kept { nodeStrength[id(l, k)] = l == 0 ? abs(s.dX[k - 1]) : abs(s.dZ[l][k - 1]) }
            if !units[l].folded.isEmpty {
                // Root mean square, comparable with the single units' shading.
                nodeStrength[id(l, nil)] = euclideanNorm(units[l].folded.map { k in l == 0 ? s.dX[k - 1] : s.dZ[l][k - 1] })
                    / Double(units[l].folded.count).squareRoot()
            }
        }
        // The shading's scale is |∂Loss/∂Z| only, as the legend says: inputs have no Z, and their
        // |∂Loss/∂x| (often the largest number in the net) would set the top of the scale and
        // pale every hidden unit. Inputs stay unshaded; their ∂Loss/∂x is in the label/tooltip.
        let shaded = (1...L).flatMap { l in (units[l].kept.map { id(l, $0) } + [id(l, nil)]).compactMap { nodeStrength[$0] } }
        let nodeScale = scaler(largest: options.nodeRange?.largest ?? shaded.max() ?? 0,
                               smallest: options.nodeRange?.smallest ?? shaded.filter { $0 > 0 }.min() ?? 0)

        var nodes: [DiagramNode] = []
        for l in 0...L {
            for (row, k) in units[l].kept.enumerated() {
                let symbol = sym.activation(k, layer: l)
                var lines = [Line(symbol, role: .title)]
                if options.numbers {
                    let g = l == 0 ? s.dX[k - 1] : s.dZ[l][k - 1]
                    lines.append(Line(sym.gradient(l == 0 ? sym.input(k) : sym.preactivation(k, layer: l)) + " = " + f.string(g), role: .gradient))
                }
                var node = DiagramNode(id: id(l, k), kind: l == 0 ? .input : (l == L ? .output : .neuron), column: l, row: row,
                                       lines: lines, tooltip: "")
                if l > 0 {
                    if health.isDead(layer: l, unit: k) { node.health = .dead; node.lines.append(Line("dead ReLU", role: .note)) }
                    else if health.isSaturated(layer: l, unit: k) { node.health = .saturated; node.lines.append(Line("saturated", role: .note)) }
                    node.tooltip = "\(sym.preactivation(k, layer: l).plain) = \(f.detailed(s.Z[l][k - 1]))\n∂\(net.notation.loss)/∂\(sym.preactivation(k, layer: l).plain) = \(f.detailed(s.dZ[l][k - 1]))"
                } else {
                    node.tooltip = "\(sym.input(k).plain) = \(f.detailed(net.input[k - 1]))\n∂\(net.notation.loss)/∂\(sym.input(k).plain) = \(f.detailed(s.dX[k - 1]))"
                }
                if l > 0 { node.shade = nodeScale(nodeStrength[node.id] ?? 0) }
                nodes.append(node)
            }
            if !units[l].folded.isEmpty {
                let n = units[l].folded.count
                let dead = l > 0 ? units[l].folded.filter { health.isDead(layer: l, unit: $0) }.count : 0
                var lines = [Line(MathText("… \(n) more"), role: .title),
                             Line(MathText("‖∂\(net.notation.loss)/∂\(l == 0 ? net.notation.input : net.notation.preactivation)‖ = " + f.string((nodeStrength[id(l, nil)] ?? 0) * Double(n).squareRoot())), role: .note)]
                if dead > 0 { lines.append(Line(MathText("\(dead) dead"), role: .note)) }
                var node = DiagramNode(id: id(l, nil), kind: .aggregate, column: l, row: units[l].kept.count, lines: lines,
                                       tooltip: "\(n) units folded: \(units[l].folded.prefix(20).map { sym.activation($0, layer: l).plain }.joined(separator: ", "))\(n > 20 ? ", …" : "")")
                if l > 0 { node.shade = nodeScale(nodeStrength[node.id] ?? 0) }
                nodes.append(node)
            }
        }
        nodes.append(annotator.compactLossNode())

        var edges: [DiagramEdge] = []
        for d in drawn {
            let tail = id(d.tail.0, d.tail.1), head = id(d.head.0, d.head.1)
            var lines: [Line] = []
            let tip: String
            if d.count == 1, let j = d.tail.1, let k = d.head.1 {
                let w = sym.weight(j, k, layer: d.head.0)
                if options.numbers { lines.append(Line(sym.gradient(w) + " = " + f.string(d.value), role: .gradient)) }
                tip = "\(sym.gradient(w).plain) = \(f.detailed(d.value))"
            } else {
                if options.numbers { lines.append(Line(MathText("rms ∂\(net.notation.loss)/∂\(net.notation.weight) = " + f.string(abs(d.value))), role: .gradient)) }
                tip = "\(d.count) folded weight gradients: root mean square \(f.detailed(abs(d.value))), norm \(f.detailed(abs(d.value) * Double(d.count).squareRoot()))"
            }
            var edge = DiagramEdge(EdgeID(tail, head), lines: lines, tooltip: tip)
            edge.flow = Flow(gradient: d.value, magnitude: scale(abs(d.value)))
            edges.append(edge)
        }
        for k in units[L].kept {
            let tail = id(L, k)
            edges.append(DiagramEdge(EdgeID(tail, .loss), lines: [], tooltip: ""))
        }
        if !units[L].folded.isEmpty {
            edges.append(DiagramEdge(EdgeID(id(L, nil), .loss), lines: [], tooltip: ""))
        }

        // Headers name every layer and its health; the legend says what was folded.
        var headers = annotator.headers()
        var notes: [Legend.Entry] = []
        for finding in health.findings {
            switch finding {
            case let .vanishing(l, ratio):
                headers[l] = headers[l] + " · vanishing ↓"
                notes.append(Legend.Entry(MathText("layer \(l): vanishing, ‖∂\(net.notation.loss)/∂\(net.notation.weight)‖ is \(NumberFormat(precision: 2).string(ratio)) × the output layer's")))
            case let .exploding(l, ratio):
                headers[l] = headers[l] + " · exploding ↑"
                notes.append(Legend.Entry(MathText("layer \(l): exploding, ‖∂\(net.notation.loss)/∂\(net.notation.weight)‖ is \(NumberFormat(precision: 2).string(ratio)) × the output layer's")))
            default: break
            }
        }
        for l in 0...L where !units[l].folded.isEmpty {
            notes.append(Legend.Entry(MathText("layer \(l): \(units[l].folded.count) of \(net.widths[l]) units folded into “… \(units[l].folded.count) more” (the \(units[l].kept.count) with the largest |∂\(net.notation.loss)/∂\(l == 0 ? net.notation.input : net.notation.preactivation)| are shown); its edges show the root mean square of the folded gradients")))
        }
        if health.findings.contains(where: { if case .deadReLU = $0 { return true }; return false }) {
            notes.append(Legend.Entry("grey dashed node: dead ReLU (Z ≤ 0, no gradient flows through it)", swatch: .node(.dead)))
        }
        if health.findings.contains(where: { if case .saturated = $0 { return true }; return false }) {
            notes.append(Legend.Entry("dashed border: saturated unit (derivative below 0.01)", swatch: .node(.saturated)))
        }
        notes.append(Legend.Entry(MathText("node shading: |∂\(net.notation.loss)/∂\(net.notation.preactivation)|, from 0 (left) to the largest (right)"), swatch: .shading))
        let legend = Legend(keys: legendKeys(largest: largest, smallest: smallestNonZero, zeros: drawn.contains { $0.value == 0 }),
                            entries: notes, smallest: smallestNonZero, largest: largest, logarithmic: options.scale == .log)
        return Diagram(title: net.name.map { MathText($0 + " — gradient flow") } ?? MathText("Gradient flow"), headers: headers,
                       nodes: nodes, edges: edges, legend: legend)
    }

    /// What the strokes mean, in the file's notation (∂E/∂θ when `notation:` renames them).
    /// An exactly-zero gradient has its own neutral key, only when some edge has one.
    func legendKeys(largest: Double, smallest: Double, zeros: Bool) -> [Legend.Key] {
        let notation = annotator.solution.network.notation
        let w = notation.weight, loss = notation.loss
        let partial = "∂\(loss)/∂\(w)"
        let f = NumberFormat(precision: 3)
        var keys = [Legend.Key(.positive, MathText("\(partial) > 0 (increasing \(w) raises \(loss))")),
                    Legend.Key(.negative, MathText("\(partial) < 0 (increasing \(w) lowers \(loss))"))]
        if zeros {
            keys.append(Legend.Key(.zero, MathText("\(partial) = 0 exactly: no gradient reaches \(w)")))
        }
        keys.append(Legend.Key(.magnitude, MathText("width: thinnest |\(partial)| = \(f.string(smallest)); thickest: \(f.string(largest)) (\(options.scale == .log ? "log" : "linear") scale)")))
        return keys
    }

    /// Maps a magnitude to 0…1: linear in |g| / max, or logarithmic over `decades` decades.
    func scaler(largest: Double, smallest: Double) -> (Double) -> Double {
        guard largest > 0 else { return { _ in 0 } }
        switch options.scale {
        case .linear:
            return { min(1, $0 / largest) }
        case .log:
            let low = max(smallest, largest * pow(10, -Self.decades))
            let span = Foundation.log10(largest) - Foundation.log10(low)
            guard span > 0 else { return { $0 > 0 ? 1 : 0 } }
            return { g in g <= 0 ? 0 : max(0, min(1, (Foundation.log10(g) - Foundation.log10(low)) / span)) }
        }
    }
}
