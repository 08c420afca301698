import Annotation
import Graphviz

/// The geometry of a free-form graph (`Diagram.Geometry.graph`, the op graph): Graphviz's
/// `dot` ranks the nodes along the theme's direction, orders them to avoid crossings and
/// places each edge label beside its edge as a node of its own rank, so labels do not
/// overlap each other or the nodes. Every node and label is given the size measured for it
/// (the largest over a deck's frames), so the layout holds for all frames; the result is
/// drawn by the same pinned renderer as the grid.
extension DiagramGeometry {
    init(graphOf diagram: Diagram, measured: Measured, theme: Theme) throws {
        let lr = theme.direction == .leftToRight
        func points(_ x: Double) -> String { String(Int(x.rounded(.up))) }
        func inches(_ x: Double) -> Value { .text(String(format: "%.4f", x / 72)) }

        // `ordering=in` keeps each rank in the order the nodes are given (index order, top to
        // bottom); a wide node separation leaves each edge label nearer its own edge than the
        // edges converging on the same operation (measured with svgcheck's overlap.py).
        var boxes: [NodeID: Size] = [:]
        var g = Graph(name: "layout", attributes: [
            "rankdir": lr ? "LR" : "TB", "nodesep": "0.7", "ranksep": "0.4", "splines": "true", "ordering": "in",
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
        for edge in diagram.edges {
            var attributes: Attributes = [:]
            if let s = measured.edges[edge.id], !edge.lines.isEmpty {
                // A placeholder of the label's size: dot reserves the room, the renderer draws
                // the label there.
                let cell = HTML.Cell(.text(" "), attributes: ["FIXEDSIZE": "TRUE", "WIDTH": points(s.width), "HEIGHT": points(s.height)])
                attributes["label"] = .html(.table(HTML.Table(rows: [[cell]], attributes: [
                    "BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "0"])))
            }
            g.addEdge(edge.tail.raw, edge.head.raw, attributes)
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
        let ids = Dictionary(diagram.edges.map { ("\($0.tail.raw)\u{0}\($0.head.raw)", $0.id) }, uniquingKeysWith: { a, _ in a })
        for edge in layout.edges {
            guard let id = ids["\(edge.tail)\u{0}\(edge.head)"] else { continue }
            edgeRoutes[id] = Route(points: edge.points.map(page), tip: edge.arrowTip.map(page))
            if let lp = edge.labelPosition {
                edgeLabels[id] = page(lp)
                edgeLabelSizes[id] = measured.edges[id]
            }
        }
        let body = Size(width: layout.upper.x - layout.lower.x + 2 * Self.margin, height: layout.upper.y - layout.lower.y + 2 * Self.margin)
        placePage(body: body, measured: measured)
    }
}
