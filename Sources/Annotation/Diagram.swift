/// A diagram as data: what each node and edge says and how it should stand out, with no
/// knowledge of how it is drawn. Rendering turns it into a Graphviz graph.
public struct Diagram: Equatable, Sendable {
    /// Drawn above the picture: the network's name, or a slide's step.
    public var title: MathText?
    /// Column headers, one per layer plus the loss column.
    public var headers: [MathText]
    /// Every node; renderers draw them in this order.
    public var nodes: [DiagramNode]
    /// Every edge; renderers draw them in this order.
    public var edges: [DiagramEdge]
    /// Lines under the picture: a slide's arithmetic, or notes on what was collapsed.
    public var caption: [Line]
    /// The key of the flow and layers views; nil for the others.
    public var legend: Legend?
    /// How the diagram is laid out; its view decides.
    public var geometry: Geometry

    /// Where the nodes go.
    public enum Geometry: Equatable, Sendable {
        /// Layers as columns and units as rows (each node's `column` and `row`), edge labels in
        /// bands between the columns: the unit views.
        case grid
        /// A directed acyclic graph laid out in layers along the theme's direction, each edge
        /// label on its own edge (Rendering's `LayeredLayout`): the op graph.
        case graph
    }

    /// A diagram of the given parts. Node and edge ids should be unique: renderers look them up by id.
    public init(title: MathText?, headers: [MathText], nodes: [DiagramNode], edges: [DiagramEdge],
                caption: [Line] = [], legend: Legend? = nil, geometry: Geometry = .grid) {
        self.geometry = geometry
        self.title = title
        self.headers = headers
        self.nodes = nodes
        self.edges = edges
        self.caption = caption
        self.legend = legend
    }

    /// The node with this id, if the diagram has one.
    public func node(_ id: NodeID) -> DiagramNode? { nodes.first { $0.id == id } }
}

/// A node's stable identifier, also its Graphviz name and SVG id: `L0_1` for x_1, `L2_1` for
/// H_1^(2), `loss`. Built here and nowhere else, so a slide that highlights a node and the
/// diagram that draws it agree by construction.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as written: `L0_1`, `L2_1`, `loss`.
    public let raw: String
    /// An identifier from its text; the static makers below are how the views name their nodes.
    public init(_ raw: String) { self.raw = raw }

    /// Unit k (1-based) of layer l.
    public static func unit(layer l: Int, k: Int) -> NodeID { NodeID("L\(l)_\(k)") }
    /// The loss node.
    public static let loss = NodeID("loss")
    /// The units of layer l the flow view folds into one node.
    public static func folded(layer l: Int) -> NodeID { NodeID("L\(l)_more") }
    /// A whole layer, in the layers view.
    public static func layer(_ l: Int) -> NodeID { NodeID("layer\(l)") }

    /// The raw text.
    public var description: String { raw }
    /// Orders by the raw text, for deterministic output.
    public static func < (a: NodeID, b: NodeID) -> Bool { a.raw < b.raw }
}

/// An edge's identifier: its two ends.
public struct EdgeID: Hashable, Sendable, CustomStringConvertible {
    /// Where the edge starts (the layer before, for a weight).
    public let tail: NodeID
    /// Where the edge ends.
    public let head: NodeID
    /// The edge from `tail` to `head`.
    public init(_ tail: NodeID, _ head: NodeID) {
        self.tail = tail
        self.head = head
    }

    /// The weight w_jk^(l)'s edge, from unit j of layer l−1 into unit k of layer l.
    public static func weight(layer l: Int, j: Int, k: Int) -> EdgeID { EdgeID(.unit(layer: l - 1, k: j), .unit(layer: l, k: k)) }

    /// `tail->head`, the edge's Graphviz-style name.
    public var raw: String { "\(tail.raw)->\(head.raw)" }
    /// The raw text.
    public var description: String { raw }
}

/// One line of a label: a symbol in the notation and its value (`Z₁⁽¹⁾ = 2`), or a line of
/// text. The value stays apart from the symbol, so a renderer can colour it or a deck can
/// replace it without reading text back. The role decides its colour and weight in the theme.
public struct Line: Equatable, Sendable {
    /// What a line is, which decides its colour and weight in the theme.
    public enum Role: String, Sendable {
        /// The node's main value (H), bold.
        case title
        /// A forward value (Z, a weight, a bias).
        case value
        /// A gradient, ∂Loss/∂·.
        case gradient
        /// Small print: the activation's name, a remark.
        case note
        /// A parameter after the gradient step, w′.
        case update
    }

