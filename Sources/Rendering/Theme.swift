import Foundation
import NetworkModel
import Yams

/// How diagrams look: fonts, colours, spacing and direction. Loaded from a small YAML file;
/// `extends:` starts from another theme (a built-in name or a path) and changes a few keys.
public struct Theme: Equatable, Sendable {
    /// Which way the layers go: Graphviz's `rankdir`.
    public enum Direction: String, Sendable {
        /// Layers as columns, input on the left (`LR`, the default).
        case leftToRight = "LR"
        /// Layers as rows, input at the top (`TB`).
        case topToBottom = "TB"
    }

    /// The built-in name, or the file's name without its extension.
    public var name: String
    /// One line on what the theme is for (`bpviz themes` lists it).
    public var description: String
    /// The font of every label; letters, digits, spaces and hyphens only, as it is written into
    /// SVG, CSS and Graphviz attributes.
    public var fontFamily = "DejaVu Sans"
    /// The labels' size in points, 6…72.
    public var fontSize = 14.0
    /// `#rrggbb` colours by key (see `colorKeys`); a theme file's `#rgb` is stored doubled.
    public var colors: [String: String]
    /// The least gap between layers, in points (`spacing.column`).
    public var columnGap = 70.0
    /// The least gap between units of a layer, in points (`spacing.row`).
    public var rowGap = 28.0
    /// Which way the layers go.
    public var direction = Direction.leftToRight

    /// The keys a theme's `colors:` may set. `shading` (the flow view's node tint) defaults to
    /// `gradient`; a theme file that leaves out another key keeps its parent's colour.
    public static let colorKeys = ["background", "text", "node", "node_border", "input", "loss", "edge", "value",
                                   "gradient", "positive", "negative", "highlight", "dimmed", "dead", "header", "shading"]
    static let keys = ["description", "extends", "font", "colors", "spacing", "direction"]

    /// The colour for `key`, `#000000` when the theme has none (built-in themes have every key).
    public func color(_ key: String) -> String {
        // The flow view tints nodes toward `shading`; by default, the gradient colour.
        if key == "shading", colors[key] == nil { return color("gradient") }
        return colors[key] ?? "#000000"
    }

    /// Size of sub- and superscripts and small print.
    public var smallSize: Double { (fontSize * 0.72).rounded() }

    // The sizes of the labels other than a node's lines (which are `fontSize`): one place for
    // every writer (Graphviz labels, TikZ, a deck's captions) and for Pango's warm-up.

    /// Edge labels and the legend.
    public var edgeLabelSize: Double { fontSize * 0.86 }
    /// The diagram's title.
    public var titleSize: Double { fontSize * 1.3 }
    /// A deck frame's caption.
    public var captionSize: Double { fontSize * 1.07 }

    // MARK: - Loading (built-in themes: Theme+BuiltIn.swift)

    /// Reads a theme file; `extends:` names a built-in theme or a path relative to this file.
    public static func load(path: String) throws -> Theme {
        try load(path: path, depth: 0)
    }

    static func load(path: String, depth: Int) throws -> Theme {
        let text = try NetworkFile.readText(path: path, expected: "a theme file (YAML)")
        return try load(text: text, path: path, depth: depth)
    }

