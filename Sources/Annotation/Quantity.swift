/// Every number a diagram can show, named so a slide can say which ones are known yet.
/// Indices are 1-based as in the notation; `layer` is L.
public enum Quantity: Hashable, Sendable {
    case input(Int)
    case weight(layer: Int, j: Int, k: Int)
    case bias(layer: Int, k: Int)
    case target
    case preactivation(layer: Int, k: Int)
    case activation(layer: Int, k: Int)
    case loss
    case dActivation(layer: Int, k: Int)
    case dPreactivation(layer: Int, k: Int)
    case dBias(layer: Int, k: Int)
    case dWeight(layer: Int, j: Int, k: Int)
    case dInput(Int)

    /// Given data: known from the first frame on.
    public var isGiven: Bool {
        switch self {
        case .input, .weight, .bias, .target: true
        default: false
        }
    }
}
