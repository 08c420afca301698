import Annotation
import NetworkModel
import TestSupport
import XCTest

/// The ops view of the worked example reads the chain rule node by node, in the notation.
final class OpsViewTests: XCTestCase {
    func diagram(_ sample: String = "question-1.yaml") throws -> Diagram {
        try View.ops.diagram(try NetworkFile.load(path: TestSupport.sample(sample)).solve())
    }

    func lines(_ d: Diagram, _ id: String) -> [String] { d.node(NodeID(id))?.lines.map(\.text.plain) ?? [] }

    func testValuesAreNamedInTheNotationWithTheirGradients() throws {
        let d = try diagram()
        XCTAssertEqual(d.geometry, .graph, "the op graph is laid out in layers")
        XCTAssertEqual(lines(d, "w1_2_1"), ["w_21^(1) = 1", "∂Loss/∂w_21^(1) = 64"])
        XCTAssertEqual(lines(d, "Z1_1"), ["Z_1^(1) = 2", "∂Loss/∂Z_1^(1) = 32"])
        XCTAssertEqual(lines(d, "x2"), ["α_2 = 2", "∂Loss/∂α_2 = 64"])
        XCTAssertEqual(lines(d, "p1_2_1"), ["α_2·w_21^(1) = 2", "∂Loss/∂(α_2·w_21^(1)) = 32"])
        XCTAssertEqual(lines(d, "r1"), ["Y − H^(3) = −8", "∂Loss/∂(Y − H^(3)) = −16"])
        XCTAssertEqual(lines(d, "Y1"), ["Y = 0"], "the target is data: no gradient")
        XCTAssertEqual(lines(d, "loss"), ["Loss = 64", "∂Loss/∂Loss = 1"])
        XCTAssertEqual(lines(d, "op_p1_2_1"), ["×"])
        XCTAssertEqual(lines(d, "op_Z1_1"), ["+"])
        XCTAssertEqual(lines(d, "op_H1_1"), ["ReLU"])
        XCTAssertEqual(lines(d, "op_s1"), ["(·)²"])
        XCTAssertEqual(lines(d, "op_loss"), ["Σ"])
    }

    func testEveryEdgeIntoAnOperationCarriesItsLocalDerivative() throws {
        let d = try diagram()
        func edge(_ tail: String, _ head: String) -> [String]? {
            d.edges.first { $0.id == EdgeID(NodeID(tail), NodeID(head)) }?.lines.map(\.text.plain)
        }
        XCTAssertEqual(edge("w1_2_1", "op_p1_2_1"), ["∂/∂w_21^(1) = α_2 = 2"])
        XCTAssertEqual(edge("x2", "op_p1_2_1"), ["∂/∂α_2 = w_21^(1) = 1"])
        XCTAssertEqual(edge("p1_2_1", "op_Z1_1"), ["∂/∂(α_2·w_21^(1)) = 1"])
        XCTAssertEqual(edge("Z1_1", "op_H1_1"), ["∂/∂Z_1^(1) = ReLU′(Z_1^(1)) = 1"])
        XCTAssertEqual(edge("r1", "op_s1"), ["∂/∂(Y − H^(3)) = 2(Y − H^(3)) = −16"])
        XCTAssertEqual(edge("H3_1", "op_r1"), ["∂/∂H^(3) = −1"])
        for e in d.edges where e.head.raw.hasPrefix("op_") { XCTAssertFalse(e.lines.isEmpty, "\(e.id) has no local derivative") }
        for e in d.edges where e.tail.raw.hasPrefix("op_") { XCTAssertTrue(e.lines.isEmpty, "\(e.id): an output edge is plain") }
    }

