import Foundation
import NetworkModel
import TestSupport
import XCTest

/// The promise of the two deep samples (issue #13, README's gradient-norm charts): trained as
/// `bpviz train FILE -o run` does by default, the sigmoid net's first layer gets a gradient at
/// least ten times smaller than its last layer's at every step while the loss falls, and the
/// ReLU twin's layers stay within a decade of each other.
final class DeepSamplesTrainingTests: XCTestCase {
    /// `bpviz train`'s default --steps (TrainCommand); the sample sets the learning rate.
    static let defaultSteps = 2000

    func history(_ sample: String) throws -> [Trainer.Record] {
        let net = try NetworkFile.load(path: TestSupport.sample(sample))
        let eta = try XCTUnwrap(net.learningRate, "\(sample) should set learning_rate for `bpviz train`")
        return try Trainer(network: net, options: .init(steps: Self.defaultSteps, learningRate: eta)).run().history
    }

    func testDeepSigmoidGradientsVanishTowardTheInputAtEveryStepWhileTheLossFalls() throws {
        let history = try history("deep-sigmoid-data.yaml")
        XCTAssertEqual(history.count, Self.defaultSteps + 1)
        for r in history {
            let first = r.gradientNorms[0], last = r.gradientNorms[r.gradientNorms.count - 1]
            XCTAssertLessThan(first / last, 0.1, "step \(r.step): ‖∂W⁽¹⁾‖ = \(first), ‖∂W⁽ᴸ⁾‖ = \(last)")
        }
        // At the start every layer is below the next: the textbook staircase.
        let start = history[0].gradientNorms
        for l in 1..<start.count { XCTAssertLessThan(start[l - 1], start[l], "layer \(l) vs \(l + 1) at step 0") }
        let losses = history.map(\.loss)
        XCTAssertLessThan(losses.last!, 0.6 * losses.first!, "the loss should fall: \(losses.first!) → \(losses.last!)")
    }

    func testDeepReLUGradientsStayWithinADecadeAndItLearns() throws {
        let history = try history("deep-relu-data.yaml")
        for r in history {
            let spread = r.gradientNorms.max()! / r.gradientNorms.min()!
            XCTAssertLessThan(spread, 10, "step \(r.step): norms \(r.gradientNorms)")
        }
        XCTAssertLessThan(history.last!.loss, 0.05 * history.first!.loss)
    }
}
