import Annotation
import NetworkModel
import TestSupport
import XCTest

final class SlideDeckTests: XCTestCase {
    func deck(steps: SlideDeck.Steps = .node, learningRate: Double? = nil) throws -> SlideDeck {
        let s = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve(learningRate: learningRate)
        return SlideDeck(solution: s, steps: steps)
    }

    func testFramesAndOrderOfTheWorkedExample() throws {
        let names = try deck().frames.map(\.name)
        XCTAssertEqual(names.count, 1 + 5 + 1 + 1 + 17 + 3 + 1)
        XCTAssertEqual(Array(names.prefix(8)), ["001-setup", "002-forward-Z1-1", "003-forward-Z2-1", "004-forward-Z1-2", "005-forward-Z2-2",
                                                 "006-forward-Z1-3", "007-loss", "008-backward-output-H1-3"])
        XCTAssertEqual(Array(names.suffix(5)), ["025-backward-w32-1", "026-backward-input1", "027-backward-input2", "028-backward-input3", "029-summary"])
        XCTAssertEqual(try deck(learningRate: 0.1).frames.last?.name, "030-update")
        XCTAssertEqual(try deck(steps: .layer).frames.map(\.name),
                       ["001-setup", "002-forward-layer-1", "003-forward-layer-2", "004-forward-layer-3", "005-loss",
                        "006-backward-output", "007-backward-layer-3", "008-backward-layer-2", "009-backward-layer-1", "010-backward-inputs",
                        "011-summary"])
    }

    func testBackwardCaptionsCarryTheDocumentsArithmetic() throws {
        let frames = try deck().frames.filter { $0.name.contains("backward") && !$0.name.contains("output") && !$0.name.contains("input") }
        let captions = frames.map { $0.diagram.caption.map { $0.text.unicode }.joined(separator: "\n") }
        let expected = ["∂Loss/∂b⁽³⁾ = 16 · 1 = 16", "∂Loss/∂w₁₁⁽³⁾ = 16 · 4 = 64", "∂Loss/∂w₂₁⁽³⁾ = 16 · 4 = 64",
                        "∂Loss/∂b₁⁽²⁾ = 16 · 1 · 1 · 1 = 16", "∂Loss/∂w₁₁⁽²⁾ = 16 · 1 · 1 · 2 = 32", "∂Loss/∂w₂₁⁽²⁾ = 16 · 1 · 1 · 2 = 32",
                        "∂Loss/∂b₂⁽²⁾ = 16 · 1 · 1 · 1 = 16", "∂Loss/∂w₁₂⁽²⁾ = 16 · 1 · 1 · 2 = 32", "∂Loss/∂w₂₂⁽²⁾ = 16 · 1 · 1 · 2 = 32",
                        "∂Loss/∂b₁⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32",
                        "∂Loss/∂w₁₁⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32",
                        "∂Loss/∂w₂₁⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · 2 + 16 · 1 · 1 · 1 · 1 · 2 = 64",
                        "∂Loss/∂w₃₁⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · (−1) + 16 · 1 · 1 · 1 · 1 · (−1) = −32",
                        "∂Loss/∂b₂⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32",
                        "∂Loss/∂w₁₂⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 32",
                        "∂Loss/∂w₂₂⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · 2 + 16 · 1 · 1 · 1 · 1 · 2 = 64",
                        "∂Loss/∂w₃₂⁽¹⁾ = 16 · 1 · 1 · 1 · 1 · (−1) + 16 · 1 · 1 · 1 · 1 · (−1) = −32"]
        XCTAssertEqual(captions.count, 17)
        for (caption, line) in zip(captions, expected) { XCTAssertTrue(caption.contains(line), "\(caption)\nlacks \(line)") }
        let forward = try deck().frames[1].diagram.caption.map { $0.text.unicode }
        XCTAssertEqual(forward, ["Z₁⁽¹⁾ = α₁·w₁₁⁽¹⁾ + α₂·w₂₁⁽¹⁾ + α₃·w₃₁⁽¹⁾ + b₁⁽¹⁾ = 1·1 + 2·1 + (−1)·1 + 0 = 2",
                                 "H₁⁽¹⁾ = ReLU(Z₁⁽¹⁾) = ReLU(2) = 2"])
    }

