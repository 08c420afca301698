import ArgumentParser
import Foundation
import Graphviz

/// Parses a whole-number option so that its error says what is wrong: ArgumentParser's own
/// Int parsing answers "is invalid" for both `four` and a number past Int.max.
func wholeNumber(_ text: String) throws -> Int {
    if let value = Int(text) { return value }
    let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
    if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
        throw OptionValueError("`\(text.prefix(40))` is too large; expected a whole number between \(Int.min) and \(Int.max)")
    }
    throw OptionValueError("`\(text.prefix(40))` is not a whole number; expected digits, such as 4")
}

struct OptionValueError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension BPViz {
    /// ArgumentParser reads `--learning-rate -1` as an option with its value missing, since
    /// `-1` looks like an option; it then reports "Missing value". Say how to write it.
    /// Otherwise as ArgumentParser's own `main`.
    static func mainWithOptionHints() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            if let hint = negativeValueHint(arguments, message: fullMessage(for: error)) {
                printError(hint)
                GraphvizEngine.finishTextLayoutWarmUp()
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
            exit(reporting: error)
        }
    }

    /// "--learning-rate is followed by -1, …" when the missing value is a negative number.
    static func negativeValueHint(_ arguments: [String], message: String) -> String? {
        guard message.contains("Missing value for") else { return nil }
        for (i, argument) in arguments.enumerated().dropLast() where argument.hasPrefix("--") && !argument.contains("=") {
            let next = arguments[i + 1]
            guard next.hasPrefix("-"), message.contains("'\(argument) "), Double(next) != nil || next.lowercased() == "-inf" else { continue }
            return "\(argument) is followed by \(next), which reads as an option; expected the value attached with `=`: write `\(argument)=\(next)`"
        }
        return nil
    }
}