    func testSoftmaxAndTheFusedFormsAreDrawnHonestly() throws {
        let d = try diagram("softmax-classifier.yaml")
        let softmax = d.nodes.filter { $0.lines.first?.text.plain == "softmax" }
        XCTAssertEqual(softmax.count, 1, "one operation with several outputs")
        let outs = d.edges.filter { $0.tail == softmax[0].id }
        XCTAssertGreaterThan(outs.count, 1)
        let into = try XCTUnwrap(d.edges.first { $0.head == softmax[0].id })
        XCTAssertEqual(into.lines.count, outs.count, "one partial ∂H_i/∂Z_j per output")
        XCTAssertTrue(d.caption.contains { $0.text.plain.contains("closed form") }, "the fused gradient is noted")
    }

    func testTheSizeGuardPointsElsewhere() throws {
        let s = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        XCTAssertThrowsError(try View.ops.diagram(s, options: ViewOptions(maxOps: 10))) { error in
            XCTAssertEqual("\(error)", "the ops view of a 3-2-2-1 network would draw 25 operations; expected at most 10 (use --view full, which draws one node per unit, or raise --max-ops)")
        }
        // A network the full view refuses too (12 weights) is sent to the flow view; a deck to the node steps or the flow view.
        XCTAssertThrowsError(try View.ops.diagram(s, options: ViewOptions(maxEdges: 11, maxOps: 10))) { error in
            XCTAssertEqual("\(error)", "the ops view of a 3-2-2-1 network would draw 25 operations; expected at most 10 (use --view flow, which folds wide layers, or raise --max-ops)")
        }
        XCTAssertThrowsError(try OpsAnnotator.checkSize(s.network, maxOps: 10, maxEdges: 12, deck: true)) { error in
            XCTAssertTrue("\(error)".hasSuffix("(use --steps node, a frame per unit, or raise --max-ops)"), "\(error)")
        }
        XCTAssertThrowsError(try OpsAnnotator.checkSize(s.network, maxOps: 10, maxEdges: 11, deck: true)) { error in
            XCTAssertTrue("\(error)".hasSuffix("(render the flow view instead, or raise --max-ops)"), "\(error)")
        }
        XCTAssertNoThrow(try OpsAnnotator.checkSize(s.network, maxOps: 25, maxEdges: 0))
    }

    // MARK: - The deck

