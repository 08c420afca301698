import NetworkModel

/// Every value and gradient of a solved network as rows grouped by layer, output layer
/// first, in the order the worked example's summary lists them (bias, then the weights into
/// unit 1, unit 2, …), followed by the node values. Shared by the table, CSV and Markdown
/// forms of `bpviz values`.
public struct ValueTable: Sendable {
    /// One value: which quantity of which layer, its symbol and its full-precision value.
    public struct Row: Sendable {
        /// The layer L (0: the input; one past the output layer: the loss and the targets).
        public var layer: Int
        /// The CSV's quantity column: "w", "b", "Z", "H", "dw", "db", "dZ", "dH", "x", "dx",
        /// "w'", "b'", "Y" or "loss".
        public var quantity: String
        /// The symbol in the network's notation.
        public var symbol: MathText
        /// The value, unrounded.
        public var value: Double
    }

    /// The rows of one heading: the loss, one layer (with its updated parameters), or the input layer.
    public struct Group: Sendable {
        /// The heading, e.g. `Layer 3 (output layer, identity, 1 unit)`.
        public var title: String
        /// The group's values, in the worked example's order.
        public var rows: [Row]
    }

    /// The loss first, then layers L…1, then the input layer.
    public var groups: [Group]

    /// The table of a solved network; the updated parameters join each layer when it has a learning rate.
    public init(_ s: Solution) {
        let net = s.network
        let sym = Symbols(network: net)
        let L = net.depth
        var groups: [Group] = []
        groups.append(Group(title: "Loss (\(net.loss.rawValue))", rows:
            [Row(layer: L + 1, quantity: "loss", symbol: sym.loss, value: s.loss)] +
            net.target.indices.map { Row(layer: L + 1, quantity: "Y", symbol: MathText([.init("Y"), .init(net.target.count > 1 ? String($0 + 1) : "", .sub)].filter { !$0.text.isEmpty }), value: net.target[$0]) }))
        for l in stride(from: L, through: 1, by: -1) {
            let layer = net.layers[l - 1]
            var rows: [Row] = []
            for k in 0..<layer.units {
                rows.append(Row(layer: l, quantity: "db", symbol: sym.gradient(sym.bias(k + 1, layer: l)), value: s.db[l][k]))
                for j in 0..<layer.weights.rows {
                    rows.append(Row(layer: l, quantity: "dw", symbol: sym.gradient(sym.weight(j + 1, k + 1, layer: l)), value: s.dW[l][j, k]))
                }
            }
            for k in 0..<layer.units {
                rows.append(Row(layer: l, quantity: "Z", symbol: sym.preactivation(k + 1, layer: l), value: s.Z[l][k]))
                rows.append(Row(layer: l, quantity: "H", symbol: sym.activation(k + 1, layer: l), value: s.H[l][k]))
                rows.append(Row(layer: l, quantity: "dZ", symbol: sym.gradient(sym.preactivation(k + 1, layer: l)), value: s.dZ[l][k]))
                rows.append(Row(layer: l, quantity: "dH", symbol: sym.gradient(sym.activation(k + 1, layer: l)), value: s.dH[l][k]))
            }
            for k in 0..<layer.units {
                rows.append(Row(layer: l, quantity: "b", symbol: sym.bias(k + 1, layer: l), value: layer.bias[k]))
                for j in 0..<layer.weights.rows {
                    rows.append(Row(layer: l, quantity: "w", symbol: sym.weight(j + 1, k + 1, layer: l), value: layer.weights[j, k]))
                }
            }
            if let u = s.update {
                for k in 0..<layer.units {
                    rows.append(Row(layer: l, quantity: "b'", symbol: sym.bias(k + 1, layer: l).primed, value: u.b[l][k]))
                    for j in 0..<layer.weights.rows {
                        rows.append(Row(layer: l, quantity: "w'", symbol: sym.weight(j + 1, k + 1, layer: l).primed, value: u.W[l][j, k]))
                    }
                }
            }
            let kind = l == L ? "output layer" : "hidden layer \(l)"
            groups.append(Group(title: "Layer \(l) (\(kind), \(layer.activation.name), \(layer.units) unit\(layer.units == 1 ? "" : "s"))", rows: rows))
        }
        var inputRows: [Row] = []
        for i in net.input.indices {
            inputRows.append(Row(layer: 0, quantity: "x", symbol: sym.input(i + 1), value: net.input[i]))
        }
        for i in net.input.indices {
            inputRows.append(Row(layer: 0, quantity: "dx", symbol: sym.gradient(sym.input(i + 1)), value: s.dX[i]))
        }
        groups.append(Group(title: "Layer 0 (input, \(net.input.count) value\(net.input.count == 1 ? "" : "s"))", rows: inputRows))
        self.groups = groups
    }

    /// Plain text: each group's title, then `symbol = value` lines aligned on `=`.
    public func text(format: NumberFormat) -> String {
        var out = ""
        for g in groups {
            out += g.title + "\n"
            let names = g.rows.map { $0.symbol.unicode }
            let width = names.map(\.count).max() ?? 0
            for (row, name) in zip(g.rows, names) {
                out += "  " + name + String(repeating: " ", count: width - name.count) + " = " + format.string(row.value) + "\n"
            }
            out += "\n"
        }
        return out
    }

    /// CSV with the header `layer,quantity,symbol,value`; values at full precision, text cells
    /// guarded against spreadsheet formula injection.
    public func csv() -> String {
        var out = "layer,quantity,symbol,value\n"
        for g in groups {
            for r in g.rows {
                out += "\(r.layer),\(r.quantity),\(Self.csvCell(r.symbol.plain)),\(r.value)\n"
            }
        }
        return out
    }

    /// One Markdown table per group, symbols in HTML (`<sub>`, `<sup>`).
    public func markdown(format: NumberFormat) -> String {
        var out = ""
        for g in groups {
            out += "### \(g.title)\n\n| symbol | value |\n| --- | ---: |\n"
            // Entities keep tags out; backslashes keep links, images and a cell-ending `|` out.
            for r in g.rows { out += "| \(r.symbol.markdown) | \(format.string(r.value)) |\n" }
            out += "\n"
        }
        return out
    }

    /// A text cell. One that starts like a formula (`=`, `@`, `+`, `-`, a tab or a return)
    /// gets a leading `'`, as OWASP advises against CSV injection, so a spreadsheet shows it
    /// as text and never runs it; numbers are written as numbers, never changed.
    static func csvCell(_ s: String) -> String {
        var cell = s
        if let first = cell.unicodeScalars.first, "=@+-\t\r".unicodeScalars.contains(first) { cell = "'" + cell }
        let quoted = cell.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard quoted else { return cell }
        // Foundation's replacingOccurrences costs microseconds even with nothing to replace,
        // and most symbols are quoted for their commas (w_{1,2}): only a `"` byte makes it run.
        return "\"" + (cell.utf8.contains(UInt8(ascii: "\"")) ? cell.replacingOccurrences(of: "\"", with: "\"\"") : cell) + "\""
    }
}
