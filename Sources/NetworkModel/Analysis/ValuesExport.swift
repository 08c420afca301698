import Foundation

/// The `bpviz values --format json` document of SPEC.md. Numbers stay full-precision
/// doubles; JSONEncoder writes the shortest text that reads back to the same double.
public struct ValuesExport: Codable, Equatable, Sendable {
    /// The `loss` object: which function and its value.
    public struct Loss: Codable, Equatable, Sendable {
        /// The loss's file name: `rss`, `half_sse`, `mse`, `bce` or `cross_entropy`.
        public var function: String
        /// The loss of this pass (the batch loss with a data set).
        public var value: Double
        /// With a data set: `mean` or `sum`, how the samples' losses make `value`.
        public var reduction: String? = nil
    }

    /// With a data set: one sample's forward values (layers 1…L).
    public struct SampleValues: Codable, Equatable, Sendable {
        /// One layer's forward values for one sample.
        public struct LayerValues: Codable, Equatable, Sendable {
            /// The layer L, 1…L.
            public var index: Int
            /// Z^(L) for this sample.
            public var Z: [Double]
            /// H^(L) for this sample.
            public var H: [Double]
        }
        /// The sample's 1-based position in the data set.
        public var index: Int
        /// The sample's input X.
        public var input: [Double]
        /// The sample's target Y.
        public var target: [Double]
        /// The output layer's H for this sample.
        public var output: [Double]
        /// This sample's own loss, before the reduction.
        public var loss: Double
        /// Layers 1…L.
        public var layers: [LayerValues]
    }

    /// One entry of `layers`: layer 0 (the input) carries only `H` and `dH`; layers 1…L carry
    /// their parameters, every value of the pass and every gradient. Matrices are rows j (unit of
    /// the layer before), columns k (unit of this layer).
    public struct LayerValues: Codable, Equatable, Sendable {
        /// The layer L; 0 is the input layer.
        public var index: Int
        /// The number of units; nil for layer 0.
        public var units: Int?
        /// The activation's file name (`relu`, `leaky_relu`, …); nil for layer 0.
        public var activation: String?
        /// The leaky_relu slope, for that activation only.
        public var slope: Double?
        /// W^(L): W[j−1][k−1] is w_jk^(L).
        public var W: [[Double]]?
        /// b^(L).
        public var b: [Double]?
        /// Z^(L); nil for layer 0.
        public var Z: [Double]?
        /// H^(L) (the input X for layer 0).
        public var H: [Double]
        /// ∂Loss/∂Z^(L); nil for layer 0.
        public var dZ: [Double]?
        /// ∂Loss/∂H^(L) (∂Loss/∂X for layer 0).
        public var dH: [Double]
        /// ∂Loss/∂W^(L), shaped as `W`.
        public var dW: [[Double]]?
        /// ∂Loss/∂b^(L).
        public var db: [Double]?
    }

    /// One layer's parameters after the gradient step.
    public struct UpdatedLayer: Codable, Equatable, Sendable {
        /// The layer L, 1…L.
        public var index: Int
        /// W′^(L) = W^(L) − η ∂Loss/∂W^(L), shaped as `LayerValues/W`.
        public var W: [[Double]]
        /// b′^(L) = b^(L) − η ∂Loss/∂b^(L).
        public var b: [Double]
    }

    /// The `update` object: one gradient-descent step with the network's learning rate.
    public struct Update: Codable, Equatable, Sendable {
        /// η, as the file gave it (the key is snake_case, as in the JSON).
        public var learning_rate: Double
        /// Layers 1…L after the step.
        public var layers: [UpdatedLayer]
    }

    /// The network's title, when the file has one.
    public var name: String?
    /// Which loss, and its value.
    public var loss: Loss
    /// The input X (of the shown sample, with a data set).
    public var input: [Double]
    /// The target Y (of the shown sample, with a data set).
    public var target: [Double]
    /// The output layer's H.
    public var output: [Double]
    /// ∂Loss/∂X.
    public var dX: [Double]
    /// Layer 0 (the input) first, then layers 1…L.
    public var layers: [LayerValues]
    /// The parameters after one step, when the network has a learning rate.
    public var update: Update?
    /// With a data set: the 1-based index of the sample whose values `input`, `target`,
    /// `output` and the layers' Z and H are, and every sample's forward values.
    public var sample: Int?
    /// With a data set: every sample's forward values, in file order.
    public var samples: [SampleValues]?

