import Foundation
import TestSupport
import XCTest

/// Every file in Tests/BadInput through every command that reads a network file: one line on
/// stderr naming the file, the line and column, what is wrong and what was expected; exit
/// status 1; nothing written.
final class BadInputCorpusTests: XCTestCase {
    struct Case { var file: String; var place: String; var fragment: String }

    func cases(_ manifest: String) throws -> [Case] {
        try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(file: parts[0], place: parts[1], fragment: parts[2])
        }
    }

    var corpus: String { TestSupport.root.appendingPathComponent("Tests/BadInput").path }

    /// The commands that read a network file, with outputs into `out`.
    func commands(_ file: String, out: String) -> [[String]] {
        [["values", file], ["values", file, "--format", "json"], ["check", file],
         ["render", file, "-o", out + "/x.svg"], ["render", file, "-o", out + "/x.png"],
         ["slides", file, "-o", out + "/deck"], ["train", file, "--steps", "2", "-o", out + "/run"], ["explain", file, "--all"], ["explain", file, "w_11^(1)"]]
    }

    func assertOneSentence(_ r: TestSupport.ProcessResult, path: String, place: String, fragment: String, _ what: String) {
        XCTAssertEqual(r.status, 1, what)
        XCTAssertEqual(r.stdout.count, 0, "\(what) wrote to stdout")
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "\(what): \(r.stderr)")
        let prefix = place.isEmpty ? "bpviz: \(path): " : "bpviz: \(path):\(place)"
        XCTAssertTrue(r.stderr.hasPrefix(prefix), "\(what): expected prefix \(prefix), got \(r.stderr)")
        XCTAssertTrue(r.stderr.contains(fragment), "\(what): lacks “\(fragment)”: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("expected"), "\(what) says what was expected: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("Stack dump"), what)
    }

    func testEveryBadNetworkFileThroughEveryCommand() throws {
        let all = try cases(corpus + "/expectations.tsv")
        XCTAssertGreaterThanOrEqual(all.count, 40)
        let out = try TestSupport.temporaryDirectory()
        for c in all {
            let path = corpus + "/" + c.file
            for args in commands(path, out: out) {
                let r = try TestSupport.run(args)
                assertOneSentence(r, path: path, place: c.place, fragment: c.fragment, "\(c.file) \(args[0])")
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [], "\(c.file) left output behind")
        }
    }

    func testADirectoryAndAnUnreadableFile() throws {
        let out = try TestSupport.temporaryDirectory()
        for args in commands(corpus, out: out) {
            assertOneSentence(try TestSupport.run(args), path: corpus, place: "", fragment: "is a directory", "directory \(args[0])")
        }
        let secret = out + "/secret.yaml"
        try "input: [1]\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0)
        defer { chmod(secret, 0o644) }
        if getuid() != 0 {   // root reads any file, so there is nothing to check as root
            assertOneSentence(try TestSupport.run(["values", secret]), path: secret, place: "", fragment: "cannot be read", "unreadable")
        }
    }

    func testAnEnormousFileIsRefused() throws {
        let out = try TestSupport.temporaryDirectory()
        let big = out + "/big.yaml"
        let line = "# " + String(repeating: "x", count: 1022) + "\n"
        FileManager.default.createFile(atPath: big, contents: Data(String(repeating: line, count: 65 * 1024).utf8))
        assertOneSentence(try TestSupport.run(["values", big]), path: big, place: "", fragment: "expected a network file under 64 MiB", "enormous")
        let many = out + "/many.yaml"
        try ("input: [" + Array(repeating: "1", count: 150_000).joined(separator: ",") + "]\ntarget: [0]\nlayers: [{units: 1, weights: 1}]\n")
            .write(toFile: many, atomically: true, encoding: .utf8)
        assertOneSentence(try TestSupport.run(["values", many]), path: many, place: "1:8", fragment: "expected at most 100000", "too many inputs")
    }

    func testBadThemes() throws {
        let dir = corpus + "/themes"
        let out = try TestSupport.temporaryDirectory()
        for c in try cases(dir + "/expectations.tsv") {
            let path = dir + "/" + c.file
            for args in [["render", TestSupport.sample("question-1.yaml"), "-o", out + "/x.svg", "--theme", path],
                         ["slides", TestSupport.sample("question-1.yaml"), "-o", out + "/deck", "--theme", path]] {
                let r = try TestSupport.run(args)
                XCTAssertEqual(r.status, 1, c.file)
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertTrue(r.stderr.contains(":\(c.place): "), "\(c.file): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(c.fragment), "\(c.file): \(r.stderr)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [])
    }

    func testBadParameterNames() throws {
        let q1 = TestSupport.sample("question-1.yaml")
        let cases: [(String, String)] = [
            ("q_1^(1)", "unknown symbol `q`"), ("w_21^(4)", "layer 4 does not exist"), ("w_2^(1)", "a weight needs two indices"),
            ("b^(1)", "layer 1 has 2 units"), ("w_41^(1)", "unit 4 does not exist in layer 0"), ("w_21^(x)", "the layer `(x)` is not a number"),
            ("w_{21^(1)", "a `{` without its `}`"), ("H_1", "no layer"), ("α_1^(1)", "inputs have no layer superscript"), ("w_21^(1)x", "unexpected `x`"),
            ("", "unknown symbol"),
        ]
        for (param, fragment) in cases {
            let r = try TestSupport.run(["explain", q1, param])
            XCTAssertEqual(r.status, 1, param)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("bpviz: PARAM `\(param)`: \(fragment)"), "\(param): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("; expected a quantity such as"), r.stderr)
        }
    }
}
