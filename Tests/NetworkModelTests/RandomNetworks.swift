import NetworkModel

/// Seeded random networks of a given activation and loss, for the oracles (finite
/// differences, the op graph's local rule).
enum RandomNetworks {
    static let hidden: [Activation] = [.identity, .relu, .leakyReLU(slope: 0.1), .sigmoid, .tanh, .softplus]

    static func make(seed: UInt64, hiddenActivation: Activation, output: Activation, loss: LossFunction) throws -> Network {
        var rng = SeededRandom(seed: seed)
        let widths = [2 + Int(rng.nextUInt64() % 3), 2 + Int(rng.nextUInt64() % 4), 2 + Int(rng.nextUInt64() % 3), 1 + Int(rng.nextUInt64() % 3)]
        var layers: [Layer] = []
        for l in 1..<widths.count {
            let w = WeightInit.normal(std: 0.8).matrix(rows: widths[l - 1], columns: widths[l], seed: seed, layer: l)
            let b = (0..<widths[l]).map { _ in rng.nextUniform(low: -0.5, high: 0.5) }
            layers.append(try Layer(activation: l == widths.count - 1 ? output : hiddenActivation, weights: w, bias: b))
        }
        let input = (0..<widths[0]).map { _ in rng.nextUniform(low: -2, high: 2) }
        var target: [Double]
        switch loss {
        case .bce: target = (0..<widths.last!).map { _ in rng.nextUnit() }
        case .crossEntropy:
            target = Array(repeating: 0, count: widths.last!)
            target[Int(rng.nextUInt64() % UInt64(widths.last!))] = 1
        default: target = (0..<widths.last!).map { _ in rng.nextUniform(low: -1, high: 1) }
        }
        return try Network(input: input, target: target, loss: loss, layers: layers)
    }
}
