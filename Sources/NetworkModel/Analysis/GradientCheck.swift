/// Compares every analytic gradient with central finite differences — an oracle that shares
/// nothing with the backward pass but the forward pass.
public struct GradientCheck: Sendable {
    public struct Entry: Sendable {
        /// The weight, bias or input whose gradient is checked.
        public var quantity: Quantity
        public var analytic: Double
        public var numeric: Double
        /// |a − n| / max(|a|, |n|, floor): relative for ordinary gradients, absolute for tiny ones.
        public var error: Double
        /// Perturbing the value moved some ReLU across its kink, where the derivative jumps
        /// and a finite difference means nothing; such entries are reported, not judged.
        public var atKink: Bool
    }

    public var entries: [Entry]
    public var tolerance: Double

    public var worst: Entry? { entries.filter { !$0.atKink }.max { $0.error < $1.error } }
    public var passed: Bool { (worst?.error ?? 0) <= tolerance }
    public var kinkCount: Int { entries.filter(\.atKink).count }

    public static let floor = 1e-4

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
