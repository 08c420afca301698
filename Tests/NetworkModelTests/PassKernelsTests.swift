@testable import NetworkModel
import XCTest

/// The blocked loops of `PassKernels` and a batch's gathered sums give the very bits of the
/// plain loops they replaced, on shapes that are and are not multiples of four, with zeros
/// (of both signs), infinities and NaNs where skipping rows matters.
final class PassKernelsTests: XCTestCase {
    func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

    func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout SeededRandom) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for p in m.storage.indices { m.storage[p] = rng.nextUniform(low: -3, high: 3) * pow(10, Double(p % 7) - 3) }
        return m
    }

    /// The loops as they were before `PassKernels`.
    func plainAffine(_ h: [Double], _ w: Matrix, _ bias: [Double]) -> [Double] {
        var z = bias
        for j in 0..<w.rows where h[j] != 0 {
            for k in 0..<w.columns { z[k] += h[j] * w[j, k] }
        }
        return z
    }

    func plainBackward(_ w: Matrix, _ dz: [Double]) -> [Double] {
        (0..<w.rows).map { j in
            var acc = 0.0
            for k in 0..<w.columns { acc += w[j, k] * dz[k] }
            return acc
        }
    }

    func testKernelsMatchThePlainLoopsBitForBit() throws {
        var rng = SeededRandom(seed: 7)
        for (rows, columns) in [(1, 1), (3, 5), (4, 4), (5, 3), (9, 2), (17, 13), (64, 10), (130, 7)] {
            let w = randomMatrix(rows, columns, &rng)
            var h = (0..<rows).map { _ in rng.nextUniform(low: -2, high: 2) }
            // Zeros of both signs among the rows, so the skipped rows fall inside and across blocks.
            for j in stride(from: 1, to: rows, by: 3) { h[j] = j % 2 == 0 ? 0 : -0.0 }
            let bias = (0..<columns).map { k in k % 4 == 0 ? -0.0 : rng.nextUniform(low: -1, high: 1) }
            XCTAssertEqual(bits(PassKernels.affine(h, w, bias: bias)), bits(plainAffine(h, w, bias)), "\(rows)×\(columns)")
            let dz = (0..<columns).map { _ in rng.nextUniform(low: -1, high: 1) * 1e-3 }
            XCTAssertEqual(bits(PassKernels.backward(w, dz)), bits(plainBackward(w, dz)), "\(rows)×\(columns)")
            let g = PassKernels.gradient(h, dz)
            XCTAssertEqual(bits(g.storage), bits((0..<rows).flatMap { j in dz.map { h[j] * $0 } }), "\(rows)×\(columns)")
            var acc = randomMatrix(rows, columns, &rng), expected = acc
            PassKernels.accumulateGradient(&acc, weight: 0.25, h, dz)
            for p in expected.storage.indices { expected.storage[p] += 0.25 * g.storage[p] }
            XCTAssertEqual(bits(acc.storage), bits(expected.storage), "\(rows)×\(columns)")
        }
        // A zero input next to an infinite weight adds nothing (no 0·∞ NaN), as before.
        var w = Matrix(rows: 5, columns: 2, repeating: 1)
        w[2, 0] = .infinity
        XCTAssertEqual(bits(PassKernels.affine([1, 2, 0, 3, 4], w, bias: [0, 0])), bits([10, 10]))
        w[2, 1] = .nan
        XCTAssertEqual(bits(PassKernels.affine([1, 2, 0, 3, 4], w, bias: [0, 0])), bits([10, 10]))
    }

    /// Every number of a batch solution, as bits.
    func bits(_ s: Solution) -> [[UInt64]] {
        [[s.loss.bitPattern]] + (s.Z + s.H + s.dZ + s.dH + s.db).map(bits) + s.dW.map { bits($0.storage) }
            + (s.batch?.samples ?? []).flatMap { v in (v.Z + v.H).map(bits) + [[v.loss.bitPattern]] }
    }

    /// The batch's sums gathered per layer equal the sums of per-sample solutions (the path
    /// taken before, and still when a value is not finite).
    func testGatheredBatchSumsAreThePerSampleSums() throws {
        var rng = SeededRandom(seed: 11)
        for (seed, (activation, output, loss)) in [(Activation.relu, Activation.identity, LossFunction.rss), (.tanh, .sigmoid, .bce),
                                                   (.leakyReLU(slope: 0.1), .softmax, .crossEntropy), (.softplus, .identity, .mse)].enumerated() {
            let net = try RandomNetworks.make(seed: UInt64(seed + 1), hiddenActivation: activation, output: output, loss: loss)
            for (count, reduction) in [(1, LossReduction.mean), (5, .mean), (6, .sum)] {
                let samples = (0..<count).map { i -> Sample in
                    var input = net.input.map { _ in rng.nextUniform(low: -2, high: 2) }
                    if i == 1 { input[0] = 0 }
                    return Sample(input: input, target: i == 0 ? net.target : net.target.reversed())
                }
                guard let batchNet = try? net.with(DataSet(samples: samples, reduction: reduction, shown: count - 1)) else {
                    continue   // a target the loss refuses
                }
                let solved = try batchNet.solve(learningRate: 0.1)
                // The oracle: per-sample solutions, summed in sample order.
                let weight = reduction.weight(count: count)
                var dW = batchNet.layers.map { Matrix(rows: $0.weights.rows, columns: $0.weights.columns) }
                var db = batchNet.layers.map { [Double](repeating: 0, count: $0.units) }
                var total = 0.0
                for sample in samples {
                    let s = try batchNet.single(sample).solve()
                    total += weight * s.loss
                    for l in 1...batchNet.depth {
                        for p in dW[l - 1].storage.indices { dW[l - 1].storage[p] += weight * s.dW[l].storage[p] }
                        for k in db[l - 1].indices { db[l - 1][k] += weight * s.db[l][k] }
                    }
                }
                XCTAssertEqual(solved.loss.bitPattern, total.bitPattern)
                XCTAssertEqual(solved.dW.dropFirst().map { bits($0.storage) }, dW.map { bits($0.storage) })
                XCTAssertEqual(solved.db.dropFirst().map(bits), db.map(bits))
                let shown = try batchNet.single(samples[count - 1]).solve()
                XCTAssertEqual(solved.dZ.map(bits), shown.dZ.map { bits($0.map { weight * $0 }) })
                XCTAssertEqual(solved.dX.map(\.bitPattern), shown.dX.map { (weight * $0).bitPattern })
            }
        }
    }

    /// A sample whose weight gradient overflows (its forward values and loss are finite) is
    /// still named, with its number, by the per-sample path.
    func testAnOverflowInOneSampleIsNamedAsBefore() throws {
        let layer = try Layer(activation: .identity, weights: Matrix([[1e-300], [1]]), bias: [0])
        let net = try Network(input: [1, 1], target: [0], loss: .rss, layers: [layer])
            .with(DataSet(samples: [Sample(input: [1, 1], target: [0]), Sample(input: [1e300, 0], target: [-1e10])]))
        XCTAssertThrowsError(try net.solve()) { error in
            XCTAssertEqual("\(error)", "∂Loss/∂w_11^(1) of sample 2 overflowed to +∞ during the forward or backward pass; expected finite values (scale the weights or inputs down)")
        }
    }
}