    /// What the value is of (`Z₁⁽¹⁾`, `Loss = (Y − H⁽³⁾)²`); the whole text of a line without a value.
    public var symbol: MathText
    /// The value as printed, nil for a line of text.
    public var value: String?
    /// What the line is; the theme colours it by role.
    public var role: Role
    /// Not yet computed in this frame: drawn dimmed, its value replaced by `Line.unknown`.
    public var hidden: Bool

    /// What an unknown value reads.
    public static let unknown = "?"

    /// A line of text.
    public init(_ text: MathText, role: Role, hidden: Bool = false) {
        self.symbol = text
        self.value = nil
        self.role = role
        self.hidden = hidden
    }

    /// `symbol = value`, the value shown only when `known`.
    public init(_ symbol: MathText, value: String, role: Role, known: Bool = true) {
        self.symbol = symbol
        self.value = value
        self.role = role
        self.hidden = !known
    }

    /// ` = value` (` = ?` while unknown); nil for a line of text.
    public var valueText: String? { value.map { " = " + (hidden ? Line.unknown : $0) } }

    /// The line as it reads.
    public var text: MathText { valueText.map { symbol + $0 } ?? symbol }
}

/// How a node or edge stands out from the rest.
public struct Emphasis: Equatable, Sendable {
    /// Being computed in this frame.
    public var highlighted = false
    /// Not part of the current step.
    public var dimmed = false
    /// Emphasis as given; the default is neither highlighted nor dimmed.
    public init(highlighted: Bool = false, dimmed: Bool = false) {
        self.highlighted = highlighted
        self.dimmed = dimmed
    }
}

/// Gradient flow encoding: how wide an edge is drawn and what its stroke says.
public struct Flow: Equatable, Sendable {
    /// What an edge's stroke says about its gradient.
    public enum Stroke: String, Sendable {
        /// A gradient above zero (increasing the weight raises the loss), or below zero.
        case positive, negative
        /// Exactly zero: no gradient reaches the weight (every edge into a dead ReLU). Drawn
        /// neutral and dotted: as a thin positive it would claim a gradient that is not there.
        case zero
        /// A size without a sign (a norm), in the neutral edge colour.
        case magnitude
    }

    /// How `magnitude` becomes a stroke width.
    public enum Width: String, Sendable {
        /// `magnitude` spans the renderer's thinnest…thickest edge, so every gradient stays
        /// visible (the flow view).
        case range
        /// The width is proportional to `magnitude`, from zero, so widths compare as the
        /// values do (the layers view's norms).
        case proportional
    }

    /// Scaled to 0…1.
    public var magnitude: Double
    /// The gradient's sign, or none.
    public var stroke: Stroke
    /// How the renderer turns `magnitude` into a width.
    public var width: Width

    /// A flow of `magnitude` (0…1) drawn with `stroke`.
    public init(magnitude: Double, stroke: Stroke, width: Width = .range) {
        self.magnitude = magnitude
        self.stroke = stroke
        self.width = width
    }

    /// A signed gradient's stroke, exactly zero included.
    public init(gradient: Double, magnitude: Double) {
        self.init(magnitude: magnitude, stroke: gradient > 0 ? .positive : gradient < 0 ? .negative : .zero)
    }

    /// Whether the gradient is below zero.
    public var negative: Bool { stroke == .negative }
}

/// One node of a diagram: a unit, the loss, a folded group of units or an operation, with
/// the lines of its label and how it stands out.
public struct DiagramNode: Equatable, Sendable {
    /// What a node stands for, which decides its shape and fill in the theme.
    public enum Kind: String, Sendable {
        /// An input unit x_i (layer 0).
        case input
        /// A hidden unit.
        case neuron
        /// A unit of the output layer.
        case output
        /// The loss.
        case loss
        /// Several units or a whole layer drawn as one node (the flow and layers views).
        case aggregate
        /// An operation of the ops view (×, +, σ, …), or one of its intermediate values.
        case operation
    }
    /// What `HealthReport` found for the unit.
    public enum Health: String, Sendable {
        /// Gradient flows through it.
        case healthy
        /// A ReLU with Z ≤ 0: no gradient flows through it.
        case dead
        /// A sigmoid or tanh whose derivative is below the saturation threshold.
        case saturated
    }

