/// A failure inside Graphviz, with the stage it happened in and every message Graphviz
/// produced (captured, never printed to stderr).
public struct GraphvizError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Stage: String, Sendable { case setup, read, layout, render }

    public var stage: Stage
    public var messages: [String]

    public init(stage: Stage, messages: [String]) {
        self.stage = stage
        self.messages = messages
    }

    public var description: String {
        let detail = messages.isEmpty ? "no message from Graphviz" : messages.joined(separator: " ")
        return "Graphviz \(stage.rawValue) failed: \(detail)"
    }
}
