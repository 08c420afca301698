import Annotation
import ArgumentParser
import Foundation
import NetworkModel
import Rendering

extension View: ExpressibleByArgument {}
extension DiagramRenderer.Format: ExpressibleByArgument {}

/// Options every drawing command shares.
struct StyleOptions: ParsableArguments {
    @Option(name: .customLong("theme"), help: "A built-in theme (see `bpviz themes`) or a theme file.") var themeName: String = StyleOptions.defaultTheme
    static let defaultTheme = "classroom"
    @Option(help: "Significant digits of values that are not integers.", transform: wholeNumber) var precision: Int = 4
    @Option(help: "Resolution of PNG output (default: fills a 1080p slide's width; never more than keeps the PNG under 32,767 pixels a side).") var dpi: Double?
    @Option(help: "LR or TB: overrides the theme's direction.") var direction: String?
    @Option(name: .customLong("learning-rate"), help: "Compute one gradient-descent step with this η.") var learningRate: Double?
    @Option(name: .customLong("max-parameters"), help: "Refuse networks with more weights and biases than this.", transform: wholeNumber)
    var maxParameters: Int = NetworkFile.Limits.defaultMaxParameters
    @Option(name: .customLong("max-edges"), help: "Refuse labelled views of networks with more weights than this.", transform: wholeNumber) var maxEdges: Int = 10_000
    @Flag(help: "Also print Graphviz's warnings.") var verbose = false
    @Option(help: "With a `data:` set: the sample (1-based) whose forward values are shown.", transform: wholeNumber) var sample: Int?
    @Flag(name: .customLong("show-update"), help: "With a learning rate: also show w′ and b′ after one gradient-descent step.") var showUpdate = false

    func resolvedTheme() throws -> Theme {
        var t = try Theme.named(themeName)
        if let direction {
            guard let d = Theme.Direction(rawValue: direction.uppercased()) else {
                throw UsageFailure("--direction is `\(direction)`; expected LR or TB")
            }
            t.direction = d
        }
        return t
    }

    func numberFormat() throws -> NumberFormat {
        guard (1...17).contains(precision) else { throw UsageFailure("--precision is \(precision); expected 1 to 17 significant digits") }
        return NumberFormat(precision: precision)
    }

    func validatedDPI() throws -> Double? {
        guard let dpi else { return nil }
        guard dpi.isFinite, (24...1200).contains(dpi) else { throw UsageFailure("--dpi is \(dpi); expected 24 to 1200") }
        return dpi
    }

    @Option(name: .customLong("max-ops"), help: "Refuse ops views and decks with more operations than this.", transform: wholeNumber) var maxOps: Int = 300

    /// Every weight of a labelled view gets a label that must not overlap the others, so the
    /// picture (and the time to draw it) grows with the number of weights.
    func checkLabelledSize(_ network: Network, what: String, hint: String = "use --view flow, which folds wide layers, or raise --max-edges") throws {
        try ViewError.checkLabelledSize(network, maxEdges: maxEdges, what: what, hint: hint)
    }

    /// The library's one way from a solved network to a view's diagram.
    func diagram(solution: Solution, view: View, flow: FlowOptions) throws -> Diagram {
        if showUpdate && solution.update == nil {
            throw UsageFailure("--show-update needs a learning rate; expected `learning_rate:` in the network file or --learning-rate")
        }
        let options = ViewOptions(format: try numberFormat(), showUpdate: showUpdate, flow: try flow.options(), maxEdges: maxEdges, maxOps: maxOps)
        return try view.diagram(solution, options: options)
    }
}

/// Options of the flow view.
struct FlowOptions: ParsableArguments {
    @Option(help: "linear or log: how edge width follows |∂Loss/∂w| in the flow view.") var scale: FlowAnnotator.Scale = .linear
    @Flag(help: "Also print values on the flow view.") var numbers = false
    @Option(name: .customLong("max-units"), help: "Collapse layers wider than this in the flow view.", transform: wholeNumber) var maxUnits: Int = 16

    func options() throws -> FlowAnnotator.Options {
        guard maxUnits >= 2 else { throw UsageFailure("--max-units is \(maxUnits); expected at least 2") }
        return FlowAnnotator.Options(scale: scale, numbers: numbers, maxUnits: maxUnits)
    }
}

extension FlowAnnotator.Scale: ExpressibleByArgument {}
