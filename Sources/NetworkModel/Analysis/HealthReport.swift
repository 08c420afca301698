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
    public struct Thresholds: Sendable {
        public var saturation = 0.01
        public var vanishing = 1e-3
        public var exploding = 1e3
        public init() {}
    }

    public enum Finding: Equatable, Sendable {
        case deadReLU(layer: Int, unit: Int, z: Double)
        case saturated(layer: Int, unit: Int, derivative: Double)
        case vanishing(layer: Int, ratio: Double)
        case exploding(layer: Int, ratio: Double)
    }

    public var findings: [Finding]
    /// ‖∂Loss/∂W^(L)‖ (Frobenius) per layer, index 0 unused.
    public var weightGradientNorms: [Double]
    /// The samples the findings hold for: 1, or a data set's batch size.
    public var sampleCount = 1

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

    public func isDead(layer: Int, unit: Int) -> Bool {
        findings.contains { if case let .deadReLU(l, k, _) = $0 { return l == layer && k == unit }; return false }
    }

    public func isSaturated(layer: Int, unit: Int) -> Bool {
        findings.contains { if case let .saturated(l, k, _) = $0 { return l == layer && k == unit }; return false }
    }
}

/// √(Σ x²) scaled by the largest |x|, so squares of values above 1e154 do not overflow and
/// squares below 1e−154 do not vanish; infinite only when the norm itself passes 1.8e308.
public func euclideanNorm(_ values: [Double]) -> Double {
    let largest = values.reduce(0) { max($0, abs($1)) }
    guard largest > 0, largest.isFinite else { return largest }
    return largest * values.reduce(0) { let r = $1 / largest; return $0 + r * r }.squareRoot()
}
