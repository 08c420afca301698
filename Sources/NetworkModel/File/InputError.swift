/// A problem with a file the user wrote: where it is and one sentence saying what is wrong
/// and what was expected. Rendered as `file:line:column: message`, the form editors jump to.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path as the user gave it.
    public var file: String
    /// The 1-based line of the offending value, when known.
    public var line: Int?
    /// The 1-based column of the offending value, when known.
    public var column: Int?
    /// What is wrong and what was expected, as one sentence.
    public var message: String

    /// A complaint about `file`, at `line` and `column` (1-based) when they are known.
    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, leaving out the line and column when unknown.
    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return "\(place): \(message)"
    }
}

/// Levenshtein distance, for "did you mean" suggestions on unknown keys and names.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// The known word nearest to `word`, when it is near enough to be a likely typo.
package func nearest(_ word: String, in known: [String]) -> String? {
    let scored = known.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
    guard let (best, distance) = scored else { return nil }
    return distance <= max(2, best.count / 3) ? best : nil
}