    /// The backward pass starts from the loss formula with numbers, and ends with the inputs.
    func testTheOutputGradientAndTheInputGradientsAreDerived() throws {
        let frames = try deck().frames
        let output = try XCTUnwrap(frames.first { $0.name == "008-backward-output-H1-3" })
        XCTAssertEqual(output.diagram.caption.map { $0.text.unicode }, ["∂Loss/∂H⁽³⁾ = −2(Y − H⁽³⁾) = −2(0 − 8) = 16"])
        XCTAssertEqual(output.diagram.node(.loss)?.lines.last?.text.plain, "∂Loss/∂H^(3) = 16")
        XCTAssertEqual(frames[6].diagram.node(.loss)?.lines.last?.text.plain, "∂Loss/∂H^(3) = ?", "not known before it is derived")
        XCTAssertTrue(output.diagram.node(.unit(layer: 3, k: 1))!.emphasis.highlighted)
        for i in 1...3 {
            let frame = try XCTUnwrap(frames.first { $0.name.hasSuffix("backward-input\(i)") })
            let caption = frame.diagram.caption.map { $0.text.unicode }
            XCTAssertEqual(caption.last, "∂Loss/∂α\(["₁", "₂", "₃"][i - 1]) = 16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 + 16 · 1 · 1 · 1 · 1 · 1 = 64")
            XCTAssertTrue(frame.diagram.node(.unit(layer: 0, k: i))!.lines.last!.text.plain.hasSuffix("= 64"))
            XCTAssertTrue(frame.diagram.node(.unit(layer: 0, k: i))!.emphasis.highlighted)
        }
        // Before the input frames, the inputs' gradients are still unknown.
        let lastWeight = try XCTUnwrap(frames.first { $0.name.hasSuffix("backward-w32-1") })
        XCTAssertTrue(lastWeight.diagram.node(.unit(layer: 0, k: 1))!.lines.last!.hidden)
    }

    func testForwardFramesLeakNoLaterValue() throws {
        let frames = try deck().frames
        let lossFrame = frames.firstIndex { $0.name.hasSuffix("loss") }!
        for (i, frame) in frames.enumerated() where i < lossFrame {
            for node in frame.diagram.nodes {
                for line in node.lines where line.role == .gradient {
                    XCTAssertTrue(line.hidden && line.text.plain.hasSuffix("= ?"), "\(frame.name) shows \(line.text.plain)")
                }
                XCTAssertFalse(node.tooltip.contains("∂"), "\(frame.name) tooltip leaks \(node.tooltip)")
            }
            for edge in frame.diagram.edges { for line in edge.lines where line.role == .gradient { XCTAssertTrue(line.hidden, frame.name) } }
            XCTAssertTrue(frame.diagram.node(.loss)!.lines[0].hidden, "\(frame.name) shows the loss")
        }
        // Frame 2 knows Z_1^(1) and H_1^(1), nothing of unit 2.
        let second = frames[1].diagram
        XCTAssertEqual(second.node(.unit(layer: 1, k: 1))?.lines[0].text.plain, "H_1^(1) = 2")
        XCTAssertEqual(second.node(.unit(layer: 1, k: 2))?.lines[0].text.plain, "H_2^(1) = ?")
        XCTAssertTrue(second.node(.unit(layer: 1, k: 1))!.emphasis.highlighted)
    }

    func testBackwardFramesHighlightThePaths() throws {
        let frame = try deck().frames.first { $0.name == "020-backward-w21-1" }!.diagram
        let highlighted = Set(frame.edges.filter(\.emphasis.highlighted).map(\.id.raw))
        XCTAssertEqual(highlighted, ["L0_2->L1_1", "L1_1->L2_1", "L1_1->L2_2", "L2_1->L3_1", "L2_2->L3_1", "L3_1->loss"])
        XCTAssertTrue(frame.node(.unit(layer: 0, k: 2))!.emphasis.highlighted)
        XCTAssertFalse(frame.node(.unit(layer: 1, k: 2))!.emphasis.highlighted)
    }
}
