import Foundation
import NetworkModel

/// The forward and backward pass as a sequence of frames, in the worked example's order:
/// the setup; the forward pass one node (or one layer) at a time; the loss; the backward
/// pass one gradient at a time (output layer first; within a layer the bias, then the
/// weights into unit 1, unit 2, …); a summary; and with a learning rate, the update.
///
/// Each frame shows only what is known by then (later values read "?") and highlights what
/// it computes; its arithmetic is its caption.
public struct SlideDeck: Sendable {
    /// node: one node or gradient a frame; layer: one layer a frame; ops: the op graph, forward
    /// a unit a frame, backward one operation a frame, then each unit's gradients.
    public enum Steps: String, CaseIterable, Sendable {
        /// One node's value or one gradient per frame: the worked example's pace.
        case node
        /// One layer per frame, forward and backward.
        case layer
        /// The ops view: forward a unit per frame, backward one operation per frame, then each
        /// unit's weights and bias with their gradients.
        case ops
    }

    /// One slide: its file name, its title and the diagram it shows, with its caption.
    public struct Frame: Sendable {
        /// File-name stem, e.g. `002-forward-Z1-1`.
        public var name: String
        /// The slide's heading, e.g. `Forward pass: Z₁⁽¹⁾`.
        public var title: String
        /// The picture: values known so far, what this frame computes highlighted, its arithmetic
        /// as the caption.
        public var diagram: Diagram
    }

    /// The frames in playing order.
    public let frames: [Frame]

    /// The deck of `solution`, one frame per `steps`, numbers printed with `format`.
    public init(solution: Solution, format: NumberFormat = NumberFormat(), steps: Steps = .node) {
        if steps == .ops {
            frames = OpsDeck(ops: OpsAnnotator(solution: solution, format: format), forward: ForwardArithmetic(solution: solution), format: format).frames()
        } else {
            frames = Builder(solution: solution, format: format).frames(steps: steps)
        }
    }

    struct Builder {
        /// At most this many gradients on a line of the summary's caption.
        static let summaryPerLine = 6

        let solution: Solution
        let format: NumberFormat
        let annotator: Annotator
        let deriver: Deriver
        let forward: ForwardArithmetic

        init(solution: Solution, format: NumberFormat) {
            self.solution = solution
            self.format = format
            annotator = Annotator(solution: solution, format: format).remembering()
            deriver = Deriver(solution: solution)
            forward = ForwardArithmetic(solution: solution)
        }

        var network: Network { solution.network }
        var symbols: Symbols { annotator.symbols }

