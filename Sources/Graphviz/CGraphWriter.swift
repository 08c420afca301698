import CGraphviz

/// Makes a cgraph graph from a `Graph` through cgraph's API: the same nodes, edges and
/// attribute values that reading its DOT text (`Graph.dot`, then `agmemread`) makes, without
/// writing the DOT and lexing it again — a labelled 32-64-64-10 is 14 MB of DOT, most of it
/// HTML labels, which cost more to write and lex than Graphviz then spends drawing them.
///
/// Each value is stored exactly as the DOT lexer stores the quoted form `DOT.quote` writes:
/// the lexer turns `\"` back into `"` and keeps every other backslash, so a `.text` value
/// keeps the doubled backslashes, the `\n`s and the control pictures of its DOT form; an HTML
/// label is its markup, made an HTML string as the lexer makes `<…>`. Attributes are declared
/// as the parser declares them: defaults from the `graph`/`node`/`edge` statements, any other
/// name with an empty default at its first use.
enum CGraphWriter {
    /// Whether the graph is made exactly as its DOT would be: graphs with subgraphs, values
    /// read back from DOT (`.escaped`) or HTML defaults go through DOT text.
    static func canWrite(_ graph: Graph) -> Bool {
        guard graph.subgraphs.isEmpty else { return false }
        for defaults in [graph.attributes, graph.nodeDefaults, graph.edgeDefaults] {
            for value in defaults.values {
                switch value {
                case .text: continue
                case .html, .escaped: return false
                }
            }
        }
        func plain(_ attributes: Attributes) -> Bool {
            !attributes.values.contains { if case .escaped = $0 { true } else { false } }
        }
        return graph.nodes.allSatisfy { plain($0.attributes) } && graph.edges.allSatisfy { plain($0.attributes) }
    }

    /// The graph, or nil when cgraph could not make it. The caller closes it (`agclose`),
    /// which frees its memory at once (see `bpviz_arena_discipline` in shim.h).
    /// Call only inside the Graphviz lock. The node attributes of `alsoDeclaring` are declared
    /// as well, before any node is made: a part of a graph (SplitSVG) then has the symbols the
    /// whole graph has.
    static func make(_ graph: Graph, alsoDeclaring others: ArraySlice<Node> = []) -> UnsafeMutablePointer<Agraph_t>? {
        guard let g = stored(graph.name).withCString({ agopen(UnsafeMutablePointer(mutating: $0), bpviz_graph_kind(graph.directed ? 1 : 0), bpviz_arena_discipline()) }) else {
            return nil
        }
        for (kind, defaults) in [(AGRAPH, graph.attributes), (AGNODE, graph.nodeDefaults), (AGEDGE, graph.edgeDefaults)] {
            for key in defaults.keys.sorted() {
                let value = stored(key, defaults[key]!)
                _ = key.withCString { k in value.withCString { v in agattr(g, Int32(kind), UnsafeMutablePointer(mutating: k), UnsafeMutablePointer(mutating: v)) } }
            }
        }
        var symbols = Symbols(graph: g)
        for n in others {
            for key in n.attributes.keys { _ = symbols.symbol(key, kind: AGNODE) }
        }
        var nodes: [String: UnsafeMutablePointer<Agnode_t>] = [:]
        nodes.reserveCapacity(graph.nodes.count)
        func node(_ id: String) -> UnsafeMutablePointer<Agnode_t>? {
            if let n = nodes[id] { return n }
            let n = stored(id).withCString { agnode(g, UnsafeMutablePointer(mutating: $0), 1) }
            nodes[id] = n
            return n
        }
        for n in graph.nodes {
            guard let made = node(n.id) else { agclose(g); return nil }
            symbols.set(n.attributes, on: UnsafeMutableRawPointer(made), kind: AGNODE)
        }
        for e in graph.edges {
            guard let tail = node(e.tail), let head = node(e.head), let made = agedge(g, tail, head, nil, 1) else { agclose(g); return nil }
            symbols.set(e.attributes, on: UnsafeMutableRawPointer(made), kind: AGEDGE)
        }
        return g
    }

