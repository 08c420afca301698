/// One example of a data set: the values of layer 0 and the target.
public struct Sample: Equatable, Sendable {
    /// The values of layer 0, one per input unit.
    public var input: [Double]
    /// The expected output, one per output unit.
    public var target: [Double]
    /// A sample; its sizes are checked when it joins a network's data set.
    public init(input: [Double], target: [Double]) {
        self.input = input
        self.target = target
    }
}

/// How a batch's per-sample losses combine into one loss. `mean` is PyTorch's default
/// `reduction='mean'` for a per-sample loss summed over the outputs: (1/n) Σ_s Loss_s.
public enum LossReduction: String, Equatable, Sendable, CaseIterable {
    /// `mean`: (1/n) Σ_s Loss_s; `sum`: Σ_s Loss_s.
    case mean, sum

    /// The factor each sample's loss (and gradient) carries in a batch of `count`.
    public func weight(count: Int) -> Double { self == .mean ? 1 / Double(count) : 1 }
}

/// The samples of a network file's `data:` list. The network's `input` and `target` are
/// always those of sample `shown` (0-based), the one a diagram draws.
public struct DataSet: Equatable, Sendable {
    /// The samples in file order; never empty.
    public var samples: [Sample]
    /// How the per-sample losses combine into the batch loss.
    public var reduction: LossReduction
    /// The 0-based index of the sample the network's `input` and `target` are.
    public var shown: Int

    /// A data set; `samples` must not be empty and `shown` must index one of them (a
    /// precondition, not a thrown error: a file reader checks both before it gets here).
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
    /// Which half of the sample does not fit.
    public enum Part: Equatable, Sendable {
        /// The sample's input, or its target.
        case input, target
    }
    /// The sample's 1-based position in the data set.
    public var index: Int
    /// Whether its input or its target is wrong.
    public var part: Part
    /// What is wrong, as one sentence.
    public var message: String
    /// `sample N: message`.
    public var description: String { "sample \(index): \(message)" }
}

