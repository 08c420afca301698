/// One layer after the input: its width, activation, incoming weights and biases.
public struct Layer: Equatable, Sendable {
    public var units: Int
    public var activation: Activation
    /// rows = units of the layer before (j), columns = units of this layer (k).
    public var weights: Matrix
    public var bias: [Double]

    public init(units: Int, activation: Activation, weights: Matrix, bias: [Double]) {
        self.units = units
        self.activation = activation
        self.weights = weights
        self.bias = bias
    }
}

/// The symbols a course writes; the defaults are the worked example's, except the input,
/// which is `x` unless the file says otherwise (question 1 says `α`).
public struct Notation: Equatable, Sendable {
    public var input = "x"
    public var activation = "H"
    public var preactivation = "Z"
    public var weight = "w"
    public var bias = "b"
    public var loss = "Loss"

    public init() {}

    public static let keys = ["input", "activation", "preactivation", "weight", "bias", "loss"]
}

/// A network as a file describes it: validated, every weight known.
public struct Network: Equatable, Sendable {
    public var name: String?
    public var input: [Double]
    public var target: [Double]
    public var loss: LossFunction
    public var notation: Notation
    /// Hidden layers first, the output layer last. Layer index L = position + 1.
    public var layers: [Layer]
    public var learningRate: Double?

    public init(name: String? = nil, input: [Double], target: [Double], loss: LossFunction,
                notation: Notation = Notation(), layers: [Layer], learningRate: Double? = nil) {
        self.name = name
        self.input = input
        self.target = target
        self.loss = loss
        self.notation = notation
        self.layers = layers
        self.learningRate = learningRate
    }

    /// Units per layer, input layer first: [3, 2, 2, 1] for question 1.
    public var widths: [Int] { [input.count] + layers.map(\.units) }

    /// Number of the last layer (the output layer), L.
    public var depth: Int { layers.count }

    /// The parameters in a stable order, for checks and updates.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weights.storage.count + $1.bias.count } }
}
