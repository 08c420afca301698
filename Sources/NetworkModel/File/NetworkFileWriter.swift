/// Writes a network as a network file that `NetworkFile` reads back to the same network:
/// weights and biases as explicit matrices, every number in the shortest text that reads
/// back to the same double, text in double-quoted YAML with escapes.
public enum NetworkFileWriter {
    /// The network file of `net`, headed by `comment` as `#` lines (newlines in them are dropped).
    public static func yaml(_ net: Network, comment: [String] = []) -> String {
        var out = ""
        for line in comment { out += "# " + line.filter { !$0.isNewline } + "\n" }
        if let name = net.name { out += "name: \(quoted(name))\n" }
        out += "loss: \(net.loss.rawValue)\n"
        let defaults = Notation()
        let symbols = [("input", net.notation.input, defaults.input), ("activation", net.notation.activation, defaults.activation),
                       ("preactivation", net.notation.preactivation, defaults.preactivation), ("weight", net.notation.weight, defaults.weight),
                       ("bias", net.notation.bias, defaults.bias), ("loss", net.notation.loss, defaults.loss)]
            .filter { $0.1 != $0.2 }
        if !symbols.isEmpty {
            out += "notation: { " + symbols.map { "\($0.0): \(quoted($0.1))" }.joined(separator: ", ") + " }\n"
        }
        if let eta = net.learningRate { out += "learning_rate: \(number(eta))\n" }
        if let data = net.data {
            out += "loss_reduction: \(data.reduction.rawValue)\n"
            out += "data:\n"
            for s in data.samples { out += "  - { input: \(vector(s.input)), target: \(vector(s.target)) }\n" }
        } else {
            out += "input: \(vector(net.input))\n"
            out += "target: \(vector(net.target))\n"
        }
        out += "layers:\n"
        for layer in net.layers {
            out += "  - units: \(layer.units)\n"
            out += "    activation: \(layer.activation.name)\n"
            if case .leakyReLU(let slope) = layer.activation { out += "    slope: \(number(slope))\n" }
            out += "    weights:\n"
            for row in layer.weights.nested { out += "      - \(vector(row))\n" }
            out += "    bias: \(vector(layer.bias))\n"
        }
        return out
    }

    /// Integers without a decimal point; otherwise Swift's shortest round-trip form.
    public static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 9e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func vector(_ v: [Double]) -> String { "[" + v.map(number).joined(separator: ", ") + "]" }

    /// A YAML double-quoted scalar: quotes, backslashes and control characters escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else if scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0x85 {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
