import ArgumentParser

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Not built yet.")
    func run() throws { throw ExitCode.failure }
}
