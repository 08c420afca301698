/// A diagram as data: what each node and edge says and how it should stand out, with no
/// knowledge of how it is drawn. Rendering turns it into a Graphviz graph.
public struct Diagram: Equatable, Sendable {
    public var title: MathText?
    /// Column headers, one per layer plus the loss column.
    public var headers: [MathText]
    public var nodes: [DiagramNode]
    public var edges: [DiagramEdge]
    /// Lines under the picture: a slide's arithmetic, or notes on what was collapsed.
    public var caption: [Line]
    public var legend: Legend?

    public init(title: MathText?, headers: [MathText], nodes: [DiagramNode], edges: [DiagramEdge],
                caption: [Line] = [], legend: Legend? = nil) {
        self.title = title
        self.headers = headers
        self.nodes = nodes
        self.edges = edges
        self.caption = caption
        self.legend = legend
    }

    public func node(_ id: String) -> DiagramNode? { nodes.first { $0.id == id } }
}

/// One line of a label. The role decides its colour and weight in the theme.
public struct Line: Equatable, Sendable {
    public enum Role: String, Sendable {
        case title      // the node's main value (H), bold
        case value      // forward values
        case gradient   // ∂Loss/∂·
        case note       // activation name, small print
        case update     // w → w′
    }

    public var text: MathText
    public var role: Role
    /// Not yet computed in this frame: drawn dimmed, its value replaced by "?".
    public var hidden: Bool

    public init(_ text: MathText, role: Role, hidden: Bool = false) {
        self.text = text
        self.role = role
        self.hidden = hidden
    }
}

/// How a node or edge stands out from the rest.
public struct Emphasis: Equatable, Sendable {
    /// Being computed in this frame.
    public var highlighted = false
    /// Not part of the current step.
    public var dimmed = false
    public init(highlighted: Bool = false, dimmed: Bool = false) {
        self.highlighted = highlighted
        self.dimmed = dimmed
    }
}

/// Gradient flow encoding: magnitude scaled to 0…1 and the sign.
public struct Flow: Equatable, Sendable {
    public var magnitude: Double
    public var negative: Bool
    public init(magnitude: Double, negative: Bool) {
        self.magnitude = magnitude
        self.negative = negative
    }
}

public struct DiagramNode: Equatable, Sendable {
    public enum Kind: String, Sendable { case input, neuron, output, loss, aggregate }
    public enum Health: String, Sendable { case healthy, dead, saturated }

    /// Stable ID: `L0_1` for α_1, `L2_1` for H_1^(2), `loss`, `L1_more` for a collapsed rest.
    public var id: String
    public var kind: Kind
    /// Column (layer index; the loss is one past the output layer) and row within it.
    public var column: Int
    public var row: Int
    public var lines: [Line]
    public var tooltip: String
    public var emphasis = Emphasis()
    public var health = Health.healthy
    /// |∂Loss/∂Z| scaled to 0…1, for node shading in the flow view.
    public var shade: Double?

    public init(id: String, kind: Kind, column: Int, row: Int, lines: [Line], tooltip: String) {
        self.id = id
        self.kind = kind
        self.column = column
        self.row = row
        self.lines = lines
        self.tooltip = tooltip
    }
}

public struct DiagramEdge: Equatable, Sendable {
    public var id: String
    public var tail: String
    public var head: String
    public var lines: [Line]
    public var tooltip: String
    public var emphasis = Emphasis()
    public var flow: Flow?

    public init(id: String, tail: String, head: String, lines: [Line], tooltip: String) {
        self.id = id
        self.tail = tail
        self.head = head
        self.lines = lines
        self.tooltip = tooltip
    }
}

/// The flow view's key: what the colours mean and the gradient range the widths span.
public struct Legend: Equatable, Sendable {
    public var entries: [Line]
    public var smallest: Double
    public var largest: Double
    public var logarithmic: Bool
    public init(entries: [Line], smallest: Double, largest: Double, logarithmic: Bool) {
        self.entries = entries
        self.smallest = smallest
        self.largest = largest
        self.logarithmic = logarithmic
    }
}
