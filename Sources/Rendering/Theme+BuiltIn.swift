import NetworkModel
import Synchronization

/// The built-in themes. Their YAML files (`Sources/Rendering/Themes`) are compiled into the
/// module as bytes (SwiftPM's `embedInCode`), so a bpviz installed anywhere, run from any
/// directory, finds them without searching the file system.
extension Theme {
    /// Name and YAML of each built-in theme, in the order `bpviz themes` lists them.
    static let builtInSources: [(name: String, yaml: [UInt8])] = [
        ("chalkboard", PackageResources.chalkboard_yaml),
        ("classroom", PackageResources.classroom_yaml),
        ("colorblind", PackageResources.colorblind_yaml),
        ("print", PackageResources.print_yaml),
    ]

    /// The names of the built-in themes (`classroom` is the default).
    public static var builtInNames: [String] { builtInSources.map(\.name) }

    /// Every built-in theme, with its description.
    public static func builtIns() throws -> [Theme] {
        try builtInNames.map { try named($0) }
    }

    /// A built-in theme by name (`chalkboard`), or a theme file when the argument looks like
    /// a path (contains `/` or ends in `.yaml`, `.yml` or `.json`).
    public static func named(_ nameOrPath: String) throws -> Theme {
        try named(nameOrPath, depth: 0)
    }

    static func named(_ nameOrPath: String, depth: Int) throws -> Theme {
        if nameOrPath.contains("/") || [".yaml", ".yml", ".json"].contains(where: { nameOrPath.hasSuffix($0) }) {
            return try load(path: nameOrPath, depth: depth)
        }
        guard let source = builtInSources.first(where: { $0.name == nameOrPath }) else {
            let hint = nearest(nameOrPath, in: builtInNames).map { " (did you mean `\($0)`?)" } ?? ""
            throw InputError(file: nameOrPath, "unknown theme\(hint); expected one of \(builtInNames.joined(separator: ", ")) or a path to a theme file")
        }
        if let parsed = parsedBuiltIns.withLock({ $0[source.name] }) { return parsed }
        let theme = try load(text: String(decoding: source.yaml, as: UTF8.self), path: source.name + ".yaml", depth: depth)
        parsedBuiltIns.withLock { $0[source.name] = theme }
        return theme
    }

    /// Built-in themes as parsed, once per process: the CLI reads its theme twice in a cold
    /// run (for Pango's warm-up, then for the command), and a parse is ~0.5 ms of YAML.
    private static let parsedBuiltIns = Mutex<[String: Theme]>([:])
}
