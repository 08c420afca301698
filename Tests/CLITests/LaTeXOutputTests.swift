import Foundation
import TestSupport
import XCTest

/// TikZ pictures, standalone documents, Beamer decks and worked solutions through pdflatex,
/// when it is installed (`make deps` installs it; CI therefore really compiles). Pictures are
/// compiled together in few documents to keep the suite quick.
final class LaTeXOutputTests: XCTestCase {
    func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first(where: FileManager.default.isExecutableFile)
    }

    func pdflatex() throws -> String {
        guard let path = tool("pdflatex") else { throw XCTSkip("pdflatex is not installed (Debian: texlive-latex-base texlive-pictures texlive-latex-recommended)") }
        return path
    }

    /// Compiles `file` in `dir`; fails the test with the log's first error.
    func compile(_ file: String, in dir: String, _ message: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try pdflatex())
        p.arguments = ["-interaction=nonstopmode", "-halt-on-error", file]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let log = (try? String(contentsOfFile: dir + "/" + file.replacingOccurrences(of: ".tex", with: ".log"), encoding: .utf8)) ?? ""
            let error = log.split(separator: "\n").drop(while: { !$0.hasPrefix("!") }).prefix(4).joined(separator: "\n")
            XCTFail("\(message): pdflatex failed in \(dir):\n\(error)")
        }
    }

    func output(_ tool: String, _ arguments: [String]) throws -> String? {
        guard let path = self.tool(tool) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func pages(_ pdf: String) throws -> Int? {
        guard let info = try output("pdfinfo", [pdf]) else { return nil }
        return info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    func testEverySampleInEveryViewCompilesAsAnInputPicture() throws {
        _ = try pdflatex()
        let dir = try TestSupport.temporaryDirectory()
        var body = ""
        var count = 0
        for sample in TestSupport.allSamples {
            let name = URL(fileURLWithPath: sample).deletingPathExtension().lastPathComponent
            for view in name.contains("mnist") ? ["flow", "layers"] : ["forward", "backward", "full", "flow", "layers", "ops"] {
                let file = "\(name)-\(view).tex"
                let r = try TestSupport.run(["render", sample, "--view", view, "-o", dir + "/" + file])
                XCTAssertEqual(r.status, 0, r.stderr)
                body += "\\section*{\(name), \(view)}\\input{\(file)}\\clearpage\n"
                count += 1
            }
        }
        // Every theme, and top to bottom.
        for (theme, direction) in [("chalkboard", "LR"), ("print", "TB"), ("colorblind", "LR")] {
            let file = "theme-\(theme).tex"
            let r = try TestSupport.run(["render", TestSupport.sample("question-1.yaml"), "--theme", theme, "--direction", direction, "-o", dir + "/" + file])
            XCTAssertEqual(r.status, 0, r.stderr)
            body += "\\input{\(file)}\\clearpage\n"
            count += 1
        }
        let doc = "\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n" + body + "\\end{document}\n"
        try doc.write(toFile: dir + "/all.tex", atomically: true, encoding: .utf8)
        try compile("all.tex", in: dir, "every sample and view")
        if let pages = try pages(dir + "/all.pdf") { XCTAssertEqual(pages, count) }
    }

    /// A picture bound by the page's height fits on it: dead-relu's flow view on a page 14 cm
    /// tall is as tall as \textheight, and came out 0.005pt taller, which sent it to a second
    /// page and left the first blank.
    func testAPictureAsTallAsTheTextFitsOnOnePage() throws {
        _ = try pdflatex()
        let dir = try TestSupport.temporaryDirectory()
        for (sample, view) in [("dead-relu.yaml", "flow"), ("question-1.yaml", "full"), ("softmax-classifier.yaml", "flow")] {
            let file = "\(view)-\(sample.replacingOccurrences(of: ".yaml", with: "")).tex"
            let r = try TestSupport.run(["render", TestSupport.sample(sample), "--view", view, "-o", dir + "/" + file])
            XCTAssertEqual(r.status, 0, r.stderr)
            for (width, height) in [("30cm", "14cm"), ("14cm", "30cm")] {
                let doc = "\\documentclass{article}\n\\usepackage{tikz}\n\\usepackage[paperwidth=\(width),paperheight=\(height),margin=5mm]{geometry}\n"
                    + "\\pagestyle{empty}\n\\begin{document}\n\\noindent\\input{\(file)}\n\\end{document}\n"
                let name = "page-\(width)-\(file)"
                try doc.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
                try compile(name, in: dir, "\(sample) \(view) on \(width) × \(height)")
                if let pages = try pages(dir + "/" + name.replacingOccurrences(of: ".tex", with: ".pdf")) {
                    XCTAssertEqual(pages, 1, "\(sample) \(view) on \(width) × \(height)")
                }
            }
        }
    }

    func testStandaloneFigureShowsTheValues() throws {
        _ = try pdflatex()
        let dir = try TestSupport.temporaryDirectory()
        let r = try TestSupport.run(["render", TestSupport.sample("question-1.yaml"), "-o", dir + "/q1.tex", "--standalone"])
        XCTAssertEqual(r.status, 0, r.stderr)
        try compile("q1.tex", in: dir, "standalone figure")
        XCTAssertEqual(try pages(dir + "/q1.pdf") ?? 1, 1)
        guard let text = try output("pdftotext", [dir + "/q1.pdf", "-"]) else { throw XCTSkip("pdftotext is not installed (Debian: poppler-utils)") }
        for value in ["= 64", "= 32", "= 16", "Question 1", "Loss"] { XCTAssertTrue(text.contains(value), "\(value) not in the figure:\n\(text)") }
        let wrong = try TestSupport.run(["render", TestSupport.sample("question-1.yaml"), "-o", dir + "/q1.svg", "--standalone"])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("--standalone is for --format tikz"), wrong.stderr)
    }

    func testBeamerDeckHasAPageForEveryFrameOfTheSVGDeck() throws {
        _ = try pdflatex()
        let dir = try TestSupport.temporaryDirectory()
        let q1 = TestSupport.sample("question-1.yaml")
        for steps in ["node", "layer", "ops"] {
            let svg = try TestSupport.run(["slides", q1, "-o", dir + "/svg-\(steps)", "--steps", steps])
            XCTAssertEqual(svg.status, 0, svg.stderr)
            let frames = try FileManager.default.contentsOfDirectory(atPath: dir + "/svg-\(steps)").filter { $0.hasSuffix(".svg") }.sorted()
            let beamer = try TestSupport.run(["slides", q1, "-o", dir + "/beamer-\(steps)", "--steps", steps, "--format", "beamer"])
            XCTAssertEqual(beamer.status, 0, beamer.stderr)
            let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/beamer-\(steps)").filter { !$0.hasPrefix(".") }.sorted()
            XCTAssertEqual(files, (frames.map { $0.replacingOccurrences(of: ".svg", with: ".tex") } + ["deck.tex"]).sorted(), "a picture per frame, named as the SVG frames")
            guard steps == "node" else { continue }
            let deck = try String(contentsOfFile: dir + "/beamer-node/deck.tex", encoding: .utf8)
            // Frames in the SVG deck's order, each with its caption as display math.
            let order = deck.components(separatedBy: "\\bpvizpicture{").dropFirst().map { String($0.prefix { $0 != "}" }) }
            XCTAssertEqual(order, frames.map { $0.replacingOccurrences(of: ".svg", with: ".tex") })
            XCTAssertTrue(deck.contains("\\bpvizcaptionbold{\\partial \\mathrm{Loss}/\\partial w_{21}^{(1)}=16\\cdot 1\\cdot 1\\cdot 1\\cdot 1\\cdot 2+16\\cdot 1\\cdot 1\\cdot 1\\cdot 1\\cdot 2=64}"))
            try compile("deck.tex", in: dir + "/beamer-node", "Beamer deck")
            if let pages = try pages(dir + "/beamer-node/deck.pdf") { XCTAssertEqual(pages, frames.count) }
        }
    }

    func testHostileNamesCompileAndPrintAsWritten() throws {
        _ = try pdflatex()
        let dir = try TestSupport.temporaryDirectory()
        let net = dir + "/hostile.yaml"
        try #"""
        name: 'Cost in $ & % # { } \ ^ ~ _ <x> -- 中'
        input: [1, -2]
        target: [0.5]
        loss: mse
        notation: { input: 'x_&%', activation: 'H#{}', preactivation: 'z\^~', weight: 'w$', bias: 'b', loss: 'Cost in $' }
        layers:
          - { units: 2, activation: relu, weights: 1, bias: 0 }
          - { units: 1, activation: identity, weights: [[1], [-1]], bias: [0] }
        """#.write(toFile: net, atomically: true, encoding: .utf8)
        for view in ["full", "flow", "layers"] {
            let r = try TestSupport.run(["render", net, "--view", view, "-o", dir + "/\(view).tex", "--standalone"])
            XCTAssertEqual(r.status, 0, r.stderr)
            try compile("\(view).tex", in: dir, "hostile names, \(view) view")
        }
        let explain = try TestSupport.run(["explain", net, "--all", "--format", "latex"])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        try explain.stdout.write(to: URL(fileURLWithPath: dir + "/explain.tex"))
        try compile("explain.tex", in: dir, "hostile names, worked solution")
        let deck = try TestSupport.run(["slides", net, "-o", dir + "/deck", "--format", "beamer", "--steps", "layer"])
        XCTAssertEqual(deck.status, 0, deck.stderr)
        try compile("deck.tex", in: dir + "/deck", "hostile names, Beamer deck")
        guard let text = try output("pdftotext", [dir + "/full.pdf", "-"]) else { return }
        XCTAssertTrue(text.contains("Cost in $ & % # { } \\"), text)
    }
}
