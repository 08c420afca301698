import Foundation

public enum SolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value became infinite or NaN; `what` names it in the notation (`Z_1^(2)`, `Loss`).
    case overflow(what: String, value: Double)

    public var description: String {
        switch self {
        case let .overflow(what, value):
            "\(what) overflowed to \(value.isNaN ? "NaN" : (value > 0 ? "+∞" : "−∞")) during the forward or backward pass; expected finite values (scale the weights or inputs down)"
        }
    }
}

extension Network {
    /// The forward pass: Z^(L) = H^(L−1)·W^(L) + b^(L), H^(L) = f(Z^(L)), then the loss.
    public func forward() -> (Z: [[Double]], H: [[Double]], loss: Double) {
        var Z: [[Double]] = [[]]
        var H: [[Double]] = [input]
        for layer in layers {
            let previous = H[H.count - 1]
            var z = layer.bias
            let w = layer.weights
            for j in 0..<w.rows {
                let hj = previous[j]
                if hj == 0 { continue }
                let base = j * w.columns
                for k in 0..<w.columns { z[k] += hj * w.storage[base + k] }
            }
            Z.append(z)
            H.append(layer.activation.apply(z))
        }
        let loss = self.loss.value(z: Z[Z.count - 1], yHat: H[H.count - 1], target: target)
        return (Z, H, loss)
    }

    /// The forward and backward pass, plus a gradient step when a learning rate is known.
    /// Throws when any value is not finite, naming the first one in forward order.
    public func solve(learningRate override: Double? = nil) throws -> Solution {
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

        var dZ = Array(repeating: [Double](), count: L + 1)
        var dH = Array(repeating: [Double](), count: L + 1)
        var dW = Array(repeating: Matrix(rows: 0, columns: 0), count: L + 1)
        var db = Array(repeating: [Double](), count: L + 1)

        let out = layers[L - 1]
        dH[L] = self.loss.gradient(yHat: H[L], target: target)
        dZ[L] = self.loss.fusedOutputGradient(activation: out.activation, yHat: H[L], target: target)
            ?? out.activation.backward(z: Z[L], h: H[L], dH: dH[L])

        for l in stride(from: L, through: 1, by: -1) {
            let layer = layers[l - 1]
            if l < L { dZ[l] = layer.activation.backward(z: Z[l], h: H[l], dH: dH[l]) }
            db[l] = dZ[l]
            // dW[j,k] = H_j^(l−1) · dZ_k^(l); dH_j^(l−1) = Σ_k w_jk dZ_k.
            let w = layer.weights
            var g = Matrix(rows: w.rows, columns: w.columns)
            var back = [Double](repeating: 0, count: w.rows)
            let hPrev = H[l - 1], dz = dZ[l]
            for j in 0..<w.rows {
                let base = j * w.columns
                var acc = 0.0
                for k in 0..<w.columns {
                    g.storage[base + k] = hPrev[j] * dz[k]
                    acc += w.storage[base + k] * dz[k]
                }
                back[j] = acc
            }
            dW[l] = g
            dH[l - 1] = back
        }
        for l in 1...L {
            try Network.checkFinite(dZ[l], name: { "∂\(notation.loss)/∂" + name(notation.preactivation, $0, l) })
            try Network.checkFinite(dW[l].storage, name: { i in
                "∂\(notation.loss)/∂\(notation.weight)_\(i / dW[l].columns + 1)\(i % dW[l].columns + 1)^(\(l))"
            })
        }

        var update: Solution.Update?
        if let eta = override ?? learningRate {
            var W = [Matrix(rows: 0, columns: 0)]
            var b = [[Double]()]
            for l in 1...L {
                var w = layers[l - 1].weights
                for i in w.storage.indices { w.storage[i] -= eta * dW[l].storage[i] }
                W.append(w)
                b.append(layers[l - 1].bias.indices.map { layers[l - 1].bias[$0] - eta * db[l][$0] })
            }
            update = Solution.Update(learningRate: eta, W: W, b: b)
        }
        return Solution(network: self, Z: Z, H: H, loss: loss, dZ: dZ, dH: dH, dW: dW, db: db, update: update)
    }

    private static func checkFinite(_ values: [Double], name: (Int) -> String) throws {
        for (i, v) in values.enumerated() where !v.isFinite {
            throw SolveError.overflow(what: name(i), value: v)
        }
    }
}
