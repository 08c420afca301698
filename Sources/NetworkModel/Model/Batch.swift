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
        let L = depth
        let weight = data.reduction.weight(count: data.samples.count)
        var loss = 0.0
        var dW = [Matrix(rows: 0, columns: 0)] + layers.map { Matrix(rows: $0.weights.rows, columns: $0.weights.columns) }
        var db = [[Double]()] + layers.map { [Double](repeating: 0, count: $0.units) }
        var values: [Batch.SampleValues] = []
        values.reserveCapacity(data.samples.count)
        var shown: Solution?
        for (i, sample) in data.samples.enumerated() {
            let s: Solution
            do {
                s = try single(sample).solve(learningRate: nil)
            } catch let SolveError.overflow(what, value) {
                throw SolveError.overflow(what: data.samples.count > 1 ? "\(what) of sample \(i + 1)" : what, value: value)
            }
            loss += weight * s.loss
            for l in 1...L {
                dW[l].storage.withUnsafeMutableBufferPointer { acc in
                    s.dW[l].storage.withUnsafeBufferPointer { g in
                        for p in acc.indices { acc[p] += weight * g[p] }
                    }
                }
                for k in db[l].indices { db[l][k] += weight * s.db[l][k] }
            }
            values.append(Batch.SampleValues(input: sample.input, target: sample.target, Z: s.Z, H: s.H, loss: s.loss))
            if i == data.shown { shown = s }
        }
        if !loss.isFinite { throw SolveError.overflow(what: notation.loss, value: loss) }
        guard let s = shown else { preconditionFailure("the shown sample is one of the data set's") }
        let update = try (override ?? learningRate).map { try gradientStep($0, dW: dW, db: db) }
        return Solution(network: self, Z: s.Z, H: s.H, loss: loss,
                        dZ: s.dZ.map { $0.map { weight * $0 } }, dH: s.dH.map { $0.map { weight * $0 } },
                        dW: dW, db: db, update: update,
                        batch: Batch(reduction: data.reduction, shown: data.shown, samples: values))
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
