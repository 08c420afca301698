/// Every value of one forward and backward pass. Arrays are indexed by layer L, with
/// index 0 the input layer (which has H and dH only; its Z, W and b arrays are empty).
public struct Solution: Equatable, Sendable {
    /// The network that was solved.
    public var network: Network
    /// Z[L][k-1] is Z_k^(L), the weighted sum into unit k of layer L; Z[0] is empty.
    public var Z: [[Double]]
    /// H[L][k-1] is H_k^(L), the activation of unit k of layer L; H[0] is the input.
    public var H: [[Double]]
    /// The loss (the batch loss with a data set).
    public var loss: Double
    /// dZ[L][k-1] is ∂Loss/∂Z_k^(L); dZ[0] is empty.
    public var dZ: [[Double]]
    /// dH[L][k-1] is ∂Loss/∂H_k^(L); dH[0] is ∂Loss/∂X.
    public var dH: [[Double]]
    /// dW[L][j-1, k-1] is ∂Loss/∂w_jk^(L), shaped as layer L's weights; dW[0] is empty.
    public var dW: [Matrix]
    /// db[L][k-1] is ∂Loss/∂b_k^(L); db[0] is empty.
    public var db: [[Double]]
    /// Weights and biases after one gradient-descent step, when a learning rate is known.
    public var update: Update?
    /// Set when the network has a data set: then `loss`, `dW`, `db` (and the update) are the
    /// batch's, `Z` and `H` are the shown sample's forward values, and `dZ`, `dH`, `dX` are the
    /// batch loss's derivatives with respect to the shown sample's values.
    public var batch: Batch? = nil

    /// The parameters after one gradient-descent step, W′ = W − η ∂Loss/∂W and b′ = b − η ∂Loss/∂b.
    public struct Update: Equatable, Sendable {
        /// η.
        public var learningRate: Double
        /// W[L] is layer L's weights after the step; W[0] is empty.
        public var W: [Matrix]
        /// b[L] is layer L's biases after the step; b[0] is empty.
        public var b: [[Double]]
    }

    /// The output layer's activations, the network's prediction.
    public var output: [Double] { H[H.count - 1] }
    /// ∂Loss/∂X.
    public var dX: [Double] { dH[0] }
}
