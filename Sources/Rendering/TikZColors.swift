/// The colours of a TikZ picture as `xcolor` definitions: every theme colour under its key
/// (`bpviz-gradient`, `bpviz-nodeborder`), so a document can redefine one after `\input`
/// without editing the file, and colours mixed for shading as `bpviz-c1`, `bpviz-c2`, ….
struct TikZColors {
    private(set) var names: [String: String] = [:]
    private var order: [(name: String, color: String)] = []

    init(theme: Theme) {
        for key in Theme.colorKeys {
            let color = theme.color(key)
            let name = "bpviz-" + key.replacingOccurrences(of: "_", with: "")
            order.append((name, color))
            if names[color.lowercased()] == nil { names[color.lowercased()] = name }
        }
    }

    /// The name of a colour, defining it when it is new.
    mutating func name(_ color: String) -> String {
        let key = color.lowercased()
        if let name = names[key] { return name }
        let name = "bpviz-c\(order.count - Theme.colorKeys.count + 1)"
        names[key] = name
        order.append((name, color))
        return name
    }

    func definitions() -> String {
        order.map { Self.definition($0.name, $0.color) + "%\n" }.joined()
    }

    /// `#1f77b4` (or `#1f77b4cc`: TeX has no alpha here, the colour is drawn opaque) in the
    /// HTML model; a name Graphviz knows that xcolor also knows by default is copied; any other
    /// name is black, as Graphviz draws a name it does not know.
    static func definition(_ name: String, _ color: String) -> String {
        if color.hasPrefix("#"), color.count >= 7 {
            let hex = color.dropFirst().prefix(6).uppercased()
            if hex.allSatisfy(\.isHexDigit) { return "\\definecolor{\(name)}{HTML}{\(hex)}" }
        }
        let lower = color.lowercased()
        if xcolorNames.contains(lower) { return "\\colorlet{\(name)}{\(lower)}" }
        return "\\colorlet{\(name)}{black}"
    }

    /// The colour names xcolor defines without options, with the RGB values X11 also gives them.
    static let xcolorNames: Set<String> = ["black", "white", "red", "blue", "cyan", "magenta", "yellow"]
}
