import Foundation
import Yams

/// Reads network files (YAML, or JSON, which is the same tree in flow style) into a
/// validated `Network`. It walks Yams' node tree rather than using Codable so that every
/// complaint can carry the line and column of the value it is about.
public enum NetworkFile {
    /// Limits that keep a typo (an extra zero) from exhausting memory.
    public static let maxUnits = 100_000
    static let maxLayers = 1_000
    static let maxSamples = 100_000
    /// Numbers in a `data:` list, all samples together.
    static let maxDataValues = 10_000_000
    /// A title, drawn above diagrams: long enough for any title, short enough for DOT.
    static let maxNameLength = 200

    /// How much a file may ask for, checked while it is read and before anything of that
    /// size is allocated.
    public struct Limits: Sendable {
        /// Weights and biases together. 250,000 is twice an MNIST-sized 784-128-64-10
        /// network; `values` needs ~800 bytes of memory per parameter for its table, so 10⁸
        /// (a 20 KB file) would take tens of gigabytes.
        public var maxParameters: Int
        /// How the caller raises the limit, appended to the refusal: "raise --max-parameters".
        public var raise: String?

        /// The default `maxParameters`.
        public static let defaultMaxParameters = 250_000

        /// Limits with at most `maxParameters` weights and biases; `raise` is the hint appended to a refusal.
        public init(maxParameters: Int = Limits.defaultMaxParameters, raise: String? = nil) {
            self.maxParameters = maxParameters
            self.raise = raise
        }
    }

    /// Reads and validates the network file at `path` (YAML or JSON, by content, not by extension).
    ///
    /// - Throws: an ``InputError`` naming the file, and the line and column of the offending
    ///   value when there is one: a missing or unreadable file, text that is not YAML, an unknown
    ///   key or activation, shapes that do not fit, or more than `limits` allow.
    public static func load(path: String, limits: Limits = Limits()) throws -> Network {
        try parse(text: readText(path: path), file: path, limits: limits)
    }

    /// Reads a text file, turning every way it can fail into one sentence.
    public static func readText(path: String, expected: String = "a network file (YAML or JSON)") throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file; expected \(expected)")
        }
        if isDirectory.boolValue {
            throw InputError(file: path, "is a directory; expected \(expected)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot be read (permission denied?); expected \(expected) you may read")
        }
        if data.count > 64 << 20 {
            throw InputError(file: path, "is \(data.count >> 20) MiB; expected a network file under 64 MiB")
        }
        if data.contains(0) {
            throw InputError(file: path, "contains NUL bytes (a binary file?); expected UTF-8 text")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8Offset(data)
            let (line, column) = lineAndColumn(of: offset, in: data)
            throw InputError(file: path, line: line, column: column, "is not valid UTF-8 text (byte offset \(offset)); expected a UTF-8 network file")
        }
        return text
    }

    /// Validates a network file's text; `file` is only the name its errors carry. Throws as
    /// ``load(path:limits:)`` does.
    public static func parse(text: String, file: String, limits: Limits = Limits()) throws -> Network {
        try parse(text: text, file: file, limits: limits, fastLists: true)
    }

    /// `fastLists: false` reads every number through Yams' node tree: the reference the fast
    /// path for plain numeric lists (`NumericLists`) is tested against.
    static func parse(text: String, file: String, limits: Limits, fastLists: Bool) throws -> Network {
        let expected = "a network with `input`, `target` and `layers`"
        if fastLists {
            var reader = YAMLReader(file: file)
            let root = try reader.networkRoot(of: text, expected: expected)
            do {
                return try reader.network(root, limits: limits)
            } catch is NumericLists.NotNumbersHere {
                // Numbers where mappings or rows belong: read as Yams reads them, for the message.
            }
        }
        let reader = YAMLReader(file: file)
        return try reader.network(reader.root(of: text, expected: expected), limits: limits)
    }

    /// `expected` says what the document should be (a network, a theme), so a theme's syntax
    /// error does not ask for a network file.
    /// `text`, the document, finds a repeated key's second place (Yams gives the mapping's).
    static func yamlError(_ error: YamlError, file: String, expected: String, text: String = "") -> InputError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            if problem.hasPrefix("Maximum nesting level") {
                // libyaml's own wording names a C function; say what it means instead.
                return InputError(file: file, line: mark.line, column: mark.column,
                                  "the document is nested more than 1,000 levels deep; expected \(expected), a few levels deep")
            }
            var message = "invalid YAML/JSON: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return InputError(file: file, line: mark.line, column: mark.column, message + "; expected \(expected), written as well-formed YAML or JSON")
        case let .duplicatedKeysInMapping(duplicates, context):
            let place = duplicates.first.flatMap { repeatedKey($0, in: text, mappingAt: (context.mark.line, context.mark.column)) }
                ?? (context.mark.line, context.mark.column)
            return InputError(file: file, line: place.line, column: place.column,
                              "duplicate key `\(duplicates.joined(separator: "`, `"))`; expected each key once")
        case let .reader(problem, _, _, _):
            return InputError(file: file, "cannot be read as text: \(problem); expected UTF-8 text")
        default:
            return InputError(file: file, "cannot be parsed (\(error)); expected \(expected) in YAML or JSON")
        }
    }

    /// Where `key` is written the second time in the block mapping whose keys start at
    /// `mapping` (line and column, 1-based): a line holding, at that column, the key (plain or
    /// quoted) and then a colon. Nil when it is not found so (a flow mapping, `{a: 1, a: 2}`):
    /// the mapping's own place is given then.
    static func repeatedKey(_ key: String, in text: String, mappingAt mapping: (line: Int, column: Int)) -> (line: Int, column: Int)? {
        guard mapping.line >= 1, mapping.column >= 1, !key.isEmpty else { return nil }
        var seen = 0, number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            guard number >= mapping.line else { continue }
            let chars = Array(line.unicodeScalars)
            let indent = mapping.column - 1
            // The mapping's first line may start with a sequence's `- ` before its first key.
            guard chars.count > indent, number == mapping.line || chars[..<indent].allSatisfy({ $0 == " " }) else { continue }
            let rest = String(String.UnicodeScalarView(chars[indent...]))
            let written = [key, "\"\(key)\"", "'\(key)'"].first { rest.hasPrefix($0) }
            guard let written, rest.dropFirst(written.count).drop(while: { $0 == " " }).first == ":" else { continue }
            seen += 1
            if seen == 2 { return (number, mapping.column) }
        }
        return nil
    }

    static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        var decoder = UTF8()
        var bytes = Array(data).makeIterator()
        var offset = 0
        while case .scalarValue(let scalar) = decoder.decode(&bytes) {
            offset += UTF8.width(scalar)
        }
        return offset
    }

    static func lineAndColumn(of offset: Int, in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        for byte in data.prefix(offset) {
            if byte == 10 { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}
