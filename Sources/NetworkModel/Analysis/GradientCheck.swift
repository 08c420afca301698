/// Compares every analytic gradient with central finite differences — an oracle that shares
/// nothing with the backward pass but the forward pass.
public struct GradientCheck: Sendable {
    /// One checked gradient: the backward pass's value beside the finite difference's.
    public struct Entry: Sendable {
        /// The weight, bias or input whose gradient is checked.
        public var quantity: Quantity
        /// ∂Loss/∂quantity as the backward pass computed it (`Solution.value(of: .gradient(q))`).
        public var analytic: Double
        /// (Loss(q + h) − Loss(q − h)) / 2h with h = 10⁻⁶ · max(1, |q|), over the whole batch on a data set.
        public var numeric: Double
        /// |a − n| / max(|a|, |n|, floor): relative for ordinary gradients, absolute for tiny ones.
        public var error: Double
        /// Perturbing the value moved some ReLU across its kink, where the derivative jumps
        /// and a finite difference means nothing; such entries are reported, not judged.
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
        /// Central difference of the loss in one weight, bias or input.
        func probe(_ q: Quantity) -> (Double, Bool) {
            let original = net.parameter(q)!
            let h = 1e-6 * max(1, abs(original))
            net.setParameter(q, to: original + h)
            let plus = net.batchForward()
            net.setParameter(q, to: original - h)
            let minus = net.batchForward()
            net.setParameter(q, to: original)
            // On a data set the loss is the batch's; a kink in any sample's pass counts.
            let kink = plus.Z.indices.contains { GradientCheck.patternChanged(net, plus.Z[$0], minus.Z[$0]) }
            return ((plus.loss - minus.loss) / (2 * h), kink)
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
