import Foundation

/// The `bpviz values --format json` document of SPEC.md. Numbers stay full-precision
/// doubles; JSONEncoder writes the shortest text that reads back to the same double.
public struct ValuesExport: Codable, Equatable, Sendable {
    public struct Loss: Codable, Equatable, Sendable {
        public var function: String
        public var value: Double
        /// With a data set: `mean` or `sum`, how the samples' losses make `value`.
        public var reduction: String? = nil
    }

    /// With a data set: one sample's forward values (layers 1…L).
    public struct SampleValues: Codable, Equatable, Sendable {
        public struct LayerValues: Codable, Equatable, Sendable {
            public var index: Int
            public var Z: [Double]
            public var H: [Double]
        }
        public var index: Int
        public var input: [Double]
        public var target: [Double]
        public var output: [Double]
        public var loss: Double
        public var layers: [LayerValues]
    }

    public struct LayerValues: Codable, Equatable, Sendable {
        public var index: Int
        public var units: Int?
        public var activation: String?
        public var slope: Double?
        public var W: [[Double]]?
        public var b: [Double]?
        public var Z: [Double]?
        public var H: [Double]
        public var dZ: [Double]?
        public var dH: [Double]
        public var dW: [[Double]]?
        public var db: [Double]?
    }

    public struct UpdatedLayer: Codable, Equatable, Sendable {
        public var index: Int
        public var W: [[Double]]
        public var b: [Double]
    }

    public struct Update: Codable, Equatable, Sendable {
        public var learning_rate: Double
        public var layers: [UpdatedLayer]
    }

    public var name: String?
    public var loss: Loss
    public var input: [Double]
    public var target: [Double]
    public var output: [Double]
    public var dX: [Double]
    public var layers: [LayerValues]
    public var update: Update?
    /// With a data set: the 1-based index of the sample whose values `input`, `target`,
    /// `output` and the layers' Z and H are, and every sample's forward values.
    public var sample: Int?
    public var samples: [SampleValues]?

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
