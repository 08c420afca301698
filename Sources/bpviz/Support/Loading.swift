import NetworkModel

/// Reads and solves a network file; overflow during the passes is reported against the file.
func loadSolved(_ path: String, learningRate: Double? = nil) throws -> (Network, Solution) {
    let network = try NetworkFile.load(path: path)
    if let eta = learningRate, !(eta > 0 && eta.isFinite) {
        throw UsageFailure("--learning-rate is \(eta); expected a positive finite number")
    }
    do {
        return (network, try network.solve(learningRate: learningRate))
    } catch let error as SolveError {
        throw InputError(file: path, error.description)
    }
}
