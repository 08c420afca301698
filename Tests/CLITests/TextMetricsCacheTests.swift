import Foundation
import Synchronization
import TestSupport
import XCTest

/// The text-metrics cache changes nothing but speed: every output is byte-identical with the
/// cache disabled (stock Graphviz and Pango), cold (no file yet) and warm (from the file),
/// and a damaged, unwritable or concurrently written cache is harmless.
final class TextMetricsCacheTests: XCTestCase {
    let q1 = TestSupport.sample("question-1.yaml")

    func outputs(_ environment: [String: String], in dir: String) throws -> [String: Data] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var files: [String: Data] = [:]
        for (name, arguments) in [("full.svg", ["--view", "full"]), ("flow.svg", ["--view", "flow"]),
                                  ("full.png", ["--view", "full", "--dpi", "48"]), ("backward.json", ["--view", "backward"])] {
            let r = try TestSupport.run(["render", q1, "-o", dir + "/" + name] + arguments, environment: environment)
            XCTAssertEqual(r.status, 0, r.stderr)
            files[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        let deck = try TestSupport.run(["slides", TestSupport.sample("xor.yaml"), "-o", dir + "/deck"], environment: environment)
        XCTAssertEqual(deck.status, 0, deck.stderr)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/deck") where name.hasSuffix(".svg") || name.hasSuffix(".html") {
            files["deck/" + name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/deck/" + name))
        }
        return files
    }

    func testOutputsAreByteIdenticalWithoutColdAndWarm() throws {
        let root = try TestSupport.temporaryDirectory()
        let cache = root + "/cache"
        let stock = try outputs(["BPVIZ_NO_CACHE": "1", "BPVIZ_CACHE_DIR": cache], in: root + "/stock")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache), "BPVIZ_NO_CACHE=1 writes no cache")
        let cold = try outputs(["BPVIZ_CACHE_DIR": cache], in: root + "/cold")
        let file = cache + "/text-metrics"
        XCTAssertTrue(FileManager.default.fileExists(atPath: file), "the first run stores what it measured")
        let stored = try Data(contentsOf: URL(fileURLWithPath: file))
        let warm = try outputs(["BPVIZ_CACHE_DIR": cache], in: root + "/warm")
        XCTAssertGreaterThan(stock.count, 8)
        XCTAssertEqual(Set(stock.keys), Set(cold.keys))
        for (name, data) in stock {
            XCTAssertEqual(cold[name], data, "\(name): cold cache")
            XCTAssertEqual(warm[name], data, "\(name): warm cache")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), stored, "a warm run measures nothing new and leaves the file alone")

        // A damaged file is ignored and replaced.
        try Data("BPVZTXT1 garbage".utf8).write(to: URL(fileURLWithPath: file))
        let repaired = try outputs(["BPVIZ_CACHE_DIR": cache], in: root + "/damaged")
        XCTAssertEqual(repaired, stock)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)).count, stored.count, "rewritten whole")

        // A cache directory that cannot exist (a file is in the way): no cache, same pictures.
        // XDG_CACHE_HOME is where the file goes when BPVIZ_CACHE_DIR is not set.
        try Data().write(to: URL(fileURLWithPath: root + "/blocked"))
        let blocked = try outputs(["XDG_CACHE_HOME": root + "/blocked"], in: root + "/blocked-out")
        XCTAssertEqual(blocked, stock)
        let xdg = root + "/xdg"
        XCTAssertEqual(try outputs(["XDG_CACHE_HOME": xdg], in: root + "/xdg-out"), stock)
        XCTAssertTrue(FileManager.default.fileExists(atPath: xdg + "/bpviz/text-metrics"))
        try? FileManager.default.removeItem(atPath: root)
    }

    func testConcurrentProcessesShareOneCache() throws {
        let root = try TestSupport.temporaryDirectory()
        let cache = root + "/cache"
        let samples = ["question-1.yaml", "xor.yaml", "dead-relu.yaml", "softmax-classifier.yaml"]
        var stock: [String: Data] = [:]
        for sample in samples {
            let r = try TestSupport.run(["render", TestSupport.sample(sample), "-o", "-", "--view", "full"], environment: ["BPVIZ_NO_CACHE": "1"])
            XCTAssertEqual(r.status, 0, r.stderr)
            stock[sample] = r.stdout
        }
        // Four writers at once, twice over: each run ends with a merge-and-rename.
        for _ in 0..<2 {
            // Results of processes run on several threads at once.
            let results = Mutex([(Int32, Data, String)?](repeating: nil, count: samples.count))
            DispatchQueue.concurrentPerform(iterations: samples.count) { i in
                let r = try? TestSupport.run(["render", TestSupport.sample(samples[i]), "-o", "-", "--view", "full"],
                                             environment: ["BPVIZ_CACHE_DIR": cache])
                results.withLock { $0[i] = r.map { ($0.status, $0.stdout, $0.stderr) } }
            }
            for (i, sample) in samples.enumerated() {
                let r = results.withLock { $0[i] }
                XCTAssertEqual(r?.0, 0, r?.2 ?? "did not run")
                XCTAssertEqual(r?.1, stock[sample], sample)
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cache)
        XCTAssertEqual(leftovers, ["text-metrics"], "no temporary file is left behind")
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A cold process (no cache file) starts Pango on a second thread at once (see
    /// `PangoWarmUp`); every render of it is the same as without the cache, byte for byte,
    /// including cairo's PNG and PDF, which draw through Pango after waiting for that thread.
    func testColdProcessesWithPangosWarmUpAreByteIdentical() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = root + "/cache"
        let runs: [(String, [String])] = [
            ("full.svg", ["render", q1, "--view", "full"]), ("full.png", ["render", q1, "--view", "full", "--dpi", "48"]),
            ("full.pdf", ["render", q1, "--view", "full"]), ("flow.svg", ["render", q1, "--view", "flow"]),
            ("chalkboard.png", ["render", q1, "--theme=chalkboard", "--dpi", "40"]),
            ("ops.dot", ["render", q1, "--view", "ops"]), ("deck", ["slides", q1, "--format", "png", "--steps", "layer", "--dpi", "30"]),
        ]
        func contents(_ path: String) throws -> [String: Data] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return ["": try undated(path)]
            }
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                files[name] = try undated(path + "/" + name)
            }
            return files
        }
        // Cairo stamps each PDF with the time it was made.
        func undated(_ path: String) throws -> Data {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard path.hasSuffix(".pdf"), let start = data.firstRange(of: Data("/CreationDate (".utf8)),
                  let end = data[start.upperBound...].firstIndex(of: UInt8(ascii: ")")) else { return data }
            return data[..<start.lowerBound] + data[(end + 1)...]
        }
        for (name, arguments) in runs {
            let stock = try TestSupport.run(arguments + ["-o", root + "/stock-" + name], environment: ["BPVIZ_NO_CACHE": "1"])
            XCTAssertEqual(stock.status, 0, stock.stderr)
            try? FileManager.default.removeItem(atPath: cache + "/text-metrics")
            let cold = try TestSupport.run(arguments + ["-o", root + "/cold-" + name], environment: ["BPVIZ_CACHE_DIR": cache])
            XCTAssertEqual(cold.status, 0, cold.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: cache + "/text-metrics"), name)
            XCTAssertEqual(try contents(root + "/cold-" + name), try contents(root + "/stock-" + name), name)
        }
    }

    /// A cold process that fails after the warm-up started waits for it before exiting (no
    /// library is finalised under it): one clear line and the usual status, every time.
    func testColdProcessesThatFailExitCleanly() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = ["BPVIZ_CACHE_DIR": root + "/cache"]
        for _ in 0..<3 {
            let missing = try TestSupport.run(["render", root + "/missing.yaml", "-o", root + "/x.svg"], environment: environment)
            XCTAssertEqual(missing.status, 1, missing.stderr)
            XCTAssertTrue(missing.stderr.contains("missing.yaml"), missing.stderr)
            let badOption = try TestSupport.run(["render", q1, "--view", "sideways"], environment: environment)
            XCTAssertEqual(badOption.status, 64, badOption.stderr)
            let negative = try TestSupport.run(["render", q1, "--learning-rate", "-1"], environment: environment)
            XCTAssertEqual(negative.status, 64, negative.stderr)
            let help = try TestSupport.run(["slides", "--help"], environment: environment)
            XCTAssertEqual(help.status, 0, help.stderr)
            let badTheme = try TestSupport.run(["render", q1, "--theme", root + "/none.yaml", "-o", root + "/x.svg"], environment: environment)
            XCTAssertEqual(badTheme.status, 1, badTheme.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/x.svg"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/cache/text-metrics"), "nothing was measured")
    }
}
