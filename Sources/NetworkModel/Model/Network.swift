/// One layer after the input: its activation, incoming weights and biases. The number of
/// units is the weights' column count, so it cannot disagree with them.
public struct Layer: Equatable, Sendable {
    /// The function from Z to H for every unit of the layer.
    public let activation: Activation
    /// rows = units of the layer before (j), columns = units of this layer (k).
    /// Writable inside the module only, for the gradient check's perturbations.
    public internal(set) var weights: Matrix
    /// b_k^(L) at `bias[k-1]`, one per unit (column of the weights).
    public internal(set) var bias: [Double]

    /// Throws when the bias does not have one value per column of the weights, when a value
    /// is not finite, or when the layer has no units.
    public init(activation: Activation, weights: Matrix, bias: [Double]) throws {
        guard weights.rows >= 1, weights.columns >= 1 else {
            throw NetworkError(.weights(layer: nil), "the weights are \(weights.rows) × \(weights.columns); expected at least one row (unit before) and one column (unit of this layer)")
        }
        guard bias.count == weights.columns else {
            throw NetworkError(.bias(layer: nil), "bias has \(bias.count) value\(bias.count == 1 ? "" : "s"); expected \(weights.columns), one per column of the weights")
        }
        if let i = weights.storage.firstIndex(where: { !$0.isFinite }) {
            throw NetworkError(.weights(layer: nil), "weight w_\(i / weights.columns + 1),\(i % weights.columns + 1) is \(weights.storage[i]); expected a finite number")
        }
        if let k = bias.firstIndex(where: { !$0.isFinite }) {
            throw NetworkError(.bias(layer: nil), "bias b_\(k + 1) is \(bias[k]); expected a finite number")
        }
        if case .leakyReLU(let slope) = activation, !slope.isFinite {
            throw NetworkError(.activation(layer: nil), "the leaky_relu slope is \(slope); expected a finite number")
        }
        self.activation = activation
        self.weights = weights
        self.bias = bias
    }

    /// Units of this layer: the weights' columns.
    public var units: Int { weights.columns }
}

/// The symbols a course writes; the defaults are the worked example's, except the input,
/// which is `x` unless the file says otherwise (question 1 says `α`).
public struct Notation: Equatable, Sendable {
    /// The input units' symbol, x_i.
    public var input = "x"
    /// The activations' symbol, H_k^(L).
    public var activation = "H"
    /// The pre-activations' symbol, Z_k^(L).
    public var preactivation = "Z"
    /// The weights' symbol, w_jk^(L).
    public var weight = "w"
    /// The biases' symbol, b_k^(L).
    public var bias = "b"
    /// The loss's symbol, as in ∂Loss/∂w.
    public var loss = "Loss"

    /// The worked example's symbols: x, H, Z, w, b, Loss.
    public init() {}

    /// The keys of a network file's `notation:` mapping, one per property.
    public static let keys = ["input", "activation", "preactivation", "weight", "bias", "loss"]
}

/// A network as a file describes it: validated, every weight known, every shape consistent.
/// Only the throwing initializer makes one, so `solve()` never meets mismatched shapes.
public struct Network: Equatable, Sendable {
    /// Presentation only: renaming cannot make a network inconsistent.
    public var name: String?
    /// The input X, the values of layer 0 (of the shown sample, with a data set).
    public internal(set) var input: [Double]
    /// The target Y, one value per output unit (of the shown sample, with a data set).
    public let target: [Double]
    /// The loss the backward pass differentiates.
    public let loss: LossFunction
    /// Presentation only, like `name`.
    public var notation: Notation
    /// Hidden layers first, the output layer last. Layer index L = position + 1.
    public internal(set) var layers: [Layer]
    /// η for the one gradient step `solve()` adds to the solution; nil: no step.
    public let learningRate: Double?
    /// The file's `data:` set, when it has one; `input` and `target` are then its shown sample.
    public internal(set) var data: DataSet?

