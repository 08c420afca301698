/// Compares every analytic gradient with central finite differences — an oracle that shares
/// nothing with the backward pass but the forward pass.
public struct GradientCheck: Sendable {
    /// One checked gradient: the backward pass's value beside the finite difference's.
    public struct Entry: Sendable {
        /// The weight, bias or input whose gradient is checked.
        public var quantity: Quantity
        /// ∂Loss/∂quantity as the backward pass computed it (`Solution.value(of: .gradient(q))`).
        public var analytic: Double
        /// (Loss(q + h) − Loss(q − h)) / 2h over the whole batch on a data set, with h = 10⁻⁶ ·
        /// max(1, |q|, the magnitude the step is added to): see `GradientCheck.step`.
        public var numeric: Double
        /// |a − n| / max(|a|, |n|, floor): relative for ordinary gradients, absolute for tiny ones.
        public var error: Double
        /// Perturbing the value moved some ReLU input across its kink at 0 (one within the step
        /// of it, or one a large step reaches: a bias of 10¹⁰ whose Z⁽²⁾ = 5 after cancelling),
        /// where the derivative jumps and a finite difference means nothing; such entries are
        /// reported, not judged.
        public var atKink: Bool
    }

    /// The checked gradients: every weight and bias, layer by layer, then every input; of a
    /// network with more than `maxEntries` of them (fewer on a large data set), an evenly
    /// spaced sample.
    public var entries: [Entry]
    /// The largest `Entry/error` that still passes (10⁻⁵ unless the initializer was given another).
    public var tolerance: Double

    /// The entry with the largest error among those not at a kink; nil when every entry is at one.
    public var worst: Entry? { entries.filter { !$0.atKink }.max { $0.error < $1.error } }
    /// Whether every entry away from a kink agrees within `tolerance`.
    public var passed: Bool { (worst?.error ?? 0) <= tolerance }
    /// How many entries sit at a ReLU kink and were therefore not judged.
    public var kinkCount: Int { entries.filter(\.atKink).count }

    /// The denominator's lower bound in `Entry/error`: below it a gradient is compared absolutely,
    /// so a gradient that is 0 analytically and 10⁻¹¹ numerically still passes.
    public static let floor = 1e-4

    /// Checks `solution`'s gradients by re-running `network`'s forward pass twice per checked
    /// quantity (over every sample of a data set), so a large network is checked on an evenly
    /// spaced sample of at most `maxEntries` quantities, and at least 50.
    public init(network: Network, solution: Solution, tolerance: Double = 1e-5, maxEntries: Int = 3_000) {
        self.tolerance = tolerance
        var entries: [Entry] = []
        var net = network
        let scales = StepScales(network)
        /// Central difference of the loss in one weight, bias or input.
        func probe(_ q: Quantity) -> (Double, Bool) {
            let original = net.parameter(q)!
            let h = GradientCheck.step(original, addedTo: scales.magnitude(q, network))
            // Divided by the step as stored: original ± h rounds at large magnitudes.
            let up = original + h, down = original - h
            net.setParameter(q, to: up)
            let plus = net.batchForward()
            net.setParameter(q, to: down)
            let minus = net.batchForward()
            net.setParameter(q, to: original)
            // On a data set the loss is the batch's; a kink in any sample's pass counts.
            let kink = plus.Z.indices.contains { GradientCheck.patternChanged(net, plus.Z[$0], minus.Z[$0]) }
            return ((plus.loss - minus.loss) / (up - down), kink)
        }
        // Large networks get an evenly spaced sample, so the check stays quick.
        let total = network.parameterCount + network.input.count
        // Each entry costs two passes over every sample: a large data set gets fewer entries.
        let samples = network.data?.samples.count ?? 1
        let budget = max(50, min(maxEntries, 200_000_000 / max(1, 2 * samples * network.parameterCount)))
        let stride = max(1, total / budget)
        var counter = 0
        func take() -> Bool { defer { counter += 1 }; return counter % stride == 0 }
        func record(_ q: Quantity) {
            guard take() else { return }
            let analytic = solution.value(of: .gradient(q))
            let (numeric, kink) = probe(q)
            // A perturbed pass that overflows gives no finite difference: that entry fails.
            let error = numeric.isFinite ? abs(analytic - numeric) / max(abs(analytic), abs(numeric), GradientCheck.floor) : .infinity
            entries.append(Entry(quantity: q, analytic: analytic, numeric: numeric, error: error, atKink: kink))
        }

        for l in 1...network.depth {
            let w = network.layers[l - 1].weights
            // A network has at least one unit in every layer (validated when it is read).
            for j in 1...w.rows {
                for k in 1...w.columns { record(.weight(layer: l, j: j, k: k)) }
            }
            for k in 1...network.layers[l - 1].units { record(.bias(layer: l, k: k)) }
        }
        for i in 1...network.input.count { record(.input(i)) }
        self.entries = entries
    }

