import ArgumentParser
import Foundation
import NetworkModel

/// Every failure the user can fix reaches them as one line on stderr and exit status 1;
/// ArgumentParser's own usage errors keep their status 64.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode.failure
    }
}

/// The one way messages reach the terminal: as one line, whatever they quote (see
/// `TextPolicy.oneLine`: control characters escaped, long excerpts cut).
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("bpviz: " + TextPolicy.oneLine(message) + "\n").utf8))
}

/// What `render` and `slides` say when PNGs are drawn at a lower resolution than `--dpi`
/// asked for (`subject`: "ops.png is", "deck/*.png are").
func smallerDPINote(_ subject: String, drawn: Double, asked: Double) -> String {
    "note: \(subject) drawn at \(Int(drawn)) dpi, not \(asked == asked.rounded() ? String(Int(asked)) : String(asked)): a PNG is at most 32,767 pixels a side"
}

/// A failure that is not about a file's content: a bad option value, an output path.
struct UsageFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