    /// Throws a `NetworkError` naming the first inconsistency: an empty or non-finite input,
    /// a layer whose weights do not have one row per unit of the layer before, softmax on a
    /// hidden layer, a target of the wrong length or range for the loss, an output activation
    /// the loss cannot use, or a learning rate that is not a positive finite number.
    public init(name: String? = nil, input: [Double], target: [Double], loss: LossFunction,
                notation: Notation = Notation(), layers: [Layer], learningRate: Double? = nil) throws {
        guard !input.isEmpty else { throw NetworkError(.input, "`input` is empty; expected at least one input value") }
        if let i = input.firstIndex(where: { !$0.isFinite }) {
            throw NetworkError(.input, "input value \(i + 1) is \(input[i]); expected a finite number")
        }
        guard !layers.isEmpty else { throw NetworkError(.layers, "`layers` is empty; expected at least the output layer") }
        var previous = input.count
        for (position, layer) in layers.enumerated() {
            let l = position + 1
            guard layer.weights.rows == previous else {
                throw NetworkError(.weights(layer: l), "layer \(l) weights have \(layer.weights.rows) row\(layer.weights.rows == 1 ? "" : "s"); expected \(previous), one per unit of layer \(l - 1)")
            }
            if layer.activation == .softmax, l < layers.count {
                throw NetworkError(.activation(layer: l), "layer \(l) uses softmax, which is only allowed on the output layer; expected another activation for a hidden layer")
            }
            previous = layer.units
        }
        let output = layers[layers.count - 1]
        guard target.count == output.units else {
            throw NetworkError(.target, "`target` has \(target.count) value\(target.count == 1 ? "" : "s"); expected \(output.units), the number of units of the output layer \(layers.count)")
        }
        if let i = target.firstIndex(where: { !$0.isFinite }) {
            throw NetworkError(.target, "target value \(i + 1) is \(target[i]); expected a finite number")
        }
        if let required = loss.requiredOutputActivation, output.activation.name != required {
            throw NetworkError(.loss, "loss `\(loss.rawValue)` needs a \(required) output layer, but layer \(layers.count) uses \(output.activation.name); expected `activation: \(required)` on the output layer or another loss")
        }
        switch loss {
        case .bce:
            if let bad = target.first(where: { $0 < 0 || $0 > 1 }) {
                throw NetworkError(.target, "`target` contains \(bad); expected values between 0 and 1 for bce")
            }
        case .crossEntropy:
            if let bad = target.first(where: { $0 < 0 }) {
                throw NetworkError(.target, "`target` contains \(bad); expected non-negative class probabilities for cross_entropy")
            }
        default: break
        }
        if let eta = learningRate, !(eta > 0 && eta.isFinite) {
            throw NetworkError(.learningRate, "`learning_rate` is \(eta); expected a positive number")
        }
        self.name = name
        self.input = input
        self.target = target
        self.loss = loss
        self.notation = notation
        self.layers = layers
        self.learningRate = learningRate
    }

    /// The same network with every layer's weights and biases replaced (index 1...L, as
    /// `Solution.Update`), for example after a gradient step. Throws as the initializer does.
    public func replacingParameters(W: [Matrix], b: [[Double]]) throws -> Network {
        guard W.count == layers.count + 1, b.count == layers.count + 1 else {
            throw NetworkError(.layers, "\(W.count - 1) weight matrices and \(b.count - 1) bias vectors for \(layers.count) layers; expected one of each per layer")
        }
        let replaced = try layers.indices.map { i in
            do {
                return try Layer(activation: layers[i].activation, weights: W[i + 1], bias: b[i + 1])
            } catch let error as NetworkError {
                throw error.inLayer(i + 1)
            }
        }
        return try Network(name: name, input: input, target: target, loss: loss, notation: notation,
                           layers: replaced, learningRate: learningRate)
    }

    /// Units per layer, input layer first: [3, 2, 2, 1] for question 1.
    public var widths: [Int] { [input.count] + layers.map(\.units) }

    /// The widths as a course writes them, "3-2-2-1"; past twelve layers the middle is cut
    /// ("1-17-17-…-17-1, 1001 layers") so a message about a deep network stays one short line.
    public var shape: String {
        let w = widths.map(String.init)
        guard w.count > 12 else { return w.joined(separator: "-") }
        return (w.prefix(3) + ["…"] + w.suffix(2)).joined(separator: "-") + ", \(w.count) layers"
    }

    /// Number of the last layer (the output layer), L.
    public var depth: Int { layers.count }

    /// The parameters in a stable order, for checks and updates.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weights.storage.count + $1.bias.count } }

    /// The weights alone, one per edge between units: what a labelled view labels.
    public var weightCount: Int { layers.reduce(0) { $0 + $1.weights.storage.count } }
}

/// Why a `Network`, `Layer` or `Matrix` could not be made: what is inconsistent, as one
/// sentence, and which part of the network it is about (so a file reader can point at it).
public struct NetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The part of a network a complaint is about.
    public enum Part: Equatable, Sendable {
        /// The network's input, target, loss, learning rate or list of layers, or a matrix on its own.
        case input, target, loss, learningRate, layers, matrix
        /// Values handed to an export (`ValuesExport`), not a part of the network itself.
        case values
        /// A layer's parts; `layer` is nil when the layer was checked on its own.
        case weights(layer: Int?), bias(layer: Int?), activation(layer: Int?)
    }

    /// Which part is inconsistent (layers are 1-based).
    public let part: Part
    /// What is inconsistent and what was expected, as one sentence.
    public let message: String

    /// A complaint about `part`.
    public init(_ part: Part, _ message: String) {
        self.part = part
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// The same complaint about layer `l`, when it was made about a layer on its own.
    func inLayer(_ l: Int) -> NetworkError {
        switch part {
        case .weights(nil): NetworkError(.weights(layer: l), "layer \(l): \(message)")
        case .bias(nil): NetworkError(.bias(layer: l), "layer \(l): \(message)")
        case .activation(nil): NetworkError(.activation(layer: l), "layer \(l): \(message)")
        default: self
        }
    }
}
