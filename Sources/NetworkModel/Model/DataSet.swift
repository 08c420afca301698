/// One example of a data set: the values of layer 0 and the target.
public struct Sample: Equatable, Sendable {
    public var input: [Double]
    public var target: [Double]
    public init(input: [Double], target: [Double]) {
        self.input = input
        self.target = target
    }
}

/// How a batch's per-sample losses combine into one loss. `mean` is PyTorch's default
/// `reduction='mean'` for a per-sample loss summed over the outputs: (1/n) Σ_s Loss_s.
public enum LossReduction: String, Equatable, Sendable, CaseIterable {
    case mean, sum

    /// The factor each sample's loss (and gradient) carries in a batch of `count`.
    public func weight(count: Int) -> Double { self == .mean ? 1 / Double(count) : 1 }
}

/// The samples of a network file's `data:` list. The network's `input` and `target` are
/// always those of sample `shown` (0-based), the one a diagram draws.
public struct DataSet: Equatable, Sendable {
    public var samples: [Sample]
    public var reduction: LossReduction
    public var shown: Int

    public init(samples: [Sample], reduction: LossReduction = .mean, shown: Int = 0) {
        precondition(!samples.isEmpty && samples.indices.contains(shown), "a data set has at least one sample and shows one of them")
        self.samples = samples
        self.reduction = reduction
        self.shown = shown
    }
}

extension Network {
    /// Every sample the loss is computed over: the data set's, or the single input/target.
    public var samples: [Sample] { data?.samples ?? [Sample(input: input, target: target)] }

    /// The network on one sample alone, without a data set: what `solve()` solves per sample.
    /// Only for samples known to fit (every sample of a data set was checked when attached).
    public func single(_ sample: Sample) -> Network { Network(fitting: sample, of: self) }

    init(fitting sample: Sample, of net: Network) {
        name = net.name
        input = sample.input
        target = sample.target
        loss = net.loss
        notation = net.notation
        layers = net.layers
        learningRate = net.learningRate
        data = nil
    }

    /// The same network with a data set (validated against the network's widths and loss),
    /// showing sample `shown` (0-based). Throws naming the first sample that does not fit.
    public func with(_ data: DataSet) throws -> Network {
        for (i, sample) in data.samples.enumerated() {
            if let problem = problem(with: sample) { throw SampleError(index: i + 1, part: problem.part, message: problem.message) }
        }
        var net = single(data.samples[data.shown])
        net.data = data
        return net
    }

    /// The same network showing another sample of its data set (0-based).
    public func showing(sample index: Int) -> Network {
        guard var data, data.samples.indices.contains(index) else { return self }
        data.shown = index
        var net = single(data.samples[index])
        net.data = data
        return net
    }

    /// Why a sample cannot be fed to this network, if it cannot: the network made with its
    /// input and target would not be consistent (widths, the target's range for the loss).
    func problem(with sample: Sample) -> (part: SampleError.Part, message: String)? {
        do {
            _ = try Network(name: name, input: sample.input, target: sample.target, loss: loss, notation: notation,
                            layers: layers, learningRate: learningRate)
            return nil
        } catch let error as NetworkError {
            return (error.part == .input || error.part == .weights(layer: 1) ? .input : .target, error.message)
        } catch {
            return (.target, "\(error)")
        }
    }
}

/// A sample of a data set that does not fit the network, named by its 1-based index.
public struct SampleError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Part: Equatable, Sendable { case input, target }
    public var index: Int
    public var part: Part
    public var message: String
    public var description: String { "sample \(index): \(message)" }
}

