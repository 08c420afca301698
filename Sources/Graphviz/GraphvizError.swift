/// A failure inside Graphviz, with the stage it happened in and every message Graphviz
/// produced (captured, never printed to stderr).
public struct GraphvizError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where it failed: starting Graphviz, reading the DOT text, laying it out, or rendering.
    public enum Stage: String, Sendable {
        /// Starting Graphviz: its plugins are not configured (Debian's `config6a` missing).
        case setup
        /// Reading DOT text.
        case read
        /// Laying the graph out.
        case layout
        /// Rendering a laid-out graph to a format.
        case render
    }

    /// The stage that failed.
    public var stage: Stage
    /// Graphviz's messages, one per line it wrote, without their "Error: " prefix.
    public var messages: [String]

    /// An error of the given stage with Graphviz's messages.
    public init(stage: Stage, messages: [String]) {
        self.stage = stage
        self.messages = messages
    }

    /// One line: the stage and Graphviz's messages.
    public var description: String {
        let detail = messages.isEmpty ? "no message from Graphviz" : messages.joined(separator: " ")
        return "Graphviz \(stage.rawValue) failed: \(detail)"
    }
}
