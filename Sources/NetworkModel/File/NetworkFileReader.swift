import Yams

/// Walks the node tree of one network file, checking each value where it stands.
enum NetworkKeys {
    static let top = ["name", "input", "target", "data", "loss", "loss_reduction", "notation", "layers", "learning_rate"]
    static let layer = ["units", "activation", "weights", "bias", "slope"]
    static let initRecipe = ["init", "seed", "low", "high", "std"]
}

/// The network file's structure, checked value by value.
extension YAMLReader {

    func network(_ root: Node, limits: NetworkFile.Limits) throws -> Network {
        let top = try mapping(root, what: "the network file", allowed: NetworkKeys.top, context: "")
        let name = try top["name"].map { try printableText($0, what: "`name`", maxLength: NetworkFile.maxNameLength, expected: "a title") }
        // With `data:`, a top-level input/target is optional; when given it is sample 1.
        var samples: [SampleNodes] = []
        if top["data"] == nil || top["input"] != nil || top["target"] != nil {
            let withData = top["data"] == nil ? "" : " (or neither, with `data`)"
            guard let inputNode = top["input"] else { throw missing("input", in: root, expected: "the input values X, e.g. `input: [1, 2, -1]`" + withData) }
            guard let targetNode = top["target"] else { throw missing("target", in: root, expected: "the target values Y, e.g. `target: [0]`" + withData) }
            let input = try numbers(inputNode, what: "`input`")
            guard !input.isEmpty else { throw error(at: inputNode, "`input` is empty; expected at least one input value") }
            samples.append(SampleNodes(sample: Sample(input: input, target: try numbers(targetNode, what: "`target`")),
                                       inputNode: inputNode, targetNode: targetNode))
        }
        guard let layersNode = top["layers"] else { throw missing("layers", in: root, expected: "a list of layers, hidden first, output last") }
        if let dataNode = top["data"] { samples += try dataSamples(dataNode, first: samples.count + 1) }
        try checkRectangular(samples)
        let reduction = try top["loss_reduction"].map { try lossReduction($0) } ?? .mean
        let inputNode = samples[0].inputNode, targetNode = samples[0].targetNode
        let input = samples[0].sample.input
        guard input.count <= NetworkFile.maxUnits else {
            throw error(at: inputNode, "`input` has \(input.count) values; expected at most \(NetworkFile.maxUnits)")
        }
        let target = samples[0].sample.target

        var lossFunction = LossFunction.rss
        if let lossNode = top["loss"] {
            let text = try string(lossNode, what: "`loss`")
            guard let parsed = LossFunction(fileName: text) else {
                throw error(at: lossNode, "unknown loss `\(text)`\(suggestion(text, LossFunction.knownNames)); expected one of \(LossFunction.knownNames.joined(separator: ", "))")
            }
            lossFunction = parsed
        }

        var notation = Notation()
        if let notationNode = top["notation"] {
            let map = try mapping(notationNode, what: "`notation`", allowed: Notation.keys, context: "notation ")
            func symbol(_ key: String) throws -> String? {
                guard let node = map[key] else { return nil }
                let text = try printableText(node, what: "`notation.\(key)`", maxLength: 16, expected: "a short symbol")
                guard !text.isEmpty else {
                    throw error(at: node, "`notation.\(key)` is `\(text)`; expected a short symbol of 1 to 16 characters on one line")
                }
                return text
            }
            notation.input = try symbol("input") ?? notation.input
            notation.activation = try symbol("activation") ?? notation.activation
            notation.preactivation = try symbol("preactivation") ?? notation.preactivation
            notation.weight = try symbol("weight") ?? notation.weight
            notation.bias = try symbol("bias") ?? notation.bias
            notation.loss = try symbol("loss") ?? notation.loss
        }

        var learningRate: Double?
        if let node = top["learning_rate"] {
            learningRate = try number(node, what: "`learning_rate`")
        }

        guard case .sequence(let layerList) = layersNode else {
            throw error(at: layersNode, "`layers` is \(kind(layersNode)); expected a list of layers")
        }
        let layerSequence = try items(layerList, of: layersNode)
        guard !layerSequence.isEmpty else {
            throw error(at: layersNode, "`layers` is empty; expected at least the output layer")
        }
        guard layerSequence.count <= NetworkFile.maxLayers else {
            throw error(at: layersNode, "`layers` has \(layerSequence.count) layers; expected at most \(NetworkFile.maxLayers)")
        }
        var layers: [Layer] = []
        var previousUnits = input.count
        var parameters = 0
        for (position, node) in layerSequence.enumerated() {
            let index = position + 1
            let isOutput = position == layerSequence.count - 1
            let layer = try self.layer(node, index: index, previousUnits: previousUnits, isOutput: isOutput,
                                       parameters: &parameters, limits: limits)
            layers.append(layer)
            previousUnits = layer.units
        }

        let network: Network
        do {
            network = try Network(name: name, input: input, target: target, loss: lossFunction, notation: notation,
                                  layers: layers, learningRate: learningRate)
        } catch let problem as NetworkError {
            // The model checks how the parts fit together; point at the part it names.
            let node: Node
            switch problem.part {
            case .input: node = inputNode
            case .target: node = targetNode
            case .loss: node = top["loss"] ?? root
            case .learningRate: node = top["learning_rate"] ?? root
            case .layers, .matrix, .values: node = layersNode
            case .weights(let l), .bias(let l), .activation(let l):
                let layerNode = layerSequence[(l ?? 1) - 1]
                let key = switch problem.part { case .weights: "weights"; case .bias: "bias"; default: "activation" }
                node = (try? mapping(layerNode, what: "", allowed: NetworkKeys.layer, context: ""))?[key] ?? layerNode
            }
            // With a data set, input and target are sample 1's.
            let sample = top["data"] != nil && (problem.part == .input || problem.part == .target) ? "sample 1: " : ""
            throw error(at: node, sample + problem.message)
        }
        return top["data"] == nil ? network : try attach(samples, reduction: reduction, to: network)
    }

