import Foundation
import NetworkModel

extension HealthReport {
    /// One sentence per finding, in the network's notation.
    public func warnings(symbols: Symbols) -> [String] {
        let f = NumberFormat(precision: 3)
        return findings.map { finding in
            switch finding {
            case let .deadReLU(l, k, z):
                "dead ReLU: \(symbols.preactivation(k, layer: l).unicode) = \(f.string(z)) ≤ 0, so no gradient flows through \(symbols.activation(k, layer: l).unicode) for this input"
            case let .saturated(l, k, d):
                "saturated unit: \(symbols.activation(k, layer: l).unicode) has derivative \(f.string(d)) < 0.01, so its gradient nearly vanishes"
            case let .vanishing(l, ratio):
                "vanishing gradient: layer \(l)'s ‖∂\(symbols.notation.loss)/∂\(symbols.notation.weight)‖ is \(f.string(ratio)) × the output layer's (below 10⁻³)"
            case let .exploding(l, ratio):
                "exploding gradient: layer \(l)'s ‖∂\(symbols.notation.loss)/∂\(symbols.notation.weight)‖ is \(f.string(ratio)) × the output layer's (above 10³)"
            }
        }
    }
}
