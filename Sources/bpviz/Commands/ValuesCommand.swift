import Annotation
import ArgumentParser
import Foundation
import NetworkModel

struct ValuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "values", abstract: "Print every value and gradient of the network.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, markdown }

    @Argument(help: "The network file (YAML or JSON).") var network: String
    @Option(help: "table, json, csv or markdown.") var format: Format = .table
    @Option(help: "Significant digits in table and markdown output.") var precision: Int = 4
    @Option(name: .customLong("learning-rate"), help: "Also compute one gradient-descent step with this η.")
    var learningRate: Double?

    func run() throws {
        try reportingFailures {
            let (_, solution) = try loadSolved(network, learningRate: learningRate)
            let numbers = NumberFormat(precision: precision)
            let output: String
            switch format {
            case .json: output = String(decoding: try ValuesExport(solution).jsonData(), as: UTF8.self) + "\n"
            case .table:
                let title = solution.network.name.map { "\($0)\n\n" } ?? ""
                output = title + ValueTable(solution).text(format: numbers)
                    + HealthReport(solution).warnings(symbols: Symbols(network: solution.network)).map { "warning: \($0)\n" }.joined()
            case .csv: output = ValueTable(solution).csv()
            case .markdown: output = ValueTable(solution).markdown(format: numbers)
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
    }
}