    /// The document of a solved network.
    public init(_ s: Solution) {
        let net = s.network
        name = net.name
        loss = Loss(function: net.loss.rawValue, value: s.loss, reduction: s.batch?.reduction.rawValue)
        if let batch = s.batch {
            sample = batch.shown + 1
            samples = batch.samples.enumerated().map { i, v in
                SampleValues(index: i + 1, input: v.input, target: v.target, output: v.output, loss: v.loss,
                             layers: (1..<v.Z.count).map { SampleValues.LayerValues(index: $0, Z: v.Z[$0], H: v.H[$0]) })
            }
        }
        input = net.input
        target = net.target
        output = s.output
        dX = s.dX
        layers = [LayerValues(index: 0, units: nil, activation: nil, slope: nil, W: nil, b: nil, Z: nil,
                              H: s.H[0], dZ: nil, dH: s.dH[0], dW: nil, db: nil)]
        for l in 1...net.depth {
            let layer = net.layers[l - 1]
            var slope: Double?
            if case .leakyReLU(let a) = layer.activation { slope = a }
            layers.append(LayerValues(index: l, units: layer.units, activation: layer.activation.name, slope: slope,
                                      W: layer.weights.nested, b: layer.bias, Z: s.Z[l], H: s.H[l],
                                      dZ: s.dZ[l], dH: s.dH[l], dW: s.dW[l].nested, db: s.db[l]))
        }
        if let u = s.update {
            update = Update(learning_rate: u.learningRate,
                            layers: (1...net.depth).map { UpdatedLayer(index: $0, W: u.W[$0].nested, b: u.b[$0]) })
        }
    }

    /// The document as JSON: keys sorted, two-space indentation, each vector on one line and
    /// each matrix row on its own. Written directly rather than through JSONEncoder, whose
    /// intermediate tree costs tens of megabytes for an MNIST-sized network.
    public func jsonData() throws -> Data {
        var w = JSONWriter()
        w.object(0) { o in
            o.field("dX") { $0.vector(dX) }
            o.field("input") { $0.vector(input) }
            o.field("layers") { w in
                w.array(1, layers) { w, layer in
                    w.object(2) { o in
                        o.field("H") { $0.vector(layer.H) }
                        if let v = layer.W { o.field("W") { $0.matrix(v, indent: 4) } }
                        if let v = layer.Z { o.field("Z") { $0.vector(v) } }
                        if let v = layer.activation { o.field("activation") { $0.string(v) } }
                        if let v = layer.b { o.field("b") { $0.vector(v) } }
                        o.field("dH") { $0.vector(layer.dH) }
                        if let v = layer.dW { o.field("dW") { $0.matrix(v, indent: 4) } }
                        if let v = layer.dZ { o.field("dZ") { $0.vector(v) } }
                        if let v = layer.db { o.field("db") { $0.vector(v) } }
                        o.field("index") { $0.number(Double(layer.index)) }
                        if let v = layer.slope { o.field("slope") { $0.number(v) } }
                        if let v = layer.units { o.field("units") { $0.number(Double(v)) } }
                    }
                }
            }
            o.field("loss") { w in
                w.object(1) { o in
                    o.field("function") { $0.string(loss.function) }
                    if let r = loss.reduction { o.field("reduction") { $0.string(r) } }
                    o.field("value") { $0.number(loss.value) }
                }
            }
            if let name { o.field("name") { $0.string(name) } }
            o.field("output") { $0.vector(output) }
            if let sample { o.field("sample") { $0.number(Double(sample)) } }
            if let samples {
                o.field("samples") { w in
                    w.array(1, samples) { w, v in
                        w.object(2) { o in
                            o.field("index") { $0.number(Double(v.index)) }
                            o.field("input") { $0.vector(v.input) }
                            o.field("layers") { w in
                                w.array(3, v.layers) { w, layer in
                                    w.object(4) { o in
                                        o.field("H") { $0.vector(layer.H) }
                                        o.field("Z") { $0.vector(layer.Z) }
                                        o.field("index") { $0.number(Double(layer.index)) }
                                    }
                                }
                            }
                            o.field("loss") { $0.number(v.loss) }
                            o.field("output") { $0.vector(v.output) }
                            o.field("target") { $0.vector(v.target) }
                        }
                    }
                }
            }
            o.field("target") { $0.vector(target) }
            if let update {
                o.field("update") { w in
                    w.object(1) { o in
                        o.field("layers") { w in
                            w.array(2, update.layers) { w, layer in
                                w.object(3) { o in
                                    o.field("W") { $0.matrix(layer.W, indent: 5) }
                                    o.field("b") { $0.vector(layer.b) }
                                    o.field("index") { $0.number(Double(layer.index)) }
                                }
                            }
                        }
                        o.field("learning_rate") { $0.number(update.learning_rate) }
                    }
                }
            }
        }
        if let (key, value) = w.nonFinite {
            throw NetworkError(.values, "the values' `\(key)` holds \(value.isNaN ? "NaN" : (value > 0 ? "+∞" : "−∞")), which JSON cannot represent; expected finite numbers")
        }
        w.bytes.append(10)
        return Data(w.bytes)
    }
}
