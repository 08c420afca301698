import Foundation
import TestSupport
import XCTest

/// `bpviz values` and `bpviz check`, run as the built executable.
final class ValuesAndCheckTests: XCTestCase {
    let q1 = TestSupport.sample("question-1.yaml")

    func testValuesTableReadsLikeTheSummary() throws {
        let r = try TestSupport.run(["values", q1])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        for line in ["Loss = 64", "∂Loss/∂b⁽³⁾   = 16", "∂Loss/∂w₁₁⁽³⁾ = 64", "∂Loss/∂w₃₁⁽¹⁾ = −32", "∂Loss/∂α₂ = 64", "H₁⁽²⁾         = 4"] {
            XCTAssertTrue(r.stdoutText.contains(line), "missing \(line) in\n\(r.stdoutText)")
        }
    }

    func testValuesJSONIsTheSpecSchema() throws {
        let r = try TestSupport.run(["values", q1, "--format", "json", "--learning-rate", "0.1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["name", "loss", "input", "target", "output", "dX", "layers", "update"])
        let update = try XCTUnwrap(object["update"] as? [String: Any])
        XCTAssertEqual(update["learning_rate"] as? Double, 0.1)
        let layer3 = try XCTUnwrap((update["layers"] as? [[String: Any]])?.last)
        let w = try XCTUnwrap(layer3["W"] as? [[Double]])
        XCTAssertEqual(w[0][0], 1 - 6.4, accuracy: 1e-12)
    }

    func testValuesCSVAndMarkdown() throws {
        let csv = try TestSupport.run(["values", q1, "--format", "csv"])
        XCTAssertTrue(csv.stdoutText.hasPrefix("layer,quantity,symbol,value\n"))
        XCTAssertTrue(csv.stdoutText.contains("1,dw,∂Loss/∂w_31^(1),-32.0"), csv.stdoutText)
        let md = try TestSupport.run(["values", q1, "--format", "markdown"])
        XCTAssertTrue(md.stdoutText.contains("| ∂Loss/∂w<sub>21</sub><sup>(1)</sup> | 64 |"), md.stdoutText)
    }

    func testCheckPassesOnEverySample() throws {
        for sample in TestSupport.allSamples {
            let r = try TestSupport.run(["check", sample])
            XCTAssertEqual(r.status, 0, "\(sample): \(r.stderr)")
            XCTAssertTrue(r.stdoutText.contains("largest relative error"), r.stdoutText)
        }
    }

    /// Correct gradients beside a huge pre-activation pass: a bias of 10¹⁰ made every
    /// first-layer weight's finite difference 0 or noise, and `check` failed.
    func testCheckPassesBesideHugePreActivations() throws {
        let dir = try TestSupport.temporaryDirectory()
        for bias in ["1e10", "1e153"] {
            let path = dir + "/big-\(bias).yaml"
            try "input: [1, 2, -1]\ntarget: [0]\nloss: rss\nlayers:\n  - { units: 2, activation: relu, weights: 1, bias: \(bias) }\n  - { units: 1, activation: identity, weights: [[1], [1]], bias: [0] }\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            let r = try TestSupport.run(["check", path])
            XCTAssertEqual(r.status, 0, "bias \(bias): \(r.stdoutText) \(r.stderr)")
            XCTAssertTrue(r.stdoutText.contains("compared 14 gradients"), r.stdoutText)
        }
    }

    func testCheckWarnsAboutUnhealthyUnits() throws {
        let dead = try TestSupport.run(["check", TestSupport.sample("dead-relu.yaml")])
        XCTAssertTrue(dead.stdoutText.contains("warning: dead ReLU: Z₂⁽¹⁾ = −1.5"), dead.stdoutText)
        let deep = try TestSupport.run(["check", TestSupport.sample("deep-sigmoid.yaml")])
        XCTAssertTrue(deep.stdoutText.contains("warning: vanishing gradient: layer 1"), deep.stdoutText)
    }

    func testBadFileGetsOneSentenceAndExitOne() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir + "/bad.yaml"
        try "input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, activation: relu, weights: [[1, 2], [3]] }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        for command in ["values", "check"] {
            let r = try TestSupport.run([command, path])
            XCTAssertEqual(r.status, 1)
            XCTAssertEqual(r.stdout.count, 0)
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("bpviz: \(path):4:"), r.stderr)
            XCTAssertTrue(r.stderr.contains("layer 1 weights: expected 2 rows × 1 column"), r.stderr)
        }
        let missing = try TestSupport.run(["values", dir + "/nope.yaml"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such file"), missing.stderr)
        let directory = try TestSupport.run(["values", dir])
        XCTAssertTrue(directory.stderr.contains("is a directory"), directory.stderr)
    }

    /// Saturated outputs whose loss is finite: JSON that parses, diagrams without NaN or ∞,
    /// and a gradient check that passes (issue #10).
    func testSaturatedOutputsGiveFiniteValuesEverywhere() throws {
        let dir = try TestSupport.temporaryDirectory()
        let files = [
            "bce37": "input: [1]\ntarget: [1]\nloss: bce\nlayers:\n  - { units: 1, activation: sigmoid, weights: 37 }\n",
            "bce100": "input: [1]\ntarget: [0]\nloss: bce\nlayers:\n  - { units: 1, activation: sigmoid, weights: 100 }\n",
            "ce700": "input: [1]\ntarget: [0.5, 0.5]\nloss: cross_entropy\nlayers:\n  - { units: 2, activation: softmax, weights: [[0, -700]] }\n",
        ]
        for (name, text) in files {
            let path = dir + "/\(name).yaml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let json = try TestSupport.run(["values", path, "--format", "json"])
            XCTAssertEqual(json.status, 0, json.stderr)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: json.stdout), "\(name): \(json.stdoutText)")
            XCTAssertFalse(json.stdoutText.contains("nan") || json.stdoutText.contains("inf"), json.stdoutText)
            for view in ["full", "flow", "layers"] {
                let svg = dir + "/\(name)-\(view).svg"
                let r = try TestSupport.run(["render", path, "--view", view, "-o", svg])
                XCTAssertEqual(r.status, 0, r.stderr)
                let text = try String(contentsOfFile: svg, encoding: .utf8)
                XCTAssertFalse(text.contains("NaN") || text.contains("∞") || text.lowercased().contains("nan<"), "\(name) \(view)")
            }
            let check = try TestSupport.run(["check", path])
            XCTAssertEqual(check.status, 0, "\(name): \(check.stdoutText)\(check.stderr)")
        }
        let bce37 = try TestSupport.run(["values", dir + "/bce37.yaml"]).stdoutText
        let lines = bce37.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        XCTAssertTrue(lines.contains("∂Loss/∂Z⁽¹⁾ = −8.533e−17"), bce37)
        XCTAssertTrue(lines.contains("∂Loss/∂H⁽¹⁾ = −1"), bce37)
    }

    func testTheToleranceMustBeAPositiveNumber() throws {
        for bad in ["nan", "0", "-1", "inf"] {
            let r = try TestSupport.run(["check", q1, "--tolerance=\(bad)"])
            XCTAssertEqual(r.status, 1, bad)
            XCTAssertTrue(r.stderr.contains("--tolerance is") && r.stderr.contains("expected a positive finite relative error"), r.stderr)
        }
    }
}
