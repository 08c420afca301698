/// Which number of a network: the one name the check, the value table, the parameter names,
/// the derivations, the slides and the diagrams share, so they agree by construction.
///
/// Indices are 1-based as in the notation (w_21^(1) is `.weight(layer: 1, j: 2, k: 1)`);
/// `layer` is L, with 0 the input layer. The translation to the 0-based arrays of `Network`
/// and `Solution` is written once, in `Solution.value(of:)` and `Network.parameter(_:)`.
public indirect enum Quantity: Hashable, Sendable {
    /// x_i, the value H_i^(0) of input node i.
    case input(Int)
    /// w_jk^(L): from unit j of layer L−1 into unit k of layer L.
    case weight(layer: Int, j: Int, k: Int)
    /// b_k^(L), the bias of unit k of layer L.
    case bias(layer: Int, k: Int)
    /// Z_k^(L), the weighted sum into unit k of layer L.
    case preactivation(layer: Int, k: Int)
    /// H_k^(L) for L ≥ 1; layer 0's outputs are `.input`.
    case activation(layer: Int, k: Int)
    /// Y_k.
    case target(Int)
    /// The loss.
    case loss
    /// ∂Loss/∂q.
    case gradient(Quantity)

    /// The output of unit k of layer l: the input itself in layer 0.
    public static func output(layer l: Int, k: Int) -> Quantity {
        l == 0 ? .input(k) : .activation(layer: l, k: k)
    }

    /// Given data: known from the first frame of a deck on.
    public var isGiven: Bool {
        switch self {
        case .input, .weight, .bias, .target: true
        default: false
        }
    }

    /// A weight or a bias: what gradient descent changes.
    public var isParameter: Bool {
        switch self {
        case .weight, .bias: true
        default: false
        }
    }

    /// The layer the quantity belongs to (the loss and targets: one past the output layer).
    public func layer(depth: Int) -> Int {
        switch self {
        case .input: 0
        case let .weight(l, _, _), let .bias(l, _), let .preactivation(l, _), let .activation(l, _): l
        case .target, .loss: depth + 1
        case let .gradient(q): q.layer(depth: depth)
        }
    }
}

extension Network {
    /// Whether every index of the quantity exists in this network.
    public func contains(_ q: Quantity) -> Bool {
        let widths = self.widths
        func unit(_ l: Int, _ k: Int) -> Bool { (0..<widths.count).contains(l) && (1...widths[l]).contains(k) }
        switch q {
        case let .input(i): return unit(0, i)
        case let .weight(l, j, k): return l >= 1 && unit(l, k) && unit(l - 1, j)
        case let .bias(l, k), let .preactivation(l, k), let .activation(l, k): return l >= 1 && unit(l, k)
        case let .target(k): return (1...target.count).contains(k)
        case .loss: return true
        case let .gradient(q): return q != .loss && contains(q)
        }
    }

    /// A weight, bias or input as the file gives it; nil for computed quantities.
    public func parameter(_ q: Quantity) -> Double? {
        switch q {
        case let .input(i): input[i - 1]
        case let .weight(l, j, k): layers[l - 1].weights[j - 1, k - 1]
        case let .bias(l, k): layers[l - 1].bias[k - 1]
        case let .target(k): target[k - 1]
        default: nil
        }
    }

    /// Changes a weight, bias or input (for finite differences); other quantities are given
    /// (targets) or computed, and are left alone.
    mutating func setParameter(_ q: Quantity, to value: Double) {
        switch q {
        case let .input(i):
            input[i - 1] = value
            // The shown sample's input, also where the batch loss reads it.
            if let shown = data?.shown { data!.samples[shown].input[i - 1] = value }
        case let .weight(l, j, k): layers[l - 1].weights[j - 1, k - 1] = value
        case let .bias(l, k): layers[l - 1].bias[k - 1] = value
        default: break
        }
    }
}

extension Solution {
    /// The value of any quantity of the solved network (the caller keeps to `network.contains`).
    public func value(of q: Quantity) -> Double {
        switch q {
        case .input, .weight, .bias, .target: network.parameter(q)!
        case let .preactivation(l, k): Z[l][k - 1]
        case let .activation(l, k): H[l][k - 1]
        case .loss: loss
        case let .gradient(inner):
            switch inner {
            case let .input(i): dH[0][i - 1]
            case let .weight(l, j, k): dW[l][j - 1, k - 1]
            case let .bias(l, k): db[l][k - 1]
            case let .preactivation(l, k): dZ[l][k - 1]
            case let .activation(l, k): dH[l][k - 1]
            case .loss: 1
            // The loss does not depend on the target through the network's parameters; a
            // target's gradient is never drawn.
            case .target, .gradient: 0
            }
        }
    }
}
