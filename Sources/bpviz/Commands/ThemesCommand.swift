import ArgumentParser
import Foundation
import Rendering

struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "themes", abstract: "List the built-in themes.")

    func run() throws {
        try reportingFailures {
            let themes = try Theme.builtIns()
            let width = themes.map(\.name.count).max() ?? 0
            var out = ""
            for t in themes {
                out += t.name + String(repeating: " ", count: width - t.name.count + 2) + t.description + "\n"
            }
            try OutputFile.writeStandardOutput(Data(out.utf8))
        }
    }
}
