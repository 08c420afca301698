/// A graph described in Swift: nodes, edges, subgraphs and attributes, in the order they were
/// added. It is plain data; nothing touches Graphviz until it is laid out or rendered.
public struct Graph: Equatable, Sendable {
    public var name: String
    public var directed: Bool
    public var attributes: Attributes
    public var nodeDefaults: Attributes
    public var edgeDefaults: Attributes
    public private(set) var nodes: [Node] = []
    public private(set) var edges: [Edge] = []
    public var subgraphs: [Subgraph] = []

    public init(name: String = "G", directed: Bool = true, attributes: Attributes = [:],
                nodeDefaults: Attributes = [:], edgeDefaults: Attributes = [:]) {
        self.name = name
        self.directed = directed
        self.attributes = attributes
        self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults
    }

    public mutating func add(_ node: Node) { nodes.append(node) }
    public mutating func add(_ edge: Edge) { edges.append(edge) }

    @discardableResult
    public mutating func addNode(_ id: String, _ attributes: Attributes = [:]) -> Node {
        let n = Node(id, attributes)
        nodes.append(n)
        return n
    }

    public mutating func addEdge(_ tail: String, _ head: String, _ attributes: Attributes = [:]) {
        edges.append(Edge(tail, head, attributes))
    }
}

public struct Node: Equatable, Sendable {
    public var id: String
    public var attributes: Attributes
    public init(_ id: String, _ attributes: Attributes = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

public struct Edge: Equatable, Sendable {
    public var tail: String
    public var head: String
    public var attributes: Attributes
    public init(_ tail: String, _ head: String, _ attributes: Attributes = [:]) {
        self.tail = tail
        self.head = head
        self.attributes = attributes
    }
}

/// A subgraph; named `cluster…` it is drawn as a box around its nodes.
public struct Subgraph: Equatable, Sendable {
    public var name: String
    public var attributes: Attributes
    public var nodeIDs: [String]
    public init(_ name: String, attributes: Attributes = [:], nodeIDs: [String] = []) {
        self.name = name
        self.attributes = attributes
        self.nodeIDs = nodeIDs
    }
}

/// An attribute's value. A label's kind is a type, never guessed from its first character:
/// `.text` is literal text, `.html` an HTML-like label.
public enum Value: Hashable, Sendable, ExpressibleByStringLiteral {
    case text(String)
    case html(HTML)
    /// A DOT escString as Graphviz reads it (`\N`, `\l` keep their meaning); quotes are
    /// still escaped. For values read back from DOT.
    case escaped(String)

    public init(stringLiteral value: String) { self = .text(value) }
}

public typealias Attributes = [String: Value]
