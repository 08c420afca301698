import ArgumentParser
import Foundation
import Graphviz
import NetworkModel
import Rendering

@main
struct BPViz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpviz",
        abstract: "Textbook diagrams of a small neural network's forward and backward passes.",
        version: "0.1.0",
        subcommands: [RenderCommand.self, SlidesCommand.self, ValuesCommand.self, ExplainCommand.self,
                      CheckCommand.self, TrainCommand.self, ThemesCommand.self]
    )

    static func main() {
        // `bpviz --version` answers before ArgumentParser builds its command tree, which costs
        // about as much as the rest of a start (reflection and conformance look-ups in a static
        // binary); the same text ArgumentParser prints, from the same configuration.
        if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" {
            print(configuration.version)
            return
        }
        // Before any thread starts: ^C and kill remove the files being written. Pango's
        // warm-up starts before the thread that receives the signals: in a cold render its
        // start is the longer of the two roads to the first measurement (a signal that comes
        // while this thread reads fontconfig's configuration waits, blocked, for that thread).
        StagingFiles.blockInterrupts()
        TextLayoutWarmUp.start(Array(CommandLine.arguments.dropFirst()))
        StagingFiles.handleInterrupts()
        // A large SVG is drawn by a forked child too (SplitSVG): this program's other threads
        // are its own, finished or idle when it forks.
        GraphvizEngine.drawsLargeSVGInTwoProcesses = true
        mainWithOptionHints()
        // The command succeeded (a failure exits in `exit(reporting:)`) and its output is
        // written: once this program's threads are done (the text-metrics cache's last save)
        // and stdio is flushed, the process ends without the libraries' finalisers
        // (HarfBuzz's, fontconfig's, glib's), which only free what the kernel takes back.
        GraphvizEngine.finishBackgroundWork()
        fflush(nil)
        _exit(0)
    }

    /// ArgumentParser's own errors quote the command line (`--theme $'\e]0;…'`): their first
    /// line goes through the same one-line filter as every other message; the usage lines
    /// it adds are its own text. Help and version print as they are.
    static func exit(reporting error: Error) -> Never {
        // No exit under Pango's warm-up thread (an input error found after it started).
        GraphvizEngine.finishTextLayoutWarmUp()
        let code = exitCode(for: error)
        guard code != .success, !(error is ExitCode) else { exit(withError: error) }
        let message = self.message(for: error)
        let full = fullMessage(for: error)
        let first = "Error: " + message
        let rest = full.hasPrefix(first) ? String(full.dropFirst(first.count)) : ""
        FileHandle.standardError.write(Data(("Error: " + TextPolicy.oneLine(message) + rest + "\n").utf8))
        Foundation.exit(code.rawValue)
    }
}
