import Foundation
import TestSupport
import XCTest

/// `make install` into a temporary DESTDIR, then the installed binary run from another
/// directory: the built-in themes travel inside it, and the completions come from it.
/// (`make install` itself builds the static release binary and the man page first; this test
/// uses the copying half, `install-files`, with the binary the tests built.)
final class InstallTests: XCTestCase {
    func testInstallIntoDestDirAndUninstall() throws {
        let destdir = try TestSupport.temporaryDirectory()
        let page = destdir + "/page.1"
        try ".TH BPVIZ 1\n".write(toFile: page, atomically: true, encoding: .utf8)
        let variables = ["DESTDIR=\(destdir)", "PREFIX=/opt/bpviz-test", "BPVIZ=\(TestSupport.executable)", "MANPAGE=\(page)"]
        let install = try runProgram("/usr/bin/make", ["-s", "-C", TestSupport.root.path, "install-files"] + variables)
        XCTAssertEqual(install.status, 0, install.output)

        let prefix = destdir + "/opt/bpviz-test"
        let installed = [
            "bin/bpviz", "share/man/man1/bpviz.1", "share/bash-completion/completions/bpviz",
            "share/zsh/site-functions/_bpviz", "share/fish/vendor_completions.d/bpviz.fish",
        ]
        for file in installed {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) installed")
        }
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: prefix + "/bin/bpviz"))
        for file in installed.dropFirst(2) {
            let script = try String(contentsOfFile: prefix + "/" + file, encoding: .utf8)
            XCTAssertTrue(script.contains("render") && script.contains("theme"), "\(file) completes the subcommands and their options")
        }

        // From the file system's root, with a built-in theme, and no repository in sight.
        let bin = prefix + "/bin/bpviz"
        let themes = try runProgram(bin, ["themes"], directory: "/")
        XCTAssertEqual(themes.status, 0, themes.output)
        XCTAssertTrue(themes.output.contains("chalkboard"), themes.output)
        let svg = destdir + "/q1.svg"
        let render = try runProgram(bin, ["render", TestSupport.sample("question-1.yaml"), "-o", svg, "--theme", "chalkboard"], directory: "/")
        XCTAssertEqual(render.status, 0, render.output)
        let picture = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(picture.contains("#1f3a2d"), "chalkboard's background reaches the picture")

        let uninstall = try runProgram("/usr/bin/make", ["-s", "-C", TestSupport.root.path, "uninstall"] + variables)
        XCTAssertEqual(uninstall.status, 0, uninstall.output)
        for file in installed {
            XCTAssertFalse(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) removed")
        }
        try? FileManager.default.removeItem(atPath: destdir)
    }

    private func runProgram(_ path: String, _ arguments: [String], directory: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
