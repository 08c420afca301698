import CGraphviz

/// A position in points.
public struct Point: Equatable, Sendable {
    /// Horizontal position in points.
    public var x: Double
    /// Vertical position in points (Graphviz's frame: y grows upwards).
    public var y: Double
    /// A point at (x, y).
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// A width and height in points.
public struct Size: Equatable, Sendable {
    /// Width in points.
    public var width: Double
    /// Height in points.
    public var height: Double
    /// A size of width × height points.
    public init(width: Double, height: Double) { self.width = width; self.height = height }
}

/// Where Graphviz put everything, in points with y growing upwards (Graphviz's own frame).
public struct Layout: Equatable, Sendable {
    /// Where a node went and how large it is.
    public struct NodeGeometry: Equatable, Sendable {
        /// The node's centre.
        public var center: Point
        /// The node's width and height.
        public var size: Size
    }

    /// An edge's route.
    public struct EdgeGeometry: Equatable, Sendable {
        /// The ID of the node the edge leaves.
        public var tail: String
        /// The ID of the node the edge enters.
        public var head: String
        /// The spline's control points, start to end (arrowhead point excluded).
        public var points: [Point]
        /// The centre of its label, if it has one.
        public var labelPosition: Point?
        /// Where the arrowhead's tip touches the head (`e,x,y`), when the edge has one.
        public var arrowTip: Point? = nil
    }

    /// The bounding box's lower-left corner.
    public var lower: Point
    /// The bounding box's upper-right corner.
    public var upper: Point
    /// Every node's geometry by ID.
    public var nodes: [String: NodeGeometry]
    /// Every edge's route, in Graphviz's order.
    public var edges: [EdgeGeometry]

    init(reading g: UnsafeMutablePointer<Agraph_t>) {
        let bb = Layout.numbers(Layout.attribute(g, "bb"))
        lower = Point(x: bb.count > 0 ? bb[0] : 0, y: bb.count > 1 ? bb[1] : 0)
        upper = Point(x: bb.count > 2 ? bb[2] : 0, y: bb.count > 3 ? bb[3] : 0)
        var nodes: [String: NodeGeometry] = [:]
        var edges: [EdgeGeometry] = []
        var n = agfstnode(g)
        while let node = n {
            let name = String(cString: agnameof(UnsafeMutableRawPointer(node)))
            let p = Layout.numbers(Layout.attribute(node, "pos"))
            let w = Double(Layout.attribute(node, "width")) ?? 0
            let h = Double(Layout.attribute(node, "height")) ?? 0
            nodes[name] = NodeGeometry(center: Point(x: p.first ?? 0, y: p.count > 1 ? p[1] : 0),
                                       size: Size(width: w * 72, height: h * 72))
            // agfstout yields out-edges, whose `node` field is the head (cgraph.h).
            var e = agfstout(g, node)
            while let edge = e {
                let tail = String(cString: agnameof(UnsafeMutableRawPointer(node)))
                let head = String(cString: agnameof(UnsafeMutableRawPointer(edge.pointee.node)))
                let pos = Layout.attribute(edge, "pos")
                let points = Layout.splinePoints(pos)
                let lp = Layout.numbers(Layout.attribute(edge, "lp"))
                edges.append(EdgeGeometry(tail: tail, head: head, points: points,
                                          labelPosition: lp.count >= 2 ? Point(x: lp[0], y: lp[1]) : nil,
                                          arrowTip: Layout.arrowTip(pos)))
                e = agnxtout(g, edge)
            }
            n = agnxtnode(g, node)
        }
        self.nodes = nodes
        self.edges = edges
    }

    static func attribute(_ object: UnsafeMutableRawPointer?, _ name: String) -> String {
        // The name's C string lives only inside withCString; agget must not outlive it.
        guard let object else { return "" }
        return name.withCString { cName in
            agget(object, UnsafeMutablePointer(mutating: cName)).map { String(cString: $0) } ?? ""
        }
    }

    static func attribute<T>(_ object: UnsafeMutablePointer<T>, _ name: String) -> String {
        attribute(UnsafeMutableRawPointer(object), name)
    }

    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "!" }).compactMap { Double($0) }
    }

    /// The `e,x,y` part of a spline: the arrowhead's tip.
    static func arrowTip(_ text: String) -> Point? {
        guard let part = text.split(separator: " ").first(where: { $0.hasPrefix("e,") }) else { return nil }
        let xy = part.dropFirst(2).split(separator: ",").compactMap { Double($0) }
        return xy.count == 2 ? Point(x: xy[0], y: xy[1]) : nil
    }

    /// "e,x,y s,x,y x1,y1 x2,y2 …": the bare points are the spline.
    static func splinePoints(_ text: String) -> [Point] {
        text.split(separator: " ").compactMap { part -> Point? in
            if part.hasPrefix("e,") || part.hasPrefix("s,") { return nil }
            let xy = part.split(separator: ",").compactMap { Double($0) }
            return xy.count == 2 ? Point(x: xy[0], y: xy[1]) : nil
        }
    }
}
