import Foundation
import NetworkModel

/// A quantity name that does not parse or names no quantity of the network.
public struct ParameterNameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One sentence: the text, what is wrong, and examples in the network's notation.
    public var description: String
}

/// Reads a quantity written as in the notation: `w_21^(1)`, `w_{21}^{(1)}`, `b^(3)`,
/// `H_2^(1)`, `Z_1^(2)`, `α_2`, `w_{10,3}^{(2)}` where an index has two digits.
public enum ParameterName {
    /// The quantity `text` names in `network`'s notation (the default symbols w, b, H, Z, x
    /// are accepted too). A single-unit layer's index may be left out (`b^(3)`).
    ///
    /// - Throws: ``ParameterNameError`` when the text does not parse or names a layer or
    ///   unit the network does not have.
    public static func parse(_ text: String, network: Network) throws -> Quantity {
        let n = network.notation
        let example = "\(n.weight)_21^(1), \(n.bias)_1^(2), \(n.activation)_1^(1), \(n.preactivation)_1^(1) or \(n.input)_1"
        func fail(_ what: String) -> ParameterNameError {
            ParameterNameError(description: "PARAM `\(text)`: \(what); expected a quantity such as \(example)")
        }
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        // The symbol: the longest notation symbol the text starts with.
        let candidates: [(String, String)] = [(n.weight, "w"), (n.bias, "b"), (n.activation, "H"), (n.preactivation, "Z"), (n.input, "x"),
                                              ("w", "w"), ("b", "b"), ("H", "H"), ("Z", "Z"), ("x", "x")]
        guard let (symbol, kind) = candidates.filter({ rest.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }) else {
            throw fail("unknown symbol `\(rest.prefix(while: { $0 != "_" && $0 != "^" }))`")
        }
        rest = rest.dropFirst(symbol.count)
        func group(after marker: Character) throws -> String? {
            guard rest.first == marker else { return nil }
            rest = rest.dropFirst()
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else { throw fail("a `{` without its `}`") }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                return String(inside)
            }
            if rest.first == "(" {
                guard let close = rest.firstIndex(of: ")") else { throw fail("a `(` without its `)`") }
                let inside = rest[rest.startIndex...close]
                rest = rest[rest.index(after: close)...]
                return String(inside)
            }
            let token = rest.prefix { $0.isNumber || $0 == "," }
            rest = rest.dropFirst(token.count)
            return String(token)
        }
        let sub = try group(after: "_")
        let sup = try group(after: "^")
        guard rest.isEmpty else { throw fail("unexpected `\(rest)`") }
        var layer: Int?
        if let sup {
            let digits = sup.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            guard let l = Int(digits) else { throw fail("the layer `\(sup)` is not a number") }
            layer = l
        }
        var indices: [Int] = []
        if let sub {
            let parts = sub.contains(",") ? sub.split(separator: ",").map(String.init) : (kind == "w" ? sub.map(String.init) : [sub])
            for p in parts {
                guard let i = Int(p.trimmingCharacters(in: .whitespaces)) else { throw fail("the index `\(p)` is not a number") }
                indices.append(i)
            }
        }
        let widths = network.widths
        let L = network.depth
        func checkLayer(_ l: Int?, allowInput: Bool = false) throws -> Int {
            guard let l else { throw fail("no layer; write it as a superscript, ^(1)") }
            guard (allowInput ? 0 : 1)...L ~= l else { throw fail("layer \(l) does not exist; this network's layers are \(allowInput ? 0 : 1) to \(L)") }
            return l
        }
        func checkUnit(_ k: Int, _ l: Int) throws -> Int {
            guard 1...widths[l] ~= k else { throw fail("unit \(k) does not exist in layer \(l), which has \(widths[l])") }
            return k
        }
        switch kind {
        case "w":
            let l = try checkLayer(layer)
            guard indices.count == 2 else { throw fail("a weight needs two indices j and k, as in _21 or _{10,3}") }
            return .weight(layer: l, j: try checkUnit(indices[0], l - 1), k: try checkUnit(indices[1], l))
        case "b", "H", "Z":
            let l = try checkLayer(layer, allowInput: kind == "H")
            let k: Int
            if indices.isEmpty {
                guard widths[l] == 1 else { throw fail("layer \(l) has \(widths[l]) units; expected a unit index, as in _1") }
                k = 1
            } else {
                guard indices.count == 1 else { throw fail("one unit index expected") }
                k = try checkUnit(indices[0], l)
            }
            switch kind {
            case "b": return .bias(layer: l, k: k)
            case "H": return .output(layer: l, k: k)
            default: return .preactivation(layer: l, k: k)
            }
        default:
            guard layer == nil || layer == 0 else { throw fail("inputs have no layer superscript") }
            guard indices.count == 1 else { throw fail("an input needs one index, as in _1") }
            return .input(try checkUnit(indices[0], 0))
        }
    }
}