    /// Stable ID: `L0_1` for α_1, `L2_1` for H_1^(2), `loss`, `L1_more` for a collapsed rest.
    public var id: NodeID
    /// What the node stands for.
    public var kind: Kind
    /// Column (layer index; the loss is one past the output layer) and row within it.
    public var column: Int
    /// The 0-based row within the column, from the top (unit k is row k − 1; the grid geometry).
    public var row: Int
    /// The label's lines, top to bottom.
    public var lines: [Line]
    /// Plain text shown on hover in SVG: the node's values without abbreviation.
    public var tooltip: String
    /// Highlighted while a slide computes it, dimmed when not part of the step.
    public var emphasis = Emphasis()
    /// Dead or saturated, as `HealthReport` found; drawn with a mark.
    public var health = Health.healthy
    /// |∂Loss/∂Z| scaled to 0…1, for node shading in the flow view.
    public var shade: Double?

    /// A node with no emphasis, healthy and unshaded.
    public init(id: NodeID, kind: Kind, column: Int, row: Int, lines: [Line], tooltip: String) {
        self.id = id
        self.kind = kind
        self.column = column
        self.row = row
        self.lines = lines
        self.tooltip = tooltip
    }
}

/// One edge of a diagram: a weight from one unit to the next (or a flow between operations),
/// with the lines of its label and how it is drawn.
public struct DiagramEdge: Equatable, Sendable {
    /// The edge's two ends.
    public var id: EdgeID
    /// Where the edge starts.
    public var tail: NodeID { id.tail }
    /// Where the edge ends.
    public var head: NodeID { id.head }
    /// The label's lines, top to bottom; none in the views that label no edges.
    public var lines: [Line]
    /// Plain text shown on hover in SVG.
    public var tooltip: String
    /// Highlighted while a slide computes along it, dimmed when not part of the step.
    public var emphasis = Emphasis()
    /// Width and stroke by gradient, in the flow and layers views; nil elsewhere.
    public var flow: Flow?

    /// An edge with no emphasis and no flow.
    public init(_ id: EdgeID, lines: [Line], tooltip: String) {
        self.id = id
        self.lines = lines
        self.tooltip = tooltip
    }
}

/// The key of the flow and layers views: what each kind of stroke means, in the file's
/// notation, and notes (folded units, findings, shading).
public struct Legend: Equatable, Sendable {
    /// A sample of a stroke and what it means.
    public struct Key: Equatable, Sendable {
        /// The stroke the key shows.
        public var stroke: Flow.Stroke
        /// What it means, in the network's notation.
        public var text: MathText
        /// A key for `stroke`.
        public init(_ stroke: Flow.Stroke, _ text: MathText) {
            self.stroke = stroke
            self.text = text
        }
    }

    /// A note below the keys, with a swatch beside it when it explains how something is drawn.
    public struct Entry: Equatable, Sendable {
        /// What a swatch shows.
        public enum Swatch: Equatable, Sendable {
            /// A unit's node as it is drawn with this health: a dead ReLU, a saturated unit.
            case node(DiagramNode.Health)
            /// The node shading, from no gradient to the largest.
            case shading
        }

        /// The note, in the network's notation.
        public var text: MathText
        /// The swatch beside it, if any.
        public var swatch: Swatch?
        /// A note, with `swatch` beside it when given.
        public init(_ text: MathText, swatch: Swatch? = nil) {
            self.text = text
            self.swatch = swatch
        }
    }

    /// The stroke samples, one per kind of stroke the diagram draws.
    public var keys: [Key]
    /// Notes below the keys: folded units, findings, what the shading means.
    public var entries: [Entry]
    /// The values the widths span (the keys say it in words): frames that must share one
    /// scale, such as a training run's, read each frame's range from here.
    public var smallest: Double
    /// The largest value, drawn at the thickest width.
    public var largest: Double
    /// Whether widths follow the logarithm of the values (`--scale log`).
    public var logarithmic: Bool

    /// A legend of the given keys, notes and scale.
    public init(keys: [Key], entries: [Entry], smallest: Double, largest: Double, logarithmic: Bool) {
        self.keys = keys
        self.entries = entries
        self.smallest = smallest
        self.largest = largest
        self.logarithmic = logarithmic
    }
}
