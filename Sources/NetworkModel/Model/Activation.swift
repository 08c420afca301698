import Foundation

/// The activation functions a layer may use. `softmax` couples its units, so it has no
/// element-wise derivative; the backward pass applies its Jacobian instead.
public enum Activation: Equatable, Sendable {
    /// f(z) = z (files may also write `linear`).
    case identity
    /// max(0, z); its derivative at 0 is taken as 0.
    case relu
    /// z for z > 0, slope · z otherwise (`leaky_relu`, slope 0.01 unless the layer gives `slope:`).
    case leakyReLU(slope: Double)
    /// σ(z) = 1 / (1 + e^−z).
    case sigmoid
    /// tanh(z).
    case tanh
    /// log(1 + e^z), a smooth ReLU.
    case softplus
    /// e^z_k / Σ e^z: the output layer only, and the activation cross-entropy needs.
    case softmax

    /// The name used in network files and exports.
    public var name: String {
        switch self {
        case .identity: "identity"
        case .relu: "relu"
        case .leakyReLU: "leaky_relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .softplus: "softplus"
        case .softmax: "softmax"
        }
    }

    /// How the document writes the function: ReLU(2), σ(0.5).
    public var displayName: String {
        switch self {
        case .identity: "identity"
        case .relu: "ReLU"
        case .leakyReLU: "LeakyReLU"
        case .sigmoid: "σ"
        case .tanh: "tanh"
        case .softplus: "softplus"
        case .softmax: "softmax"
        }
    }

    static let knownNames = ["identity", "linear", "relu", "leaky_relu", "sigmoid", "tanh", "softplus", "softmax"]

    /// Whether the derivative has a kink at zero, where finite differences are unreliable.
    public var hasKink: Bool {
        switch self {
        case .relu, .leakyReLU: true
        default: false
        }
    }

    /// The layer's activations H for its pre-activations Z (softmax shifted by the largest z, so
    /// it never overflows).
    public func apply(_ z: [Double]) -> [Double] {
        switch self {
        case .softmax:
            // Shift by the maximum so exp never overflows.
            let m = z.max() ?? 0
            let e = z.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        default:
            return z.map(applyElement)
        }
    }

    /// The activation of one unit; not for softmax, which needs the whole layer (use ``apply(_:)``).
    @inline(__always)
    public func applyElement(_ z: Double) -> Double {
        switch self {
        case .identity: return z
        case .relu: return z > 0 ? z : 0
        case .leakyReLU(let slope): return z > 0 ? z : slope * z
        case .sigmoid: return Activation.sigmoid(z)
        case .tanh: return Foundation.tanh(z)
        case .softplus: return Activation.softplus(z)
        case .softmax: preconditionFailure("softmax is not element-wise")
        }
    }

    /// dH/dZ for element-wise activations. ReLU′(0) = 0, as PyTorch.
    @inline(__always)
    public func derivativeElement(z: Double, h: Double) -> Double {
        switch self {
        case .identity: return 1
        case .relu: return z > 0 ? 1 : 0
        case .leakyReLU(let slope): return z > 0 ? 1 : slope
        // From Z, not H: once σ(Z) or tanh(Z) rounds to ±1, h(1 − h) and 1 − h² are 0 while
        // the derivative is still a positive number (σ′(37) = 8.5e−17).
        case .sigmoid: return Activation.sigmoid(z) * Activation.sigmoid(-z)
        case .tanh:
            // sech²(z) = 4t / (1 + t)² with t = e^−2|z| ≤ 1, so nothing overflows.
            let t = Foundation.exp(-2 * abs(z))
            return 4 * t / ((1 + t) * (1 + t))
        case .softplus: return Activation.sigmoid(z)
        case .softmax: preconditionFailure("softmax is not element-wise")
        }
    }

    /// ∂Loss/∂Z from ∂Loss/∂H: element-wise, or the softmax Jacobian-vector product
    /// dZ_i = H_i · (dH_i − Σ_j H_j dH_j).
    public func backward(z: [Double], h: [Double], dH: [Double]) -> [Double] {
        switch self {
        case .softmax:
            var dot = 0.0
            for i in h.indices { dot += h[i] * dH[i] }
            return h.indices.map { h[$0] * (dH[$0] - dot) }
        default:
            return z.indices.map { derivativeElement(z: z[$0], h: h[$0]) * dH[$0] }
        }
    }

    /// σ(z) without overflow; 1 − σ(z) is σ(−z), which keeps its precision where σ(z) rounds to 1.
    public static func sigmoid(_ z: Double) -> Double {
        // Two branches keep exp's argument non-positive, so neither branch overflows.
        if z >= 0 { return 1 / (1 + Foundation.exp(-z)) }
        let e = Foundation.exp(z)
        return e / (1 + e)
    }

    /// log(1 + e^z), computed as max(z, 0) + log1p(e^−|z|) so it neither overflows nor loses
    /// precision for large |z|.
    public static func softplus(_ z: Double) -> Double {
        // log(1 + e^z) = max(z, 0) + log1p(e^−|z|), stable for large |z|.
        max(z, 0) + Foundation.log1p(Foundation.exp(-abs(z)))
    }
}