    private func layer(_ node: Node, index: Int, previousUnits: Int, isOutput: Bool, parameters: inout Int,
                       limits: NetworkFile.Limits) throws -> Layer {
        let what = "layer \(index)"
        let map = try mapping(node, what: what, allowed: NetworkKeys.layer, context: "\(what) ")
        guard let unitsNode = map["units"] else { throw missing("units", in: node, expected: "the number of units of \(what)", owner: what) }
        let units = try integer(unitsNode, what: "\(what) `units`")
        guard units >= 1 else { throw error(at: unitsNode, "\(what) has \(units) units; expected at least 1") }
        guard units <= NetworkFile.maxUnits else {
            throw error(at: unitsNode, "\(what) has \(units) units; expected at most \(NetworkFile.maxUnits)")
        }
        // Before the weights are drawn or read: a file of a few bytes can ask for 10⁸ of them.
        parameters += units * previousUnits + units
        guard parameters <= limits.maxParameters else {
            throw error(at: unitsNode, "the network has \(parameters) weights and biases up to \(what); expected at most \(limits.maxParameters)\(limits.raise.map { " (\($0))" } ?? "")")
        }

        var activation = Activation.identity
        if let node = map["activation"] {
            let text = try string(node, what: "\(what) `activation`")
            switch text {
            case "identity", "linear": activation = .identity
            case "relu": activation = .relu
            case "leaky_relu": activation = .leakyReLU(slope: 0.01)
            case "sigmoid": activation = .sigmoid
            case "tanh": activation = .tanh
            case "softplus": activation = .softplus
            case "softmax": activation = .softmax
            default:
                throw error(at: node, "\(what): unknown activation `\(text)`\(suggestion(text, Activation.knownNames)); expected one of \(Activation.knownNames.joined(separator: ", "))")
            }
        } else if !isOutput {
            throw missing("activation", in: node, expected: "the activation of hidden \(what), e.g. `activation: relu`", owner: what)
        }
        if let slopeNode = map["slope"] {
            guard case .leakyReLU = activation else {
                throw error(at: slopeNode, "\(what) has `slope`, which only applies to leaky_relu; expected `activation: leaky_relu` or no slope")
            }
            activation = .leakyReLU(slope: try number(slopeNode, what: "\(what) `slope`"))
        }

        let weights: Matrix
        if let node = map["weights"] {
            weights = try self.weights(node, layer: index, rows: previousUnits, columns: units)
        } else {
            throw missing("weights", in: node, expected: "a number, a \(previousUnits) × \(units) matrix or `{ init: he, seed: 1 }`", owner: what)
        }

        var bias = [Double](repeating: 0, count: units)
        if let node = map["bias"] {
            if case .sequence = node {
                bias = try numbers(node, what: "\(what) `bias`")
                guard bias.count == units else {
                    throw error(at: node, "\(what) bias: expected \(units) value\(units == 1 ? "" : "s") (one per unit), got \(bias.count)")
                }
            } else {
                bias = [Double](repeating: try number(node, what: "\(what) `bias`"), count: units)
            }
        }
        do {
            return try Layer(activation: activation, weights: weights, bias: bias)
        } catch let problem as NetworkError {
            throw error(at: node, problem.inLayer(index).message)
        }
    }