        func frames(steps: Steps) -> [Frame] {
            let L = network.depth
            var frames: [Frame] = []
            var known = Set<Quantity>()

            func add(_ slug: String, _ title: String, caption: [Line], highlightNodes: Set<NodeID> = [], highlightEdges: Set<EdgeID> = [],
                     update: Bool = false, everything: Bool = false) {
                let snapshot = known
                var d = annotator.diagram(view: .full, known: { everything || snapshot.contains($0) }, showUpdate: update)
                for i in d.nodes.indices where highlightNodes.contains(d.nodes[i].id) { d.nodes[i].emphasis.highlighted = true }
                for i in d.edges.indices where highlightEdges.contains(d.edges[i].id) { d.edges[i].emphasis.highlighted = true }
                d.caption = caption
                let number = String.padded(frames.count + 1)
                frames.append(Frame(name: "\(number)-\(slug)", title: title, diagram: d))
            }

            // Setup.
            let sizes = network.widths.map(String.init).joined(separator: "-")
            add("setup", "Setup", caption: [
                Line(MathText("Setup: a \(sizes) network, \(network.loss.displayName) loss"), role: .title),
                Line(MathText("X = (" + network.input.prefix(12).map { format.string($0) }.joined(separator: ", ") + (network.input.count > 12 ? ", …" : "") + "),  ")
                     + annotator.targetLine(), role: .value),
            ])

            // Forward pass.
            for l in 1...L {
                let units = 1...network.widths[l]
                let groups: [[Int]] = steps == .node ? units.map { [$0] } : [Array(units)]
                for group in groups {
                    var caption: [Line] = []
                    var nodes = Set<NodeID>(), edges = Set<EdgeID>()
                    for k in group {
                        known.insert(.preactivation(layer: l, k: k))
                        known.insert(.activation(layer: l, k: k))
                        nodes.insert(.unit(layer: l, k: k))
                        for j in 1...network.widths[l - 1] { edges.insert(.weight(layer: l, j: j, k: k)) }
                        if caption.count < 8 {
                            caption.append(Line(forward.preactivation(layer: l, unit: k).mathText(format), role: .value))
                            caption.append(Line(forward.activation(layer: l, unit: k).mathText(format), role: .title))
                        }
                    }
                    if group.count * 2 > caption.count { caption.append(Line(MathText("… and \(group.count - caption.count / 2) more units"), role: .note)) }
                    let slug = steps == .node ? "forward-\(symbols.notation.preactivation.fileSafe)\(group[0])-\(l)" : "forward-layer-\(l)"
                    let title = steps == .node ? "Forward: \(symbols.activation(group[0], layer: l).unicode)" : "Forward: layer \(l)"
                    add(slug, title, caption: caption, highlightNodes: nodes, highlightEdges: edges)
                }
            }

            // The loss.
            known.insert(.loss)
            let lossEdges = Set((1...network.widths[L]).map { EdgeID(.unit(layer: L, k: $0), .loss) })
            add("loss", "Loss", caption: [Line(forward.loss().mathText(format), role: .title)],
                highlightNodes: [.loss], highlightEdges: lossEdges)

            // Where the backward pass starts: the loss's derivative by the output, from the
            // loss formula with the numbers put in.
            let outputGroups: [[Int]] = steps == .node ? (1...network.widths[L]).map { [$0] } : [Array(1...network.widths[L])]
            for group in outputGroups {
                var caption: [Line] = []
                var nodes: Set<NodeID> = [.loss], edges = Set<EdgeID>()
                for k in group {
                    let start = outputGradient(k)
                    known.insert(.gradient(.activation(layer: L, k: k)))
                    if deriver.startsAtOutputZ { known.insert(.gradient(.preactivation(layer: L, k: k))) }
                    nodes.insert(.unit(layer: L, k: k))
                    edges.insert(EdgeID(.unit(layer: L, k: k), .loss))
                    if caption.count < 8 { caption.append(Line(start, role: .title)) }
                }
                if group.count > caption.count { caption.append(Line(MathText("… and \(group.count - caption.count) more"), role: .note)) }
                let first = group[0]
                let slug = steps == .node ? "backward-output-\(network.notation.activation.fileSafe)\(first)-\(L)" : "backward-output"
                let title = "Backward: " + (deriver.startsAtOutputZ ? Partial(of: symbols.loss, by: symbols.preactivation(first, layer: L))
                                                                     : Partial(of: symbols.loss, by: symbols.activation(first, layer: L))).text.unicode
                add(slug, title, caption: caption, highlightNodes: nodes, highlightEdges: edges)
            }

            // Backward pass, then the gradients by the inputs (how the loss changes with x).
            let inputs = (1...network.widths[0]).map { Derivation.Target.activation(layer: 0, k: $0) }
            let order = deriver.parameterOrder()
            let groups: [[Derivation.Target]]
            if steps == .node {
                groups = (order + inputs).map { [$0] }
            } else {
                groups = (1...L).reversed().map { l in order.filter { layerOf($0) == l } } + [inputs]
            }
            for group in groups {
                var caption: [Line] = []
                var nodes = Set<NodeID>(), edges = Set<EdgeID>()
                for target in group {
                    let d = deriver.derive(target)
                    markKnown(target, &known)
                    highlight(target, nodes: &nodes, edges: &edges)
                    if caption.count < 8 {
                        if steps == .node {
                            let chains = Explanation.chain(d)
                            var chain = Expression.p(d.symbol) + .op(" = ") + chains[0]
                            if chains.count > 1 { chain += .op(" + … (\(chains.count) paths)") }
                            caption.append(Line(chain.mathText(format), role: .value))
                        }
                        caption.append(Line((Expression.p(d.symbol) + .op(" = ") + Explanation.arithmetic(d)).mathText(format), role: .title))
                    }
                }
                if steps == .layer && group.count > caption.count { caption.append(Line(MathText("… and \(group.count - caption.count) more"), role: .note)) }
                let first = group[0]
                let slug: String
                let title: String
                if steps == .node {
                    slug = "backward-" + fileName(first)
                    title = "Backward: " + Partial(of: symbols.loss, by: deriver.targetSymbol(first)).text.unicode
                } else {
                    slug = layerOf(first) == 0 ? "backward-inputs" : "backward-layer-\(layerOf(first))"
                    title = layerOf(first) == 0 ? "Backward: the inputs" : "Backward: layer \(layerOf(first))"
                }
                add(slug, title, caption: caption, highlightNodes: nodes, highlightEdges: edges)
            }

            // Summary, a layer at a time, at most `summaryPerLine` gradients to a line (balanced:
            // 8 are two lines of 4): a line the page wraps makes the caption taller than its
            // line count, which is the room the deck keeps under every picture.
            var summary: [Line] = [Line("Summary of the gradients", role: .title)]
            for l in stride(from: L, through: 1, by: -1) {
                let all = order.filter { layerOf($0) == l }
                let items = all.prefix(9).map { t -> MathText in
                    let d = deriver.derive(t)
                    return d.symbol.text + " = " + format.string(d.value)
                }
                let lines = (items.count + Self.summaryPerLine - 1) / Self.summaryPerLine
                let perLine = (items.count + lines - 1) / max(lines, 1)
                for start in stride(from: 0, to: items.count, by: perLine) {
                    let last = start + perLine >= items.count
                    let text = MathText.joined(Array(items[start..<min(start + perLine, items.count)]), separator: ",  ")
                    summary.append(Line(text + (last ? (all.count > 9 ? ", …" : "") : ","), role: .gradient))
                }
            }
            add("summary", "Summary", caption: summary, everything: true)

            if let u = solution.update {
                add("update", "Update", caption: [
                    Line(MathText("One gradient-descent step: w′ = w − η · ∂\(network.notation.loss)/∂w, b′ = b − η · ∂\(network.notation.loss)/∂b, η = \(format.string(u.learningRate))"), role: .title),
                ], update: true, everything: true)
            }
            return frames
        }

