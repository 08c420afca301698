import ArgumentParser
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
        // Before any thread starts: ^C and kill remove the files being written.
        StagingFiles.removeOnInterrupt()
        mainWithOptionHints()
    }
}
