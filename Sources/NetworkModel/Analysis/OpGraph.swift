import Foundation

/// The network's forward pass as a graph of scalar operations, the picture micrograd draws:
/// per unit one `×` per incoming weight (H_j^(L−1) · w_jk^(L)), one `+` adding the products
/// and the bias into Z_k^(L), the activation giving H_k^(L); then the loss's own operations
/// (for RSS: Y − H, (·)², Σ). Every value carries its gradient ∂Loss/∂value and every
/// operation the local derivative of each output by each input, so the chain rule can be
/// checked at every node: grad(in) = Σ over the operations it feeds of grad(out) · ∂out/∂in.
///
/// Named quantities (x, w, b, Z, H, Y, Loss) take their values and gradients from the solved
/// network; only the intermediates (products, the loss's terms) are computed here.
public struct OpGraph: Sendable {
    /// Which value a node holds.
    public enum Name: Hashable, Sendable {
        /// A quantity of the network: x, w, b, Z, H, Y or the loss.
        case quantity(Quantity)
        /// H_j^(l−1) · w_jk^(l).
        case product(layer: Int, j: Int, k: Int)
        /// Y_k − H_k^(L).
        case residual(Int)
        /// (Y_k − H_k^(L))².
        case square(Int)
        /// The loss's term of output k: −[Y log H + (1 − Y) log(1 − H)] or −Y log H.
        case term(Int)
    }

    /// One node of the graph: a scalar, its value in this pass and its gradient.
    public struct Value: Sendable {
        /// Which scalar this is.
        public var name: Name
        /// Its value in the solved forward pass.
        public var value: Double
        /// ∂Loss/∂value; nil for data the loss is not differentiated by (the targets).
        public var gradient: Double?
    }

    /// What an operation computes.
    public enum Kind: Equatable, Sendable {
        /// H_j^(L−1) · w_jk^(L): two inputs, one product.
        case multiply
        /// Σ of the products plus the bias: Z_k^(L).
        case add
        /// An element-wise activation: one input Z, one output H.
        case activation(Activation)
        /// Softmax: every Z of the output layer in, every H out (its Jacobian is full).
        case softmax
        /// Y − H.
        case subtract
        /// (Y − H)².
        case square
        /// c · Σ of the inputs: c = 1 (RSS, BCE, cross-entropy), ½ (half SSE), 1/n (MSE).
        case sum(scale: Double)
        /// −[Y log H + (1 − Y) log(1 − H)] for one output.
        case binaryCrossEntropy
        /// −Y_k log H_k for one output of a softmax.
        case crossEntropy
    }

    /// One operation: its kind, the values it reads and writes, and its local derivatives.
    public struct Operation: Sendable {
        /// What the operation computes.
        public var kind: Kind
        /// Indices into `values`.
        public var inputs: [Int]
        /// Indices into `values`.
        public var outputs: [Int]
        /// local[o][i] = ∂outputs[o] / ∂inputs[i], at this pass's values.
        public var local: [[Double]]
    }

    /// Every scalar: the named quantities and the intermediates, in the order they were created.
    public private(set) var values: [Value] = []
    /// In forward (topological) order: every operation comes after those computing its inputs.
    public private(set) var operations: [Operation] = []
    /// Where the output layer's ∂Loss/∂Z comes from a closed form (sigmoid with BCE, softmax
    /// with cross-entropy) rather than from the chain through H: the graph still shows the
    /// chain, and its product equals the closed form.
    public let fusedOutputGradient: Bool

    private var index: [Name: Int] = [:]

    /// The value's position in `values`.
    public func position(of name: Name) -> Int? { index[name] }

    /// The number of operations the graph of a network has, without building it.
    public static func operationCount(_ network: Network) -> Int {
        var n = 0
        for layer in network.layers {
            n += layer.weights.rows * layer.units + layer.units
            n += layer.activation == .softmax ? 1 : layer.units
        }
        switch network.loss {
        case .rss, .halfSSE, .mse: n += 2 * network.target.count + 1
        case .bce, .crossEntropy: n += network.target.count + 1
        }
        return n
    }

