import Foundation
import TestSupport
import XCTest

/// bpviz never deletes or overwrites a file it did not write: decks keep a manifest, outputs
/// that are devices or pipes are written, not replaced, and interrupted or killed runs leave
/// no staging files behind (or have them removed by the next run).
final class OutputSafetyTests: XCTestCase {
    let q1 = TestSupport.sample("question-1.yaml")
    let fm = FileManager.default

    /// Every path under `dir` with its bytes (directories as nil), to compare before and after.
    func snapshot(_ dir: String) throws -> [String: Data?] {
        var out: [String: Data?] = [:]
        for path in fm.subpaths(atPath: dir) ?? [] {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: dir + "/" + path, isDirectory: &isDirectory)
            out[path] = isDirectory.boolValue ? .some(nil) : fm.contents(atPath: dir + "/" + path)
        }
        return out
    }

    /// A directory holding files of others: a page, a hidden file, a folder with a file.
    func foreignDirectory() throws -> String {
        let dir = try TestSupport.temporaryDirectory()
        try "<p>course page</p>".write(toFile: dir + "/page.html", atomically: true, encoding: .utf8)
        try "secret".write(toFile: dir + "/.hidden", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: dir + "/assets", withIntermediateDirectories: false)
        try "x".write(toFile: dir + "/assets/style.css", atomically: true, encoding: .utf8)
        return dir
    }

    func testDeckIntoTheWorkingDirectoryIsRefusedAndTouchesNothing() throws {
        let dir = try foreignDirectory()
        let before = try snapshot(dir)
        for output in [".", "./", dir] {
            let r = try TestSupport.run(["slides", q1, "-o", output], directory: dir)
            XCTAssertEqual(r.status, 1, output)
            XCTAssertTrue(r.stderr.contains("holds files bpviz did not write") && r.stderr.contains("--allow-other-files"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        // `-o ..` from a folder inside it.
        let up = try TestSupport.run(["slides", q1, "-o", ".."], directory: dir + "/assets")
        XCTAssertEqual(up.status, 1, up.stderr)
        XCTAssertEqual(try snapshot(dir), before)
    }

    func testDeckBesideOtherFilesNeverRemovesThem() throws {
        let dir = try foreignDirectory()
        let foreign = try snapshot(dir)
        let first = try TestSupport.run(["slides", q1, "-o", ".", "--allow-other-files"], directory: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        var after = try snapshot(dir)
        for (path, data) in foreign { XCTAssertEqual(after[path], data, path) }
        let manifest = try String(contentsOfFile: dir + "/.bpviz-deck", encoding: .utf8)
        XCTAssertTrue(manifest.contains("\nindex.html\n") && manifest.contains("\n001-setup.svg\n"), manifest)
        XCTAssertFalse(manifest.contains("page.html"))
        XCTAssertEqual(after.count, foreign.count + 30 + 1)   // 29 frames, index.html, manifest

        // A second deck, smaller: the earlier deck's frames go, the others' files stay. The
        // directory is a deck now, so it needs no option.
        let second = try TestSupport.run(["slides", q1, "-o", ".", "--steps", "layer"], directory: dir)
        XCTAssertEqual(second.status, 0, second.stderr)
        after = try snapshot(dir)
        for (path, data) in foreign { XCTAssertEqual(after[path], data, path) }
        XCTAssertEqual(after.count, foreign.count + 11 + 1 + 1)
        XCTAssertNil(after["002-forward-Z1-1.svg"] as Data??)
        XCTAssertNotNil(after["002-forward-layer-1.svg"] as Data??)
    }

    func testAFileOfOthersWithADeckFileNameIsNeverReplaced() throws {
        let dir = try TestSupport.temporaryDirectory()
        try "mine".write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
        for args in [["-o", dir], ["-o", dir, "--allow-other-files"]] {
            let r = try TestSupport.run(["slides", q1] + args)
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.contains("index.html: exists and was not written by bpviz"), r.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: dir + "/index.html", encoding: .utf8), "mine")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: dir), ["index.html"])
    }

    func testAnEditedManifestCannotReachOutsideTheDeck() throws {
        let root = try TestSupport.temporaryDirectory()
        let deck = root + "/deck"
        XCTAssertEqual(try TestSupport.run(["slides", q1, "-o", deck, "--steps", "layer"]).status, 0)
        try "outside".write(toFile: root + "/outside.txt", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: deck + "/sub", withIntermediateDirectories: false)
        try "inner".write(toFile: deck + "/sub/inner.txt", atomically: true, encoding: .utf8)
        let manifest = try String(contentsOfFile: deck + "/.bpviz-deck", encoding: .utf8)
        try (manifest + "../outside.txt\n\(root)/outside.txt\nsub/inner.txt\nsub\n").write(toFile: deck + "/.bpviz-deck", atomically: true, encoding: .utf8)
        let r = try TestSupport.run(["slides", q1, "-o", deck])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(fm.fileExists(atPath: root + "/outside.txt"))
        XCTAssertTrue(fm.fileExists(atPath: deck + "/sub/inner.txt"))
    }

    func testStagingFilesOfDeadWritersAreRemovedAndOthersKept() throws {
        let root = try TestSupport.temporaryDirectory()
        let deck = root + "/deck"
        XCTAssertEqual(try TestSupport.run(["slides", q1, "-o", deck, "--steps", "layer"]).status, 0)
        // A process id that is not alive: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier, alive = getpid()
        let stale = ["deck/.index.html.tmp-\(dead)-1", "deck/.001-setup.svg.tmp-\(dead)-2", "deck/..bpviz-deck.tmp-\(dead)-3"]
        let kept = ["deck/.index.html.tmp-\(alive)-4", "deck/.notes.txt.tmp-\(dead)-5", "deck/.index.html.tmp-x-6"]
        for path in stale + kept { XCTAssertTrue(fm.createFile(atPath: root + "/" + path, contents: Data("partial".utf8))) }
        // Staging folders an earlier version left beside the deck: emptied of deck files only.
        for folder in [".deck.tmp-\(dead)-7", ".deck.tmp-\(dead)-8.old", ".deck.tmp-\(dead)-9"] {
            try fm.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: false)
            XCTAssertTrue(fm.createFile(atPath: root + "/\(folder)/001-setup.svg", contents: Data()))
            XCTAssertTrue(fm.createFile(atPath: root + "/\(folder)/index.html", contents: Data()))
        }
        XCTAssertTrue(fm.createFile(atPath: root + "/.deck.tmp-\(dead)-9/notes.txt", contents: Data()))
        let r = try TestSupport.run(["slides", q1, "-o", deck, "--steps", "layer"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for path in stale { XCTAssertFalse(fm.fileExists(atPath: root + "/" + path), path) }
        for path in kept { XCTAssertTrue(fm.fileExists(atPath: root + "/" + path), path) }
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root).sorted(), [".deck.tmp-\(dead)-9", "deck"])
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root + "/.deck.tmp-\(dead)-9"), ["notes.txt"])

        // A single output's staging files too, for that output's name only.
        let out = try TestSupport.temporaryDirectory()
        XCTAssertTrue(fm.createFile(atPath: out + "/.q1.svg.tmp-\(dead)-1", contents: Data()))
        XCTAssertTrue(fm.createFile(atPath: out + "/.other.svg.tmp-\(dead)-1", contents: Data()))
        XCTAssertEqual(try TestSupport.run(["render", q1, "-o", out + "/q1.svg"]).status, 0)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: out).sorted(), [".other.svg.tmp-\(dead)-1", "q1.svg"])
    }

    func testInterruptedDeckLeavesNoStagingFiles() throws {
        for signal in [SIGINT, SIGTERM] {
            let root = try TestSupport.temporaryDirectory()
            let deck = root + "/deck"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestSupport.executable)
            process.arguments = ["slides", TestSupport.sample("softmax-classifier.yaml"), "-o", deck, "--format", "png"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until frames are being written, then interrupt.
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, ((try? fm.contentsOfDirectory(atPath: deck)) ?? []).filter({ $0.hasSuffix(".png") }).count < 2 {
                usleep(20_000)
            }
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(process.terminationStatus, signal)
            let left = (fm.subpaths(atPath: root) ?? []).filter { $0.contains(".tmp-") }
            XCTAssertEqual(left, [], "signal \(signal)")
            // What was written is listed, so the next run may replace it.
            let manifest = try String(contentsOfFile: deck + "/.bpviz-deck", encoding: .utf8)
            for file in try fm.contentsOfDirectory(atPath: deck) where !file.hasPrefix(".") { XCTAssertTrue(manifest.contains("\n\(file)\n"), file) }
            XCTAssertEqual(try TestSupport.run(["slides", q1, "-o", deck]).status, 0)
        }
    }

    /// Standard output that takes no bytes (`> /dev/full`) gets the one-line error, not a
    /// crash: FileHandle's `write` ended the process with a backtrace (exit 132).
    /// `render -o - --format png` on a terminal would dump hundreds of escape bytes into it:
    /// refused in one line with the usage status, nothing written; text formats are shown,
    /// and a redirect or a pipe gets the picture. The terminal is a real one (util-linux's
    /// `script` runs bpviz on a pseudo-terminal and copies what it shows).
    func testBinaryFormatsAreNotWrittenToATerminal() throws {
        guard fm.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("util-linux's script is not installed") }
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        func onTerminal(_ arguments: [String], redirect: String = "") throws -> (status: Int32, shown: Data) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            // -e: script exits with bpviz's status; -q: no banner; the typescript is discarded.
            process.arguments = ["-qec", ([TestSupport.executable] + arguments).map(quoted).joined(separator: " ") + redirect, "/dev/null"]
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let shown = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, shown)
        }
        for format in ["png", "pdf"] {
            let r = try onTerminal(["render", q1, "-o", "-", "--format", format])
            // Counts, not the bytes shown: a failure must not dump the picture into the log.
            XCTAssertEqual(r.status, 64, "\(format): \(r.shown.count) bytes shown")
            XCTAssertFalse(r.shown.contains(0x1B), "\(format): no escape byte reaches the terminal")
            guard !r.shown.contains(0x1B) else { continue }
            XCTAssertEqual(String(decoding: r.shown, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
                           "bpviz: refusing to write a \(format.uppercased()) to the terminal; expected -o FILE or a redirect (-o - > out.\(format))")
        }
        let svg = try onTerminal(["render", q1, "-o", "-", "--format", "svg"])
        XCTAssertEqual(svg.status, 0)
        XCTAssertTrue(String(decoding: svg.shown, as: UTF8.self).contains("</svg>"))
        let dir = try TestSupport.temporaryDirectory()
        let redirected = try onTerminal(["render", q1, "-o", "-", "--format", "png"], redirect: " > " + quoted(dir + "/q1.png"))
        XCTAssertEqual(redirected.status, 0, "\(redirected.shown.count) bytes shown")
        XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: dir + "/q1.png")).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let piped = try TestSupport.run(["render", q1, "-o", "-", "--format", "pdf"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.starts(with: Data("%PDF".utf8)))
    }

    func testAFullStandardOutputIsAnErrorNotACrash() throws {
        for command in [["values", q1], ["render", q1, "-o", "-", "--format", "dot"], ["explain", q1, "--all"], ["themes"]] {
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "exec \"$0\" \"$@\" > /dev/full", TestSupport.executable] + command
            let err = Pipe()
            shell.standardError = err
            try shell.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            shell.waitUntilExit()
            XCTAssertEqual(shell.terminationStatus, 1, "\(command): \(message)")
            XCTAssertTrue(message.hasPrefix("bpviz: standard output: cannot write (No space left on device)"), "\(command): \(message)")
            XCTAssertEqual(message.split(separator: "\n").count, 1, message)
        }
    }

    func testDevicesAndPipesAreWrittenNeverReplaced() throws {
        let dir = try TestSupport.temporaryDirectory()
        // As root a device node of our own (renaming over /dev/null itself would break the
        // machine if this regressed); as anyone else the real ones, which cannot be replaced.
        let isRoot = getuid() == 0
        let full = isRoot ? dir + "/full" : "/dev/full", null = isRoot ? dir + "/null" : "/dev/null"
        if isRoot {
            for (copy, device) in [(full, "/dev/full"), (null, "/dev/null")] {
                var info = stat()
                XCTAssertEqual(stat(device, &info), 0)
                XCTAssertEqual(mknod(copy, S_IFCHR | 0o666, info.st_rdev), 0, "mknod \(copy)")
            }
        }
        let r = try TestSupport.run(["render", q1, "-o", full, "--format", "svg"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("No space left on device"), r.stderr)
        let ok = try TestSupport.run(["render", q1, "-o", null, "--format", "png"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        for device in [full, null] {
            var info = stat()
            XCTAssertEqual(lstat(device, &info), 0)
            XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "\(device) is still a device")
        }

        let fifo = dir + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat pipe > received"]
        reader.currentDirectoryURL = URL(fileURLWithPath: dir)
        try reader.run()
        let piped = try TestSupport.run(["render", q1, "-o", fifo, "--format", "dot"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        reader.waitUntilExit()
        XCTAssertTrue(try String(contentsOfFile: dir + "/received", encoding: .utf8).hasPrefix("digraph"))
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the pipe is still a pipe")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }, [])
    }

    func testReplacingKeepsPermissionsAndLinks() throws {
        let dir = try TestSupport.temporaryDirectory()
        let file = dir + "/q1.svg"
        try "old".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(file, 0o600), 0)
        XCTAssertEqual(symlink("q1.svg", dir + "/link.svg"), 0)
        XCTAssertEqual(try TestSupport.run(["render", q1, "-o", dir + "/link.svg"]).status, 0)
        var info = stat()
        XCTAssertEqual(lstat(dir + "/link.svg", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFLNK, "the link stays a link")
        XCTAssertEqual(lstat(file, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("<svg"))
    }
}
