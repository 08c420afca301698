import Foundation

/// A file or directory bpviz cannot write as asked: the path, what went wrong (with the
/// system's own reason where there is one) and what was expected.
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path, what went wrong and what was expected, as one sentence.
    public var description: String
    /// An error with this sentence.
    public init(_ description: String) { self.description = description }

    /// The system's reason for the last failed call, e.g. "No space left on device".
    static func reason(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}
