import Foundation

/// The `bpviz values --format json` document of SPEC.md. Numbers stay full-precision
/// doubles; JSONEncoder writes the shortest text that reads back to the same double.
public struct ValuesExport: Codable, Equatable, Sendable {
    public struct Loss: Codable, Equatable, Sendable {
        public var function: String
        public var value: Double
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

    public init(_ s: Solution) {
        let net = s.network
        name = net.name
        loss = Loss(function: net.loss.rawValue, value: s.loss)
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

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
