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
        /// max(1, |q|); larger steps when that one is lost in rounding (see `Entry/unresolved`).
        public var numeric: Double
        /// |a − n| / max(|a|, |n|, floor): relative for ordinary gradients, absolute for tiny ones.
        public var error: Double
        /// Perturbing the value moved some ReLU across its kink, where the derivative jumps
        /// and a finite difference means nothing; such entries are reported, not judged.
        public var atKink: Bool
        /// How far the finite difference itself may be off through rounding: the two losses'
        /// rounding, and for a larger step also how far the next step's difference is from it.
        /// A judged entry passes when |a − n| ≤ tolerance · max(|a|, |n|, floor) + allowance.
        /// Negligible for ordinary networks; large beside huge pre-activations (a bias of 10⁶
        /// beside a weight of 10⁻⁴), where the difference still tells a gradient wrong by a tenth.
        public var allowance: Double = 0
        /// Every finite difference the steps allow (up to one that would cross a ReLU kink) may
        /// be off by more than a tenth, or was lost in rounding (a bias of 10²⁰ beside unit
        /// weights). Decided from the differences alone, never from the analytic value, so no
        /// analytic value, right or wrong, makes an entry unresolved. Reported, not judged.
        public var unresolved: Bool = false
        /// `error` beyond what `allowance` explains: what the tolerance is compared with.
        public var excess: Double {
            guard error.isFinite else { return error }
            return max(0, error - allowance / max(abs(analytic), abs(numeric), GradientCheck.floor))
        }
        /// Whether the entry is judged (neither at a kink nor unresolved).
        public var judged: Bool { !atKink && !unresolved }
    }

    /// The checked gradients: every weight and bias, layer by layer, then every input; of a
    /// network with more than `maxEntries` of them (fewer on a large data set), an evenly
    /// spaced sample.
    public var entries: [Entry]
    /// The largest `Entry/excess` that still passes (10⁻⁵ unless the initializer was given another).
    public var tolerance: Double

    /// The judged entry with the largest error beyond its allowance (see `Entry/excess`);
    /// nil when no entry is judged.
    public var worst: Entry? { entries.filter(\.judged).max { ($0.excess, $0.error) < ($1.excess, $1.error) } }
    /// Whether every judged entry agrees within `tolerance` (beyond its allowance).
    public var passed: Bool { (worst?.excess ?? 0) <= tolerance }
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
        // Needed only when a usual step is lost: made then, from one pass over the samples.
        var scalesMade: StepScales?
        func scales() -> StepScales {
            if let scalesMade { return scalesMade }
            let made = StepScales(network)
            scalesMade = made
            return made
        }
        /// Central difference of the loss in one weight, bias or input with step `h`.
        func probe(_ q: Quantity, step h: Double) -> Probe {
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
            let lost = plus.loss == minus.loss
                && plus.Z.indices.contains { GradientCheck.lostInRounding(q, net, plus: (plus.Z[$0], plus.H[$0]), minus: (minus.Z[$0], minus.H[$0])) }
            return Probe(numeric: (plus.loss - minus.loss) / (up - down), kink: kink, rounding: rounding, lost: lost)
        }
        /// The finite difference for `q` and its allowance, chosen without looking at the
        /// analytic gradient (see `Entry/unresolved`).
        func estimate(_ q: Quantity) -> (numeric: Double, kink: Bool, allowance: Double, unresolved: Bool) {
            let original = net.parameter(q)!
            let h0 = 1e-6 * max(1, abs(original))
            let first = probe(q, step: h0)
            // The usual step, judged as it always was when it crosses a kink, overflows, left
            // the loss exactly as it was without being lost in rounding (a dead unit, a zero
            // weight: the derivative is 0), or when the two losses' rounding moves it by at
            // most a tenth of the tolerance.
            if first.kink || !first.numeric.isFinite || (first.numeric == 0 && !first.lost) {
                return (first.numeric, first.kink, 0, false)
            }
            if !first.lost && first.roundingShare <= tolerance / 10 { return (first.numeric, false, first.rounding, false) }
            // Lost beside a larger value (w₁₁⁽¹⁾ ± 10⁻⁶ beside a bias of 10¹⁰) or swamped by the
            // losses' rounding: steps sized by the pre-activations they are added to, then ten
            // times larger each, up to one that would cross a kink. A larger step's difference
            // counts only when the next step's agrees with it (a secant across a saturating
            // unit changes with the step; a derivative does not), with their difference and
            // roundings as its allowance.
            var previous: Probe?
            var h = max(10 * h0, GradientCheck.step(original, downstream: scales().downstream(q, network)))
            for _ in 0..<GradientCheck.largerSteps {
                let p = probe(q, step: h)
                h *= 10
                if p.kink || !p.numeric.isFinite { break }
                if p.lost { previous = nil; continue }
                if let a = previous {
                    let allowance = a.rounding + p.rounding + abs(a.numeric - p.numeric)
                    if allowance <= 0.1 * max(abs(a.numeric), GradientCheck.floor) { return (a.numeric, false, allowance, false) }
                }
                previous = p
            }
            // None: the usual step's difference, with its rounding as its allowance, when that
            // is within a tenth of it (it still tells a gradient wrong by more).
            if !first.lost && first.roundingShare <= 0.1 { return (first.numeric, false, first.rounding, false) }
            return (first.numeric, false, 0, true)
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
            let (numeric, kink, allowance, unresolved) = estimate(q)
            // A perturbed pass that overflows gives no finite difference: that entry fails.
            let error = numeric.isFinite ? abs(analytic - numeric) / max(abs(analytic), abs(numeric), GradientCheck.floor) : .infinity
            entries.append(Entry(quantity: q, analytic: analytic, numeric: numeric, error: error, atKink: kink,
                                 allowance: allowance, unresolved: unresolved))
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

    /// One central difference: its value, whether it crossed a kink, how far the rounding of
    /// the two losses alone could move it, and whether the perturbation was lost in rounding
    /// on its way to an unchanged loss (see `lostInRounding`).
    struct Probe {
        var numeric: Double
        var kink: Bool
        var rounding: Double
        var lost: Bool

        /// The rounding as a share of the difference (of the floor, for a smaller one).
        var roundingShare: Double { rounding / max(abs(numeric), GradientCheck.floor) }
    }

    /// How many larger steps an unresolved difference is tried with, each ten times the last.
    static let largerSteps = 8

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

    /// Whether a perturbation of `q` that left the loss unchanged was lost in rounding rather
    /// than stopped or cancelled by the network (a dead ReLU, a zero weight, two paths that
    /// cancel, which make the derivative 0): the value it was added to did not change though
    /// the change was not multiplied by 0; or a pre-activation did not change though what
    /// reached it from the layer before was nonzero and within a few units in its last place;
    /// or the output moved by less than 10⁻¹² of itself.
    static func lostInRounding(_ q: Quantity, _ net: Network, plus: (Z: [[Double]], H: [[Double]]), minus: (Z: [[Double]], H: [[Double]])) -> Bool {
        let depth = net.depth
        switch q {
        case let .weight(l, j, k):
            if plus.Z[l][k - 1] == minus.Z[l][k - 1] && plus.H[l - 1][j - 1] != 0 { return true }
        case let .bias(l, k):
            if plus.Z[l][k - 1] == minus.Z[l][k - 1] { return true }
        default: break
        }
        for l in 0..<depth {
            let w = net.layers[l].weights
            for k in 0..<w.columns where plus.Z[l + 1][k] == minus.Z[l + 1][k] {
                var reaching = 0.0
                for j in plus.H[l].indices { reaching += abs((plus.H[l][j] - minus.H[l][j]) * w[j, k]) }
                if reaching > 0 && reaching <= 4 * abs(plus.Z[l + 1][k]).ulp { return true }
            }
        }
        let output = plus.H[depth].indices.map { abs(plus.H[depth][$0] - minus.H[depth][$0]) }.max() ?? 0
        let size = plus.H[depth].map(abs).max() ?? 0
        return output > 0 && output <= 1e-12 * size
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
