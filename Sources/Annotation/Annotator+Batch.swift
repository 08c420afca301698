import NetworkModel

/// What the loss node says about a data set: the batch loss is a mean or sum of the samples'
/// losses, and the diagram's forward values are one sample's.
extension Annotator {
    /// `(1/4) Σ_s ` before a mean batch loss's per-sample formula, `Σ_s ` before a sum; empty
    /// without a data set.
    func batchPrefix() -> MathText {
        guard let batch = solution.batch else { return "" }
        let sum = MathText([.init("Σ"), .init("s", .sub), .init(" ")])
        return batch.reduction == .mean ? MathText("(1/\(batch.samples.count)) ") + sum : sum
    }

    /// ` (sample 2 of 4)` after the target of the shown sample.
    func sampleNote() -> MathText {
        guard let batch = solution.batch else { return "" }
        return MathText(" (sample \(batch.shown + 1) of \(batch.samples.count))")
    }
}
