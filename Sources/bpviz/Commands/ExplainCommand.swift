import Annotation
import ArgumentParser
import Foundation
import NetworkModel
import Rendering

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Write out the chain-rule derivation of a gradient, or a whole worked solution with --all.")

    @Argument(help: "The network file (YAML or JSON).") var network: String
    @Argument(help: "A quantity in the notation: w_21^(1), w_{21}^{(1)}, b^(3), H_2^(1), Z_1^(2), α_1.") var parameter: String?
    @Flag(help: "The complete worked solution: forward pass, loss, every gradient, summary.") var all = false
    @Option(help: "text, markdown or latex.") var format: Explanation.Format = .text
    @Option(help: "Significant digits of values that are not integers.", transform: wholeNumber) var precision: Int = 4
    @Option(name: .customLong("learning-rate"), help: "Also show one gradient-descent step with this η (with --all).")
    var learningRate: Double?
    @Option(name: .customLong("max-parameters"), help: "Refuse --all for networks with more parameters than this.", transform: wholeNumber)
    var maxParameters: Int = 1_000
    @Option(help: "With a `data:` set: the sample (1-based) whose forward values are shown.", transform: wholeNumber) var sample: Int?

    @Option(name: .customLong("theme"), help: "With --all --format latex: the theme of the network's figure.") var themeName: String = "classroom"

    /// The network's full view as a TikZ picture, for the top of a LaTeX worked solution.
    func figure(_ solution: Solution) throws -> String {
        let theme = try Theme.named(themeName)
        let diagram = Annotator(solution: solution, format: NumberFormat(precision: precision)).diagram(view: .full)
        let layout = try DiagramRenderer(theme: theme).layout(diagram)
        return TikZWriter(theme: theme).picture(diagram, layout: layout, options: TikZWriter.Options(title: false))
    }

    func validate() throws {
        if all == (parameter != nil) { throw ValidationError("give either a PARAM or --all") }
    }

    func run() throws {
        try reportingFailures {
            guard (1...17).contains(precision) else { throw UsageFailure("--precision is \(precision); expected 1 to 17 significant digits") }
            let (net, solution) = try loadSolved(network, learningRate: learningRate, sample: sample,
                                              maxParameters: max(maxParameters, NetworkFile.Limits.defaultMaxParameters))
            let explanation = Explanation(solution: solution, format: format, numbers: NumberFormat(precision: precision))
            // A data set's batch loss: the samples' gradients combined, then one sample's chain rule.
            let batch = solution.batch == nil ? nil : try BatchExplanation(batch: solution, format: format, numbers: NumberFormat(precision: precision))
            let text: String
            if let parameter {
                let quantity = try ParameterName.parse(parameter, network: net)
                guard let target = Derivation.Target(quantity) else {
                    throw UsageFailure("PARAM `\(parameter)`: the loss has no derivation; expected a weight, bias, Z, H or input")
                }
                text = batch?.explain(target) ?? explanation.explain(target)
            } else if let batch {
                guard net.parameterCount <= maxParameters else {
                    throw UsageFailure("a worked solution of a \(net.widths.map(String.init).joined(separator: "-")) network would derive \(net.parameterCount) gradients; expected at most \(maxParameters) (explain one PARAM, or raise --max-parameters)")
                }
                text = batch.document()
            } else {
                guard net.parameterCount <= maxParameters else {
                    throw UsageFailure("a worked solution of a \(net.shape) network would derive \(net.parameterCount) gradients; expected at most \(maxParameters) (explain one PARAM, or raise --max-parameters)")
                }
                text = explanation.document(figure: format == .latex ? try figure(solution) : nil)
            }
            // Plain text is for the terminal: shown as messages are (bidirectional overrides
            // escaped); Markdown and LaTeX are sources, escaped for their own readers.
            try OutputFile.writeStandardOutput(Data((format == .text ? TextPolicy.terminalLines(text) : text).utf8))
        }
    }
}

extension Explanation.Format: ExpressibleByArgument {}
