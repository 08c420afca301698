import Foundation
import FoundationXML
import TestSupport
import XCTest

/// `render`, `slides`, `explain` and `themes`, run as the built executable.
final class RenderSlidesExplainTests: XCTestCase {
    let q1 = TestSupport.sample("question-1.yaml")

    func testRenderEveryFormatFromTheExtension() throws {
        let dir = try TestSupport.temporaryDirectory()
        for ext in ["svg", "png", "pdf", "dot", "json"] {
            let r = try TestSupport.run(["render", q1, "-o", "\(dir)/q1.\(ext)", "--view", "full"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stderr, "")
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/q1.\(ext)"))
            switch ext {
            case "png": XCTAssertEqual(Array(data.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            case "pdf": XCTAssertEqual(String(decoding: data.prefix(4), as: UTF8.self), "%PDF")
            case "svg": XCTAssertNoThrow(try XMLDocument(data: data))
            case "dot": XCTAssertTrue(String(decoding: data, as: UTF8.self).hasPrefix("digraph bpviz {"))
            default: XCTAssertNotNil(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
        }
        // No temporary files are left beside the outputs.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }, [])
    }

    /// A PNG asked for at a resolution Cairo cannot hold (32,767 pixels a side) is drawn at
    /// the largest that fits, and says so in one line of its own: Graphviz's own scaling
    /// printed "(null): graph is too large for cairo-renderer bitmaps…".
    func testATooLargePNGIsDrawnSmallerAndSaysSo() throws {
        let dir = try TestSupport.temporaryDirectory()
        let r = try TestSupport.run(["render", q1, "-o", "\(dir)/ops.png", "--view", "ops", "--dpi", "1200"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("bpviz: note: \(dir)/ops.png is drawn at "), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix(" dpi, not 1200: a PNG is at most 32,767 pixels a side\n"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        let png = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(dir)/ops.png")).prefix(24))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        // IHDR: width and height, big-endian, after the signature and the chunk's length and type.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertLessThan(width, 32_767)
        XCTAssertGreaterThan(width, 32_000, "the largest resolution that fits, not a smaller one")
        XCTAssertLessThan(height, width)
    }

    func testRenderToStdoutAndExplicitFormat() throws {
        let r = try TestSupport.run(["render", q1, "-o", "-", "--format", "dot", "--view", "forward", "--theme", "chalkboard", "--precision", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdoutText.contains("bgcolor=\"#1f3a2d\""))
        // α₁'s lone subscript is a <SUB>; w₂₁⁽¹⁾'s scripts are stacked in cells of their own.
        XCTAssertTrue(r.stdoutText.contains("<SUB>1</SUB>"))
        XCTAssertTrue(r.stdoutText.contains("POINT-SIZE=\"9\">21</FONT></TD>"))
    }

    func testRenderFailuresLeaveNoFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        let cases: [([String], String)] = [
            (["render", q1, "-o", "\(dir)/x.svg", "--view", "sideways"], "sideways"),
            (["render", q1, "-o", "\(dir)/x.svg", "--theme", "neon"], "unknown theme"),
            (["render", q1, "-o", "\(dir)/x.gif"], "cannot tell the format"),
            (["render", q1, "-o", "\(dir)/missing/x.svg"], "does not exist"),
            (["render", q1, "-o", "\(dir)/x.svg", "--precision", "0"], "--precision"),
            (["render", TestSupport.sample("mnist-784-128-64-10.yaml"), "-o", "\(dir)/x.svg", "--view", "full"], "--view flow"),
        ]
        for (args, fragment) in cases {
            let r = try TestSupport.run(args)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            // The first line says it (ArgumentParser adds usage lines to its own errors).
            XCTAssertTrue(r.stderr.split(separator: "\n").first?.contains(fragment) == true, "\(args): \(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
        // Outputs where no file can be: inside a regular file, or onto a directory.
        let blocker = dir + "/file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let inside = try TestSupport.run(["render", q1, "-o", blocker + "/x.svg"])
        XCTAssertEqual(inside.status, 1)
        XCTAssertTrue(inside.stderr.contains("does not exist; expected an output path in an existing directory"), inside.stderr)
        try FileManager.default.createDirectory(atPath: dir + "/adir", withIntermediateDirectories: false)
        let onto = try TestSupport.run(["render", q1, "-o", dir + "/adir"])
        XCTAssertEqual(onto.status, 1)
        XCTAssertTrue(onto.stderr.contains("cannot tell the format") || onto.stderr.contains("is a directory"), onto.stderr)
        let ontoSVG = try TestSupport.run(["render", q1, "-o", dir + "/adir", "--format", "svg"])
        XCTAssertTrue(ontoSVG.stderr.contains("is a directory"), ontoSVG.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["adir", "file"])
        try FileManager.default.removeItem(atPath: blocker)
        try FileManager.default.removeItem(atPath: dir + "/adir")
        // An unwritable directory: a clear error and nothing written.
        let readOnly = dir + "/ro"
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
        chmod(readOnly, 0o555)
        defer { chmod(readOnly, 0o755) }
        if getuid() != 0 {   // root writes anywhere, so the check means nothing there
            let r = try TestSupport.run(["render", q1, "-o", "\(readOnly)/x.svg"])
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.contains("cannot write"), r.stderr)
        }
    }

    func testBadThemeFileIsReportedWithItsPlace() throws {
        let dir = try TestSupport.temporaryDirectory()
        let theme = dir + "/mine.yaml"
        try "extends: classroom\ncolors:\n  positive: \"#12345\"\n".write(toFile: theme, atomically: true, encoding: .utf8)
        let r = try TestSupport.run(["render", q1, "-o", "\(dir)/x.svg", "--theme", theme])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(theme):3:13: `colors.positive` is `#12345`; expected a colour"), r.stderr)
        try "extends: classroom\ncolours: {}\n".write(toFile: theme, atomically: true, encoding: .utf8)
        let r2 = try TestSupport.run(["render", q1, "-o", "\(dir)/x.svg", "--theme", theme])
        XCTAssertTrue(r2.stderr.contains("\(theme):2:1: unknown key `colours` (did you mean `colors`?)"), r2.stderr)
        try "extends: classroom\ncolors: { positive: \"#00ff00\" }\n".write(toFile: theme, atomically: true, encoding: .utf8)
        let ok = try TestSupport.run(["render", q1, "-o", "-", "--format", "dot", "--view", "flow", "--theme", theme])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdoutText.contains("#00ff00"), "the user theme changes one colour")
        XCTAssertTrue(ok.stdoutText.contains("#d62728"), "and keeps the rest of classroom")
    }

    func testThemesFromAnyDirectory() throws {
        let r = try TestSupport.run(["themes"], directory: "/")
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in ["classroom", "chalkboard", "print", "colorblind"] { XCTAssertTrue(r.stdoutText.contains(name), r.stdoutText) }
        let render = try TestSupport.run(["render", q1, "-o", "-", "--format", "dot", "--theme", "print"], directory: "/")
        XCTAssertEqual(render.status, 0, render.stderr)
    }

    func testSlidesDeckOfTheWorkedExample() throws {
        let dir = try TestSupport.temporaryDirectory() + "/deck"
        let r = try TestSupport.run(["slides", q1, "-o", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "no progress line when stderr is not a terminal")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(files.count, 30)
        XCTAssertEqual(files.first, "001-setup.svg")
        XCTAssertTrue(files.contains("002-forward-Z1-1.svg"))
        XCTAssertTrue(files.contains("020-backward-w21-1.svg"))
        let html = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        for file in files where file.hasSuffix(".svg") { XCTAssertTrue(html.contains("data-file=\"\(file)\""), file) }
        XCTAssertFalse(html.contains("http://") && html.contains("<script src"), "no network access")
        XCTAssertFalse(html.range(of: "src=\"http") != nil || html.range(of: "href=\"http") != nil)
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertTrue(html.contains("ArrowRight") && html.contains("Home") && html.contains("End"))
        let htmlText = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        XCTAssertTrue(htmlText.contains("16 · 1 · 1 · 1 · 1 · 2 + 16 · 1 · 1 · 1 · 1 · 2 = 64") || htmlText.contains("= 16 · 1 · 1 · 1 · 1 · 2"), "captions in the HTML")

        // Every node sits at the same spot in every frame.
        var shapes: [String: String] = [:]
        for file in files where file.hasSuffix(".svg") {
            let doc = try XMLDocument(data: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
            for case let g as XMLElement in try doc.nodes(forXPath: "//*[local-name()='g'][starts-with(@id, 'L') or @id='loss']") {
                guard let id = g.attributes?.first(where: { $0.name == "id" })?.stringValue, !id.contains("__") else { continue }
                let path = try g.nodes(forXPath: ".//*[local-name()='path' or local-name()='polygon']").first as? XMLElement
                let d = path?.attributes?.first { $0.name == "d" || $0.name == "points" }?.stringValue ?? ""
                if let previous = shapes[id] { XCTAssertEqual(previous, d, "\(id) moved in \(file)") } else { shapes[id] = d }
            }
            let svg = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            let size = svg.range(of: "viewBox=\"[^\"]*\"", options: .regularExpression).map { String(svg[$0]) }
            if let first = shapes["viewBox"] { XCTAssertEqual(first, size, file) } else { shapes["viewBox"] = size }
        }
        XCTAssertEqual(shapes.count, 8 + 1 + 1)   // 8 units and the loss, plus the canvas

        // Forward frames show no value computed later: not in text, not in tooltips.
        for file in files where file.contains("forward") || file.contains("setup") {
            let svg = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            for later in ["= 64", "= 32", "= 16", "= −32"] { XCTAssertFalse(svg.contains(later), "\(file) shows \(later)") }
            XCTAssertTrue(svg.contains("= ?"), file)
        }
        let loss = try String(contentsOfFile: dir + "/007-loss.svg", encoding: .utf8)
        XCTAssertTrue(loss.contains("= 64"))
        // The caption is in the picture.
        XCTAssertTrue(try String(contentsOfFile: dir + "/002-forward-Z1-1.svg", encoding: .utf8).contains("ReLU(2)"))

        // A second run replaces the deck whole: 11 frames, index.html and the manifest.
        let again = try TestSupport.run(["slides", q1, "-o", dir, "--steps", "layer", "--format", "png"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).count, 13)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: dir).deletingLastPathComponent().path), ["deck"])
    }

    func testExplainEachGradientAndTheWholeSolution() throws {
        let r = try TestSupport.run(["explain", q1, "w_{21}^{(1)}"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdoutText.contains("= 16 · 1 · 1 · 1 · 1 · 2 + 16 · 1 · 1 · 1 · 1 · 2 = 64"), r.stdoutText)
        XCTAssertTrue(r.stdoutText.contains("∂Z₁⁽¹⁾/∂w₂₁⁽¹⁾ = α₂ = 2"), r.stdoutText)
        let all = try TestSupport.run(["explain", q1, "--all", "--format", "markdown"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(all.stdoutText.components(separatedBy: "**For ").count - 1, 17)
        let huge = try TestSupport.run(["explain", TestSupport.sample("mnist-784-128-64-10.yaml"), "--all"])
        XCTAssertEqual(huge.status, 1)
        XCTAssertTrue(huge.stderr.contains("raise --max-parameters"), huge.stderr)
        let bad = try TestSupport.run(["explain", q1, "w_21^(9)"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "bpviz: PARAM `w_21^(9)`: layer 9 does not exist; this network's layers are 1 to 3; expected a quantity such as w_21^(1), b_1^(2), H_1^(1), Z_1^(1) or α_1\n")
    }

    func testLaTeXCompilesWhenPdflatexIsInstalled() throws {
        guard let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("pdflatex is not installed (Debian: texlive-latex-base)")
        }
        let dir = try TestSupport.temporaryDirectory()
        for sample in ["question-1.yaml", "softmax-classifier.yaml", "xor.yaml"] {
            let r = try TestSupport.run(["explain", TestSupport.sample(sample), "--all", "--format", "latex", "--learning-rate", "0.1"])
            XCTAssertEqual(r.status, 0, r.stderr)
            try r.stdout.write(to: URL(fileURLWithPath: dir + "/doc.tex"))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: pdflatex)
            p.arguments = ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "\(sample): pdflatex failed; see \(dir)/doc.log")
        }
    }

    func testLayersViewAndShowUpdate() throws {
        let dir = try TestSupport.temporaryDirectory()
        let layers = try TestSupport.run(["render", TestSupport.sample("mnist-784-128-64-10.yaml"), "-o", "\(dir)/layers.svg", "--view", "layers"])
        XCTAssertEqual(layers.status, 0, layers.stderr)
        let update = try TestSupport.run(["render", TestSupport.sample("xor.yaml"), "-o", "-", "--format", "dot", "--show-update"])
        XCTAssertEqual(update.status, 0, update.stderr)
        XCTAssertTrue(update.stdoutText.contains("0.5386"), "w′ on the edge")
        let missing = try TestSupport.run(["render", q1, "-o", "\(dir)/x.svg", "--show-update"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("--show-update needs a learning rate"), missing.stderr)
        let given = try TestSupport.run(["render", q1, "-o", "\(dir)/x.svg", "--show-update", "--learning-rate", "0.01"])
        XCTAssertEqual(given.status, 0, given.stderr)
    }

    func testMissingGraphvizPluginsAreOneSentence() throws {
        let dir = try TestSupport.temporaryDirectory()
        // GVBINDIR points Graphviz at a plugin directory without config6a.
        let r = try TestSupport.run(["render", q1, "-o", dir + "/x.svg"], environment: ["GVBINDIR": dir])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("run `dot -c`"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }
}
