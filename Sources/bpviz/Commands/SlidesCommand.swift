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
    @Option(name: .shortAndLong, help: "The deck's directory (replaced whole when it exists).") var output: String
    @Option(help: "svg, png or pdf frames.") var format: DeckWriter.Format = .svg
    @Option(help: "node: one node or gradient a frame; layer: one layer a frame.") var steps: SlideDeck.Steps = .node
    @OptionGroup var style: StyleOptions

    func run() throws {
        try reportingFailures {
            let theme = try style.resolvedTheme()
            let dpi = try style.validatedDPI()
            let (net, solution) = try loadSolved(network, learningRate: style.learningRate)
            let deck = SlideDeck(solution: solution, format: try style.numberFormat(), steps: steps)
            let showProgress = isatty(2) != 0
            try DeckWriter(theme: theme, format: format, dpi: dpi).write(deck, title: net.name ?? "Backpropagation", to: output) { done, total in
                if showProgress {
                    FileHandle.standardError.write(Data("\rbpviz: rendering frame \(done)/\(total)\(done == total ? "\n" : "")".utf8))
                }
            }
        }
    }
}

extension DeckWriter.Format: ExpressibleByArgument {}
extension SlideDeck.Steps: ExpressibleByArgument {}
