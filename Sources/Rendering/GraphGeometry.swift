import Annotation
import Graphviz

/// The geometry of a free-form graph (`Diagram.Geometry.graph`, the op graph), laid out in
/// layers by `LayeredLayout` along the theme's direction. Each edge label is an item of the
/// rank before its edge's head, on its own edge, so labels overlap nothing and no other edge
/// passes under a label. Every node and label is given the size measured for it (the
/// largest over a deck's frames), so the layout holds for all frames; the result is drawn by
/// the same pinned renderer as the grid.
extension DiagramGeometry {
    init(graphOf diagram: Diagram, measured: Measured, theme: Theme) {
        let lr = theme.direction == .leftToRight
        func extent(_ s: Size) -> LayeredLayout.Extent { lr ? .init(along: s.width, across: s.height) : .init(along: s.height, across: s.width) }

        var index: [NodeID: Int] = [:]
        var boxes: [Size] = []
        var nodes: [LayeredLayout.Node] = []
        for node in diagram.nodes where index[node.id] == nil {
            let m = measured.nodes[node.id] ?? Size(width: 20, height: 20)
            var size = Size(width: m.width + 2 * Self.padding, height: m.height + 2 * Self.padding)
            // An operation is drawn as an ellipse: one of axes √2 times the text's box holds it.
            if node.kind == .operation {
                size = Size(width: max(m.width, m.height) * 1.42 + 6, height: m.height * 1.42 + 6)
            }
            index[node.id] = boxes.count
            boxes.append(size)
            nodes.append(LayeredLayout.Node(extent: extent(size), ellipse: node.kind == .operation))
        }
        var edges: [LayeredLayout.Edge] = [], drawn: [DiagramEdge] = []
        for edge in diagram.edges {
            guard let t = index[edge.tail], let h = index[edge.head] else { continue }
            let label = edge.lines.isEmpty ? nil : measured.edges[edge.id].map {
                extent(Size(width: $0.width + 2 * Self.labelClearance, height: $0.height + 2 * Self.labelClearance))
            }
            edges.append(LayeredLayout.Edge(tail: t, head: h, label: label))
            drawn.append(edge)
        }
        let layout = LayeredLayout(nodes: nodes, edges: edges)

        // Along the ranks is x left to right, or y top to bottom; y grows downwards.
        func page(_ p: Point) -> Point {
            lr ? Point(x: Self.margin + p.x, y: Self.margin + p.y) : Point(x: Self.margin + p.y, y: Self.margin + p.x)
        }
        for node in diagram.nodes {
            guard let i = index[node.id] else { continue }
            self.nodes[node.id] = Box(center: page(layout.centers[i]), size: boxes[i])
        }
        for (e, edge) in drawn.enumerated() where !layout.routes[e].isEmpty {
            edgeRoutes[edge.id] = Route(points: layout.routes[e].map(page), tip: layout.tips[e].map(page))
            if let center = layout.labelCenters[e] {
                edgeLabels[edge.id] = page(center)
                edgeLabelSizes[edge.id] = measured.edges[edge.id]
            }
        }
        let body = lr ? Size(width: layout.size.along + 2 * Self.margin, height: layout.size.across + 2 * Self.margin)
                      : Size(width: layout.size.across + 2 * Self.margin, height: layout.size.along + 2 * Self.margin)
        placePage(body: body, measured: measured)
    }

    /// Room kept clear around an edge label, so other edges pass it at a distance.
    static let labelClearance = 3.0
}
