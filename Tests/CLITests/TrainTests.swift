import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// `bpviz train` end to end, and the data-set options of the other commands.
final class TrainTests: XCTestCase {
    let xor = TestSupport.sample("xor-data.yaml")

    func testTrainWritesEveryFileAndLearnsXOR() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let r = try TestSupport.run(["train", xor, "--steps", "1500", "-o", run])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "no progress on a non-terminal")
        let names = try FileManager.default.contentsOfDirectory(atPath: run).sorted()
        let frames = names.filter { $0.hasPrefix("frame-") }
        XCTAssertEqual(frames.count, 21, "a frame every 75 steps: 0…1500")
        XCTAssertEqual(frames.first, "frame-00000.svg")
        XCTAssertEqual(frames.last, "frame-01500.svg")
        for file in ["history.csv", "trained.yaml", "loss.svg", "gradients.svg", "index.html", ".bpviz-deck"] {
            XCTAssertTrue(names.contains(file), file)
        }

        // history.csv: a row per step 0…N, full precision; step 0 is the file's own batch loss.
        let csv = try String(contentsOfFile: run + "/history.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "step,loss,grad_norm_1,grad_norm_2")
        XCTAssertEqual(csv.count, 1502)
        let rows = csv.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(rows.map { Int($0[0]) }, Array(0...1500))
        let values = try TestSupport.run(["values", xor, "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: values.stdout) as! [String: Any]
        let loss0 = (json["loss"] as! [String: Any])["value"] as! Double
        XCTAssertEqual(rows[0][1], loss0, "step 0 is the untrained batch loss, to the last bit")
        XCTAssertLessThan(rows.last![1], 0.05, "XOR is learnt: the mean cross-entropy falls below 0.05")
        XCTAssertLessThan(rows.last![1], rows[0][1] / 10)

        // trained.yaml loads back and its loss is the last row's.
        let trained = try TestSupport.run(["values", run + "/trained.yaml", "--format", "json"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let tj = try JSONSerialization.jsonObject(with: trained.stdout) as! [String: Any]
        XCTAssertEqual((tj["loss"] as! [String: Any])["value"] as! Double, rows.last![1], accuracy: 1e-15)
        XCTAssertEqual((tj["samples"] as! [Any]).count, 4)

        // Charts and frames are well-formed XML; the player has every frame and both charts.
        for file in ["loss.svg", "gradients.svg", frames[3]] {
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: run + "/" + file)))
            XCTAssertTrue(parser.parse(), "\(file): \(parser.parserError.map { "\($0)" } ?? "")")
        }
        let gradients = try String(contentsOfFile: run + "/gradients.svg", encoding: .utf8)
        XCTAssertTrue(gradients.contains("∂Loss/∂W</tspan><tspan dy=\"-7.6\" font-size=\"13.3\">(1)</tspan>"), "legend in the notation")
        let html = try String(contentsOfFile: run + "/index.html", encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<section class=\"frame\"").count - 1, 21)
        XCTAssertEqual(html.components(separatedBy: "class=\"training-chart\"").count - 1, 2)
        XCTAssertTrue(html.contains("type=\"range\""))
        XCTAssertFalse(html.contains("src=\"http"), "self-contained")
    }

    func testSecondRunReplacesOnlyItsOwnFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try TestSupport.run(["train", xor, "--steps", "40", "--every", "10", "-o", dir + "/run"]).status, 0)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: dir + "/run/notes.txt"))
        let r = try TestSupport.run(["train", xor, "--steps", "20", "--every", "10", "-o", dir + "/run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/run")
        XCTAssertEqual(names.filter { $0.hasPrefix("frame-") }.sorted(), ["frame-00000.svg", "frame-00010.svg", "frame-00020.svg"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/run/notes.txt", encoding: .utf8), "mine")
        // A directory of someone else's files is refused before training.
        try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/other/history.csv"))
        let refused = try TestSupport.run(["train", xor, "--steps", "5", "-o", dir + "/other"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("history.csv: exists and was not written by bpviz"), refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir + "/other/history.csv", encoding: .utf8), "x")
    }

    func testBadOptionsAreOneSentenceAndWriteNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases: [([String], String)] = [
            (["--steps", "0"], "--steps is 0"),
            (["--steps", "5", "--batch-size", "9"], "--batch-size is 9, but"),
            (["--steps", "5", "--momentum", "1"], "--momentum is 1"),
            (["--steps", "5", "--learning-rate=-1"], "--learning-rate is -1"),
            (["--steps", "5", "--every", "0"], "--every is 0"),
            (["--steps", "100000", "--every", "1"], "would draw 100001 frames"),
            (["--steps", "5", "--max-work", "10"], "multiply-adds"),
        ]
        for (options, fragment) in cases {
            let r = try TestSupport.run(["train", xor, "-o", dir + "/run"] + options)
            XCTAssertEqual(r.status, 1, "\(options)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(fragment) && r.stderr.contains("expected"), "\(options): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run"), "\(options) wrote nothing")
        }
        // Divergence: named with its step, nothing written.
        let r = try TestSupport.run(["train", TestSupport.sample("question-1.yaml"), "--steps", "3000", "--learning-rate", "5", "-o", dir + "/run"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("training diverged at step"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run"))
    }

    func testARunOfTooManyStepsIsRefusedAtOnce() throws {
        // 10⁸ steps on xor-data pass --max-work (1.6e10 multiply-adds) but would run 40 minutes
        // and keep 23 GB of history. Without the limit that case would hang, so it runs only
        // once the small case (which fails fast without it) has shown the limit is there.
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (options, message) in [(["--steps", "5", "--max-steps", "4"], "--steps is 5; expected at most 4, as each step keeps a row of history (raise --max-steps)"),
                                   (["--steps", "100000000"], "--steps is 100000000; expected at most 1000000, as each step keeps a row of history (raise --max-steps)")] {
            let r = try TestSupport.run(["train", xor, "-o", dir + "/run"] + options)
            XCTAssertEqual(r.status, 1, "\(options): \(r.stderr)")
            XCTAssertEqual(r.stderr, "bpviz: \(message)\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run"), "\(options) wrote nothing")
            guard r.stderr == "bpviz: \(message)\n" else { return }
        }
        let r = try TestSupport.run(["train", xor, "--steps", "5", "--max-steps", "5", "-o", dir + "/run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir + "/run/history.csv", encoding: .utf8).split(separator: "\n").count, 7)
    }

    /// A history row has a number per layer: 10⁶ steps of a 1,000-layer net passed --max-steps
    /// and --max-work and would have kept ~8 GB. Refused before training, nothing written;
    /// raising --max-steps raises the history allowed.
    func testARunWithTooMuchHistoryIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deep = dir + "/deep.yaml"
        let layers = String(repeating: "  - { units: 1, activation: tanh, weights: 0.5, bias: 0 }\n", count: 99)
        try "data:\n  - { input: [1], target: [0] }\nloss: mse\nlayers:\n\(layers)  - { units: 1, activation: identity, weights: 1, bias: 0 }\n"
            .write(toFile: deep, atomically: true, encoding: .utf8)
        let r = try TestSupport.run(["train", deep, "--steps", "1000", "--max-steps", "1000", "-o", dir + "/run"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "bpviz: 1000 steps of a 100-layer network keep 101101 numbers of history (101 a step, about 873 kB in memory); expected at most 50050 (fewer steps, or raise --max-steps: it allows 50 numbers a step)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run"))
        let allowed = try TestSupport.run(["train", deep, "--steps", "1000", "--max-steps", "3000", "-o", dir + "/run"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        // 49 layers (50 numbers a step) at --steps = --max-steps is within the limit, and
        // --steps near Int.max is a sentence, not a trap.
        let layers49 = String(repeating: "  - { units: 1, activation: tanh, weights: 0.5, bias: 0 }\n", count: 48)
        try "data:\n  - { input: [1], target: [0] }\nloss: mse\nlayers:\n\(layers49)  - { units: 1, activation: identity, weights: 1, bias: 0 }\n"
            .write(toFile: deep, atomically: true, encoding: .utf8)
        let atLimit = try TestSupport.run(["train", deep, "--steps", "100", "--max-steps", "100", "-o", dir + "/run49"])
        XCTAssertEqual(atLimit.status, 0, atLimit.stderr)
        let huge = try TestSupport.run(["train", deep, "--steps", "9223372036854775807", "--max-steps", "9223372036854775807", "-o", dir + "/huge"])
        XCTAssertEqual(huge.status, 1, huge.stderr)
        XCTAssertTrue(huge.stderr.hasPrefix("bpviz: "), huge.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/huge"))
    }

    func testHostileNamesAreEscapedInThePlayerAndCharts() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/evil.yaml"
        let text = try String(contentsOfFile: xor, encoding: .utf8)
            .replacingOccurrences(of: "name: XOR data set", with: "name: \"</title><script>alert(1)</script>\"\nnotation: { loss: \"<b>L\" }")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try TestSupport.run(["train", file, "--steps", "10", "-o", dir + "/run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in ["index.html", "loss.svg", "gradients.svg", "frame-00000.svg"] {
            let out = try String(contentsOfFile: dir + "/run/" + name, encoding: .utf8)
            XCTAssertFalse(out.contains("<script>alert"), name)
            XCTAssertFalse(out.contains("<b>L"), name)
        }
        let trained = try TestSupport.run(["values", dir + "/run/trained.yaml", "--format", "json"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stdoutText.contains("</title><script>alert(1)</script>"), "the name survives the round trip")
    }

    func testDataSetThroughValuesCheckRenderExplain() throws {
        let values = try TestSupport.run(["values", xor, "--format", "json", "--sample", "3"])
        XCTAssertEqual(values.status, 0, values.stderr)
        let json = try JSONSerialization.jsonObject(with: values.stdout) as! [String: Any]
        XCTAssertEqual(json["sample"] as? Int, 3)
        XCTAssertEqual(json["input"] as? [Double], [1, 0])
        let samples = json["samples"] as! [[String: Any]]
        XCTAssertEqual(samples.count, 4)
        let losses = samples.map { $0["loss"] as! Double }
        let loss = json["loss"] as! [String: Any]
        XCTAssertEqual(loss["reduction"] as? String, "mean")
        XCTAssertEqual(loss["value"] as! Double, losses.reduce(0, +) / 4, accuracy: 1e-15)
        XCTAssertEqual(((samples[2]["layers"] as! [[String: Any]])[0]["H"] as! [Double]),
                       ((json["layers"] as! [[String: Any]])[1]["H"] as! [Double]), "the shown sample's forward values")

        let check = try TestSupport.run(["check", xor])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdoutText.contains("(mean over 4 samples)"), check.stdoutText)

        let explain = try TestSupport.run(["explain", xor, "w_11^(1)", "--sample", "2"])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stdoutText.contains("(1/4) · ("), explain.stdoutText)
        XCTAssertTrue(explain.stdoutText.contains("for sample 2 of 4"), explain.stdoutText)

        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let render = try TestSupport.run(["render", xor, "--sample", "4", "-o", dir + "/x.svg"])
        XCTAssertEqual(render.status, 0, render.stderr)
        XCTAssertTrue(try String(contentsOfFile: dir + "/x.svg", encoding: .utf8).contains("sample 4 of 4"))

        for (args, fragment) in [(["values", xor, "--sample", "5"], "has 4 samples; expected 1 to 4"),
                                 (["values", TestSupport.sample("question-1.yaml"), "--sample", "2"], "has a single input and target")] {
            let r = try TestSupport.run(args)
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.contains(fragment), r.stderr)
        }
    }
}
