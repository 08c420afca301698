/// Gradient descent over a network's data set, as PyTorch's `torch.optim.SGD` (dampening 0,
/// no Nesterov, no weight decay): per step, g = ∂Loss/∂θ of the step's batch loss,
/// v ← μ·v + g (v = g on the first step), θ ← θ − η·v. With μ = 0 that is θ ← θ − η·g.
public struct Trainer: Sendable {
    /// How to train: how many steps, how large, on which batches.
    public struct Options: Sendable {
        /// The number of updates N; the history has N + 1 records (steps 0…N).
        public var steps: Int
        /// η, the step size.
        public var learningRate: Double
        /// nil: full batch.
        public var batchSize: Int?
        /// Seeds the shuffle of mini-batches, so a run is reproducible.
        public var seed: UInt64
        /// μ; 0 is plain gradient descent.
        public var momentum: Double

        /// Options for `steps` updates of size `learningRate`; full-batch, without momentum, unless told otherwise.
        public init(steps: Int, learningRate: Double, batchSize: Int? = nil, seed: UInt64 = 0, momentum: Double = 0) {
            self.steps = steps
            self.learningRate = learningRate
            self.batchSize = batchSize
            self.seed = seed
            self.momentum = momentum
        }
    }

    /// One row of the history: the batch loss and ‖∂Loss/∂W^(l)‖ (Frobenius) of every layer
    /// at the weights after `step` updates, before the next one.
    public struct Record: Equatable, Sendable {
        /// How many updates were made before this record: 0…N.
        public var step: Int
        /// The batch loss at these weights (over the step's mini-batch).
        public var loss: Double
        /// Index l − 1 holds layer l's norm.
        public var gradientNorms: [Double]
    }

    /// A step's values could not be computed (a value overflowed): training diverged.
    public struct Diverged: Error, CustomStringConvertible, Sendable {
        /// The step whose values overflowed (0: the untrained network itself).
        public var step: Int
        /// What overflowed.
        public var reason: SolveError
        /// One sentence, suggesting a smaller learning rate once training has started.
        public var description: String {
            // At step 0 nothing was trained yet: the file itself overflows, as for every command.
            if step == 0 { return reason.description }
            return "training diverged at step \(step): \(reason.description.replacingOccurrences(of: "(scale the weights or inputs down)", with: "(lower --learning-rate, or scale the weights or inputs down)"))"
        }
    }

    /// The network before training; its data set is what is trained on.
    public let network: Network
    /// How to train.
    public let options: Options

    /// A trainer for `network`; nothing runs until ``run(observe:)``.
    public init(network: Network, options: Options) {
        self.network = network
        self.options = options
    }

    /// Runs steps 0…N: at each, solves the step's batch, records it, tells `observe` (which
    /// may keep the solution, e.g. for a frame), then updates — except after step N, whose
    /// record describes the trained network. Returns the history and the trained network
    /// (its data set as the file gave it).
    public func run(observe: (Int, Solution) throws -> Void = { _, _ in }) throws -> (history: [Record], trained: Network) {
        let samples = network.samples
        let reduction = network.data?.reduction ?? .mean
        var batches = MiniBatches(count: samples.count, size: options.batchSize, seed: options.seed)
        var net = network
        let L = net.depth
        var velocityW: [[Double]] = []
        var velocityB: [[Double]] = []
        let eta = options.learningRate, mu = options.momentum
        var history: [Record] = []
        history.reserveCapacity(options.steps + 1)
        for step in 0...options.steps {
            let chosen = batches.next()
            let batchNet = net.onBatch(chosen.map { samples[$0] }, reduction: reduction)
            let s: Solution
            do {
                s = try batchNet.solve(learningRate: nil)
            } catch let error as SolveError {
                throw Diverged(step: step, reason: error)
            }
            history.append(Record(step: step, loss: s.loss, gradientNorms: (1...L).map { l in
                s.dW[l].storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
            }))
            try observe(step, s)
            if step == options.steps { break }
            if velocityW.isEmpty {
                velocityW = (1...L).map { s.dW[$0].storage }
                velocityB = (1...L).map { s.db[$0] }
            } else {
                for l in 1...L {
                    let g = s.dW[l].storage
                    velocityW[l - 1].withUnsafeMutableBufferPointer { v in
                        for p in v.indices { v[p] = mu * v[p] + g[p] }
                    }
                    for k in velocityB[l - 1].indices { velocityB[l - 1][k] = mu * velocityB[l - 1][k] + s.db[l][k] }
                }
            }
            for l in 1...L {
                let v = velocityW[l - 1]
                net.layers[l - 1].weights.storage.withUnsafeMutableBufferPointer { w in
                    for p in w.indices { w[p] -= eta * v[p] }
                }
                for k in net.layers[l - 1].bias.indices { net.layers[l - 1].bias[k] -= eta * velocityB[l - 1][k] }
            }
        }
        return (history, net)
    }
}

extension Network {
    /// The network on a batch of samples (already known to fit), showing the batch's first.
    func onBatch(_ samples: [Sample], reduction: LossReduction) -> Network {
        var net = single(samples[0])
        net.data = DataSet(samples: samples, reduction: reduction)
        return net
    }
}
