import Foundation

/// Why a valid network still could not be solved: a value left the range of a double.
public enum SolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value of the forward or backward pass is too large for a double (or NaN); `what`
    /// names it in the notation (`Z_1^(2)`, `Loss`, `∂Loss/∂H^(3)`).
    case overflow(what: String, value: Double)
    /// A weight or bias after the gradient step is too large for a double; `what` is `w′_11^(1)`.
    case stepOverflow(what: String, value: Double)

    /// One sentence naming the value and what to change.
    public var description: String {
        switch self {
        case let .overflow(what, value):
            "\(what) overflowed to \(Self.shown(value)) during the forward or backward pass; expected finite values (scale the weights or inputs down)"
        case let .stepOverflow(what, value):
            "\(what) overflowed to \(Self.shown(value)) in the gradient step; expected finite values (use a smaller learning rate)"
        }
    }

    private static func shown(_ value: Double) -> String {
        value.isNaN ? "NaN" : (value > 0 ? "+∞" : "−∞")
    }
}

extension Network {
    /// The forward pass: Z^(L) = H^(L−1)·W^(L) + b^(L), H^(L) = f(Z^(L)), then the loss.
    public func forward() -> (Z: [[Double]], H: [[Double]], loss: Double) {
        var Z: [[Double]] = [[]]
        var H: [[Double]] = [input]
        for layer in layers {
            let previous = H[H.count - 1]
            let z = PassKernels.affine(previous, layer.weights, bias: layer.bias)
            Z.append(z)
            H.append(layer.activation.apply(z))
        }
        let loss = self.loss.value(z: Z[Z.count - 1], yHat: H[H.count - 1], target: target)
        return (Z, H, loss)
    }

    /// The forward and backward pass, plus a gradient step when a learning rate is known.
    /// Throws when any value is not finite, naming the first one in forward order. With a
    /// data set: the batch loss's (see `solveBatch`).
    public func solve(learningRate override: Double? = nil) throws -> Solution {
        if let data { return try solveBatch(data, learningRate: override) }
        let (Z, H, loss) = forward()
        let L = layers.count
        // Names follow the notation's single-unit rule: Z^(3), not Z_1^(3).
        let widths = self.widths
        func name(_ symbol: String, _ k: Int, _ l: Int) -> String {
            widths[l] == 1 ? "\(symbol)^(\(l))" : "\(symbol)_\(k + 1)^(\(l))"
        }
        try Network.checkFinite(H[0], name: { "\(notation.input)_\($0 + 1)" })
        for l in 1...L {
            try Network.checkFinite(Z[l], name: { name(notation.preactivation, $0, l) })
            try Network.checkFinite(H[l], name: { name(notation.activation, $0, l) })
        }
        if !loss.isFinite { throw SolveError.overflow(what: notation.loss, value: loss) }

        var dW = Array(repeating: Matrix(rows: 0, columns: 0), count: L + 1)
        let (dZ, dH) = backward(Z: Z, H: H) { l, dz in dW[l] = PassKernels.gradient(H[l - 1], dz) }
        let db = dZ
        // In the order the backward pass computes them, so the first one named is the cause.
        let partial = "∂\(notation.loss)/∂"
        for l in stride(from: L, through: 1, by: -1) {
            try Network.checkFinite(dH[l], name: { partial + name(notation.activation, $0, l) })
            try Network.checkFinite(dZ[l], name: { partial + name(notation.preactivation, $0, l) })
            try Network.checkFinite(dW[l].storage, name: { i in
                partial + Network.weightName(notation.weight, i, columns: dW[l].columns, layer: l)
            })
        }
        try Network.checkFinite(dH[0], name: { partial + "\(notation.input)_\($0 + 1)" })

        let update = try (override ?? learningRate).map { try gradientStep($0, dW: dW, db: db) }
        return Solution(network: self, Z: Z, H: H, loss: loss, dZ: dZ, dH: dH, dW: dW, db: db, update: update)
    }

    /// The backward pass of this network's example from its forward values: ∂Loss/∂Z and
    /// ∂Loss/∂H by layer (index 0: ∂Loss/∂X), from the output down. Each layer's ∂Loss/∂Z goes
    /// to `weightGradient` before the layer below is reached: `solve` makes ∂Loss/∂W from it, a
    /// batch adds it into its sums.
    func backward(Z: [[Double]], H: [[Double]], weightGradient: (Int, [Double]) -> Void) -> (dZ: [[Double]], dH: [[Double]]) {
        let L = layers.count
        var dZ = Array(repeating: [Double](), count: L + 1)
        var dH = Array(repeating: [Double](), count: L + 1)
        let out = layers[L - 1]
        dH[L] = self.loss.gradient(z: Z[L], yHat: H[L], target: target)
        dZ[L] = self.loss.fusedOutputGradient(activation: out.activation, z: Z[L], yHat: H[L], target: target)
            ?? out.activation.backward(z: Z[L], h: H[L], dH: dH[L])
        for l in stride(from: L, through: 1, by: -1) {
            let layer = layers[l - 1]
            if l < L { dZ[l] = layer.activation.backward(z: Z[l], h: H[l], dH: dH[l]) }
            // dW[j,k] = H_j^(l−1) · dZ_k^(l); dH_j^(l−1) = Σ_k w_jk dZ_k.
            weightGradient(l, dZ[l])
            dH[l - 1] = PassKernels.backward(layer.weights, dZ[l])
        }
        return (dZ, dH)
    }

    /// One plain gradient-descent step, w′ = w − η·∂Loss/∂w (same for b); throws when η is not
    /// a positive finite number or a new value is not finite. Shared by single-example and
    /// batch solutions.
    func gradientStep(_ eta: Double, dW: [Matrix], db: [[Double]]) throws -> Solution.Update {
        let L = layers.count
        let widths = self.widths
        func name(_ symbol: String, _ k: Int, _ l: Int) -> String {
            widths[l] == 1 ? "\(symbol)^(\(l))" : "\(symbol)_\(k + 1)^(\(l))"
        }
        guard eta > 0, eta.isFinite else {
            throw NetworkError(.learningRate, "the learning rate is \(eta); expected a positive finite number")
        }
        var W = [Matrix(rows: 0, columns: 0)]
        var b = [[Double]()]
        for l in 1...L {
            var w = layers[l - 1].weights
            for i in w.storage.indices { w.storage[i] -= eta * dW[l].storage[i] }
            W.append(w)
            b.append(layers[l - 1].bias.indices.map { layers[l - 1].bias[$0] - eta * db[l][$0] })
        }
        for l in 1...L {
            try Network.checkFinite(W[l].storage, step: true, name: { i in
                Network.weightName(notation.weight + "′", i, columns: W[l].columns, layer: l)
            })
            try Network.checkFinite(b[l], step: true, name: { name(notation.bias + "′", $0, l) })
        }
        return Solution.Update(learningRate: eta, W: W, b: b)
    }

    private static func checkFinite(_ values: [Double], step: Bool = false, name: (Int) -> String) throws {
        for (i, v) in values.enumerated() where !v.isFinite {
            throw step ? SolveError.stepOverflow(what: name(i), value: v) : SolveError.overflow(what: name(i), value: v)
        }
    }

    /// w_jk^(l) for the i-th stored weight (row-major), with a comma past nine units.
    private static func weightName(_ symbol: String, _ i: Int, columns: Int, layer l: Int) -> String {
        let j = i / columns + 1, k = i % columns + 1
        return j > 9 || k > 9 ? "\(symbol)_{\(j),\(k)}^(\(l))" : "\(symbol)_\(j)\(k)^(\(l))"
    }
}
