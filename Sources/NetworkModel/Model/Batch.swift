/// The per-sample side of a batch solution: how the losses combine and every sample's
/// forward values (for the values export and for health checks over the whole batch).
public struct Batch: Equatable, Sendable {
    /// One sample's forward pass.
    public struct SampleValues: Equatable, Sendable {
        /// The sample's input X.
        public var input: [Double]
        /// The sample's target Y.
        public var target: [Double]
        /// Indexed by layer, as `Solution.Z` and `Solution.H`.
        public var Z: [[Double]]
        /// Indexed by layer, as `Solution.H`: H[0] is the input.
        public var H: [[Double]]
        /// The sample's own loss, before the reduction's weight.
        public var loss: Double
        /// The output layer's activations.
        public var output: [Double] { H[H.count - 1] }
    }

    /// How the samples' losses make the batch loss.
    public var reduction: LossReduction
    /// 0-based index of the sample whose forward values the solution carries.
    public var shown: Int
    /// Every sample's forward values, in the data set's order.
    public var samples: [SampleValues]

    /// The factor each sample's loss and gradients carry: 1/n for mean, 1 for sum.
    public var weight: Double { reduction.weight(count: samples.count) }
}

extension Network {
    /// The batch loss and its gradients, summed or averaged over per-sample `solve()`
    /// results as the data set declares. Every sample's pass is the single-example pass,
    /// so a batch of one is exactly today's solution.
    func solveBatch(_ data: DataSet, learningRate override: Double?) throws -> Solution {
        let weight = data.reduction.weight(count: data.samples.count)
        let sums = try gatheredBatch(data, weight: weight) ?? solvedBatch(data, weight: weight)
        if !sums.loss.isFinite { throw SolveError.overflow(what: notation.loss, value: sums.loss) }
        let s = sums.shown
        let update = try (override ?? learningRate).map { try gradientStep($0, dW: sums.dW, db: sums.db) }
        return Solution(network: self, Z: s.Z, H: s.H, loss: sums.loss,
                        dZ: s.dZ.map { $0.map { weight * $0 } }, dH: s.dH.map { $0.map { weight * $0 } },
                        dW: sums.dW, db: sums.db, update: update,
                        batch: Batch(reduction: data.reduction, shown: data.shown, samples: sums.values))
    }

    /// A batch's sums and the shown sample's own values.
    private struct BatchSums {
        var loss = 0.0
        var dW: [Matrix]
        var db: [[Double]]
        var values: [Batch.SampleValues] = []
        var shown = (Z: [[Double]](), H: [[Double]](), dZ: [[Double]](), dH: [[Double]]())

        init(_ net: Network, count: Int) {
            dW = [Matrix(rows: 0, columns: 0)] + net.layers.map { Matrix(rows: $0.weights.rows, columns: $0.weights.columns) }
            db = [[Double]()] + net.layers.map { [Double](repeating: 0, count: $0.units) }
            values.reserveCapacity(count)
        }
    }

    /// The sums through each sample's `solve()`, which names the first value that is not finite.
    private func solvedBatch(_ data: DataSet, weight: Double) throws -> BatchSums {
        let L = depth
        var sums = BatchSums(self, count: data.samples.count)
        for (i, sample) in data.samples.enumerated() {
            let s: Solution
            do {
                s = try single(sample).solve(learningRate: nil)
            } catch let SolveError.overflow(what, value) {
                throw SolveError.overflow(what: data.samples.count > 1 ? "\(what) of sample \(i + 1)" : what, value: value)
            }
            sums.loss += weight * s.loss
            for l in 1...L {
                sums.dW[l].storage.withUnsafeMutableBufferPointer { acc in
                    s.dW[l].storage.withUnsafeBufferPointer { g in
                        for p in acc.indices { acc[p] += weight * g[p] }
                    }
                }
                for k in sums.db[l].indices { sums.db[l][k] += weight * s.db[l][k] }
            }
            sums.values.append(Batch.SampleValues(input: sample.input, target: sample.target, Z: s.Z, H: s.H, loss: s.loss))
            if i == data.shown { sums.shown = (s.Z, s.H, s.dZ, s.dH) }
        }
        return sums
    }

    /// The same sums without a `Solution`, and a ∂Loss/∂W matrix, per sample: each sample's
    /// gradient goes straight into the sums, as the very products `solvedBatch` adds. Nil when
    /// a value is not finite (a non-finite gradient leaves its sum non-finite): then
    /// `solvedBatch` runs, and finds and names the first, as it always has.
    private func gatheredBatch(_ data: DataSet, weight: Double) -> BatchSums? {
        func finite(_ values: [Double]) -> Bool { values.allSatisfy(\.isFinite) }
        var sums = BatchSums(self, count: data.samples.count)
        for (i, sample) in data.samples.enumerated() {
            let net = single(sample)
            let (Z, H, loss) = net.forward()
            guard loss.isFinite, Z.allSatisfy(finite), H.allSatisfy(finite) else { return nil }
            let (dZ, dH) = net.backward(Z: Z, H: H) { l, dz in
                PassKernels.accumulateGradient(&sums.dW[l], weight: weight, H[l - 1], dz)
                for k in sums.db[l].indices { sums.db[l][k] += weight * dz[k] }
            }
            guard dZ.allSatisfy(finite), dH.allSatisfy(finite) else { return nil }
            sums.loss += weight * loss
            sums.values.append(Batch.SampleValues(input: sample.input, target: sample.target, Z: Z, H: H, loss: loss))
            if i == data.shown { sums.shown = (Z, H, dZ, dH) }
        }
        guard sums.dW.allSatisfy({ finite($0.storage) }) else { return nil }
        return sums
    }

    /// The batch loss alone (the single example's loss without a data set), with every
    /// sample's pre-activations: what finite differences and kink detection need.
    func batchForward() -> (Z: [[[Double]]], loss: Double) {
        guard let data else { let f = forward(); return ([f.Z], f.loss) }
        let weight = data.reduction.weight(count: data.samples.count)
        var loss = 0.0
        var Z: [[[Double]]] = []
        for sample in data.samples {
            let f = single(sample).forward()
            loss += weight * f.loss
            Z.append(f.Z)
        }
        return (Z, loss)
    }
}