    /// The graph of a solved network, with the solution's values and gradients.
    public init(solution s: Solution) {
        let net = s.network
        let L = net.depth
        let out = net.layers[L - 1].activation
        fusedOutputGradient = net.loss.hasFusedOutputGradient(out)

        func value(_ q: Quantity) -> Int { add(.quantity(q), s.value(of: q), s.value(of: .gradient(q))) }

        for i in 1...net.input.count { _ = value(.input(i)) }
        for l in 1...L {
            let layer = net.layers[l - 1]
            var zs: [Int] = []
            for k in 1...layer.units {
                var terms: [Int] = []
                for j in 1...layer.weights.rows {
                    let h = index[.quantity(.output(layer: l - 1, k: j))]!
                    let w = value(.weight(layer: l, j: j, k: k))
                    // The product feeds a sum, whose local derivative is 1: its gradient is ∂Loss/∂Z.
                    let p = add(.product(layer: l, j: j, k: k), values[h].value * values[w].value, s.dZ[l][k - 1])
                    operations.append(Operation(kind: .multiply, inputs: [h, w], outputs: [p], local: [[values[w].value, values[h].value]]))
                    terms.append(p)
                }
                terms.append(value(.bias(layer: l, k: k)))
                let z = value(.preactivation(layer: l, k: k))
                operations.append(Operation(kind: .add, inputs: terms, outputs: [z], local: [terms.map { _ in 1 }]))
                zs.append(z)
            }
            if layer.activation == .softmax {
                let hs = (1...layer.units).map { value(.activation(layer: l, k: $0)) }
                let h = hs.map { values[$0].value }
                // ∂H_i/∂Z_j = H_i (δ_ij − H_j).
                let jacobian = h.indices.map { i in h.indices.map { j in h[i] * ((i == j ? 1 : 0) - h[j]) } }
                operations.append(Operation(kind: .softmax, inputs: zs, outputs: hs, local: jacobian))
            } else {
                for (k, z) in zs.enumerated() {
                    let h = value(.activation(layer: l, k: k + 1))
                    let d = layer.activation.derivativeElement(z: values[z].value, h: values[h].value)
                    operations.append(Operation(kind: .activation(layer.activation), inputs: [z], outputs: [h], local: [[d]]))
                }
            }
        }

        // The loss's own operations.
        let n = net.target.count
        let outputs = (1...n).map { index[.quantity(.activation(layer: L, k: $0))]! }
        let targets = (1...n).map { add(.quantity(.target($0)), net.target[$0 - 1], nil) }
        var terms: [Int] = []
        let scale: Double
        switch net.loss {
        case .rss, .halfSSE, .mse:
            scale = net.loss == .rss ? 1 : net.loss == .halfSSE ? 0.5 : 1 / Double(n)
            for k in 0..<n {
                let r = net.target[k] - values[outputs[k]].value
                let d = add(.residual(k + 1), r, scale * 2 * r)
                operations.append(Operation(kind: .subtract, inputs: [targets[k], outputs[k]], outputs: [d], local: [[1, -1]]))
                let sq = add(.square(k + 1), r * r, scale)
                operations.append(Operation(kind: .square, inputs: [d], outputs: [sq], local: [[2 * r]]))
                terms.append(sq)
            }
        case .bce:
            scale = 1
            for k in 0..<n {
                let y = net.target[k], z = s.Z[L][k]
                // From Z, as the model computes the loss: log σ(z) = −softplus(−z).
                let term = y * Activation.softplus(-z) + (1 - y) * Activation.softplus(z)
                let t = add(.term(k + 1), term, 1)
                operations.append(Operation(kind: .binaryCrossEntropy, inputs: [outputs[k], targets[k]], outputs: [t],
                                            // ∂term/∂ŷ is the model's ∂Loss/∂ŷ, written from Z: (ŷ − y)/(ŷ(1 − ŷ))
                                            // would be 0/0 once σ(z) rounds to 1.
                                            local: [[s.dH[L][k], -z]]))
                terms.append(t)
            }
        case .crossEntropy:
            scale = 1
            let z = s.Z[L]
            let m = z.max() ?? 0
            let logSum = m + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - m) })
            for k in 0..<n {
                let y = net.target[k]
                let logH = z[k] - logSum
                let t = add(.term(k + 1), y == 0 ? 0 : -y * logH, 1)
                operations.append(Operation(kind: .crossEntropy, inputs: [outputs[k], targets[k]], outputs: [t],
                                            // −y/ŷ from log-softmax (the model's ∂Loss/∂ŷ): −y/0 once ŷ underflows.
                                            local: [[s.dH[L][k], -logH]]))
                terms.append(t)
            }
        }
        let loss = add(.quantity(.loss), s.loss, 1)
        operations.append(Operation(kind: .sum(scale: scale), inputs: terms, outputs: [loss], local: [terms.map { _ in scale }]))
    }

    private mutating func add(_ name: Name, _ value: Double, _ gradient: Double?) -> Int {
        values.append(Value(name: name, value: value, gradient: gradient))
        index[name] = values.count - 1
        return values.count - 1
    }

    /// The operations each value feeds, in forward order.
    func consumers() -> [[Int]] {
        var result = Array(repeating: [Int](), count: values.count)
        for (o, op) in operations.enumerated() { for i in op.inputs { result[i].append(o) } }
        return result
    }

    /// The operation that computes each value (nil for given values).
    func producers() -> [Int?] {
        var result = [Int?](repeating: nil, count: values.count)
        for (o, op) in operations.enumerated() { for v in op.outputs { result[v] = o } }
        return result
    }
}
