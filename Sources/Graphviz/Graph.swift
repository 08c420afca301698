/// A graph described in Swift: nodes, edges, subgraphs and attributes, in the order they were
/// added. It is plain data; nothing touches Graphviz until it is laid out or rendered.
public struct Graph: Equatable, Sendable {
    /// The graph's DOT name (written as an ID, quoted when it needs to be).
    public var name: String
    /// `digraph` (edges drawn with arrows) or `graph`.
    public var directed: Bool
    /// Graph attributes (`rankdir`, `bgcolor`, `label`, …).
    public var attributes: Attributes
    /// Attributes every node has unless it sets its own (`node [...]` in DOT).
    public var nodeDefaults: Attributes
    /// Attributes every edge has unless it sets its own (`edge [...]` in DOT).
    public var edgeDefaults: Attributes
    /// The nodes, in the order they were added (and written).
    public private(set) var nodes: [Node] = []
    /// The edges, in the order they were added (and written).
    public private(set) var edges: [Edge] = []
    /// Subgraphs, written before the nodes; they name nodes by ID.
    public var subgraphs: [Subgraph] = []

    /// An empty graph.
    public init(name: String = "G", directed: Bool = true, attributes: Attributes = [:],
                nodeDefaults: Attributes = [:], edgeDefaults: Attributes = [:]) {
        self.name = name
        self.directed = directed
        self.attributes = attributes
        self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults
    }

    /// Appends a node.
    public mutating func add(_ node: Node) { nodes.append(node) }
    /// Appends an edge.
    public mutating func add(_ edge: Edge) { edges.append(edge) }

    /// Appends a node with these attributes and returns it.
    @discardableResult
    public mutating func addNode(_ id: String, _ attributes: Attributes = [:]) -> Node {
        let n = Node(id, attributes)
        nodes.append(n)
        return n
    }

    /// Appends an edge from `tail` to `head` (node IDs; Graphviz creates a node an edge names
    /// that was not added).
    public mutating func addEdge(_ tail: String, _ head: String, _ attributes: Attributes = [:]) {
        edges.append(Edge(tail, head, attributes))
    }
}

/// A node: an ID unique in its graph, and its attributes.
public struct Node: Equatable, Sendable {
    /// The node's name in DOT, unique in its graph; edges refer to it.
    public var id: String
    /// The node's own attributes, over the graph's `nodeDefaults`.
    public var attributes: Attributes
    /// A node with the given ID and attributes.
    public init(_ id: String, _ attributes: Attributes = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

/// An edge between two node IDs, with its attributes.
public struct Edge: Equatable, Sendable {
    /// The id of the node the edge leaves.
    public var tail: String
    /// The id of the node the edge enters.
    public var head: String
    /// The edge's own attributes, over the graph's `edgeDefaults`.
    public var attributes: Attributes
    /// An edge from `tail` to `head`.
    public init(_ tail: String, _ head: String, _ attributes: Attributes = [:]) {
        self.tail = tail
        self.head = head
        self.attributes = attributes
    }
}

/// A subgraph; named `cluster…` it is drawn as a box around its nodes.
public struct Subgraph: Equatable, Sendable {
    /// The subgraph's DOT name; a name starting with `cluster` draws a box around its nodes.
    public var name: String
    /// The subgraph's attributes (`rank`, `label`, …).
    public var attributes: Attributes
    /// The IDs of the nodes it holds.
    public var nodeIDs: [String]
    /// A subgraph of the given nodes.
    public init(_ name: String, attributes: Attributes = [:], nodeIDs: [String] = []) {
        self.name = name
        self.attributes = attributes
        self.nodeIDs = nodeIDs
    }
}

/// An attribute's value. A label's kind is a type, never guessed from its first character:
/// `.text` is literal text, `.html` an HTML-like label.
public enum Value: Hashable, Sendable, ExpressibleByStringLiteral {
    /// Literal text: quoted and escaped so it reads exactly as given (`\N` stays two characters).
    case text(String)
    /// An HTML-like label, written between `<` and `>`.
    case html(HTML)
    /// A DOT escString as Graphviz reads it (`\N`, `\l` keep their meaning); quotes are
    /// still escaped. For values read back from DOT.
    case escaped(String)

    /// A string literal is literal text: `["label": "x & y"]`.
    public init(stringLiteral value: String) { self = .text(value) }
}

/// Attributes by name, as Graphviz spells them (`fontname`, `label`, `pos`, …).
public typealias Attributes = [String: Value]
