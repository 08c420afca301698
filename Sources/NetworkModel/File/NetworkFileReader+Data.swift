import Yams

/// The `data:` list of a network file: samples `{ input: [...], target: [...] }`, each
/// checked where it stands and named by its 1-based index in messages.
extension YAMLReader {
    /// A sample with the nodes its values came from, so later checks can point at them.
    struct SampleNodes {
        var sample: Sample
        var inputNode: Node
        var targetNode: Node
    }

    static let sampleKeys = ["input", "target"]

    /// The samples of `data`, numbered from `first` (2 when a top-level input/target is sample 1).
    func dataSamples(_ node: Node, first: Int) throws -> [SampleNodes] {
        guard case .sequence(let list) = node else {
            throw error(at: node, "`data` is \(kind(node)); expected a list of samples like `- { input: [0, 1], target: [1] }`")
        }
        let sequence = try items(list, of: node)
        guard !sequence.isEmpty else {
            throw error(at: node, "`data` is empty; expected at least one sample `{ input: [...], target: [...] }`")
        }
        guard sequence.count <= NetworkFile.maxSamples else {
            throw error(at: node, "`data` has \(sequence.count) samples; expected at most \(NetworkFile.maxSamples)")
        }
        var result: [SampleNodes] = []
        var values = 0
        for (offset, item) in sequence.enumerated() {
            let what = "sample \(first + offset)"
            guard case .mapping = item else {
                throw error(at: item, "\(what) of `data` is \(kind(item)); expected a mapping `{ input: [...], target: [...] }`")
            }
            let map = try mapping(item, what: what, allowed: Self.sampleKeys, context: "\(what): ")
            guard let inputNode = map["input"] else { throw missing("input", in: item, expected: "its input values, e.g. `input: [0, 1]`", owner: what) }
            guard let targetNode = map["target"] else { throw missing("target", in: item, expected: "its target values, e.g. `target: [1]`", owner: what) }
            let input = try numbers(inputNode, what: "\(what) `input`")
            guard !input.isEmpty else { throw error(at: inputNode, "\(what) `input` is empty; expected at least one input value") }
            let target = try numbers(targetNode, what: "\(what) `target`")
            values += input.count + target.count
            guard values <= NetworkFile.maxDataValues else {
                throw error(at: item, "`data` holds more than \(NetworkFile.maxDataValues) values by \(what); expected a smaller data set")
            }
            result.append(SampleNodes(sample: Sample(input: input, target: target), inputNode: inputNode, targetNode: targetNode))
        }
        return result
    }

    /// Every sample has as many inputs and targets as the first: a ragged data set is named
    /// at the first sample that differs.
    func checkRectangular(_ samples: [SampleNodes]) throws {
        guard let first = samples.first else { return }
        for (i, s) in samples.enumerated().dropFirst() {
            if s.sample.input.count != first.sample.input.count {
                throw error(at: s.inputNode, "sample \(i + 1) `input` has \(s.sample.input.count) value\(s.sample.input.count == 1 ? "" : "s"); expected \(first.sample.input.count), as sample 1")
            }
            if s.sample.target.count != first.sample.target.count {
                throw error(at: s.targetNode, "sample \(i + 1) `target` has \(s.sample.target.count) value\(s.sample.target.count == 1 ? "" : "s"); expected \(first.sample.target.count), as sample 1")
            }
        }
    }

    func lossReduction(_ node: Node) throws -> LossReduction {
        let text = try string(node, what: "`loss_reduction`")
        guard let reduction = LossReduction(rawValue: text) else {
            let known = LossReduction.allCases.map(\.rawValue)
            throw error(at: node, "unknown loss_reduction `\(text)`\(suggestion(text, known)); expected mean (the default: the average over the samples) or sum")
        }
        return reduction
    }

    /// The network with its data set attached; a sample that does not fit is named where it is.
    func attach(_ samples: [SampleNodes], reduction: LossReduction, to network: Network) throws -> Network {
        do {
            return try network.with(DataSet(samples: samples.map(\.sample), reduction: reduction))
        } catch let problem as SampleError {
            let s = samples[problem.index - 1]
            throw error(at: problem.part == .input ? s.inputNode : s.targetNode, problem.description)
        }
    }
}
