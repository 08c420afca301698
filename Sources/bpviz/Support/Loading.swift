import NetworkModel

/// Reads and solves a network file; overflow during the passes is reported against the file.
/// `sample` (1-based) picks the data set's sample whose forward values are shown. The file may
/// ask for at most `maxParameters` weights and biases, checked before they exist.
func loadSolved(_ path: String, learningRate: Double? = nil, sample: Int? = nil,
                maxParameters: Int = NetworkFile.Limits.defaultMaxParameters) throws -> (Network, Solution) {
    var network = try NetworkFile.load(path: path, limits: .init(maxParameters: maxParameters, raise: "raise --max-parameters"))
    if let eta = learningRate, !(eta > 0 && eta.isFinite) {
        throw UsageFailure("--learning-rate is \(eta); expected a positive finite number")
    }
    if let sample {
        let count = network.data?.samples.count ?? 1
        guard (1...count).contains(sample) else {
            throw UsageFailure(network.data == nil
                ? "--sample is \(sample), but \(path) has a single input and target; expected --sample 1, or a `data:` list in the file"
                : "--sample is \(sample), but \(path) has \(count) samples; expected 1 to \(count)")
        }
        network = network.showing(sample: sample - 1)
    }
    do {
        return (network, try network.solve(learningRate: learningRate))
    } catch let error as SolveError {
        throw InputError(file: path, error.description)
    }
}