    /// The finite difference's step for a quantity of value `value` that is added, in effect,
    /// to pre-activations of magnitude `magnitude` (in the quantity's own units): a millionth
    /// of the larger. A step relative to the quantity alone was lost beside a large
    /// pre-activation: with a bias of 10¹⁰, w₁₁⁽¹⁾ ± 10⁻⁶ moved Z₁⁽¹⁾ by at most a unit in its
    /// last place, the difference was 0 or noise, and `check` failed a correct gradient.
    static func step(_ value: Double, addedTo magnitude: Double) -> Double {
        1e-6 * max(1, abs(value), magnitude)
    }

    /// The magnitude, in each quantity's units, of the pre-activations its step is added to:
    /// for a bias b_k⁽ᴸ⁾, |Z_k⁽ᴸ⁾|; for a weight w_jk⁽ᴸ⁾, |Z_k⁽ᴸ⁾| / |H_j⁽ᴸ⁻¹⁾| (the step moves
    /// Z_k⁽ᴸ⁾ by h·H_j⁽ᴸ⁻¹⁾); for an input x_j, |Z_k⁽¹⁾| / |w_jk⁽¹⁾| over its units k. Always
    /// the smallest (over samples and units): a step sized for the largest is too coarse for
    /// the others (a sample 10⁴ times another). Where every one is small the step is the usual
    /// 10⁻⁶·max(1, |q|); a weight fed a small activation gets a larger one, which moves Z by
    /// the same share as any other step (on 400 random nets this changed no verdict but 12
    /// false failures near the floor, which now pass).
    struct StepScales {
        /// Per layer L (1-based), the smallest |Z_k⁽ᴸ⁾| over samples, by k.
        var z: [[Double]]
        /// Per layer L, the smallest |Z_k⁽ᴸ⁾| / |H_j⁽ᴸ⁻¹⁾| over samples (0 where H_j⁽ᴸ⁻¹⁾ is 0), by j then k.
        var weight: [[[Double]]]

        init(_ network: Network) {
            let passes = network.data.map { data in data.samples.map { network.single($0).forward() } } ?? [network.forward()]
            let depth = network.depth
            z = (0...depth).map { l in l == 0 ? [] : [Double](repeating: .infinity, count: network.layers[l - 1].units) }
            weight = (0...depth).map { l in
                l == 0 ? [] : [[Double]](repeating: [Double](repeating: .infinity, count: network.layers[l - 1].units),
                                         count: network.layers[l - 1].weights.rows)
            }
            for pass in passes {
                for l in 1...depth {
                    for (k, zk) in pass.Z[l].enumerated() {
                        z[l][k] = min(z[l][k], abs(zk))
                        for (j, hj) in pass.H[l - 1].enumerated() {
                            weight[l][j][k] = min(weight[l][j][k], hj == 0 ? 0 : abs(zk) / abs(hj))
                        }
                    }
                }
            }
        }

        func magnitude(_ q: Quantity, _ network: Network) -> Double {
            let found: Double
            switch q {
            case let .bias(l, k): found = z[l][k - 1]
            case let .weight(l, j, k): found = weight[l][j - 1][k - 1]
            case let .input(j):
                let w = network.layers[0].weights
                var smallest = Double.infinity
                for k in 1...w.columns where w[j - 1, k - 1] != 0 { smallest = min(smallest, z[1][k - 1] / abs(w[j - 1, k - 1])) }
                found = smallest
            default: found = 0
            }
            return found.isFinite ? found : 0
        }
    }

    /// Whether two perturbed passes put some kinked activation on different sides of zero.
    static func patternChanged(_ net: Network, _ a: [[Double]], _ b: [[Double]]) -> Bool {
        for l in 1..<a.count where net.layers[l - 1].activation.hasKink {
            for i in a[l].indices where (a[l][i] > 0) != (b[l][i] > 0) || a[l][i] == 0 || b[l][i] == 0 {
                return true
            }
        }
        return false
    }
}
