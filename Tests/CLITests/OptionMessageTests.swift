import Foundation
import TestSupport
import XCTest

/// Every option's error says what is wrong with the value given (issue #10).
final class OptionMessageTests: XCTestCase {
    let q1 = TestSupport.sample("question-1.yaml")

    func assertRefused(_ arguments: [String], status: Int32 = 1, saying fragments: [String], line: UInt = #line) throws {
        let r = try TestSupport.run(arguments)
        XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)", line: line)
        XCTAssertEqual(r.stdout.count, 0, "\(arguments) wrote to stdout", line: line)
        for f in fragments { XCTAssertTrue(r.stderr.contains(f), "\(arguments): lacks “\(f)”: \(r.stderr)", line: line) }
    }

    func testANegativeValueAfterASpaceSaysToAttachIt() throws {
        try assertRefused(["values", q1, "--learning-rate", "-1"], status: 64,
                          saying: ["--learning-rate is followed by -1", "write `--learning-rate=-1`"])
        try assertRefused(["check", q1, "--tolerance", "-1e-5"], status: 64, saying: ["write `--tolerance=-1e-5`"])
        try assertRefused(["values", q1, "--learning-rate=-1"], saying: ["--learning-rate is -1.0; expected a positive finite number"])
    }

    func testWholeNumbersSayWhetherTooLargeOrNotANumber() throws {
        try assertRefused(["values", q1, "--precision", "99999999999999999999"], status: 64,
                          saying: ["is too large; expected a whole number between"])
        try assertRefused(["render", q1, "--max-edges", "four", "-o", "-"], status: 64, saying: ["is not a whole number; expected digits"])
        let dir = try TestSupport.temporaryDirectory()
        let path = dir + "/units.yaml"
        try "input: [1]\ntarget: [1]\nlayers:\n  - { units: 99999999999999999999, weights: 1 }\n".write(toFile: path, atomically: true, encoding: .utf8)
        try assertRefused(["values", path], saying: [":4:14: layer 1 `units` is `99999999999999999999`, a whole number too large"])
    }

    func testPrecisionIsCheckedByEveryCommand() throws {
        for command in [["values", q1], ["values", q1, "--format", "json"], ["render", q1, "-o", "-"], ["explain", q1, "--all"]] {
            try assertRefused(command + ["--precision", "0"], saying: ["--precision is 0; expected 1 to 17 significant digits"])
        }
    }

    func testALayerDeckOverTheFrameLimitDoesNotSuggestLayerSteps() throws {
        let dir = try TestSupport.temporaryDirectory()
        try assertRefused(["slides", q1, "--steps", "layer", "--max-frames", "5", "-o", dir + "/deck"],
                          saying: ["would have 9 frames; expected at most 5 (raise --max-frames)"])
        let r = try TestSupport.run(["slides", q1, "--steps", "layer", "--max-frames", "5", "-o", dir + "/deck"])
        XCTAssertFalse(r.stderr.contains("--steps layer"), r.stderr)
        try assertRefused(["slides", q1, "--max-frames", "5", "-o", dir + "/deck"], saying: ["use --steps layer, or raise --max-frames"])
    }

    func testAThemeSyntaxErrorAsksForATheme() throws {
        let dir = try TestSupport.temporaryDirectory()
        let theme = dir + "/broken.yaml"
        try "name: [x\n".write(toFile: theme, atomically: true, encoding: .utf8)
        try assertRefused(["render", q1, "--theme", theme, "-o", dir + "/x.svg"],
                          saying: ["invalid YAML/JSON", "expected a theme with"])
        let r = try TestSupport.run(["render", q1, "--theme", theme, "-o", dir + "/x.svg"])
        XCTAssertFalse(r.stderr.contains("network file"), r.stderr)
    }
}
