import Rendering

/// Pango's warm-up for a cold run (see `DiagramRenderer.warmUpTextLayout`), started first
/// thing: parsing the command line alone takes a few milliseconds in a static binary, and
/// the warm-up needs all the time the main thread takes to reach its first measurement.
/// Only the theme is needed, so its name is picked from the arguments here; an argument
/// read wrongly only warms fonts no label uses, since the command line is parsed as always.
enum TextLayoutWarmUp {
    /// The commands whose every run measures text. An array: a Set's first use (the
    /// process's first hashing) would delay the warm-up, which is what this is about.
    static let commands = ["render", "slides"]

    static func start(_ arguments: [String]) {
        guard let command = arguments.first, commands.contains(command) else { return }
        // A theme file is read once, by the command (it may be a pipe): its fonts are
        // guessed to be the default theme's, which built-in themes share.
        let name = themeName(arguments).flatMap { Theme.builtInNames.contains($0) ? $0 : nil } ?? StyleOptions.defaultTheme
        DiagramRenderer.warmUpTextLayout { try? Theme.named(name) }
    }

    /// The last `--theme NAME` or `--theme=NAME` before a `--`, as ArgumentParser reads it.
    static func themeName(_ arguments: [String]) -> String? {
        var name: String?
        var i = 0
        while i < arguments.count, arguments[i] != "--" {
            if arguments[i] == "--theme", i + 1 < arguments.count {
                name = arguments[i + 1]
                i += 1
            } else if arguments[i].hasPrefix("--theme=") {
                name = String(arguments[i].dropFirst("--theme=".count))
            }
            i += 1
        }
        return name
    }
}
