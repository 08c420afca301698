import Foundation
import NetworkModel
import XCTest

/// The training loop against a reference SGD that shares nothing with it but the data: its
/// own forward pass, gradients by finite differences of the batch loss, its own shuffle and
/// the update rule by hand. Every step's loss and gradient norms and the final weights agree
/// to 1e-9 relative.
final class TrainingTests: XCTestCase {
    // A 3-4-2 network: tanh hidden layer, sigmoid outputs, ½ SSE summed over the outputs.
    let widths = [3, 4, 2]
    let samples: [Sample] = [
        Sample(input: [0.5, -1.0, 2.0], target: [1, 0]),
        Sample(input: [-0.3, 0.8, 0.1], target: [0, 1]),
        Sample(input: [1.2, 0.4, -0.7], target: [1, 1]),
        Sample(input: [0.0, -0.5, 0.9], target: [0, 0]),
        Sample(input: [-1.1, 1.5, 0.3], target: [0.5, 0.2]),
    ]

    func network(reduction: LossReduction) throws -> Network {
        let w1 = WeightInit.normal(std: 0.7).matrix(rows: 3, columns: 4, seed: 11, layer: 1)
        let w2 = WeightInit.normal(std: 0.7).matrix(rows: 4, columns: 2, seed: 11, layer: 2)
        let net = try Network(input: samples[0].input, target: samples[0].target, loss: .halfSSE,
                              layers: [try Layer(activation: .tanh, weights: w1, bias: [0.1, -0.2, 0.05, 0]),
                                       try Layer(activation: .sigmoid, weights: w2, bias: [0.3, -0.1])])
        return try net.with(DataSet(samples: samples, reduction: reduction))
    }

    /// θ: W1 (3×4 row-major), b1, W2 (4×2), b2 — as flat arrays, the reference's own layout.
    struct Parameters { var w1: [Double]; var b1: [Double]; var w2: [Double]; var b2: [Double] }

    func parameters(_ net: Network) -> Parameters {
        Parameters(w1: net.layers[0].weights.storage, b1: net.layers[0].bias, w2: net.layers[1].weights.storage, b2: net.layers[1].bias)
    }

    /// The reference forward pass: one sample's ½ Σ (y − ŷ)².
    func sampleLoss(_ p: Parameters, _ s: Sample) -> Double {
        var h1 = [Double](repeating: 0, count: 4)
        for k in 0..<4 {
            var z = p.b1[k]
            for j in 0..<3 { z += s.input[j] * p.w1[j * 4 + k] }
            h1[k] = tanh(z)
        }
        var loss = 0.0
        for k in 0..<2 {
            var z = p.b2[k]
            for j in 0..<4 { z += h1[j] * p.w2[j * 2 + k] }
            let y = 1 / (1 + exp(-z))
            loss += 0.5 * (s.target[k] - y) * (s.target[k] - y)
        }
        return loss
    }

    func batchLoss(_ p: Parameters, _ batch: [Int], _ reduction: LossReduction) -> Double {
        let sum = batch.reduce(0.0) { $0 + sampleLoss(p, samples[$1]) }
        return reduction == .mean ? sum / Double(batch.count) : sum
    }

    /// Five-point central differences: truncation O(h⁴), so with h = 10⁻³ the gradients are
    /// good to about 10⁻¹², far inside the 10⁻⁹ the comparison asks.
    func gradient(_ p: Parameters, _ batch: [Int], _ reduction: LossReduction) -> Parameters {
        var g = p
        func d(_ get: (Parameters) -> Double, _ set: (inout Parameters, Double) -> Void) -> Double {
            let x = get(p), h = 1e-3
            func at(_ v: Double) -> Double { var q = p; set(&q, v); return batchLoss(q, batch, reduction) }
            return (-at(x + 2 * h) + 8 * at(x + h) - 8 * at(x - h) + at(x - 2 * h)) / (12 * h)
        }
        for i in p.w1.indices { g.w1[i] = d({ $0.w1[i] }, { $0.w1[i] = $1 }) }
        for i in p.b1.indices { g.b1[i] = d({ $0.b1[i] }, { $0.b1[i] = $1 }) }
        for i in p.w2.indices { g.w2[i] = d({ $0.w2[i] }, { $0.w2[i] = $1 }) }
        for i in p.b2.indices { g.b2[i] = d({ $0.b2[i] }, { $0.b2[i] = $1 }) }
        return g
    }

