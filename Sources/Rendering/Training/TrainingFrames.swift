import Annotation
import NetworkModel

/// The flow view of a network at several steps of a training run, built so the frames can
/// be compared: the same units visible in every frame (one layout), edge widths and node
/// shading on one scale across the run (a gradient that shrinks draws thinner), dead and
/// saturated units marked in the frames where they are, and one legend for all.
public enum TrainingFrames {
    /// One step of the run to draw.
    public struct Frame: Sendable {
        /// How many updates were made before this frame: 0…N.
        public var step: Int
        /// The network solved at this step's weights.
        public var solution: Solution
        /// A frame of `solution` at `step`.
        public init(step: Int, solution: Solution) {
            self.step = step
            self.solution = solution
        }
    }

    /// The flow-view diagram of each frame, sharing visible units, scale and legend;
    /// `totalSteps` titles them "step k of N".
    public static func diagrams(_ frames: [Frame], totalSteps: Int, options: FlowAnnotator.Options = .init(),
                                format: NumberFormat = NumberFormat()) -> [Diagram] {
        guard let first = frames.first else { return [] }
        var options = options
        // The units the first frame would show stay the ones shown.
        options.keep = FlowAnnotator(annotator: Annotator(solution: first.solution, format: format), options: options)
            .visibleUnits().map(\.kept)
        // One range for the whole run: the edges' from each frame's own legend, the nodes'
        // from |∂Loss/∂Z| of every frame (inputs are not shaded).
        var edgeLow = Double.infinity, edgeHigh = 0.0, nodeLow = Double.infinity, nodeHigh = 0.0
        for frame in frames {
            let own = FlowAnnotator(annotator: Annotator(solution: frame.solution, format: format), options: options).diagram()
            if let legend = own.legend {
                edgeHigh = max(edgeHigh, legend.largest)
                if legend.smallest > 0 { edgeLow = min(edgeLow, legend.smallest) }
            }
            let s = frame.solution
            for g in s.dZ.dropFirst().flatMap({ $0 }).map(abs) {
                nodeHigh = max(nodeHigh, g)
                if g > 0 { nodeLow = min(nodeLow, g) }
            }
        }
        options.edgeRange = FlowAnnotator.Range(smallest: edgeLow.isFinite ? edgeLow : 0, largest: edgeHigh)
        options.nodeRange = FlowAnnotator.Range(smallest: nodeLow.isFinite ? nodeLow : 0, largest: nodeHigh)

        var diagrams = frames.map { frame -> Diagram in
            var d = FlowAnnotator(annotator: Annotator(solution: frame.solution, format: format), options: options).diagram()
            let name = frame.solution.network.name.map { $0 + " — " } ?? ""
            d.title = MathText("\(name)gradient flow at step \(frame.step) of \(totalSteps)")
            return d
        }
        // One legend: every frame's notes, except the per-frame ratios of vanishing or
        // exploding layers (the layer headers say it in each frame), plus the shared scale.
        var entries: [Legend.Entry] = []
        for d in diagrams {
            for entry in d.legend?.entries ?? [] where !entries.contains(entry) {
                let text = entry.text.plain
                if text.hasPrefix("layer "), text.contains("× the output layer's") { continue }
                entries.append(entry)
            }
        }
        entries.append(Legend.Entry(MathText("widths and shading on one scale for all \(frames.count) frames of the run")))
        // Every frame's stroke keys (their widths already on the shared range), in one order.
        let strokes: [Flow.Stroke] = [.positive, .negative, .zero, .magnitude]
        var keys: [Legend.Key] = []
        for d in diagrams { for key in d.legend?.keys ?? [] where !keys.contains(key) { keys.append(key) } }
        keys.sort { strokes.firstIndex(of: $0.stroke) ?? 0 < strokes.firstIndex(of: $1.stroke) ?? 0 }
        for i in diagrams.indices {
            diagrams[i].legend = Legend(keys: keys, entries: entries, smallest: options.edgeRange!.smallest, largest: options.edgeRange!.largest,
                                        logarithmic: options.scale == .log)
        }
        return diagrams
    }
}
