import Yams

/// The fast path for a network file's plain numeric lists, `[0.25, -1, 3e-4]`: a data set of
/// 256 MNIST-sized samples is 200,000 numbers, and Yams builds a node of ~170 bytes (a string,
/// a tag, a mark) for each, which took ~80% of reading the file.
///
/// `extract` finds every flow list whose items are all plain decimals (what
/// `YAMLReader.plainDecimal` accepts: the reader's own parse, so the values are the same bits),
/// reads the numbers, and gives back the text with each such list's contents replaced by
/// spaces: Yams then parses `[      ]`, an empty list at the same line and column, and every
/// other node keeps its place, so every message points where it did.
///
/// Anything unusual is left to Yams: a list with a comment, a tab, a carriage return, a quoted
/// or non-finite item (`.inf`, `"1"`, `1_000`), a trailing comma, an anchor or tag before it.
/// The tokenizer cannot see every context (a `[` inside a quoted or block scalar, a comment,
/// a plain scalar such as `a[1, 2]`), so `isConfirmed(by:)` checks afterwards that Yams found
/// an empty list at the place of every list read here; when one is missing, or Yams reports an
/// error, the caller parses the original text instead, and errors are exactly Yams' own.
struct NumericLists {
    /// Where a list's `[` stands, 1-based, as Yams marks it (columns count characters).
    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    private(set) var values: [Position: [Double]] = [:]

    /// A list read here stands where the file needs something else than numbers.
    struct NotNumbersHere: Error {}

    var isEmpty: Bool { values.isEmpty }

    /// The numbers of `node` when it is a list read here (Yams sees it empty).
    func numbers(of node: Node) -> [Double]? {
        guard !values.isEmpty, case .sequence(let sequence) = node, sequence.isEmpty, let mark = node.mark else { return nil }
        return values[Position(line: mark.line, column: mark.column)]
    }

    /// The numeric lists of `text` and the text with their contents blanked; nil when there
    /// are none, or the text has line breaks the line count here would not agree with Yams on.
    static func extract(from text: String) -> (text: String, lists: NumericLists)? {
        var bytes = Array(text.utf8)
        guard !hasUnusualLineBreaks(bytes) else { return nil }
        var lists = NumericLists()
        var line = 1, column = 1
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "["), opensValue(bytes, at: i), let (end, numbers) = list(in: bytes, at: i) {
                guard lists.values.updateValue(numbers, forKey: Position(line: line, column: column)) == nil else { return nil }
                // Blank the items, keep the line breaks: everything after keeps its place.
                for p in (i + 1)..<(end - 1) where bytes[p] != 10 { bytes[p] = 32 }
                for p in i..<end {
                    if bytes[p] == 10 { line += 1; column = 1 } else { column += 1 }
                }
                i = end
                continue
            }
            if c == UInt8(ascii: "#"), i == 0 || bytes[i - 1] == 32 || bytes[i - 1] == 10 || bytes[i - 1] == 9 {
                // A comment (or a `#` inside quotes: then lists after it on its line are
                // merely left to Yams): nothing in it is a list.
                while i < bytes.count, bytes[i] != 10 {
                    if bytes[i] & 0xC0 != 0x80 { column += 1 }
                    i += 1
                }
                continue
            }
            if c == 10 {
                line += 1; column = 1
            } else if c & 0xC0 != 0x80 {
                column += 1   // not a UTF-8 continuation byte: a new character
            }
            i += 1
        }
        guard !lists.isEmpty else { return nil }
        return (String(decoding: bytes, as: UTF8.self), lists)
    }

    /// Whether Yams, parsing the blanked text, found an empty list at every list read here:
    /// then each was a flow list, and its items the plain scalars read.
    func isConfirmed(by root: Node) -> Bool {
        var found = Set<Position>()
        var stack = [root]
        while let node = stack.popLast() {
            switch node {
            case .scalar, .alias: break
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            case .sequence(let sequence):
                if sequence.isEmpty, let mark = node.mark {
                    let position = Position(line: mark.line, column: mark.column)
                    if values[position] != nil { found.insert(position) }
                }
                stack.append(contentsOf: sequence)
            }
        }
        return found.count == values.count
    }

    /// Yams breaks lines at CR, NEL, LS and PS too, and skips a byte-order mark; counting
    /// lines as it does is not worth it for such rare files, which take the full path.
    static func hasUnusualLineBreaks(_ bytes: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for (i, c) in bytes.enumerated() {
            defer { previous = c }
            if previous == 13 && c != 10 { return true }              // a lone CR
            if c == 0x85 && previous == 0xC2 { return true }           // NEL, U+0085
            if (c == 0xA8 || c == 0xA9) && previous == 0x80 && i >= 2 && bytes[i - 2] == 0xE2 { return true }  // LS, PS
            if c == 0xBB && previous == 0xEF { return true }           // a byte-order mark, U+FEFF
        }
        return previous == 13
    }

    /// A `[` where a value starts: after `key:`, `- `, `,`, `[` or `{`, or first on its line
    /// (after spaces). Not after an anchor or tag (`&a [`, `!!seq [`), which Yams must see.
    static func opensValue(_ bytes: [UInt8], at i: Int) -> Bool {
        var p = i - 1
        while p >= 0 && bytes[p] == 32 { p -= 1 }
        guard p >= 0 else { return true }
        switch bytes[p] {
        case 10, UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"): return true
        default: return false
        }
    }

    /// `[` at `start`, then plain decimals separated by commas, spaces and line breaks
    /// (a line break only next to a comma or bracket, so no item continues on the next line),
    /// then `]`: the index after `]` and the numbers; nil for anything else.
    static func list(in bytes: [UInt8], at start: Int) -> (end: Int, numbers: [Double])? {
        var numbers: [Double] = []
        var i = start + 1
        func skipBlanks(breaks: Bool) {
            while i < bytes.count, bytes[i] == 32 || (breaks && bytes[i] == 10) { i += 1 }
        }
        skipBlanks(breaks: true)
        while true {
            let tokenStart = i
            while i < bytes.count, isDecimalCharacter(bytes[i]) { i += 1 }
            guard i > tokenStart, i - tokenStart <= 64, i < bytes.count else { return nil }
            let token = String(decoding: bytes[tokenStart..<i], as: UTF8.self)
            guard let value = YAMLReader.plainDecimal(token) else { return nil }
            numbers.append(value)
            // After an item: `,` or `]`, across blanks; a line break only before them, since a
            // plain scalar followed by a line and more text would continue on that line.
            skipBlanks(breaks: true)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "]") { return (i + 1, numbers) }
            guard bytes[i] == UInt8(ascii: ","), i + 1 < bytes.count else { return nil }
            i += 1
            skipBlanks(breaks: true)
        }
    }

    static func isDecimalCharacter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"),
             UInt8(ascii: "e"), UInt8(ascii: "E"): true
        default: false
        }
    }
}
