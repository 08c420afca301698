import Annotation
import ArgumentParser
import Foundation
import NetworkModel
import Rendering

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a network file and compare every gradient with finite differences.")

    @Argument(help: "The network file (YAML or JSON).") var network: String
    @Option(help: "Largest acceptable relative error.") var tolerance: Double = 1e-5
    @Option(help: "With a `data:` set: the sample (1-based) whose forward values are shown.", transform: wholeNumber) var sample: Int?
    @Option(name: .customLong("max-parameters"), help: "Refuse networks with more weights and biases than this.", transform: wholeNumber)
    var maxParameters: Int = NetworkFile.Limits.defaultMaxParameters

    func run() throws {
        try reportingFailures {
            guard tolerance.isFinite, tolerance > 0 else {
                throw UsageFailure("--tolerance is \(tolerance); expected a positive finite relative error such as 1e-5")
            }
            let (net, solution) = try loadSolved(network, sample: sample, maxParameters: maxParameters)
            // Each compared gradient costs two forward passes over every parameter: compare
            // fewer of them on large networks, so the check does at most ~10⁸ multiply-adds.
            let entries = max(100, min(3_000, 50_000_000 / max(1, net.parameterCount)))
            let check = GradientCheck(network: net, solution: solution, tolerance: tolerance, maxEntries: entries)
            let symbols = Symbols(network: net)
            func name(_ e: GradientCheck.Entry) -> String { symbols.symbol(.gradient(e.quantity)).unicode }
            // The file name as the error path shows it: escapes, not control sequences.
            var out = "\(TextPolicy.escaped(network)): valid; \(net.shape) network, loss \(net.loss.rawValue)\(solution.batch.map { " (\($0.reduction.rawValue) over \($0.samples.count) samples)" } ?? "") = \(NumberFormat(precision: 6).string(solution.loss))\n"
            out += "compared \(check.entries.count - check.kinkCount) gradients with central finite differences"
            if check.entries.count < net.parameterCount + net.input.count {
                out += " (an evenly spaced sample of \(net.parameterCount + net.input.count))"
            }
            out += "\n"
            if let worst = check.worst {
                if worst.numeric.isFinite {
                    out += "largest relative error: \(String(format: "%.3g", worst.error)) at \(name(worst)) (analytic \(worst.analytic), numeric \(worst.numeric)); tolerance \(tolerance)\n"
                } else {
                    out += "no finite difference at \(name(worst)): a perturbed pass overflowed (analytic \(worst.analytic))\n"
                }
            }
            if check.kinkCount > 0 {
                out += "not compared: \(check.kinkCount) gradient\(check.kinkCount == 1 ? "" : "s") whose step moves a ReLU input across its kink at 0, where finite differences are undefined\n"
            }
            for warning in HealthReport(solution).warnings(symbols: Symbols(network: solution.network)) { out += "warning: \(warning)\n" }
            try OutputFile.writeStandardOutput(Data(TextPolicy.terminalLines(out).utf8))
            if !check.passed {
                let error = check.worst?.error ?? 0
                printError("\(network): gradient check failed: " + (error.isFinite
                    ? "largest relative error \(String(format: "%.3g", error)) exceeds the tolerance \(tolerance)"
                    : "a finite difference overflowed, so a gradient could not be compared"))
                throw ExitCode.failure
            }
        }
    }
}