    /// The documented shuffle, written again: Fisher–Yates with j = ⌊u·(i+1)⌋ from SplitMix64.
    func referenceBatches(count: Int, size: Int, seed: UInt64, steps: Int) -> [[Int]] {
        var rng = SeededRandom(seed: seed)
        var out: [[Int]] = []
        var order: [Int] = []
        while out.count < steps {
            order = Array(0..<count)
            for i in stride(from: count - 1, through: 1, by: -1) { order.swapAt(i, Int(rng.nextUnit() * Double(i + 1))) }
            for start in stride(from: 0, to: count, by: size) where out.count < steps {
                out.append(Array(order[start..<min(start + size, count)]))
            }
        }
        return out
    }

    func assertClose(_ a: Double, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - b), 1e-9 * max(abs(a), abs(b)) + 1e-13, "\(what): \(a) vs \(b)", file: file, line: line)
    }

    func compare(reduction: LossReduction, batchSize: Int?, momentum: Double, steps: Int, eta: Double) throws {
        let net = try network(reduction: reduction)
        let options = Trainer.Options(steps: steps, learningRate: eta, batchSize: batchSize, seed: 42, momentum: momentum)
        let (history, trained) = try Trainer(network: net, options: options).run()
        XCTAssertEqual(history.map(\.step), Array(0...steps))

        let batches = batchSize.map { referenceBatches(count: samples.count, size: $0, seed: 42, steps: steps + 1) }
            ?? Array(repeating: Array(0..<samples.count), count: steps + 1)
        var p = parameters(net)
        var v: Parameters?
        for step in 0...steps {
            let label = "\(reduction) batch \(batchSize.map(String.init) ?? "full") μ \(momentum) step \(step)"
            let g = gradient(p, batches[step], reduction)
            assertClose(history[step].loss, batchLoss(p, batches[step], reduction), "\(label) loss")
            let norm1 = (g.w1.map { $0 * $0 }.reduce(0, +)).squareRoot(), norm2 = (g.w2.map { $0 * $0 }.reduce(0, +)).squareRoot()
            assertClose(history[step].gradientNorms[0], norm1, "\(label) ‖∂Loss/∂W⁽¹⁾‖")
            assertClose(history[step].gradientNorms[1], norm2, "\(label) ‖∂Loss/∂W⁽²⁾‖")
            if step == steps { break }
            // PyTorch's SGD: v ← μ·v + g (v = g at first), θ ← θ − η·v.
            var nv = g
            if let old = v {
                for i in nv.w1.indices { nv.w1[i] = momentum * old.w1[i] + g.w1[i] }
                for i in nv.b1.indices { nv.b1[i] = momentum * old.b1[i] + g.b1[i] }
                for i in nv.w2.indices { nv.w2[i] = momentum * old.w2[i] + g.w2[i] }
                for i in nv.b2.indices { nv.b2[i] = momentum * old.b2[i] + g.b2[i] }
            }
            v = nv
            for i in p.w1.indices { p.w1[i] -= eta * nv.w1[i] }
            for i in p.b1.indices { p.b1[i] -= eta * nv.b1[i] }
            for i in p.w2.indices { p.w2[i] -= eta * nv.w2[i] }
            for i in p.b2.indices { p.b2[i] -= eta * nv.b2[i] }
        }
        let final = parameters(trained)
        for (a, b) in zip(final.w1 + final.b1 + final.w2 + final.b2, p.w1 + p.b1 + p.w2 + p.b2) {
            assertClose(a, b, "final parameter")
        }
        XCTAssertEqual(trained.data?.samples, samples, "the trained network keeps its data set")
    }

    func testFullBatchMeanMatchesReferenceSGD() throws {
        try compare(reduction: .mean, batchSize: nil, momentum: 0, steps: 6, eta: 0.8)
    }

    func testSumReductionWithMomentumMatchesReferenceSGD() throws {
        try compare(reduction: .sum, batchSize: nil, momentum: 0.9, steps: 6, eta: 0.3)
    }

    func testSeededMiniBatchesWithMomentumMatchReferenceSGD() throws {
        try compare(reduction: .mean, batchSize: 2, momentum: 0.5, steps: 8, eta: 0.5)
    }

    /// Mean reduction is PyTorch's default `reduction='mean'` for a per-sample loss summed over
    /// the outputs: the average of the samples' own losses and gradients. A batch of one is
    /// exactly the single example.
    func testMeanIsTheAverageOfTheSamplesAndABatchOfOneIsTheSingleExample() throws {
        let net = try network(reduction: .mean)
        let batch = try net.solve()
        let singles = try samples.map { try net.single($0).solve() }
        assertClose(batch.loss, singles.map(\.loss).reduce(0, +) / 5, "mean loss")
        for l in 1...2 {
            for i in batch.dW[l].storage.indices {
                assertClose(batch.dW[l].storage[i], singles.map { $0.dW[l].storage[i] }.reduce(0, +) / 5, "dW")
            }
        }
        XCTAssertEqual(batch.Z, singles[0].Z, "the shown sample's forward values")
        let one = try net.single(samples[2]).with(DataSet(samples: [samples[2]]))
        let s1 = try one.solve(), s2 = try net.single(samples[2]).solve()
        XCTAssertEqual(s1.loss, s2.loss)
        XCTAssertEqual(s1.dW, s2.dW)
        XCTAssertEqual(s1.dZ, s2.dZ)
    }

    func testMiniBatchesCoverEveryEpochAndRepeatForASeed() {
        var a = MiniBatches(count: 7, size: 3, seed: 5), b = MiniBatches(count: 7, size: 3, seed: 5)
        var c = MiniBatches(count: 7, size: 3, seed: 6)
        var first: [[Int]] = [], other: [[Int]] = []
        for _ in 0..<6 { let x = a.next(); XCTAssertEqual(x, b.next()); first.append(x); other.append(c.next()) }
        XCTAssertEqual(first.map(\.count), [3, 3, 1, 3, 3, 1])
        XCTAssertEqual(first[0...2].flatMap { $0 }.sorted(), Array(0..<7))
        XCTAssertEqual(first[3...5].flatMap { $0 }.sorted(), Array(0..<7))
        XCTAssertNotEqual(first, other)
        var full = MiniBatches(count: 4, size: nil, seed: 1)
        XCTAssertEqual(full.next(), [0, 1, 2, 3])
    }

    func testTrainedNetworkFileReadsBackToTheSameNetwork() throws {
        let net = try network(reduction: .sum)
        let (_, trained) = try Trainer(network: net, options: .init(steps: 3, learningRate: 0.7, momentum: 0.2)).run()
        let text = NetworkFileWriter.yaml(trained, comment: ["a comment"])
        let read = try NetworkFile.parse(text: text, file: "trained.yaml")
        XCTAssertEqual(read, trained)
        // A name with quotes, backslashes and YAML's own punctuation survives. (Control
        // characters are refused in a file's name, so a name never holds one after reading.)
        var named = trained
        named.name = "a \"b\" \\ c: #d' \\N"
        XCTAssertEqual(try NetworkFile.parse(text: NetworkFileWriter.yaml(named), file: "x").name, named.name)
    }

    func testDivergenceIsReportedWithItsStep() throws {
        // A linear network with too large a learning rate: every step multiplies the error.
        let net = try Network(input: [1, 2], target: [1], loss: .rss, layers: [try Layer(activation: .identity, weights: Matrix(rows: 2, columns: 1, repeating: 1), bias: [0])])
            .with(DataSet(samples: [Sample(input: [1, 2], target: [1]), Sample(input: [3, -1], target: [0])]))
        XCTAssertThrowsError(try Trainer(network: net, options: .init(steps: 5000, learningRate: 10)).run()) { error in
            XCTAssertTrue("\(error)".contains("training diverged at step"), "\(error)")
        }
    }
}
