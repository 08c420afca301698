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
}
