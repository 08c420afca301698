import Annotation
import ArgumentParser
import Foundation
import NetworkModel
import Rendering

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the network on its data set by gradient descent; write the history, charts, flow frames and a player.",
        discussion: """
        Writes into DIR: history.csv (step,loss,grad_norm_1,…: the batch loss and each layer's \
        ‖∂Loss/∂W‖ before each step's update, steps 0 to N), trained.yaml (the network after the \
        last update), loss.svg and gradients.svg, one flow-view frame every K steps \
        (frame-NNNNN.svg) and index.html, a player. Only files bpviz wrote there are replaced.
        """)

    @Argument(help: "The network file (YAML or JSON), usually with a `data:` set.") var network: String
    @Option(name: .shortAndLong, help: "The run's directory.") var output: String
    @Option(help: "Number of gradient-descent steps N (default: 2000).", transform: wholeNumber) var steps: Int = 2000
    @Option(name: .customLong("learning-rate"), help: "η (default: the file's learning_rate, else 0.1).") var learningRate: Double?
    @Option(name: .customLong("batch-size"), help: "Samples per step, drawn by a seeded shuffle each epoch (default: all, full batch).", transform: wholeNumber) var batchSize: Int?
    @Option(help: "Seed of the mini-batch shuffle, SplitMix64 (default: 0).", transform: wholeNumber) var seed: Int = 0
    @Option(help: "Momentum μ, as PyTorch's SGD (0: plain gradient descent).") var momentum: Double = 0
    @Option(help: "A flow frame every K steps (default: about 20 frames).", transform: wholeNumber) var every: Int?
    @Option(name: .customLong("loss-scale"), help: "linear or log: the loss chart's y axis.") var lossScale: TrainingChart.Scale = .linear
    @Option(name: .customLong("gradient-scale"), help: "log or linear: the gradient chart's y axis.") var gradientScale: TrainingChart.Scale = .log
    @Option(name: .customLong("theme"), help: "A built-in theme (see `bpviz themes`) or a theme file.") var themeName: String = "classroom"
    @OptionGroup var flowOptions: FlowOptions
    @Flag(name: .customLong("allow-other-files"), help: "Write the run into a directory that holds other files (they are never replaced or removed).")
    var allowOtherFiles = false
    @Option(name: .customLong("max-frames"), help: "Refuse runs with more frames than this (default: 400).", transform: wholeNumber) var maxFrames: Int = 400
    @Option(name: .customLong("max-parameters"), help: "Refuse networks with more weights and biases than this.", transform: wholeNumber)
    var maxParameters: Int = NetworkFile.Limits.defaultMaxParameters
    @Option(name: .customLong("max-steps"), help: "Refuse runs of more steps than this: each step keeps a row of history in memory and in history.csv, of at most \(historyNumbersPerStep) numbers a step on average (default: 1,000,000).", transform: wholeNumber)
    var maxSteps: Int = 1_000_000
    @Option(name: .customLong("max-work"), help: "Refuse runs needing more multiply-adds than this (steps × batch × weights × 3).") var maxWork: Double = 1e11

    /// The history --max-steps allows, in numbers a step: rows of a network up to 49 layers deep.
    static let historyNumbersPerStep = 50

    /// A count as digits (to 10¹⁵), else as "1.2e+18".
    static func count(_ n: Double) -> String { n < 1e15 ? String(Int(n)) : String(format: "%.2g", n) }

    /// A byte count as "1.2 GB".
    static func bytes(_ n: Double) -> String {
        n >= 1e9 ? String(format: "%.1f GB", n / 1e9) : n >= 1e6 ? String(format: "%.0f MB", n / 1e6) : String(format: "%.0f kB", n / 1e3)
    }

    func run() throws {
        try reportingFailures {
            guard steps >= 1 else { throw UsageFailure("--steps is \(steps); expected at least 1") }
            // --max-work counts multiply-adds, but a small network's step costs far more in
            // bookkeeping (~24 µs on xor-data) and a history row (~0.23 KB) than its few
            // multiply-adds: 10⁸ steps passed it and would have run 40 minutes into 23 GB.
            guard steps <= maxSteps else {
                throw UsageFailure("--steps is \(steps); expected at most \(maxSteps), as each step keeps a row of history (raise --max-steps)")
            }
            guard every.map({ $0 >= 1 }) ?? true else { throw UsageFailure("--every is \(every!); expected at least 1 step between frames") }
            guard momentum.isFinite, momentum >= 0, momentum < 1 else { throw UsageFailure("--momentum is \(momentum); expected 0 ≤ μ < 1") }
            guard seed >= 0 else { throw UsageFailure("--seed is \(seed); expected a whole number ≥ 0") }
            if let eta = learningRate, !(eta > 0 && eta.isFinite) { throw UsageFailure("--learning-rate is \(eta); expected a positive finite number") }
            let theme = try Theme.named(themeName)
            let flow = try flowOptions.options()
            let net = try NetworkFile.load(path: network, limits: .init(maxParameters: maxParameters, raise: "raise --max-parameters"))
            let count = net.samples.count
            if let b = batchSize, !(1...count).contains(b) {
                throw UsageFailure("--batch-size is \(b), but \(network) has \(count) sample\(count == 1 ? "" : "s"); expected 1 to \(count)")
            }
            // A row holds the loss and a gradient norm per layer: 10⁶ steps of a 1,000-layer
            // net passed both limits and kept ~8 GB of history (and a history.csv as large).
            // Counted in Double: --steps near Int.max must not trap on steps + 1.
            let rowNumbers = net.depth + 1
            let rows = Double(steps) + 1
            let historyNumbers = rows * Double(rowNumbers)
            let historyLimit = (Double(maxSteps) + 1) * Double(Self.historyNumbersPerStep)
            guard historyNumbers <= historyLimit else {
                // A row in memory: its step, its loss and an array of norms (~64 bytes besides them).
                let bytes = rows * Double(8 * rowNumbers + 64)
                throw UsageFailure("\(steps) steps of a \(net.depth)-layer network keep \(Self.count(historyNumbers)) numbers of history (\(rowNumbers) a step, about \(Self.bytes(bytes)) in memory); expected at most \(Self.count(historyLimit)) (fewer steps, or raise --max-steps: it allows \(Self.historyNumbersPerStep) numbers a step)")
            }
            let every = self.every ?? max(1, Int((Double(steps) / 20).rounded(.up)))
            let frameSteps = TrainingReport.frameSteps(totalSteps: steps, every: every)
            guard frameSteps.count <= maxFrames else {
                throw UsageFailure("a run of \(steps) steps with a frame every \(every) would draw \(frameSteps.count) frames; expected at most \(maxFrames) (raise --every, or --max-frames)")
            }
            let work = (Double(steps) + 1) * Double(min(batchSize ?? count, count)) * Double(net.parameterCount) * 3
            guard work <= maxWork else {
                throw UsageFailure("\(steps) steps on \(min(batchSize ?? count, count)) samples of a \(net.widths.map(String.init).joined(separator: "-")) network need about \(String(format: "%.2g", work)) multiply-adds; expected at most \(String(format: "%.2g", maxWork)) (fewer steps, a smaller --batch-size, or raise --max-work)")
            }
            let names = TrainingReport.fileNames(totalSteps: steps, every: every)
            try TrainingReport.checkDirectory(output, files: names, allowingOtherFiles: allowOtherFiles)

            let options = Trainer.Options(steps: steps, learningRate: learningRate ?? net.learningRate ?? 0.1, batchSize: batchSize,
                                          seed: UInt64(seed), momentum: momentum)
            let showProgress = isatty(2) != 0
            var lastReport = Date()
            var frames: [TrainingFrames.Frame] = []
            var nextFrame = 0
            let result: (history: [Trainer.Record], trained: Network)
            do {
                result = try Trainer(network: net, options: options).run { step, solution in
                    if nextFrame < frameSteps.count, frameSteps[nextFrame] == step {
                        frames.append(.init(step: step, solution: solution))
                        nextFrame += 1
                    }
                    if showProgress, step == steps || Date().timeIntervalSince(lastReport) > 0.2 {
                        lastReport = Date()
                        FileHandle.standardError.write(Data("\rbpviz: step \(step)/\(steps)\(step == steps ? "\n" : "")".utf8))
                    }
                }
            } catch let error as Trainer.Diverged {
                if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
                throw InputError(file: network, error.description)
            }
            let report = TrainingReport(network: net, options: options, history: result.history, trained: result.trained, frames: frames,
                                        theme: theme, lossScale: lossScale, gradientScale: gradientScale, flow: flow, numbers: NumberFormat(precision: 4))
            let files = try report.files { done, total in
                if showProgress { FileHandle.standardError.write(Data("\rbpviz: rendering frame \(done)/\(total)\(done == total ? "\n" : "")".utf8)) }
            }
            try TrainingReport.write(files, to: output, allowingOtherFiles: allowOtherFiles)
        }
    }
}

extension TrainingChart.Scale: ExpressibleByArgument {}
