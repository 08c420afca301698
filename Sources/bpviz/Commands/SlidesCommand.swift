import Annotation
import ArgumentParser
import Foundation
import NetworkModel
import Rendering

struct SlidesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slides",
        abstract: "Write the forward and backward pass as numbered frames plus a self-contained index.html.")

    @Argument(help: "The network file (YAML or JSON).") var network: String
    @Option(name: .shortAndLong, help: "The deck's directory: created when missing; an earlier deck there is replaced, file by file.") var output: String
    @Flag(name: .customLong("allow-other-files"), help: "Write the deck into a directory that holds other files (they are never replaced or removed).")
    var allowOtherFiles = false
    @Option(help: "svg, png or pdf frames, or beamer: DIR/deck.tex, a LaTeX Beamer deck with a TikZ picture per frame.") var format: DeckWriter.Format = .svg
    @Option(help: "node: one node or gradient a frame; layer: one layer a frame; ops: the op graph, forward a unit a frame, backward one operation a frame, then each unit's gradients.") var steps: SlideDeck.Steps = .node
    @OptionGroup var style: StyleOptions
    @Option(name: .customLong("max-frames"), help: "Refuse decks with more frames than this.", transform: wholeNumber) var maxFrames: Int = 400
    @Option(name: .customLong("max-deck-weights"), help: "Refuse decks whose frames label more weights in all (weights × frames) than this.",
            transform: wholeNumber)
    var maxDeckWeights: Int = 50_000

    func run() throws {
        try reportingFailures {
            let theme = try style.resolvedTheme()
            let dpi = try style.validatedDPI()
            var (net, solution) = try loadSolved(network, learningRate: style.learningRate, sample: style.sample, maxParameters: style.maxParameters)
            if let data = net.data {
                // A deck teaches one example's pass, whose arithmetic its captions carry: the
                // shown sample's own loss, not the batch's.
                net = net.single(data.samples[data.shown])
                net.name = (net.name ?? "Backpropagation") + " — sample \(data.shown + 1) of \(data.samples.count)"
                do { solution = try net.solve(learningRate: style.learningRate) } catch let error as SolveError {
                    throw InputError(file: network, error.description)
                }
            }
            let frameCount: Int
            switch steps {
            case .ops:
                try OpsAnnotator.checkSize(net, maxOps: style.maxOps, maxEdges: style.maxEdges, deck: true)
                frameCount = OpGraph.operationCount(net) + 3
            case .node:
                try style.checkLabelledSize(net, what: "a deck", hint: "render the flow view instead, or raise --max-edges")
                frameCount = net.parameterCount + net.layers.reduce(0) { $0 + $1.units } + 3
            case .layer:
                try style.checkLabelledSize(net, what: "a deck", hint: "render the flow view instead, or raise --max-edges")
                frameCount = 2 * net.depth + 3
            }
            guard frameCount <= maxFrames else {
                throw UsageFailure("a deck of this network would have \(frameCount) frames; expected at most \(maxFrames) (\(steps == .node ? "use --steps layer, or raise --max-frames" : "raise --max-frames"))")
            }
            // Every frame lays out and draws every weight's label: the work (and the memory of
            // the frames) grows with their product, so 200 layers of 7 units pass both limits
            // above and still ask for gigabytes.
            let weights = steps == .ops ? 0 : net.weightCount
            guard weights * frameCount <= maxDeckWeights else {
                throw UsageFailure("a deck of this network would label \(weights) weights on each of \(frameCount) frames, \(weights * frameCount) in all; expected at most \(maxDeckWeights) (render single views instead, or raise --max-deck-weights)")
            }
            let deck = SlideDeck(solution: solution, format: try style.numberFormat(), steps: steps)
            let showProgress = isatty(2) != 0
            var writer = DeckWriter(theme: theme, format: format, dpi: dpi)
            let frames = (output.hasSuffix("/") ? output : output + "/") + "*.png"
            writer.onSmallerDPI = { drawn in printError(smallerDPINote(frames + " are", drawn: drawn, asked: dpi ?? drawn)) }
            try writer.write(deck, title: net.name ?? "Backpropagation", to: output, allowingOtherFiles: allowOtherFiles) { done, total in
                if showProgress {
                    FileHandle.standardError.write(Data("\rbpviz: rendering frame \(done)/\(total)\(done == total ? "\n" : "")".utf8))
                }
            }
        }
    }
}

extension DeckWriter.Format: ExpressibleByArgument {}
extension SlideDeck.Steps: ExpressibleByArgument {}