    private func weights(_ node: Node, layer: Int, rows: Int, columns: Int) throws -> Matrix {
        let what = "layer \(layer) weights"
        switch node {
        case .scalar:
            return Matrix(rows: rows, columns: columns, repeating: try number(node, what: what))
        case .mapping:
            let map = try mapping(node, what: what, allowed: NetworkKeys.initRecipe, context: "\(what) ")
            guard let kindNode = map["init"] else {
                throw missing("init", in: node, expected: "uniform, normal, xavier or he", owner: what)
            }
            let kind = try string(kindNode, what: "\(what) `init`")
            var seed: UInt64 = 0
            if let seedNode = map["seed"] {
                let value = try integer(seedNode, what: "\(what) `seed`")
                guard value >= 0 else { throw error(at: seedNode, "\(what) seed is \(value); expected a whole number ≥ 0") }
                seed = UInt64(value)
            }
            func only(_ allowed: [String]) throws {
                for key in ["low", "high", "std"] where !allowed.contains(key) {
                    if let extra = map[key] {
                        throw error(at: extra, "\(what): `\(key)` does not apply to init `\(kind)`; expected \(allowed.isEmpty ? "only `init` and `seed`" : allowed.map { "`\($0)`" }.joined(separator: " or "))")
                    }
                }
            }
            let recipe: WeightInit
            switch kind {
            case "uniform":
                try only(["low", "high"])
                let low = try map["low"].map { try number($0, what: "\(what) `low`") } ?? -1
                let high = try map["high"].map { try number($0, what: "\(what) `high`") } ?? 1
                guard low < high else { throw error(at: map["low"] ?? node, "\(what): low \(low) is not below high \(high); expected low < high") }
                recipe = .uniform(low: low, high: high)
            case "normal":
                try only(["std"])
                let std = try map["std"].map { try number($0, what: "\(what) `std`") } ?? 1
                guard std >= 0 else { throw error(at: map["std"]!, "\(what): std is \(std); expected a standard deviation ≥ 0") }
                recipe = .normal(std: std)
            case "xavier": try only([]); recipe = .xavier
            case "he": try only([]); recipe = .he
            default:
                throw error(at: kindNode, "\(what): unknown init `\(kind)`\(suggestion(kind, ["uniform", "normal", "xavier", "he"])); expected uniform, normal, xavier or he")
            }
            let drawn = recipe.matrix(rows: rows, columns: columns, seed: seed, layer: layer)
            if drawn.storage.contains(where: { !$0.isFinite }) {
                throw error(at: map["std"] ?? node, "\(what): init `\(kind)` draws weights too large for a double; expected a smaller std")
            }
            return drawn
        case .sequence(let list):
            let sequence = try items(list, of: node)
            let shape = "expected \(rows) row\(rows == 1 ? "" : "s") × \(columns) column\(columns == 1 ? "" : "s") (units of layer \(layer - 1) × units of layer \(layer))"
            var matrix = Matrix(rows: rows, columns: columns)
            let gotRows = sequence.count
            var rowLengths: [Int] = []
            for row in sequence {
                if case .sequence(let r) = row { rowLengths.append(count(of: r, at: row)) } else {
                    throw error(at: row, "\(what): a row is \(kind(row)); \(shape), each row a list")
                }
            }
            if gotRows != rows || rowLengths.contains(where: { $0 != columns }) {
                let widths = Set(rowLengths)
                let got = widths.count <= 1 ? "\(gotRows) × \(widths.first ?? 0)" : "\(gotRows) rows of lengths \(rowLengths.map(String.init).joined(separator: ", "))"
                throw error(at: node, "\(what): \(shape), got \(got)")
            }
            for (j, row) in sequence.enumerated() {
                let values = try numbers(row, what: what)
                for k in 0..<columns { matrix[j, k] = values[k] }
            }
            return matrix
        case .alias:
            throw error(at: node, "\(what) uses a YAML alias; expected the weights written out (anchors and aliases are not supported)")
        }
    }
}
