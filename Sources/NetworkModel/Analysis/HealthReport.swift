/// Units and layers through which little or no gradient flows for this input (on a data set:
/// for every sample of the batch).
///
/// - A ReLU unit is dead when Z ≤ 0: its derivative is 0 (ReLU′(0) = 0), so nothing upstream
///   of it learns from this example.
/// - A sigmoid or tanh unit is saturated when its derivative is below `saturation` (0.01):
///   |Z| above about 4.6 for sigmoid, 3 for tanh.
/// - A layer vanishes when ‖∂Loss/∂W^(L)‖ is below `vanishing` (10⁻³) times the output layer's,
///   and explodes above `exploding` (10³) times it.
public struct HealthReport: Sendable {
    /// The limits the findings are judged against; the defaults are those in the type's description.
    public struct Thresholds: Sendable {
        /// A sigmoid or tanh unit whose derivative is below this is saturated.
        public var saturation = 0.01
        /// A layer whose ‖∂Loss/∂W‖ is below this fraction of the output layer's vanishes.
        public var vanishing = 1e-3
        /// A layer whose ‖∂Loss/∂W‖ is above this multiple of the output layer's explodes.
        public var exploding = 1e3
        /// The default thresholds: 0.01, 10⁻³ and 10³.
        public init() {}
    }

    /// One unit or layer through which little or no gradient flows. Layers and units are 1-based,
    /// as in the notation (unit k of layer L is Z_k^(L)).
    public enum Finding: Equatable, Sendable {
        /// A ReLU unit with Z ≤ 0 (on a data set: on every sample; `z` is the largest).
        case deadReLU(layer: Int, unit: Int, z: Double)
        /// A sigmoid or tanh unit whose derivative is below the saturation threshold (`derivative` is
        /// the largest over the samples).
        case saturated(layer: Int, unit: Int, derivative: Double)
        /// A layer whose ‖∂Loss/∂W‖ is `ratio` times the output layer's, below the vanishing threshold.
        case vanishing(layer: Int, ratio: Double)
        /// A layer whose ‖∂Loss/∂W‖ is `ratio` times the output layer's, above the exploding threshold.
        case exploding(layer: Int, ratio: Double)
    }

    /// Dead and saturated units by layer and unit, then vanishing and exploding layers.
    public var findings: [Finding]
    /// ‖∂Loss/∂W^(L)‖ (Frobenius) per layer, index 0 unused.
    public var weightGradientNorms: [Double]
    /// The samples the findings hold for: 1, or a data set's batch size.
    public var sampleCount = 1

    /// Examines a solved network (every sample of its data set, when it has one).
    public init(_ s: Solution, thresholds: Thresholds = Thresholds()) {
        let net = s.network
        var findings: [Finding] = []
        var norms = [0.0]
        for l in 1...net.depth {
            norms.append(euclideanNorm(s.dW[l].storage))
        }
        for l in 1...net.depth {
            let activation = net.layers[l - 1].activation
            // On a data set a unit is dead or saturated only when it is on every sample of the
            // batch: one sample that passes gradient through keeps its weights learning. The
            // value reported is the largest over the samples.
            let passes: [(Z: [[Double]], H: [[Double]])] = s.batch?.samples.map { ($0.Z, $0.H) } ?? [(s.Z, s.H)]
            for k in 0..<net.layers[l - 1].units {
                switch activation {
                case .relu:
                    let z = passes.map { $0.Z[l][k] }.max() ?? 0
                    if z <= 0 { findings.append(.deadReLU(layer: l, unit: k + 1, z: z)) }
                case .sigmoid, .tanh:
                    let d = passes.map { activation.derivativeElement(z: $0.Z[l][k], h: $0.H[l][k]) }.max() ?? 0
                    if d < thresholds.saturation { findings.append(.saturated(layer: l, unit: k + 1, derivative: d)) }
                default: break
                }
            }
        }
        let reference = norms[net.depth]
        if reference > 0 {
            for l in 1..<net.depth {
                let ratio = norms[l] / reference
                if ratio < thresholds.vanishing { findings.append(.vanishing(layer: l, ratio: ratio)) }
                if ratio > thresholds.exploding { findings.append(.exploding(layer: l, ratio: ratio)) }
            }
        }
        self.findings = findings
        self.weightGradientNorms = norms
        self.sampleCount = s.batch?.samples.count ?? 1
    }

    /// Whether unit `unit` of layer `layer` (both 1-based) is a dead ReLU.
    public func isDead(layer: Int, unit: Int) -> Bool {
        findings.contains { if case let .deadReLU(l, k, _) = $0 { return l == layer && k == unit }; return false }
    }

    /// Whether unit `unit` of layer `layer` (both 1-based) is a saturated sigmoid or tanh.
    public func isSaturated(layer: Int, unit: Int) -> Bool {
        findings.contains { if case let .saturated(l, k, _) = $0 { return l == layer && k == unit }; return false }
    }
}

/// √(Σ x²) scaled by the largest |x|, so squares of values above 1e154 do not overflow and
/// squares below 1e−154 do not vanish; infinite only when the norm itself passes 1.8e308.
package func euclideanNorm(_ values: [Double]) -> Double {
    let largest = values.reduce(0) { max($0, abs($1)) }
    guard largest > 0, largest.isFinite else { return largest }
    return largest * values.reduce(0) { let r = $1 / largest; return $0 + r * r }.squareRoot()
}
