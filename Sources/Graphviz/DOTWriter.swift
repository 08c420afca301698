/// Deterministic DOT text: nodes and edges in insertion order, attributes sorted by name,
/// so the same Graph always gives the same bytes and snapshots hold.
extension Graph {
    public var dot: String {
        var out = (directed ? "digraph " : "graph ") + DOT.id(name) + " {\n"
        if !attributes.isEmpty { out += "\tgraph " + DOT.attributeList(attributes) + ";\n" }
        if !nodeDefaults.isEmpty { out += "\tnode " + DOT.attributeList(nodeDefaults) + ";\n" }
        if !edgeDefaults.isEmpty { out += "\tedge " + DOT.attributeList(edgeDefaults) + ";\n" }
        for sub in subgraphs {
            out += "\tsubgraph " + DOT.id(sub.name) + " {\n"
            if !sub.attributes.isEmpty { out += "\t\tgraph " + DOT.attributeList(sub.attributes) + ";\n" }
            for id in sub.nodeIDs { out += "\t\t" + DOT.id(id) + ";\n" }
            out += "\t}\n"
        }
        for node in nodes {
            out += "\t" + DOT.id(node.id)
            if !node.attributes.isEmpty { out += " " + DOT.attributeList(node.attributes) }
            out += ";\n"
        }
        let arrow = directed ? " -> " : " -- "
        for edge in edges {
            out += "\t" + DOT.id(edge.tail) + arrow + DOT.id(edge.head)
            if !edge.attributes.isEmpty { out += " " + DOT.attributeList(edge.attributes) }
            out += ";\n"
        }
        return out + "}\n"
    }
}

enum DOT {
    static func attributeList(_ attributes: Attributes) -> String {
        "[" + attributes.keys.sorted().map { key in
            key + "=" + value(attributes[key]!)
        }.joined(separator: ", ") + "]"
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .text(let s): return quote(s)
        case .html(let h): return "<" + h.markup + ">"
        case .escaped(let s): return "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    /// A DOT identifier: bare when it is a plain name, else quoted.
    static func id(_ s: String) -> String {
        let isPlain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
            && !("0"..."9").contains(s.unicodeScalars.first!)
        let keywords: Set = ["node", "edge", "graph", "digraph", "subgraph", "strict"]
        return isPlain && !keywords.contains(s.lowercased()) ? s : quote(s)
    }

    /// A quoted DOT string holding `s` literally: backslashes doubled (Graphviz would read
    /// `\n`, `\N`… as escapes), quotes escaped, line breaks as `\n`.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": break
            default: out.append(c)
            }
        }
        return out + "\""
    }
}
