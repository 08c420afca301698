import ArgumentParser

struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "themes", abstract: "Not built yet.")
    func run() throws { throw ExitCode.failure }
}
