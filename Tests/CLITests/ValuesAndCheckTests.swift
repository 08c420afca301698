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
}
