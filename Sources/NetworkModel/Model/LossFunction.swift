import Foundation

/// The losses of SPEC.md, all summed over the output units (as the document's RSS), except
/// `mse`, which divides by the number of outputs.
public enum LossFunction: String, Equatable, Sendable, CaseIterable {
    /// Residual sum of squares, Σ_k (Y_k − H_k)² (files may also write `sse`).
    case rss
    /// ½ Σ_k (Y_k − H_k)², whose gradient is H − Y.
    case halfSSE = "half_sse"
    /// Mean squared error over the outputs, (1/n) Σ_k (Y_k − H_k)².
    case mse
    /// Binary cross-entropy −Σ_k [Y_k log H_k + (1 − Y_k) log(1 − H_k)]; needs a sigmoid output.
    case bce
    /// Cross-entropy −Σ_k Y_k log H_k; needs a softmax output.
    case crossEntropy = "cross_entropy"

    static let knownNames = ["rss", "sse", "half_sse", "mse", "bce", "cross_entropy"]

    /// The loss a network file names (`sse` is `rss`); nil for an unknown name.
    public init?(fileName: String) {
        if fileName == "sse" { self = .rss; return }
        self.init(rawValue: fileName)
    }

    /// How a header or caption names the loss.
    public var displayName: String {
        switch self {
        case .rss: "RSS"
        case .halfSSE: "½ SSE"
        case .mse: "MSE"
        case .bce: "binary cross-entropy"
        case .crossEntropy: "cross-entropy"
        }
    }

    /// The activation an output layer must have for this loss, when it needs one.
    public var requiredOutputActivation: String? {
        switch self {
        case .bce: "sigmoid"
        case .crossEntropy: "softmax"
        default: nil
        }
    }

    /// The loss from the output layer's pre-activation and activation. BCE and cross-entropy
    /// are computed from Z (log-sigmoid, log-softmax) so a saturated output gives a large
    /// finite loss instead of log(0).
    public func value(z: [Double], yHat: [Double], target y: [Double]) -> Double {
        switch self {
        case .rss, .halfSSE, .mse:
            var s = 0.0
            for i in y.indices { let d = y[i] - yHat[i]; s += d * d }
            switch self {
            case .halfSSE: return s / 2
            case .mse: return s / Double(y.count)
            default: return s
            }
        case .bce:
            // −[y log σ(z) + (1−y) log(1−σ(z))], with log σ(z) = −softplus(−z).
            var s = 0.0
            for i in y.indices {
                s += y[i] * Activation.softplus(-z[i]) + (1 - y[i]) * Activation.softplus(z[i])
            }
            return s
        case .crossEntropy:
            let logSum = LossFunction.logSumExp(z)
            var s = 0.0
            for i in y.indices where y[i] != 0 { s -= y[i] * (z[i] - logSum) }
            return s
        }
    }

    /// ∂Loss/∂ŷ. BCE and cross-entropy are written from Z, so the value stays right where
    /// ŷ rounds to 0 or 1: for BCE −y/σ(z) + (1−y)/σ(−z) with 1/σ(z) = 1 + e^−z (the
    /// textbook (ŷ − y)/(ŷ(1 − ŷ)) is 0/0 once σ(z) rounds to 1); for cross-entropy
    /// −y/ŷ with 1/ŷ_i = e^(logsumexp(z) − z_i) (−y/0 once ŷ_i underflows). A value too large
    /// for a double comes out infinite, and `solve()` refuses it by name.
    public func gradient(z: [Double], yHat: [Double], target y: [Double]) -> [Double] {
        switch self {
        case .rss: return y.indices.map { -2 * (y[$0] - yHat[$0]) }
        case .halfSSE: return y.indices.map { -(y[$0] - yHat[$0]) }
        case .mse: return y.indices.map { -2 * (y[$0] - yHat[$0]) / Double(y.count) }
        case .bce:
            return y.indices.map { i in
                // Each term only where its coefficient is non-zero: 0 · ∞ must not turn into NaN.
                var d = 0.0
                if y[i] != 0 { d -= y[i] * (1 + Foundation.exp(-z[i])) }
                if y[i] != 1 { d += (1 - y[i]) * (1 + Foundation.exp(z[i])) }
                return d
            }
        case .crossEntropy:
            let logSum = LossFunction.logSumExp(z)
            return y.indices.map { y[$0] == 0 ? 0 : -y[$0] * Foundation.exp(logSum - z[$0]) }
        }
    }

    /// Whether the pair (activation, loss) has a closed-form ∂Loss/∂Z at the output.
    public func hasFusedOutputGradient(_ activation: Activation) -> Bool {
        switch (self, activation) {
        case (.bce, .sigmoid), (.crossEntropy, .softmax): true
        default: false
        }
    }

    /// ∂Loss/∂Z of the output layer where the pair (activation, loss) has a closed form that
    /// stays finite when the output saturates: sigmoid+BCE and softmax+cross-entropy.
    /// BCE's σ(z) − y is written (1−y)σ(z) − yσ(−z), so z = 37, y = 1 gives −σ(−37) = −8.5e−17,
    /// not 1 − 1 = 0.
    public func fusedOutputGradient(activation: Activation, z: [Double], yHat: [Double], target y: [Double]) -> [Double]? {
        switch (self, activation) {
        case (.bce, .sigmoid):
            return y.indices.map { (1 - y[$0]) * Activation.sigmoid(z[$0]) - y[$0] * Activation.sigmoid(-z[$0]) }
        case (.crossEntropy, .softmax):
            let total = y.reduce(0, +)
            return y.indices.map { yHat[$0] * total - y[$0] }
        default:
            return nil
        }
    }

    /// log Σ e^z, shifted by the maximum so no exponential overflows.
    static func logSumExp(_ z: [Double]) -> Double {
        let m = z.max() ?? 0
        return m + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - m) })
    }

    /// The formula as the document writes it, in terms of the output symbol and Y.
    public func formula(output: String, target: String = "Y") -> String {
        switch self {
        case .rss: "(\(target) − \(output))²"
        case .halfSSE: "½(\(target) − \(output))²"
        case .mse: "mean (\(target) − \(output))²"
        case .bce: "−[\(target) log \(output) + (1 − \(target)) log(1 − \(output))]"
        case .crossEntropy: "−Σ \(target) log \(output)"
        }
    }
}
