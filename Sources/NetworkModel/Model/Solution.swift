/// Every value of one forward and backward pass. Arrays are indexed by layer L, with
/// index 0 the input layer (which has H and dH only; its Z, W and b arrays are empty).
public struct Solution: Equatable, Sendable {
    public var network: Network
    public var Z: [[Double]]
    public var H: [[Double]]
    public var loss: Double
    public var dZ: [[Double]]
    public var dH: [[Double]]
    public var dW: [Matrix]
    public var db: [[Double]]
    /// Weights and biases after one gradient-descent step, when a learning rate is known.
    public var update: Update?
    /// Set when the network has a data set: then `loss`, `dW`, `db` (and the update) are the
    /// batch's, `Z` and `H` are the shown sample's forward values, and `dZ`, `dH`, `dX` are the
    /// batch loss's derivatives with respect to the shown sample's values.
    public var batch: Batch? = nil

    public struct Update: Equatable, Sendable {
        public var learningRate: Double
        public var W: [Matrix]
        public var b: [[Double]]
    }

    public var output: [Double] { H[H.count - 1] }
    /// ∂Loss/∂X.
    public var dX: [Double] { dH[0] }
}
