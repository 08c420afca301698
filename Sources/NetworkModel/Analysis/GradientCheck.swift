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
        /// max(1, |q|, the magnitude the step is added to downstream): see `GradientCheck.step`.
        public var numeric: Double
        /// |a − n| / max(|a|, |n|, floor): relative for ordinary gradients, absolute for tiny ones.
        public var error: Double
        /// Perturbing the value moved some ReLU across its kink, where the derivative jumps
        /// and a finite difference means nothing; such entries are reported, not judged.
        public var atKink: Bool
        /// The loss is so much larger than this gradient's share of it that the rounding of
        /// the two losses alone could exceed the tolerance, and steps up to 10¹² times larger
        /// still round away or cross a ReLU kink (a bias of 10²⁰ beside unit weights). Such
        /// entries are reported, not judged.
        public var unresolved: Bool = false
        /// Whether the entry is judged (neither at a kink nor unresolved).
        public var judged: Bool { !atKink && !unresolved }
    }

    /// The checked gradients: every weight and bias, layer by layer, then every input; of a
    /// network with more than `maxEntries` of them (fewer on a large data set), an evenly
    /// spaced sample.
    public var entries: [Entry]
    /// The largest `Entry/error` that still passes (10⁻⁵ unless the initializer was given another).
    public var tolerance: Double

    /// The judged entry with the largest error; nil when no entry is judged.
    public var worst: Entry? { entries.filter(\.judged).max { $0.error < $1.error } }
    /// Whether every judged entry agrees within `tolerance`.
    public var passed: Bool { (worst?.error ?? 0) <= tolerance }
    /// How many entries sit at a ReLU kink and were therefore not judged.
    public var kinkCount: Int { entries.filter(\.atKink).count }
    /// How many entries double precision could not resolve (see `Entry/unresolved`).
    public var unresolvedCount: Int { entries.filter { $0.unresolved && !$0.atKink }.count }
    /// How many entries were judged.
    public var judgedCount: Int { entries.filter(\.judged).count }

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
        /// Central difference of the loss in one weight, bias or input with step `h`, whether
        /// it crossed a kink, and how far the rounding of the two losses alone could move it.
        func probe(_ q: Quantity, step h: Double) -> (numeric: Double, kink: Bool, rounding: Double) {
            let original = net.parameter(q)!
            // Divided by the step as stored: original ± h rounds at large magnitudes.
            let up = original + h, down = original - h
            net.setParameter(q, to: up)
            let plus = net.batchForward()
            net.setParameter(q, to: down)
            let minus = net.batchForward()
            net.setParameter(q, to: original)
            // On a data set the loss is the batch's; a kink in any sample's pass counts.
            let kink = plus.Z.indices.contains { GradientCheck.patternChanged(net, plus.Z[$0], minus.Z[$0]) }
            let rounding = 2 * max(abs(plus.loss).ulp, abs(minus.loss).ulp) / (up - down)
            return ((plus.loss - minus.loss) / (up - down), kink, rounding)
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
            var h = GradientCheck.step(net.parameter(q)!, downstream: scales.downstream(q, network))
            var (numeric, kink, rounding) = probe(q, step: h)
            func scale() -> Double { max(abs(analytic), abs(numeric), GradientCheck.floor) }
            // A perturbed pass that overflows gives no finite difference: that entry fails.
            func error() -> Double { numeric.isFinite ? abs(analytic - numeric) / scale() : .infinity }
            // A disagreement that the losses' rounding could explain is retried with larger
            // steps; one that remains so (or whose larger step would cross a kink) is not
            // judged. One the rounding cannot explain is a failure.
            func explainedByRounding() -> Bool { !kink && numeric.isFinite && error() > tolerance && rounding >= tolerance * scale() / 2 }
            var retries = 0
            while explainedByRounding() && retries < 4 {
                h *= 1000
                let larger = probe(q, step: h)
                if larger.kink { break }
                (numeric, kink, rounding) = larger
                retries += 1
            }
            entries.append(Entry(quantity: q, analytic: analytic, numeric: numeric, error: error(), atKink: kink,
                                 unresolved: explainedByRounding()))
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

    /// The finite difference's step for a quantity of value `value` whose change reaches the
    /// loss through pre-activations of magnitude `downstream` (in the quantity's own units):
    /// a millionth of the larger. A step relative to the quantity alone vanished beside a
    /// large pre-activation — with a bias of 10¹⁰, w₁₁⁽¹⁾ + 10⁻⁶ left Z₁⁽¹⁾ unchanged, the
    /// difference was 0 and a correct gradient was reported wrong.
    static func step(_ value: Double, downstream: Double) -> Double {
        1e-6 * max(1, abs(value), downstream)
    }

    /// How large, in each quantity's units, the pre-activations its step is added to are:
    /// for a bias b_k⁽ᴸ⁾, |Z_k⁽ᴸ⁾|; for a weight w_jk⁽ᴸ⁾, |Z_k⁽ᴸ⁾| / |H_j⁽ᴸ⁻¹⁾| (the step moves
    /// Z_k⁽ᴸ⁾ by h·H_j⁽ᴸ⁻¹⁾); for an input x_j, |Z_k⁽¹⁾| / |w_jk⁽¹⁾|. The largest
    /// over a data set's samples, from one unperturbed pass over them (for an input, the
    /// smallest of its units' ratios).
    struct StepScales {
        /// Per layer L (1-based), the largest |Z_k⁽ᴸ⁾| over samples, by k.
        var z: [[Double]]
        /// Per layer L, the largest |Z_k⁽ᴸ⁾| / |H_j⁽ᴸ⁻¹⁾| over samples, by j then k.
        var weight: [[[Double]]]

        init(_ network: Network) {
            let passes = network.data.map { data in data.samples.map { network.single($0).forward() } } ?? [network.forward()]
            let depth = network.depth
            z = (0...depth).map { l in l == 0 ? [] : [Double](repeating: 0, count: network.layers[l - 1].units) }
            weight = (0...depth).map { l in
                l == 0 ? [] : [[Double]](repeating: [Double](repeating: 0, count: network.layers[l - 1].units),
                                         count: network.layers[l - 1].weights.rows)
            }
            for pass in passes {
                for l in 1...depth {
                    for (k, zk) in pass.Z[l].enumerated() {
                        z[l][k] = max(z[l][k], abs(zk))
                        for (j, hj) in pass.H[l - 1].enumerated() where hj != 0 {
                            weight[l][j][k] = max(weight[l][j][k], abs(zk) / abs(hj))
                        }
                    }
                }
            }
        }

        func downstream(_ q: Quantity, _ network: Network) -> Double {
            switch q {
            case let .bias(l, k): return z[l][k - 1]
            case let .weight(l, j, k): return weight[l][j - 1][k - 1]
            case let .input(j):
                // The smallest: a step that resolves the largest would cross the kinks of the
                // smaller units (larger steps are tried when the difference is not resolved).
                let w = network.layers[0].weights
                var smallest = Double.infinity
                for k in 1...w.columns {
                    let wjk = abs(w[j - 1, k - 1])
                    if wjk != 0 { smallest = min(smallest, z[1][k - 1] / wjk) }
                }
                return smallest.isFinite ? smallest : 0
            default: return 0
            }
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