        /// `∂Loss/∂H⁽³⁾ = −2(Y − H⁽³⁾) = −2(0 − 8) = 16`: the first gradient of the backward
        /// pass, from the loss formula (∂Loss/∂Z of the output where the loss and the output
        /// activation are differentiated together).
        func outputGradient(_ k: Int) -> MathText {
            let L = network.depth
            let factor = deriver.lossFactor(k)
            let y = network.target[k - 1], h = solution.H[L][k - 1]
            let n = network.target.count
            let f = format
            var numbers: String?
            switch (deriver.startsAtOutputZ, network.loss) {
            case (false, .rss): numbers = "−2(\(f.string(y)) − \(f.factor(h)))"
            case (false, .halfSSE): numbers = "−(\(f.string(y)) − \(f.factor(h)))"
            case (false, .mse): numbers = "−(2/\(n))(\(f.string(y)) − \(f.factor(h)))"
            case (false, .bce): numbers = "(\(f.string(h)) − \(f.factor(y))) / (\(f.string(h))(1 − \(f.factor(h))))"
            case (false, .crossEntropy): numbers = "−\(f.factor(y)) / \(f.factor(h))"
            case (true, .crossEntropy) where network.layers[L - 1].activation == .softmax,
                 (true, .bce) where network.layers[L - 1].activation == .sigmoid:
                numbers = "\(f.string(h)) − \(f.factor(y))"
            default: numbers = nil
            }
            var text = factor.symbol.text
            if let meaning = factor.meaning { text += " = " + meaning }
            if let numbers { text += " = " + MathText(numbers) }
            return text + " = " + f.string(factor.value)
        }

        func layerOf(_ t: Derivation.Target) -> Int {
            switch t {
            case let .weight(l, _, _), let .bias(l, _), let .activation(l, _), let .preactivation(l, _): l
            }
        }

        func fileName(_ t: Derivation.Target) -> String {
            let n = network.notation
            switch t {
            case let .weight(l, j, k): return "\(n.weight.fileSafe)\(Symbols.indexText([j, k]).replacingOccurrences(of: ",", with: "_"))-\(l)"
            case let .bias(l, k): return "\(n.bias.fileSafe)\(k)-\(l)"
            case let .activation(l, k): return l == 0 ? "input\(k)" : "\(n.activation.fileSafe)\(k)-\(l)"
            case let .preactivation(l, k): return "\(n.preactivation.fileSafe)\(k)-\(l)"
            }
        }

        /// Gradients known once this parameter's gradient is computed: its own, and those
        /// of the nodes on its paths (every unit of the layers above, and its own unit).
        func markKnown(_ t: Derivation.Target, _ known: inout Set<Quantity>) {
            let L = network.depth
            let (l, k) = deriver.anchor(t)
            for m in (l + 1)..<(L + 1) where m <= L {
                for u in 1...network.widths[m] {
                    known.insert(.gradient(.activation(layer: m, k: u)))
                    known.insert(.gradient(.preactivation(layer: m, k: u)))
                }
            }
            known.insert(.gradient(.output(layer: l, k: k)))
            if l > 0 { known.insert(.gradient(.preactivation(layer: l, k: k))) }
            if t.quantity.isParameter { known.insert(.gradient(t.quantity)) }
        }

        /// The chain-rule paths from the loss to the parameter: their nodes and edges.
        func highlight(_ t: Derivation.Target, nodes: inout Set<NodeID>, edges: inout Set<EdgeID>) {
            let L = network.depth
            let (l, k) = deriver.anchor(t)
            nodes.insert(.loss)
            for u in 1...network.widths[L] where l < L || u == k { edges.insert(EdgeID(.unit(layer: L, k: u), .loss)) }
            // Every unit of the layers above lies on some path; edges between them too.
            if l < L {
                for m in (l + 1)...L {
                    for u in 1...network.widths[m] {
                        nodes.insert(.unit(layer: m, k: u))
                        let tails = m == l + 1 ? [k] : Array(1...network.widths[m - 1])
                        for v in tails { edges.insert(.weight(layer: m, j: v, k: u)) }
                    }
                }
            }
            nodes.insert(.unit(layer: l, k: k))
            if case let .weight(l, j, k) = t {
                nodes.insert(.unit(layer: l - 1, k: j))
                edges.insert(.weight(layer: l, j: j, k: k))
            }
        }
    }
}

extension String {
    /// 7 → "007": frame numbers that sort as text.
    static func padded(_ n: Int) -> String {
        let digits = "\(n)"
        return String(repeating: "0", count: Swift.max(0, 3 - digits.count)) + digits
    }

    /// A symbol as it may stand in a file name: α → alpha-free ASCII where possible.
    var fileSafe: String {
        let ascii = unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        return ascii.isEmpty ? "q" : ascii.map(String.init).joined()
    }
}
