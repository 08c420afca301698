import ArgumentParser

struct SlidesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slides", abstract: "Not built yet.")
    func run() throws { throw ExitCode.failure }
}