    func testTheDeckStepsBackwardOneOperationAFrame() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let frames = SlideDeck(solution: solution, steps: .ops).frames
        XCTAssertEqual(frames.count, 6 + 1 + 25 + 5, "forward a unit at a time and the loss, the seed, one frame per operation, each unit's gradients")
        // Every frame is the same graph: one layout holds them all.
        for f in frames {
            XCTAssertEqual(f.diagram.nodes.map(\.id), frames[0].diagram.nodes.map(\.id))
            XCTAssertEqual(f.diagram.edges.map(\.id), frames[0].diagram.edges.map(\.id))
            XCTAssertEqual(f.diagram.geometry, .graph)
        }
        func gradientLine(_ f: SlideDeck.Frame, _ id: String) -> Line? { f.diagram.node(NodeID(id))?.lines.last }
        XCTAssertTrue(try XCTUnwrap(gradientLine(frames[5], "loss")).hidden, "the forward frames know no gradient")
        XCTAssertFalse(try XCTUnwrap(gradientLine(frames[6], "loss")).hidden, "the seed: ∂Loss/∂Loss = 1")
        // Reverse topological order: the loss's Σ first, the first layer's products last.
        XCTAssertEqual(frames[6].name, "007-backward-seed")
        XCTAssertEqual(frames[7].name, "008-backward-op-loss")
        let w21 = try XCTUnwrap(frames.firstIndex { $0.name == "031-backward-op-p1-2-1" })
        XCTAssertEqual(frames[w21].diagram.caption.map(\.text.unicode).prefix(2), [
            "∂Loss/∂α₂ = ∂Loss/∂(α₂·w₂₁⁽¹⁾) · ∂(α₂·w₂₁⁽¹⁾)/∂α₂ + ∂Loss/∂(α₂·w₂₂⁽¹⁾) · ∂(α₂·w₂₂⁽¹⁾)/∂α₂ = 32 · 1 + 32 · 1 = 64",
            "∂Loss/∂w₂₁⁽¹⁾ = ∂Loss/∂(α₂·w₂₁⁽¹⁾) · ∂(α₂·w₂₁⁽¹⁾)/∂w₂₁⁽¹⁾ = 32 · 2 = 64",
        ])
        XCTAssertTrue(try XCTUnwrap(gradientLine(frames[w21 - 1], "w1_2_1")).hidden, "not known before its frame")
        XCTAssertFalse(try XCTUnwrap(gradientLine(frames[w21], "w1_2_1")).hidden)
        XCTAssertTrue(frames[w21].diagram.node(NodeID("op_p1_2_1"))!.emphasis.highlighted)
        // α₂ feeds two products: the earlier frame shows the term it gets, not the sum.
        let other = try XCTUnwrap(frames.first { $0.name == "027-backward-op-p1-2-2" })
        XCTAssertEqual(other.diagram.caption.first?.text.unicode,
                       "term of ∂Loss/∂α₂: ∂Loss/∂(α₂·w₂₂⁽¹⁾) · ∂(α₂·w₂₂⁽¹⁾)/∂α₂ = 32 · 1 = 32 (1 of 2)")
        XCTAssertTrue(try XCTUnwrap(gradientLine(other, "x2")).hidden)
        XCTAssertFalse(frames.last!.diagram.nodes.contains { $0.lines.contains(where: \.hidden) }, "the last frame knows everything")
    }

    /// The forward frames show a value once the step that computes it is done, as the node
    /// deck does: what later steps compute reads "?"; what is given is known from the start.
    func testTheForwardFramesShowAValueOnceItIsComputed() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let frames = SlideDeck(solution: solution, steps: .ops).frames
        func value(_ f: SlideDeck.Frame, _ id: String) throws -> Line { try XCTUnwrap(f.diagram.node(NodeID(id))?.lines.first, id) }
        let first = frames[0]
        for id in ["x1", "w1_1_1", "w1_1_2", "b1_1", "w3_1_1", "Y1"] { XCTAssertFalse(try value(first, id).hidden, "\(id) is given") }
        for id in ["p1_1_1", "Z1_1", "H1_1"] { XCTAssertFalse(try value(first, id).hidden, "\(id) is computed in frame 1") }
        for id in ["p1_1_2", "Z1_2", "H1_2", "Z2_1", "Z3_1", "loss"] {
            XCTAssertEqual(try value(first, id).valueText, " = ?", "\(id) is computed later")
        }
        XCTAssertEqual(first.diagram.node(NodeID("Z1_2"))?.tooltip, "Z_2^(1) = ?", "the tooltip does not give the value away")
        // Frame by frame, each unit's values appear with their step, and stay.
        XCTAssertFalse(try value(frames[1], "H1_2").hidden)
        XCTAssertTrue(try value(frames[4], "loss").hidden)
        XCTAssertFalse(try value(frames[5], "loss").hidden, "the loss's own frame")
        XCTAssertEqual(try value(frames[5], "loss").valueText, " = 64")
        for f in frames.dropFirst(5) {
            XCTAssertFalse(f.diagram.nodes.contains { $0.lines.first?.hidden == true }, "\(f.name): every value is known from the loss on")
        }
    }

    func testTheClosedFormNoteComesWithTheBackwardPass() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("softmax-classifier.yaml")).solve()
        let frames = SlideDeck(solution: solution, steps: .ops).frames
        func noted(_ f: SlideDeck.Frame) -> Bool { f.diagram.caption.contains { $0.text.unicode.contains("closed form") } }
        let forward = frames.prefix { $0.name.contains("-forward-") }
        XCTAssertEqual(forward.count, 8, "six units, the softmax, the loss")
        XCTAssertTrue(forward.allSatisfy { !noted($0) }, "no gradient yet")
        XCTAssertTrue(frames.dropFirst(forward.count).allSatisfy(noted), "from the seed on")
    }

    func testTheDeckComputesForwardAUnitAFrameAndEndsWithEveryParameterGradient() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let frames = SlideDeck(solution: solution, steps: .ops).frames
        XCTAssertEqual(frames.prefix(6).map(\.name), ["001-forward-Z1-1", "002-forward-Z1-2", "003-forward-Z2-1", "004-forward-Z2-2", "005-forward-Z3-1", "006-forward-loss"])
        // The worked example's forward arithmetic, a unit at a time.
        XCTAssertEqual(frames[0].diagram.caption.map(\.text.unicode), [
            "Z₁⁽¹⁾ = α₁·w₁₁⁽¹⁾ + α₂·w₂₁⁽¹⁾ + α₃·w₃₁⁽¹⁾ + b₁⁽¹⁾ = 1·1 + 2·1 + (−1)·1 + 0 = 2",
            "H₁⁽¹⁾ = ReLU(Z₁⁽¹⁾) = ReLU(2) = 2",
        ])
        XCTAssertEqual(frames[5].diagram.caption.map(\.text.unicode), ["Loss = (Y − H⁽³⁾)² = (0 − 8)² = 64"])
        // What each forward frame highlights: the unit's products, its sum and activation and
        // the values they compute, and no gradient is known yet.
        let unit = Set(frames[0].diagram.nodes.filter(\.emphasis.highlighted).map(\.id.raw))
        XCTAssertEqual(unit, ["op_p1_1_1", "op_p1_2_1", "op_p1_3_1", "p1_1_1", "p1_2_1", "p1_3_1", "op_Z1_1", "Z1_1", "op_H1_1", "H1_1"])
        XCTAssertTrue(frames[0].diagram.edges.contains { $0.id == EdgeID(NodeID("p1_1_1"), NodeID("op_Z1_1")) && $0.emphasis.highlighted })
        XCTAssertFalse(frames[0].diagram.edges.contains { $0.id == EdgeID(NodeID("x1"), NodeID("op_p1_1_1")) && $0.emphasis.highlighted }, "inputs from outside the unit are not part of it")
        for f in frames.prefix(6) {
            XCTAssertTrue(f.diagram.nodes.filter { $0.lines.count > 1 }.allSatisfy { $0.lines[1].hidden }, "\(f.name) knows no gradient")
        }
        // The last frames: each unit's weights and bias with their gradients. Together they
        // are the worked example's 17 gradients, each once, with the model's values.
        let last = frames.suffix(5)
        XCTAssertEqual(last.map(\.name), ["033-gradients-Z1-1", "034-gradients-Z1-2", "035-gradients-Z2-1", "036-gradients-Z2-2", "037-gradients-Z3-1"])
        XCTAssertEqual(last.first!.diagram.caption.map(\.text.unicode), ["∂Loss/∂w₁₁⁽¹⁾ = 32, ∂Loss/∂w₂₁⁽¹⁾ = 64, ∂Loss/∂w₃₁⁽¹⁾ = −32", "∂Loss/∂b₁⁽¹⁾ = 32"])
        let stated = last.flatMap { $0.diagram.caption.flatMap { $0.text.unicode.components(separatedBy: ", ") } }
        XCTAssertEqual(stated.count, 17)
        let format = NumberFormat()
        var expected: [String] = []
        for (i, layer) in solution.network.layers.enumerated() {
            for k in 1...layer.units {
                let l = i + 1
                for j in 1...layer.weights.rows {
                    expected.append(format.string(solution.value(of: .gradient(.weight(layer: l, j: j, k: k)))))
                }
                expected.append(format.string(solution.value(of: .gradient(.bias(layer: l, k: k)))))
            }
        }
        XCTAssertEqual(stated.map { String($0.split(separator: " = ").last!) }, expected)
        let highlighted = last.flatMap { $0.diagram.nodes.filter(\.emphasis.highlighted).map(\.id.raw) }
        XCTAssertEqual(highlighted.count, 17, "each parameter highlighted once")
        XCTAssertEqual(Set(highlighted).count, 17)
    }
}