    /// Attribute symbols by kind and name, declared on first use as the DOT parser does.
    struct Symbols {
        let graph: UnsafeMutablePointer<Agraph_t>
        /// Node and edge symbols apart: one hash lookup per attribute set (a labelled
        /// 32-64-64-10 sets ~100,000).
        var nodeSymbols: [String: UnsafeMutablePointer<Agsym_t>] = [:]
        var edgeSymbols: [String: UnsafeMutablePointer<Agsym_t>] = [:]
        /// Bytes of the value being stored, reused from one attribute to the next.
        var buffer: [UInt8] = []

        init(graph: UnsafeMutablePointer<Agraph_t>) { self.graph = graph }

        mutating func symbol(_ name: String, kind: Int32) -> UnsafeMutablePointer<Agsym_t>? {
            if let s = kind == AGNODE ? nodeSymbols[name] : edgeSymbols[name] { return s }
            let s = name.withCString { n -> UnsafeMutablePointer<Agsym_t>? in
                let n = UnsafeMutablePointer(mutating: n)
                return agattr(graph, kind, n, nil) ?? "".withCString { agattr(graph, kind, n, UnsafeMutablePointer(mutating: $0)) }
            }
            if kind == AGNODE { nodeSymbols[name] = s } else { edgeSymbols[name] = s }
            return s
        }

        mutating func set(_ attributes: Attributes, on object: UnsafeMutableRawPointer, kind: Int32) {
            for (key, value) in attributes {
                guard let sym = symbol(key, kind: kind) else { continue }
                switch value {
                case .html(let html):
                    // An HTML string, as the lexer makes one for `<…>`; agxset then finds it
                    // by its text and keeps its HTML mark.
                    html.markup.withCString { m in
                        let h = agstrdup_html(graph, UnsafeMutablePointer(mutating: m))
                        _ = agxset(object, sym, h)
                        _ = agstrfree(graph, h)
                    }
                case .text(let text):
                    CGraphWriter.storeBytes(text, tooltip: CGraphWriter.isTooltip(key), into: &buffer)
                    buffer.withUnsafeMutableBufferPointer { b in
                        b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { _ = agxset(object, sym, $0) }
                    }
                case .escaped(let text):
                    _ = text.withCString { agxset(object, sym, UnsafeMutablePointer(mutating: $0)) }
                }
            }
        }
    }

    /// Whether Graphviz unescapes the attribute's value twice (see `stored(_:_:)`).
    static func isTooltip(_ key: String) -> Bool {
        key.utf8.count >= 7 && key.utf8.suffix(7).elementsEqual("tooltip".utf8)
    }

    /// `stored(key, .text(text))` as NUL-terminated UTF-8 in `buffer`, written byte by byte
    /// (every byte of a multi-byte character is 0x80 or above, so none is taken for a
    /// backslash or a control character): `tooltip` doubles the backslashes once more.
    static func storeBytes(_ text: String, tooltip: Bool, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        var text = text
        text.withUTF8 { bytes in
            buffer.reserveCapacity(bytes.count + 1)
            for b in bytes {
                switch b {
                case UInt8(ascii: "\\"):
                    buffer.append(b); buffer.append(b)
                    if tooltip { buffer.append(b); buffer.append(b) }
                case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): break
                case 0x09: buffer.append(b)
                case 0..<0x20: buffer.append(0xE2); buffer.append(0x90); buffer.append(0x80 + b)  // U+2400 + b
                case 0x7F: buffer.append(0xE2); buffer.append(0x90); buffer.append(0xA1)          // U+2421
                default: buffer.append(b)
                }
            }
        }
        buffer.append(0)
    }

    /// What the DOT lexer keeps of the value `DOT.attributeList` writes for `key`.
    static func stored(_ key: String, _ value: Value) -> String {
        switch value {
        case .text(let text):
            // Graphviz unescapes tooltips twice: DOT doubles their backslashes once more.
            if key.hasSuffix("tooltip"), text.utf8.contains(UInt8(ascii: "\\")) {
                return stored(text.replacingOccurrences(of: "\\", with: "\\\\"))
            }
            return stored(text)
        case .html(let html): return html.markup
        case .escaped(let text): return text
        }
    }

    /// What the DOT lexer keeps of `DOT.quote(s)` (and of a bare ID, which is the same):
    /// backslashes doubled, quotes as they are, line breaks as `\n`, returns dropped and the
    /// control characters XML cannot hold as control pictures.
    static func stored(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F }) { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": break
            default: out.unicodeScalars.append(HTML.controlPicture(c))
            }
        }
        return out
    }
}
