import Annotation
import Foundation
import NetworkModel

/// Everything `bpviz train` writes, as named files in the order to write them (`index.html`
/// last, so a reader switches to the new run at one moment).
public struct TrainingReport: Sendable {
    /// The network before training.
    public var network: Network
    /// How it was trained.
    public var options: Trainer.Options
    /// One record per step, 0…N (`Trainer.run`'s history).
    public var history: [Trainer.Record]
    /// The network after N steps, written as `trained.yaml`.
    public var trained: Network
    /// The steps drawn as flow-view frames.
    public var frames: [TrainingFrames.Frame]
    /// Fonts and colours of the frames, charts and page.
    public var theme: Theme
    /// The loss chart's y axis.
    public var lossScale: TrainingChart.Scale
    /// The gradient-norm chart's y axis.
    public var gradientScale: TrainingChart.Scale
    /// The frames' flow-view options.
    public var flow: FlowAnnotator.Options
    /// How numbers print.
    public var numbers: NumberFormat

    /// A report of a finished run.
    public init(network: Network, options: Trainer.Options, history: [Trainer.Record], trained: Network, frames: [TrainingFrames.Frame],
                theme: Theme, lossScale: TrainingChart.Scale, gradientScale: TrainingChart.Scale, flow: FlowAnnotator.Options,
                numbers: NumberFormat) {
        self.network = network
        self.options = options
        self.history = history
        self.trained = trained
        self.frames = frames
        self.theme = theme
        self.lossScale = lossScale
        self.gradientScale = gradientScale
        self.flow = flow
        self.numbers = numbers
    }

    /// `frame-00120.svg`: zero-padded to the width of the last step, so names sort by step.
    static func frameName(step: Int, totalSteps: Int) -> String {
        let digits = max(5, String(totalSteps).count)
        let text = String(step)
        return "frame-" + String(repeating: "0", count: max(0, digits - text.count)) + text + ".svg"
    }

    /// The steps that get a frame: 0, K, 2K, … and always the last.
    public static func frameSteps(totalSteps: Int, every: Int) -> [Int] {
        var steps = Array(stride(from: 0, through: totalSteps, by: max(1, every)))
        if steps.last != totalSteps { steps.append(totalSteps) }
        return steps
    }

    /// Every file a run of `totalSteps` with a frame every `every` steps writes, in writing order.
    public static func fileNames(totalSteps: Int, every: Int) -> [String] {
        ["history.csv", "trained.yaml", "loss.svg", "gradients.svg"]
            + frameSteps(totalSteps: totalSteps, every: every).map { frameName(step: $0, totalSteps: totalSteps) } + ["index.html"]
    }

    /// `step,loss,grad_norm_1,…,grad_norm_L`, every number in the shortest text that reads
    /// back to the same double.
    public static func csv(_ history: [Trainer.Record]) -> String {
        let L = history.first?.gradientNorms.count ?? 0
        var out = "step,loss," + (1...max(1, L)).prefix(L).map { "grad_norm_\($0)" }.joined(separator: ",") + "\n"
        out.reserveCapacity(history.count * (24 * (L + 1)))
        for r in history {
            out += String(r.step) + "," + "\(r.loss)"
            for g in r.gradientNorms { out += "," + "\(g)" }
            out += "\n"
        }
        return out
    }

    var title: String { (network.name ?? "Training") + " — training" }

    func lossChart() -> TrainingChart {
        let reduction = network.data.map { $0.reduction == .mean ? "mean" : "sum" } ?? "single example"
        let batch = options.batchSize.map { $0 < network.samples.count ? ", mini-batches of \($0)" : "" } ?? ""
        return TrainingChart(title: MathText("\(network.notation.loss) per step (\(reduction) over the batch\(batch))"),
                             yLabel: MathText(network.notation.loss), series: [.init(name: MathText(network.notation.loss), values: history.map(\.loss))],
                             scale: lossScale, theme: theme)
    }

    func gradientChart() -> TrainingChart {
        let L = network.depth
        let W = network.notation.weight.uppercased()
        func norm(_ l: Int) -> MathText {
            MathText([.init("‖∂\(network.notation.loss)/∂\(W)"), .init("(\(l))", .sup), .init("‖")])
        }
        return TrainingChart(title: MathText([.init("Gradient norm per layer ‖∂\(network.notation.loss)/∂\(W)"), .init("(l)", .sup), .init("‖")]),
                             yLabel: MathText("Frobenius norm"),
                             series: (1...L).map { l in .init(name: norm(l), values: history.map { $0.gradientNorms[l - 1] }) },
                             scale: gradientScale, theme: theme)
    }

    /// Every file's bytes, `index.html` last. `progress` hears about each frame rendered.
    public func files(progress: ((Int, Int) -> Void)? = nil) throws -> [(name: String, data: Data)] {
        let total = options.steps
        var out: [(String, Data)] = []
        out.append(("history.csv", Data(Self.csv(history).utf8)))
        let eta = NetworkFileWriter.number(options.learningRate)
        var comment = ["Trained by bpviz train: \(total) steps of SGD, learning rate \(eta)"]
        comment[0] += options.momentum > 0 ? ", momentum \(NetworkFileWriter.number(options.momentum))" : ""
        comment[0] += options.batchSize.map { $0 < network.samples.count ? ", mini-batches of \($0) (seed \(options.seed))" : ", full batch" } ?? ", full batch"
        comment.append("Final loss \(history.last.map { "\($0.loss)" } ?? "?") at step \(total) (see history.csv).")
        out.append(("trained.yaml", Data(NetworkFileWriter.yaml(trained, comment: comment).utf8)))
        let loss = lossChart().svg(), gradients = gradientChart().svg()
        out.append(("loss.svg", Data(loss.utf8)))
        out.append(("gradients.svg", Data(gradients.utf8)))

        let diagrams = TrainingFrames.diagrams(frames, totalSteps: total, options: flow, format: numbers)
        let renderer = DiagramRenderer(theme: theme)
        let layout = try renderer.layout(sharedBy: diagrams)
        var sections: [TrainingPlayer.FrameSection] = []
        let f = NumberFormat(precision: 4)
        for (i, frame) in frames.enumerated() {
            let svg = try renderer.render(diagrams[i], format: .svg, layout: layout)
            out.append((Self.frameName(step: frame.step, totalSteps: total), svg))
            let record = history[frame.step]
            let W = network.notation.weight.uppercased()
            let norms = record.gradientNorms.enumerated().map { l, g in
                MathText([.init("‖∂\(network.notation.loss)/∂\(W)"), .init("(\(l + 1))", .sup), .init("‖")]).unicode + " = " + f.string(g)
            }
            sections.append(.init(step: frame.step, svg: String(decoding: svg, as: UTF8.self),
                                  summary: "\(network.notation.loss) = \(f.string(record.loss)) · " + norms.joined(separator: " · ")))
            progress?(i + 1, frames.count)
        }
        out.append(("index.html", Data(TrainingPlayer.page(title: title, frames: sections, lossChart: lossChart().svg(size: .panel),
                                                           gradientChart: gradientChart().svg(size: .panel), theme: theme).utf8)))
        return out
    }
}