    /// Parses a theme's YAML; `path` names it in messages, gives its name and anchors a
    /// relative `extends:`.
    static func load(text: String, path: String, depth: Int) throws -> Theme {
        let reader = YAMLReader(file: path)
        let root = try reader.root(of: text, expected: "a theme with `colors`, `font` or `extends`")
        let map = try reader.mapping(root, what: "the theme", allowed: keys, context: "")
        var theme: Theme
        if let node = map["extends"] {
            let parent = try reader.string(node, what: "`extends`")
            guard depth < 8 else {
                throw reader.error(at: node, "`extends` nests more than 8 themes deep (a cycle?); expected a chain of at most 8")
            }
            // A path is relative to the theme file that names it; a bare name is a built-in.
            let isPath = parent.contains("/") || [".yaml", ".yml", ".json"].contains { parent.hasSuffix($0) }
            let base = isPath && !parent.hasPrefix("/") ? URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(parent).path : parent
            do {
                theme = isPath ? try load(path: base, depth: depth + 1) : try named(base, depth: depth + 1)
            } catch let error as InputError where error.line == nil && (error.file == parent || error.file == base) {
                throw reader.error(at: node, "`extends: \(parent)`: \(error.message)")
            }
        } else {
            theme = Theme(name: "", description: "", colors: Theme.fallbackColors)
        }
        theme.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        theme.description = try map["description"].map {
            try reader.printableText($0, what: "`description`", maxLength: 200, expected: "a description")
        } ?? theme.description
        if let node = map["font"] {
            let font = try reader.mapping(node, what: "`font`", allowed: ["family", "size"], context: "font ")
            if let family = font["family"] {
                let value = try reader.string(family, what: "`font.family`")
                guard isFontFamily(value) else { throw reader.error(at: family, "`font.family` is `\(value)`; expected \(fontFamilyRule)") }
                theme.fontFamily = value
            }
            if let size = font["size"] {
                let value = try reader.number(size, what: "`font.size`")
                guard (6...72).contains(value) else { throw reader.error(at: size, "`font.size` is \(value); expected a size from 6 to 72 points") }
                theme.fontSize = value
            }
        }
        if let node = map["colors"] {
            let colors = try reader.mapping(node, what: "`colors`", allowed: colorKeys, context: "colors ")
            // In file order, so a theme with two bad colours is always told about the first.
            for (key, valueNode) in colors.sorted(by: { Self.position($0.value) < Self.position($1.value) }) {
                let value = try reader.string(valueNode, what: "`colors.\(key)`")
                guard let color = hexColor(value) else {
                    throw reader.error(at: valueNode, "`colors.\(key)` is `\(value)`; expected \(colorRule)")
                }
                theme.colors[key] = color
            }
        }
        if let node = map["spacing"] {
            let spacing = try reader.mapping(node, what: "`spacing`", allowed: ["column", "row"], context: "spacing ")
            for (key, valueNode) in spacing.sorted(by: { Self.position($0.value) < Self.position($1.value) }) {
                let value = try reader.number(valueNode, what: "`spacing.\(key)`")
                guard (0...1000).contains(value) else { throw reader.error(at: valueNode, "`spacing.\(key)` is \(value); expected 0 to 1000 points") }
                if key == "column" { theme.columnGap = value } else { theme.rowGap = value }
            }
        }
        if let node = map["direction"] {
            let value = try reader.string(node, what: "`direction`")
            guard let direction = Direction(rawValue: value.uppercased()) else {
                throw reader.error(at: node, "`direction` is `\(value)`; expected LR or TB")
            }
            theme.direction = direction
        }
        return theme
    }

    /// Where a value stands, to read a mapping (a dictionary) in file order.
    static func position(_ node: Node) -> Int { (node.mark?.line ?? 0) << 32 | (node.mark?.column ?? 0) }

    /// A font family is written into SVG and CSS attributes and Graphviz's font lists: a plain
    /// name keeps it from ever being read as markup, a list or an escape.
    static func isFontFamily(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter, s.count <= 64 else { return false }
        return s.unicodeScalars.allSatisfy { !TextPolicy.isUnprintable($0) }
            && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }
    }

    static let fontFamilyRule = "a font family name of letters, digits, spaces and hyphens, starting with a letter, at most 64 characters (e.g. DejaVu Sans)"

    /// Checks what a theme writes into outputs, for themes made in code rather than loaded
    /// (loading checks each value where it stands): the renderer refuses a theme that fails.
    public func validate() throws {
        guard Theme.isFontFamily(fontFamily) else {
            throw ThemeError("theme `\(name)`: the font family is `\(fontFamily)`; expected \(Theme.fontFamilyRule)")
        }
        for key in colors.keys.sorted() where !Theme.isColor(colors[key]!) {
            throw ThemeError("theme `\(name)`: colour `\(key)` is `\(colors[key]!)`; expected a colour as #rrggbb, such as \"#1f77b4\"")
        }
    }

    /// What every writer draws the same: `#rrggbb`. Graphviz draws a name it does not know
    /// (`notacolor`) black and says so only with --verbose, TikZ knows a handful of names,
    /// `transparent` and `#rrggbbaa` are drawn in SVG and opaque in TikZ, and the flow
    /// view's shading and the contrast checks read the six digits.
    static func isColor(_ s: String) -> Bool {
        s.hasPrefix("#") && s.count == 7 && s.dropFirst().allSatisfy { $0.isASCII && $0.isHexDigit }
    }

    /// A theme file's colour as every writer takes it: `#rrggbb` as it is, `#rgb` doubled
    /// (`#1a7` is `#11aa77`, as in CSS); anything else nil.
    static func hexColor(_ s: String) -> String? {
        if isColor(s) { return s }
        guard s.hasPrefix("#"), s.count == 4, s.dropFirst().allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        return "#" + s.dropFirst().map { "\($0)\($0)" }.joined()
    }

    static let colorRule = "a colour as #rrggbb or #rgb, such as \"#1f77b4\" (names and transparency are not drawn alike in SVG, PNG, PDF and TikZ)"

    static let fallbackColors: [String: String] = [
        "background": "#ffffff", "text": "#1a1a1a", "node": "#f4f7fb", "node_border": "#34495e", "input": "#eef6ee",
        "loss": "#fdf2e9", "edge": "#7f8c8d", "value": "#1a1a1a", "gradient": "#b03a2e", "positive": "#1c6fa8",
        "negative": "#d62728", "highlight": "#f39c12", "dimmed": "#6b6f73", "dead": "#7f7f7f", "header": "#46535f",
    ]
}

/// A theme made in code that the renderer cannot use safely.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with the theme, as one sentence.
    public var description: String
    /// An error with this sentence.
    public init(_ description: String) { self.description = description }
}
