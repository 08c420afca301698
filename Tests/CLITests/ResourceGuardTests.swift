import Foundation
import TestSupport
import XCTest

/// Files of a few kilobytes that used to ask for gigabytes or minutes are refused before the
/// work starts: each command runs with its address space limited to 1 GB (`ulimit -v`), so a
/// guard that came after the allocation would show as a crash, not the sentence (issue #10).
final class ResourceGuardTests: XCTestCase {
    let limitKB = 1_048_576

    /// bpviz with `ulimit -v` and a 120 s stop, so a missing guard fails instead of hanging.
    func runLimited(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let quoted = ([TestSupport.executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        process.arguments = ["-c", "ulimit -v \(limitKB) && exec timeout 120 " + quoted.joined(separator: " ")]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func assertRefused(_ arguments: [String], saying fragment: String, line: UInt = #line) throws {
        let r = try runLimited(arguments)
        XCTAssertEqual(r.status, 1, "\(arguments.prefix(2)): \(r.stderr.prefix(400))", line: line)
        XCTAssertTrue(r.stderr.contains(fragment), "\(arguments.prefix(2)): lacks “\(fragment)”: \(r.stderr.prefix(400))", line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, line: line)
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = try TestSupport.temporaryDirectory() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTheLimitLeavesRoomForOrdinaryWork() throws {
        // The control: under the same limit, ordinary commands succeed.
        let q1 = TestSupport.sample("question-1.yaml")
        let dir = try TestSupport.temporaryDirectory()
        for args in [["values", q1], ["check", q1], ["render", q1, "-o", dir + "/q.svg"], ["slides", q1, "-o", dir + "/deck"]] {
            let r = try runLimited(args)
            XCTAssertEqual(r.status, 0, "\(args[0]) under ulimit -v: \(r.stderr)")
        }
    }

    func testAHundredMillionWeightsFromTwentyKilobytes() throws {
        let path = TestSupport.root.appendingPathComponent("Tests/BadInput/parameters-1e8.yaml").path
        for command in [["values", path], ["values", path, "--format", "json"], ["check", path],
                        ["render", path, "--view", "flow", "-o", "-"], ["explain", path, "w_11^(1)"]] {
            try assertRefused(command, saying: "expected at most 250000 (raise --max-parameters)")
        }
        // Raised past the file's size, the same command dies of the address-space limit: the
        // limit is what makes the refusals above evidence that nothing large was allocated.
        // (2·10⁸ weights, so the first allocation already passes the limit and fails at once.)
        let wider = try write(String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "units: 9999", with: "units: 20000"), "wider.yaml")
        let unguarded = try runLimited(["values", wider, "--max-parameters", "300000000"])
        XCTAssertNotEqual(unguarded.status, 0)
        XCTAssertNotEqual(unguarded.status, 1, "not refused with a sentence but stopped by the limit: \(unguarded.stderr.prefix(300))")
    }

    func testTenMillionInputValues() throws {
        let path = try write("input: [" + String(repeating: "1,", count: 10_000_000) + "1]\ntarget: [0]\nlayers: [{units: 1, weights: 1}]\n", "inputs.yaml")
        try assertRefused(["values", path], saying: "holds more than 2000000 values or lines")
    }

    func testAnAliasBombThroughComplexKeys() throws {
        let path = TestSupport.root.appendingPathComponent("Tests/BadInput/alias-bomb-keys.yaml").path
        try assertRefused(["check", path], saying: ":26:9: a mapping key is an alias or a collection")
    }

    func testAnAliasBombThroughValues() throws {
        // Ten levels of ten aliases, 551 bytes: 10¹⁰ values, 40 minutes of walking the tree.
        let levels = (["&a0 [1,1,1,1,1,1,1,1,1,1]"] + (1...9).map { "&a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 10).joined(separator: ",") + "]" })
            .joined(separator: ", ")
        let path = try write("input: [1, 2]\ntarget: [0]\nlayers:\n  - { units: 1, weights: [ \(levels) ] }\n", "bomb.yaml")
        try assertRefused(["values", path], saying: ":4:60: aliases (`*name`) expand to more than 2000000 values; expected at most 2000000")
    }

    func testADeepNarrowDeckIsRefusedOnWeightsTimesFrames() throws {
        // 197 tanh layers of 7 units: 9,660 weights (under --max-edges) and 399 frames (under
        // --max-frames), which once allocated 16.6 GB.
        let layers = String(repeating: "  - { units: 7, activation: tanh, weights: 0.1 }\n", count: 197)
        let path = try write("input: [1, 2, 3, 4, 5, 6, 7]\ntarget: [0]\nlayers:\n" + layers + "  - { units: 1, weights: 1 }\n", "deep.yaml")
        let dir = try TestSupport.temporaryDirectory()
        try assertRefused(["slides", path, "--steps", "layer", "-o", dir + "/deck"],
                          saying: "would label 9660 weights on each of 399 frames, 3854340 in all; expected at most 50000 (render single views instead, or raise --max-deck-weights)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/deck"))
    }

    func testADeepFlowViewIsRefusedOnItsEdges() throws {
        // Layers of 17 fold to 16 rows (--max-units), so 16 × 16 edges between two of them.
        let layers = String(repeating: "  - { units: 17, activation: tanh, weights: 0.1 }\n", count: 600)
        let path = try write("input: [1]\ntarget: [0]\nlayers:\n" + layers + "  - { units: 1, weights: 1 }\n", "deep-flow.yaml")
        try assertRefused(["render", path, "--view", "flow", "-o", "-"],
                          saying: "the flow view of a 1-17-17-…-17-1, 602 layers network would draw \(16 + 599 * 16 * 16 + 16) edges; expected at most 10000 (lower --max-units, or raise --max-edges)")
    }
}
