import Yams

/// Reads typed values out of a Yams node tree, each complaint an `InputError` carrying the
/// file, line and column of the value it is about. Network files and theme files share it.
package struct YAMLReader {
    package let file: String
    /// The numeric lists the fast path read (network files only; see `networkRoot`).
    var lists = NumericLists()

    package init(file: String) { self.file = file }

    /// The root node of a YAML or JSON text; syntax errors become one-line InputErrors.
    package func root(of text: String, expected: String) throws -> Node {
        let look = try checkDocument(text)
        let root = try compose(text, expected: expected)
        try checkExpansion(of: root, look)
        return root
    }

    /// The root node of a network file, as `root(of:expected:)`, with its plain numeric lists
    /// read by the fast path (`NumericLists`): Yams sees them empty, `numbers` returns theirs.
    /// Whenever the fast path is unsure, the original text is parsed as it is.
    mutating func networkRoot(of text: String, expected: String) throws -> Node {
        let look = try checkDocument(text)
        if let (blanked, lists) = NumericLists.extract(from: text),
           let root = try? Yams.compose(yaml: blanked, .basic) {
            // Before `isConfirmed` walks the whole tree; the lists read count as their values.
            self.lists = lists
            try checkExpansion(of: root, look)
            if lists.isConfirmed(by: root) { return root }
            self.lists = NumericLists()
        }
        let root = try compose(text, expected: expected)
        try checkExpansion(of: root, look)
        return root
    }

    /// Refuses a tree that aliases make larger than a file may be: Yams shares an alias's
    /// node with its anchor, but every walk of the tree (and every reader) walks it in full,
    /// so nested aliases (`&a1 [*a0, *a0, …]`, `&a2 [*a1, …]`, …) grow tenfold per level from
    /// a few bytes. Counts nodes, aliases expanded, and stops at `DocumentGuard.maxValues`, the
    /// limit on values written out; only when the look saw a `*`, since without aliases the
    /// tree is no larger than the text.
    func checkExpansion(of root: Node, _ look: DocumentGuard.Look) throws {
        guard look.mayHaveAliases else { return }
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1 + (lists.numbers(of: node)?.count ?? 0)
            if count > DocumentGuard.maxValues {
                throw InputError(file: file, line: look.firstAlias?.line, column: look.firstAlias?.column,
                                 "aliases (`*name`) expand to more than \(DocumentGuard.maxValues) values; expected at most \(DocumentGuard.maxValues), each alias counting as the values it repeats (write them out, or large weights as an `init` recipe)")
            }
            switch node {
            case .scalar, .alias: break
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            }
        }
    }

    private func checkDocument(_ text: String) throws -> DocumentGuard.Look {
        let look = DocumentGuard.look(text)
        switch look.problem {
        case .tooManyValues(let count)?:
            throw InputError(file: file, "holds more than \(count - 1) values or lines; expected at most \(DocumentGuard.maxValues) (write large weights as an `init` recipe)")
        case let .complexKey(line, column)?:
            throw InputError(file: file, line: line, column: column, "a mapping key is an alias or a collection (`? …`, `[…]:`, `*a:`); expected plain keys such as `input:`")
        case nil: break
        }
        return look
    }

    private func compose(_ text: String, expected: String) throws -> Node {
        let root: Node?
        do {
            // The basic resolver: bpviz reads every scalar itself, so the default resolver's
            // regular expressions (compiled on first use, ~2 ms) would be wasted.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw NetworkFile.yamlError(error, file: file, expected: expected, text: text)
        }
        guard let root else { throw InputError(file: file, line: 1, column: 1, "is empty; expected \(expected)") }
        return root
    }

    package func mapping(_ node: Node, what: String, allowed: [String], context: String) throws -> [String: Node] {
        guard case .mapping(let map) = node else {
            throw error(at: node, "\(what) is \(kind(node)); expected a mapping of keys (\(allowed.joined(separator: ", ")))")
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in map {
            guard case .scalar(let key) = keyNode else {
                throw error(at: keyNode, "\(context)key is \(kind(keyNode)); expected one of \(allowed.joined(separator: ", "))")
            }
            guard allowed.contains(key.string) else {
                throw error(at: keyNode, "\(context.isEmpty ? "" : context)unknown key `\(key.string)`\(suggestion(key.string, allowed)); expected one of \(allowed.joined(separator: ", "))")
            }
            guard result[key.string] == nil else {
                throw error(at: keyNode, "duplicate key `\(key.string)`; expected each key once")
            }
            result[key.string] = value
        }
        return result
    }

    package func string(_ node: Node, what: String) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw error(at: node, "\(what) is \(kind(node)); expected a single word or text")
        }
        return scalar.string
    }

    /// Text that is drawn, exported and printed (a name, a symbol): one line of printable
    /// characters, so it survives SVG, HTML, DOT, CSV and a terminal exactly as written.
    /// Control characters (a newline, an escape sequence) are refused rather than changed.
    package func printableText(_ node: Node, what: String, maxLength: Int, expected: String) throws -> String {
        let text = try string(node, what: what)
        if let (offset, scalar) = text.unicodeScalars.enumerated().first(where: { TextPolicy.isUnprintable($0.element) }) {
            throw error(at: node, "\(what) contains the control character \(TextPolicy.codePoint(scalar)) at character \(offset + 1); expected \(expected) on one line, without control characters")
        }
        guard text.count <= maxLength else {
            throw error(at: node, "\(what) has \(text.count) characters; expected \(expected) of at most \(maxLength) characters")
        }
        return text
    }

    package func number(_ node: Node, what: String) throws -> Double {
        guard case .scalar(let scalar) = node else {
            throw error(at: node, "\(what) is \(kind(node)); expected a number")
        }
        // Fast path for the common plain decimal (a data set holds hundreds of thousands):
        // digits, sign, point and exponent only, so nan, inf and hex never take it.
        if scalar.style == .plain, let value = Self.plainDecimal(scalar.string) { return value }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            throw error(at: node, "\(what) is the quoted text \"\(text)\"; expected a number without quotes")
        }
        let lowered = text.lowercased()
        let bare = lowered.hasPrefix("+") || lowered.hasPrefix("-") ? String(lowered.dropFirst()) : lowered
        if [".nan", "nan", ".inf", "inf", "infinity", ".infinity"].contains(bare) {
            throw error(at: node, "\(what) is \(text), which is not a finite number; expected a finite number (NaN and infinities are not allowed)")
        }
        guard !text.isEmpty, let value = Double(text.replacingOccurrences(of: "_", with: "")), !text.lowercased().hasPrefix("0x") else {
            throw error(at: node, "\(what) is `\(text.prefix(40))`; expected a number")
        }
        guard value.isFinite else {
            throw error(at: node, "\(what) is \(text), which overflows a double; expected a finite number of magnitude below 1.8e308")
        }
        return value
    }

    static func plainDecimal(_ text: String) -> Double? {
        var utf8 = text.utf8.makeIterator()
        var sawDigit = false
        while let c = utf8.next() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return nil
            }
        }
        guard sawDigit, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    package func numbers(_ node: Node, what: String) throws -> [Double] {
        if let values = lists.numbers(of: node) {
            guard values.count <= NetworkFile.maxUnits else {
                throw error(at: node, "\(what) has \(values.count) values; expected at most \(NetworkFile.maxUnits)")
            }
            return values
        }
        guard case .sequence(let sequence) = node else {
            throw error(at: node, "\(what) is \(kind(node)); expected a list of numbers like [1, 2, -1]")
        }
        guard sequence.count <= NetworkFile.maxUnits else {
            throw error(at: node, "\(what) has \(sequence.count) values; expected at most \(NetworkFile.maxUnits)")
        }
        return try sequence.map { try number($0, what: "a value of \(what)") }
    }

    package func integer(_ node: Node, what: String) throws -> Int {
        guard case .scalar(let scalar) = node, scalar.style != .singleQuoted, scalar.style != .doubleQuoted,
              let value = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            if case .scalar(let s) = node, s.style == .plain, isWholeNumberText(s.string) {
                throw error(at: node, "\(what) is `\(s.string.prefix(40))`, a whole number too large for bpviz; expected one between \(Int.min) and \(Int.max)")
            }
            let shown: String
            if case .scalar(let s) = node { shown = "`\(s.string.prefix(40))`" } else { shown = kind(node) }
            throw error(at: node, "\(what) is \(shown); expected a whole number")
        }
        return value
    }

    /// How many items a list has, counting those the fast path read.
    func count(of list: Node.Sequence, at node: Node) -> Int {
        lists.numbers(of: node)?.count ?? list.count
    }

    /// The items of a list that should hold mappings or rows. The fast path's lists of
    /// numbers have none for Yams; one is met here only when a file has numbers where other
    /// values belong, and then the file is read again without the fast path (see
    /// `NetworkFile.parse`), so that the message is the one the full path gives.
    func items(_ list: Node.Sequence, of node: Node) throws -> Node.Sequence {
        if lists.numbers(of: node) != nil { throw NumericLists.NotNumbersHere() }
        return list
    }

    // MARK: - Messages

    /// Digits with an optional sign: a whole number, whatever its size.
    func isWholeNumberText(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.hasPrefix("+") || trimmed.hasPrefix("-") ? trimmed.dropFirst() : Substring(trimmed)
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    package func kind(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "`\(s.string.prefix(40))`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    package func suggestion(_ word: String, _ known: [String]) -> String {
        nearest(word, in: known).map { " (did you mean `\($0)`?)" } ?? ""
    }

    package func error(at node: Node, _ message: String) -> InputError {
        InputError(file: file, line: node.mark?.line, column: node.mark?.column, message)
    }

    package func missing(_ key: String, in node: Node, expected: String, owner: String? = nil) -> InputError {
        error(at: node, "\(owner.map { "\($0) is " } ?? "")missing `\(key)`; expected \(expected)")
    }
}
