@testable import Annotation
import Foundation
import FoundationXML
import Graphviz
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// What the library writes stays safe when its caller skips the file reader's checks: themes
/// made in code are validated by the renderer, and text with control characters or Graphviz
/// escapes still gives well-formed SVG that shows it.
final class OutputEscapingTests: XCTestCase {
    func solution(name: String) throws -> Solution {
        var network = try NetworkFile.load(path: TestSupport.sample("question-1.yaml"))
        network.name = name
        return try network.solve()
    }

    func testThemesMadeInCodeAreValidatedBeforeAnythingIsWritten() throws {
        let diagram = Annotator(solution: try solution(name: "q")).diagram(view: .full)
        for family in [#"DejaVu Sans" onmouseover="alert(1)"#, "DejaVu Sans, serif", "Sans\u{1B}[2J", "", String(repeating: "A", count: 65)] {
            var theme = try Theme.named("classroom")
            theme.fontFamily = family
            XCTAssertThrowsError(try DiagramRenderer(theme: theme).render(diagram, format: .svg), family) { error in
                XCTAssertTrue("\(error)".contains("expected a font family name"), "\(error)")
            }
        }
        var theme = try Theme.named("classroom")
        theme.colors["background"] = "red; } </style><script>alert(1)</script>"
        XCTAssertThrowsError(try DiagramRenderer(theme: theme).render(diagram, format: .svg))
        let deck = SlideDeck(solution: try solution(name: "q"), steps: .layer)
        let dir = try TestSupport.temporaryDirectory() + "/deck"
        XCTAssertThrowsError(try DeckWriter(theme: theme).write(deck, title: "q", to: dir))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir), "nothing written")
        theme.fontFamily = "Noto Sans CJK JP"
        theme.colors["background"] = "#fafafa"
        XCTAssertNoThrow(try DiagramRenderer(theme: theme).render(diagram, format: .svg))
    }

    func testControlCharactersAndBackslashesGiveWellFormedExactSVG() throws {
        let name = "tab\there \u{1B}[2J bell\u{07} del\u{7F} \\N \\G \\\\ \\L"
        let diagram = Annotator(solution: try solution(name: name)).diagram(view: .full)
        let svg = try DiagramRenderer(theme: try Theme.named("classroom")).render(diagram, format: .svg)
        let document = try XMLDocument(data: svg)
        let title = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue).first { $0.contains("bell") }
        // Characters XML cannot hold show as their control pictures; everything else exactly.
        XCTAssertEqual(title, "tab\u{2409}here \u{241B}[2J bell\u{2407} del\u{2421} \\N \\G \\\\ \\L")
    }

    func testHTMLLabelTextAndTooltipsKeepBackslashes() {
        XCTAssertEqual(HTML.text(#"a\N<b>&"#).markup, #"a\\N&lt;b&gt;&amp;"#)
        XCTAssertEqual(HTML.escape("\u{1B}x\u{7F}"), "\u{241B}x\u{2421}")
        var g = Graph(name: "g")
        _ = g.addNode("n", ["tooltip": .text(#"\T\L"#), "label": .text(#"\N"#)])
        XCTAssertTrue(g.dot.contains(#"tooltip="\\\\T\\\\L""#), g.dot)
        XCTAssertTrue(g.dot.contains(#"label="\\N""#), g.dot)
    }

    func testCSVCellsThatLookLikeFormulasAreText() {
        XCTAssertEqual(ValueTable.csvCell("=SUM(A1)"), "'=SUM(A1)")
        XCTAssertEqual(ValueTable.csvCell("@cmd"), "'@cmd")
        XCTAssertEqual(ValueTable.csvCell("+1"), "'+1")
        XCTAssertEqual(ValueTable.csvCell("-x"), "'-x")
        XCTAssertEqual(ValueTable.csvCell("=a,b"), "\"'=a,b\"")
        XCTAssertEqual(ValueTable.csvCell("∂L/∂w"), "∂L/∂w")
        XCTAssertEqual(ValueTable.csvCell("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(ValueTable.csvCell("w_{1,2}"), "\"w_{1,2}\"", "quoted for its comma, with no quote to double")
        XCTAssertEqual(ValueTable.csvCell("a,\"b"), "\"a,\"\"b\"")
    }
}

/// A deck that fails half-way takes away a directory it created, and leaves an existing
/// deck's manifest listing every file of both decks, so the next run can still clean up.
final class DeckDirectoryTests: XCTestCase {
    func testAnUnfinishedDeckRemovesTheDirectoryItCreated() throws {
        let dir = try TestSupport.temporaryDirectory() + "/deck"
        do {
            let output = try DeckDirectory.open(dir, files: ["001-a.svg", "index.html"], allowingOtherFiles: false, isOwnFile: { _ in true })
            try output.write(Data("x".utf8), named: "001-a.svg")
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/001-a.svg"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir))

        let first = try DeckDirectory.open(dir, files: ["001-a.svg", "index.html"], allowingOtherFiles: false, isOwnFile: { _ in true })
        try first.write(Data("a".utf8), named: "001-a.svg")
        try first.write(Data("i".utf8), named: "index.html")
        try first.finish()
        do {
            let second = try DeckDirectory.open(dir, files: ["001-b.svg", "index.html"], allowingOtherFiles: false, isOwnFile: { _ in true })
            try second.write(Data("b".utf8), named: "001-b.svg")
        }
        let manifest = try String(contentsOfFile: dir + "/" + DeckDirectory.manifestName, encoding: .utf8)
        XCTAssertEqual(manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }, ["001-a.svg", "001-b.svg", "index.html"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), [".bpviz-deck", "001-a.svg", "001-b.svg", "index.html"])
        // A second writer at the same time is refused.
        let holder = try DeckDirectory.open(dir, files: ["index.html"], allowingOtherFiles: false, isOwnFile: { _ in true })
        XCTAssertThrowsError(try DeckDirectory.open(dir, files: ["index.html"], allowingOtherFiles: false, isOwnFile: { _ in true })) {
            XCTAssertTrue("\($0)".contains("another bpviz is writing"), "\($0)")
        }
        try holder.finish()
    }

    /// The manifest says which files an earlier deck wrote, but only a name the writer could
    /// have given counts: a name added to it by hand is someone else's file, kept.
    func testAManifestEntryTheWriterCouldNotHaveMadeIsNotRemoved() throws {
        let dir = try TestSupport.temporaryDirectory() + "/deck"
        let first = try DeckDirectory.open(dir, files: ["001-a.svg", "index.html"], allowingOtherFiles: false, isOwnFile: DeckWriter.isDeckFile)
        try first.write(Data("a".utf8), named: "001-a.svg")
        try first.write(Data("i".utf8), named: "index.html")
        try first.finish()
        let manifest = dir + "/" + DeckDirectory.manifestName
        try (try String(contentsOfFile: manifest, encoding: .utf8) + "notes.txt\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        try "mine".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let second = try DeckDirectory.open(dir, files: ["001-b.svg", "index.html"], allowingOtherFiles: false, isOwnFile: DeckWriter.isDeckFile)
        try second.write(Data("b".utf8), named: "001-b.svg")
        try second.write(Data("i".utf8), named: "index.html")
        try second.finish()
        XCTAssertEqual(try String(contentsOfFile: dir + "/notes.txt", encoding: .utf8), "mine")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), [".bpviz-deck", "001-b.svg", "index.html", "notes.txt"])
    }
}
