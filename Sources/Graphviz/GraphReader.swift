import CGraphviz

/// Turns a cgraph graph back into a Swift `Graph` (inside the Graphviz lock).
enum GraphReader {
    static func graph(from g: UnsafeMutablePointer<Agraph_t>) -> Graph {
        let name = String(cString: agnameof(UnsafeMutableRawPointer(g)))
        var graph = Graph(name: name, directed: agisdirected(g) != 0)
        graph.attributes = attributes(of: UnsafeMutableRawPointer(g), in: g, kind: Int32(AGRAPH))
        var n = agfstnode(g)
        while let node = n {
            graph.add(Node(String(cString: agnameof(UnsafeMutableRawPointer(node))),
                           attributes(of: UnsafeMutableRawPointer(node), in: g, kind: Int32(AGNODE))))
            n = agnxtnode(g, node)
        }
        n = agfstnode(g)
        while let node = n {
            // agfstout yields out-edges, whose `node` field is the head (cgraph.h).
            var e = agfstout(g, node)
            while let edge = e {
                graph.add(Edge(String(cString: agnameof(UnsafeMutableRawPointer(node))),
                               String(cString: agnameof(UnsafeMutableRawPointer(edge.pointee.node))),
                               attributes(of: UnsafeMutableRawPointer(edge), in: g, kind: Int32(AGEDGE))))
                e = agnxtout(g, edge)
            }
            n = agnxtnode(g, node)
        }
        var s = agfstsubg(g)
        while let sub = s {
            var ids: [String] = []
            var m = agfstnode(sub)
            while let node = m {
                ids.append(String(cString: agnameof(UnsafeMutableRawPointer(node))))
                m = agnxtnode(sub, node)
            }
            graph.subgraphs.append(Subgraph(String(cString: agnameof(UnsafeMutableRawPointer(sub))),
                                            attributes: attributes(of: UnsafeMutableRawPointer(sub), in: sub, kind: Int32(AGRAPH)),
                                            nodeIDs: ids))
            s = agnxtsubg(sub)
        }
        return graph
    }

    /// Attributes whose value differs from the declared default; HTML labels stay HTML.
    private static func attributes(of object: UnsafeMutableRawPointer, in g: UnsafeMutablePointer<Agraph_t>, kind: Int32) -> Attributes {
        var result: Attributes = [:]
        var sym = agnxtattr(g, kind, nil)
        while let s = sym {
            if let raw = agxget(object, s) {
                let value = String(cString: raw)
                let fallback = s.pointee.defval.map { String(cString: $0) } ?? ""
                if value != fallback || kind == Int32(AGRAPH) && !value.isEmpty {
                    let key = String(cString: s.pointee.name)
                    result[key] = aghtmlstr(raw) != 0 ? .html(.raw(value)) : .escaped(value)
                }
            }
            sym = agnxtattr(g, kind, s)
        }
        return result
    }
}
