import Foundation
import NetworkModel

extension HealthReport {
    /// One sentence per finding, in the network's notation. Wide layers with many dead
    /// units get one line per layer rather than one per unit.
    public func warnings(symbols: Symbols) -> [String] {
        let f = NumberFormat(precision: 3)
        var deadByLayer: [Int: [Int]] = [:]
        for case let .deadReLU(l, k, _) in findings { deadByLayer[l, default: []].append(k) }
        var lines: [String] = []
        // On a data set a unit is dead only when it is on every sample; Z is then the largest.
        let scope = sampleCount > 1 ? "on any of the \(sampleCount) samples" : "for this input"
        let largest = sampleCount > 1 ? " (largest over the samples)" : ""
        for (l, units) in deadByLayer.sorted(by: { $0.key < $1.key }) where units.count > 4 {
            let names = units.prefix(4).map { symbols.activation($0, layer: l).unicode }.joined(separator: ", ")
            lines.append("dead ReLU: \(units.count) of \(symbols.widths[l]) units of layer \(l) have Z ≤ 0 (\(names), …), so no gradient flows through them \(scope)")
        }
        for finding in findings {
            switch finding {
            case let .deadReLU(l, k, z) where deadByLayer[l, default: []].count <= 4:
                lines.append("dead ReLU: \(symbols.preactivation(k, layer: l).unicode) = \(f.string(z))\(largest) ≤ 0, so no gradient flows through \(symbols.activation(k, layer: l).unicode) \(scope)")
            case .deadReLU:
                break
            case let .saturated(l, k, d):
                lines.append("saturated unit: \(symbols.activation(k, layer: l).unicode) has derivative \(f.string(d)) < 0.01, so its gradient nearly vanishes")
            case let .vanishing(l, ratio):
                lines.append("vanishing gradient: layer \(l)'s ‖∂\(symbols.notation.loss)/∂\(symbols.notation.weight)‖ is \(f.string(ratio)) × the output layer's (below 10⁻³)")
            case let .exploding(l, ratio):
                lines.append("exploding gradient: layer \(l)'s ‖∂\(symbols.notation.loss)/∂\(symbols.notation.weight)‖ is \(f.string(ratio)) × the output layer's (above 10³)")
            }
        }
        return lines
    }
}
