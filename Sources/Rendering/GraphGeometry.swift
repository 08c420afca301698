import Annotation
import Graphviz

/// The geometry of a free-form graph (`Diagram.Geometry.graph`, the op graph): Graphviz's
/// `dot` ranks the nodes along the theme's direction and places each edge label on its edge,
/// as a node the edge runs through, so labels overlap nothing and no other edge passes under
/// a label (see `labelNode`). Every node and label is given the size measured for it
/// (the largest over a deck's frames), so the layout holds for all frames; the result is
/// drawn by the same pinned renderer as the grid.
extension DiagramGeometry {
    init(graphOf diagram: Diagram, measured: Measured, theme: Theme) throws {
        let lr = theme.direction == .leftToRight
        func points(_ x: Double) -> String { String(Int(x.rounded(.up))) }
        func inches(_ x: Double) -> Value { .text(String(format: "%.4f", x / 72)) }

        // `ordering=in` keeps each rank in the order the nodes are given (index order, top to
        // bottom), which reads like the network (α₁ above α₂); labels being nodes, the usual
        // node separation keeps them clear of other edges.
        var boxes: [NodeID: Size] = [:]
        var g = Graph(name: "layout", attributes: [
            "rankdir": lr ? "LR" : "TB", "nodesep": "0.35", "ranksep": "0.4", "splines": "true", "ordering": "in",
        ], nodeDefaults: ["shape": "box", "fixedsize": "true", "label": "", "margin": "0"],
        edgeDefaults: ["arrowsize": "0.7"])
        for node in diagram.nodes {
            let m = measured.nodes[node.id] ?? Size(width: 20, height: 20)
            var size = Size(width: m.width + 2 * Self.padding, height: m.height + 2 * Self.padding)
            // An operation is drawn as an ellipse: one of axes √2 times the text's box holds it.
            if node.kind == .operation {
                size = Size(width: max(m.width, m.height) * 1.42 + 6, height: m.height * 1.42 + 6)
            }
            boxes[node.id] = size
            g.addNode(node.id.raw, ["width": inches(size.width), "height": inches(size.height)])
        }
        // Each labelled edge is split at a node of its label's size (tail → label → head):
        // dot then routes every other edge around the label as around any node, and the
        // edge itself runs straight through its own label, so the label is read as part of
        // its edge, never of a neighbour's.
        var splits: [EdgeID: String] = [:]
        for edge in diagram.edges {
            guard let s = measured.edges[edge.id], !edge.lines.isEmpty else {
                g.addEdge(edge.tail.raw, edge.head.raw)
                continue
            }
            let label = Self.labelNode(edge.id)
            splits[edge.id] = label
            g.addNode(label, ["width": inches(s.width + 2 * Self.labelClearance), "height": inches(s.height + 2 * Self.labelClearance)])
            g.addEdge(edge.tail.raw, label, ["arrowhead": "none"])
            g.addEdge(label, edge.head.raw)
        }
        let layout = try GraphvizEngine.layout(g, engine: .dot)

        // dot's frame has y up from the bounding box's lower corner; the page's y goes down.
        let top = Self.margin
        let left = Self.margin
        func page(_ p: Point) -> Point { Point(x: left + p.x - layout.lower.x, y: top + layout.upper.y - p.y) }
        for node in diagram.nodes {
            guard let placed = layout.nodes[node.id.raw], let size = boxes[node.id] else { continue }
            nodes[node.id] = Box(center: page(placed.center), size: size)
        }
        var routes: [String: Layout.EdgeGeometry] = [:]
        for edge in layout.edges { routes["\(edge.tail)\u{0}\(edge.head)"] = edge }
        for edge in diagram.edges {
            if let label = splits[edge.id] {
                guard let first = routes["\(edge.tail.raw)\u{0}\(label)"], let second = routes["\(label)\u{0}\(edge.head.raw)"],
                      let a = first.points.last, let b = second.points.first, let placed = layout.nodes[label] else { continue }
                // The two halves joined by a straight piece across the label, which hides it.
                let across = [1.0 / 3, 2.0 / 3, 1].map { t in Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)) }
                edgeRoutes[edge.id] = Route(points: (first.points + across + second.points.dropFirst()).map(page), tip: second.arrowTip.map(page))
                edgeLabels[edge.id] = page(placed.center)
                edgeLabelSizes[edge.id] = measured.edges[edge.id]
            } else if let route = routes["\(edge.tail.raw)\u{0}\(edge.head.raw)"] {
                edgeRoutes[edge.id] = Route(points: route.points.map(page), tip: route.arrowTip.map(page))
            }
        }
        let body = Size(width: layout.upper.x - layout.lower.x + 2 * Self.margin, height: layout.upper.y - layout.lower.y + 2 * Self.margin)
        placePage(body: body, measured: measured)
    }

    /// Room kept clear around an edge label, so other edges pass it at a distance.
    static let labelClearance = 3.0

    /// The layout's node for an edge's label; no diagram node id contains a space.
    static func labelNode(_ id: EdgeID) -> String { "label " + id.raw }
}
