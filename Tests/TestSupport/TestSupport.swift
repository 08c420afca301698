import Foundation
import Synchronization

/// Helpers shared by every test target.
public enum TestSupport {
    /// The package root, found from this file's location.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static func sample(_ name: String) -> String { root.appendingPathComponent("Samples/\(name)").path }

    public static var allSamples: [String] {
        let dir = root.appendingPathComponent("Samples")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
            .map { dir.appendingPathComponent($0).path }
    }

    /// The built `bpviz` executable, beside the test bundle.
    public static var executable: String {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDir, bundleDir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("bpviz").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/bpviz").path
    }

    public struct ProcessResult {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs the bpviz executable with arguments, in `directory` when given.
    public static func run(_ arguments: [String], directory: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs so a large output cannot block it.
        let outData = Mutex(Data())
        let outReader = out.fileHandleForReading
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = outReader.readDataToEndOfFile()
            outData.withLock { $0 = data }
            group.leave()
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: outData.withLock { $0 }, stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh empty directory under the system's temporary directory, removed when the test
    /// process exits (a full run writes about a gigabyte of decks and pictures; left behind,
    /// runs filled the disk). `BPVIZ_KEEP_TEST_FILES=1` keeps them to look at.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "bpviz-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        createdDirectories.withLock { created in
            if created.isEmpty, ProcessInfo.processInfo.environment["BPVIZ_KEEP_TEST_FILES"] != "1" {
                atexit {
                    for dir in TestSupport.createdDirectories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: dir) }
                }
            }
            created.append(path)
        }
        return path
    }

    static let createdDirectories = Mutex<[String]>([])

    /// Everything written to file descriptor 2 while `body` runs.
    /// (`fflush(nil)` flushes every C stream, stderr included, without naming the global.)
    public static func capturingStderr<T>(_ body: () throws -> T) rethrows -> (T, String) {
        fflush(nil)
        let pipe = Pipe()
        let saved = dup(2)
        dup2(pipe.fileHandleForWriting.fileDescriptor, 2)
        let result: T
        do {
            result = try body()
        } catch {
            fflush(nil); dup2(saved, 2); close(saved)
            throw error
        }
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        pipe.fileHandleForWriting.closeFile()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        return (result, String(decoding: data, as: UTF8.self))
    }

    /// Headless Chromium (Debian's `chromium`), when it is installed.
    public static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The DOM of the page at `url` after its scripts ran, as headless Chromium dumps it
    /// (`--dump-dom`); nil when Chromium is not installed. A page hands back what it measured
    /// in an element (see `text(ofElement:in:)`). `windowSize` sets the viewport;
    /// `virtualTimeBudget` (ms) lets timers and layout settle before the dump.
    public static func chromiumDOM(_ url: String, windowSize: (width: Int, height: Int)? = nil, virtualTimeBudget: Int? = nil) throws -> String? {
        guard let chromium else { return nil }
        var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
        if let windowSize { arguments.append("--window-size=\(windowSize.width),\(windowSize.height)") }
        if let virtualTimeBudget { arguments.append("--virtual-time-budget=\(virtualTimeBudget)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = arguments + ["--dump-dom", url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return dom
    }

    /// The text of the element with this id in a dumped DOM (its own text, entities decoded:
    /// JSON a page's script wrote there), or nil when it is not there (the script did not run).
    public static func text(ofElement id: String, in dom: String) -> String? {
        // The element's tag, not the script that made it (which names the id too).
        guard let open = dom.range(of: "<[a-zA-Z]+ id=\"\(id)\"[^>]*>", options: .regularExpression),
              let end = dom[open.upperBound...].range(of: "</") else { return nil }
        return String(dom[open.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&nbsp;", with: "\u{A0}")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// An SVG's `<g id="…">` groups as text, each from its id on, with the group of its
    /// tooltip's anchor (`a_…`, a group of its own in Graphviz's SVG) read as part of it.
    public static func svgGroups(_ svg: String) -> [String] {
        var groups: [String] = []
        for chunk in svg.components(separatedBy: "<g id=\"").dropFirst() {
            if chunk.hasPrefix("a_"), !groups.isEmpty { groups[groups.count - 1] += chunk } else { groups.append(chunk) }
        }
        return groups
    }

    /// Resident set size of this process in bytes, from /proc.
    public static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
