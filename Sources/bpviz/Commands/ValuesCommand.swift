import Annotation
import ArgumentParser
import Foundation
import NetworkModel
import Rendering

struct ValuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "values", abstract: "Print every value and gradient of the network.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, markdown }

    @Argument(help: "The network file (YAML or JSON).") var network: String
    @Option(help: "table, json, csv or markdown.") var format: Format = .table
    @Option(help: "Significant digits in table and markdown output.", transform: wholeNumber) var precision: Int = 4
    @Option(name: .customLong("learning-rate"), help: "Also compute one gradient-descent step with this η.")
    var learningRate: Double?
    @Option(help: "With a `data:` set: the sample (1-based) whose forward values are shown.", transform: wholeNumber) var sample: Int?
    @Option(name: .customLong("max-parameters"), help: "Refuse networks with more weights and biases than this.", transform: wholeNumber)
    var maxParameters: Int = NetworkFile.Limits.defaultMaxParameters

    func run() throws {
        try reportingFailures {
            // Checked for every format, as render does, though json and csv print full precision.
            guard (1...17).contains(precision) else { throw UsageFailure("--precision is \(precision); expected 1 to 17 significant digits") }
            let (_, solution) = try loadSolved(network, learningRate: learningRate, sample: sample, maxParameters: maxParameters)
            let numbers = NumberFormat(precision: precision)
            let output: String
            switch format {
            case .json: output = String(decoding: try ValuesExport(solution).jsonData(), as: UTF8.self) + "\n"
            case .table:
                // Text for people, shown as messages are (bidirectional overrides escaped);
                // json and csv are data and keep the file's text exactly; markdown escapes it.
                let title = solution.network.name.map { "\($0)\n\n" } ?? ""
                output = TextPolicy.terminalLines(title + ValueTable(solution).text(format: numbers)
                    + HealthReport(solution).warnings(symbols: Symbols(network: solution.network)).map { "warning: \($0)\n" }.joined())
            case .csv: output = ValueTable(solution).csv()
            case .markdown: output = ValueTable(solution).markdown(format: numbers)
            }
            try OutputFile.writeStandardOutput(Data(output.utf8))
        }
    }
}
