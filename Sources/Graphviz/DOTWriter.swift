/// Deterministic DOT text: nodes and edges in insertion order, attributes sorted by name,
/// so the same Graph always gives the same bytes and snapshots hold. Written into one
/// growing string: a labelled 32-64-64-10 network is several megabytes of DOT.
extension Graph {
    /// The graph as DOT text.
    public var dot: String {
        var out = ""
        out.reserveCapacity(256 * (nodes.count + edges.count) + 1024)
        out += directed ? "digraph " : "graph "
        DOT.id(name, into: &out)
        out += " {\n"
        if !attributes.isEmpty { out += "\tgraph "; DOT.attributeList(attributes, into: &out); out += ";\n" }
        if !nodeDefaults.isEmpty { out += "\tnode "; DOT.attributeList(nodeDefaults, into: &out); out += ";\n" }
        if !edgeDefaults.isEmpty { out += "\tedge "; DOT.attributeList(edgeDefaults, into: &out); out += ";\n" }
        for sub in subgraphs {
            out += "\tsubgraph "
            DOT.id(sub.name, into: &out)
            out += " {\n"
            if !sub.attributes.isEmpty { out += "\t\tgraph "; DOT.attributeList(sub.attributes, into: &out); out += ";\n" }
            for id in sub.nodeIDs { out += "\t\t"; DOT.id(id, into: &out); out += ";\n" }
            out += "\t}\n"
        }
        for node in nodes {
            out += "\t"
            DOT.id(node.id, into: &out)
            if !node.attributes.isEmpty { out += " "; DOT.attributeList(node.attributes, into: &out) }
            out += ";\n"
        }
        let arrow = directed ? " -> " : " -- "
        for edge in edges {
            out += "\t"
            DOT.id(edge.tail, into: &out)
            out += arrow
            DOT.id(edge.head, into: &out)
            if !edge.attributes.isEmpty { out += " "; DOT.attributeList(edge.attributes, into: &out) }
            out += ";\n"
        }
        return out + "}\n"
    }
}

enum DOT {
    static func attributeList(_ attributes: Attributes, into out: inout String) {
        out += "["
        for (i, key) in attributes.keys.sorted().enumerated() {
            if i > 0 { out += ", " }
            out += key
            out += "="
            if key.hasSuffix("tooltip"), case .text(let text) = attributes[key]!, text.contains("\\") {
                // Graphviz unescapes tooltips twice (`\\\\T` shows as `\T`; `\\T` names the tail).
                quote(text.replacingOccurrences(of: "\\", with: "\\\\"), into: &out)
            } else {
                value(attributes[key]!, into: &out)
            }
        }
        out += "]"
    }

    static func value(_ v: Value, into out: inout String) {
        switch v {
        case .text(let s): quote(s, into: &out)
        case .html(let h): out += "<"; h.write(to: &out); out += ">"
        case .escaped(let s):
            out += "\""
            out += s.utf8.contains(UInt8(ascii: "\"")) ? s.replacingOccurrences(of: "\"", with: "\\\"") : s
            out += "\""
        }
    }

    /// A DOT identifier: bare when it is a plain name, else quoted.
    static func id(_ s: String, into out: inout String) {
        let keywords: Set = ["node", "edge", "graph", "digraph", "subgraph", "strict"]
        let isPlain = !s.isEmpty && s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
            && !(s.utf8.first! >= 48 && s.utf8.first! <= 57)
        if isPlain && !keywords.contains(s.lowercased()) { out += s } else { quote(s, into: &out) }
    }

    /// A quoted DOT string holding `s` literally: backslashes doubled (Graphviz would read
    /// `\n`, `\N`… as escapes), quotes escaped, line breaks as `\n`, and the control
    /// characters XML cannot hold as control pictures (they would reach the SVG).
    static func quote(_ s: String, into out: inout String) {
        out += "\""
        if !s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 < 0x20 || $0 == 0x7F }) {
            out += s
        } else {
            for c in s.unicodeScalars {
                switch c {
                case "\\": out += "\\\\"
                case "\"": out += "\\\""
                case "\n": out += "\\n"
                case "\r": break
                default: out.unicodeScalars.append(HTML.controlPicture(c))
                }
            }
        }
        out += "\""
    }
}
