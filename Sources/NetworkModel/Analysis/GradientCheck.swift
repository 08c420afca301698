/// Compares every analytic gradient with central finite differences — an oracle that shares
/// nothing with the backward pass but the forward pass.
public struct GradientCheck: Sendable {
    public struct Entry: Sendable {
        /// Which value: `w` with layer, j, k (1-based), `b` with layer, k, or `x` with i.
        public var kind: Character
        public var layer: Int
        public var j: Int
        public var k: Int
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
        func probe(_ get: (Network) -> Double, _ set: (inout Network, Double) -> Void) -> (Double, Bool) {
            let original = get(net)
            let h = 1e-6 * max(1, abs(original))
            set(&net, original + h)
            let plus = net.forward()
            set(&net, original - h)
            let minus = net.forward()
            set(&net, original)
            let kink = GradientCheck.patternChanged(net, plus.Z, minus.Z)
            return ((plus.loss - minus.loss) / (2 * h), kink)
        }
        func record(_ kind: Character, _ l: Int, _ j: Int, _ k: Int, _ analytic: Double, _ result: (Double, Bool)) {
            let (numeric, kink) = result
            let error = abs(analytic - numeric) / max(abs(analytic), abs(numeric), GradientCheck.floor)
            entries.append(Entry(kind: kind, layer: l, j: j, k: k, analytic: analytic, numeric: numeric, error: error, atKink: kink))
        }
        // Large networks get an evenly spaced sample, so the check stays quick.
        let total = network.parameterCount + network.input.count
        let stride = max(1, total / maxEntries)
        var counter = 0
        func take() -> Bool { defer { counter += 1 }; return counter % stride == 0 }

        for l in 1...network.depth {
            let w = network.layers[l - 1].weights
            for j in 0..<w.rows {
                for k in 0..<w.columns where take() {
                    record("w", l, j + 1, k + 1, solution.dW[l][j, k],
                           probe({ $0.layers[l - 1].weights[j, k] }, { $0.layers[l - 1].weights[j, k] = $1 }))
                }
            }
            for k in 0..<network.layers[l - 1].units where take() {
                record("b", l, 0, k + 1, solution.db[l][k],
                       probe({ $0.layers[l - 1].bias[k] }, { $0.layers[l - 1].bias[k] = $1 }))
            }
        }
        for i in network.input.indices where take() {
            record("x", 0, i + 1, 0, solution.dX[i], probe({ $0.input[i] }, { $0.input[i] = $1 }))
        }
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
