import NetworkModel

/// Explains a gradient of a data set's batch loss: Loss = (1/n) Σ_s Loss_s (or the sum), so
/// each parameter's gradient is the same combination of the samples' own gradients; one
/// sample's chain rule is then derived as for a single example.
public struct BatchExplanation: Sendable {
    /// The batch solution (a network with a data set).
    public let batch: Solution
    /// Each sample's own solution, in data-set order.
    let perSample: [Solution]
    /// Plain text, Markdown or LaTeX.
    public let format: Explanation.Format
    /// How numbers print.
    public let numbers: NumberFormat

    /// Solves every sample of `batch`'s data set on its own, for the per-sample derivations.
    /// `batch` must come from a network with a data set (a precondition).
    ///
    /// - Throws: a `SolveError` when a sample's own pass overflows.
    public init(batch: Solution, format: Explanation.Format, numbers: NumberFormat = NumberFormat()) throws {
        precondition(batch.batch != nil, "a batch explanation needs a network with a data set")
        self.batch = batch
        self.format = format
        self.numbers = numbers
        perSample = try batch.network.samples.map { try batch.network.single($0).solve() }
    }

    var info: Batch { batch.batch! }
    var shown: Int { info.shown }
    /// The shown sample's single-example explanation, where Loss is that sample's loss.
    var sampleExplanation: Explanation { Explanation(solution: perSample[shown], format: format, numbers: numbers) }

    /// One quantity: how the batch combines it, then the shown sample's derivation.
    public func explain(_ target: Derivation.Target) -> String {
        let e = sampleExplanation
        return e.markdownSafe(e.paragraph(introduction()) + e.math(combination(target)) + (format == .text ? "\n" : "") + e.paragraph(sampleNote())) + e.explain(target)
    }

    /// The worked solution of the shown sample, preceded by the batch's loss and gradients.
    public func document() -> String {
        let e = sampleExplanation
        var out = e.heading("The batch", level: 2) + e.paragraph(introduction())
        let symbols = Symbols(network: batch.network)
        let losses = Expression.joined(perSample.map { .n($0.loss, factor: true) }, by: " + ")
        out += e.math(.m(symbols.loss) + .op(" = ") + weightPrefix() + (perSample.count <= 8 ? losses : .m(MathText([.init("Σ"), .init("s", .sub), .init(" " + batch.network.notation.loss), .init("s", .sub)]))) + weightSuffix() + .op(" = ") + .n(batch.loss))
        for target in Deriver(solution: batch).parameterOrder() { out += e.math(combination(target)) }
        out += e.paragraph(sampleNote())
        out = e.markdownSafe(out)
        let document = e.document()
        // The batch section goes after the sample document's title (and LaTeX preamble).
        if let range = document.range(of: e.heading("Setup")) {
            return String(document[..<range.lowerBound]) + out + String(document[range.lowerBound...])
        }
        return out + document
    }

    func introduction() -> String {
        let n = perSample.count
        let combined = info.reduction == .mean ? "the mean of the \(n) samples' losses" : "the sum of the \(n) samples' losses"
        return "\(loss) is \(combined), so each weight's and bias's gradient is the same combination of the samples' own gradients."
    }

    func sampleNote() -> String {
        "Each sample's own gradient follows the chain rule as for a single example; for sample \(shown + 1) of \(perSample.count) (choose another with --sample), where \(loss) stands for that sample's loss:"
    }

    /// The loss's symbol from the notation, in prose: escaped for LaTeX and Markdown, where
    /// `\input{~/.netrc}` or `[a](javascript:)` would otherwise run or link.
    var loss: String { Explanation.userText(batch.network.notation.loss, format: format) }

    func weightPrefix() -> Expression {
        info.reduction == .mean ? .op("(1/\(perSample.count)) · (") : .op("")
    }

    func weightSuffix() -> Expression { info.reduction == .mean ? .op(")") : .op("") }

    /// ∂Loss/∂w = (1/n)·(g₁ + … + gₙ) = g for parameters; ∂Loss/∂Z = (1/n)·g_shown for the
    /// shown sample's node values.
    func combination(_ target: Derivation.Target) -> Expression {
        let symbols = Symbols(network: batch.network)
        let deriver = Deriver(solution: batch)
        let symbol = deriver.targetSymbol(target)
        let lhs = Expression.p(Partial(of: symbols.loss, by: symbol)) + .op(" = ")
        func value(_ s: Solution) -> Double { Deriver(solution: s).derive(target).value }
        switch target {
        case .weight, .bias:
            // Up to 8 samples every term is written out; beyond, the sum is written as one.
            let perSampleLoss = MathText([.init(batch.network.notation.loss), .init("s", .sub)])
            let terms = perSample.count <= 8 ? Expression.joined(perSample.map { .n(value($0), factor: true) }, by: " + ")
                : .m(MathText([.init("Σ"), .init("s", .sub), .init(" ")])) + .p(Partial(of: perSampleLoss, by: symbol))
            return lhs + weightPrefix() + terms + weightSuffix() + .op(" = ") + .n(value(batch))
        case .activation, .preactivation:
            let factor: Expression = info.reduction == .mean ? .op("(1/\(perSample.count)) · ") : .op("")
            return lhs + factor + .n(value(perSample[shown]), factor: true) + .op(" = ") + .n(value(batch))
        }
    }
}
