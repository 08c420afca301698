import Annotation
import Foundation
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// README's "Use as a library" example, compiled and run: the code between the README
/// markers below is the README's code block, line for line (the second test checks that).
final class LibraryExampleTests: XCTestCase {
    func testTheReadmeExampleRuns() throws {
        let directory = try TestSupport.temporaryDirectory()
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(directory)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }

        // README begin
        // The worked example: a 3-2-2-1 ReLU network, every weight 1, every bias 0.
        let network = try Network(
            name: "Question 1", input: [1, 2, -1], target: [0], loss: .rss,
            layers: [
                try Layer(activation: .relu, weights: Matrix(rows: 3, columns: 2, repeating: 1), bias: [0, 0]),
                try Layer(activation: .relu, weights: Matrix(rows: 2, columns: 2, repeating: 1), bias: [0, 0]),
                try Layer(activation: .identity, weights: Matrix(rows: 2, columns: 1, repeating: 1), bias: [0]),
            ])
        let solution = try network.solve()
        print(solution.loss, solution.dW[1][0, 0])  // 64.0 32.0: ∂Loss/∂w_11^(1)

        // One diagram: the full view as SVG.
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let svg = try renderer.render(try View.full.diagram(solution), format: .svg)
        try svg.write(to: URL(fileURLWithPath: "question-1.svg"))

        // The slide deck: numbered SVG frames and an index.html that plays them.
        let deck = SlideDeck(solution: solution)
        try DeckWriter(theme: try Theme.named("chalkboard")).write(deck, title: "Question 1", to: "question-1-slides")
        // README end

        XCTAssertEqual(solution.loss, 64)
        XCTAssertEqual(solution.dW[1][0, 0], 32)
        let picture = try String(contentsOfFile: directory + "/question-1.svg", encoding: .utf8)
        XCTAssertTrue(picture.hasPrefix("<?xml") && picture.contains("</svg>"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/question-1-slides")
        XCTAssertTrue(files.contains("index.html"))
        XCTAssertEqual(files.filter { $0.hasSuffix(".svg") }.count, deck.frames.count)
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testTheReadmeShowsThisCode() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readme = try String(contentsOf: TestSupport.root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try XCTUnwrap(Self.lines(source, from: "// README begin", to: "// README end"))
        let section = try XCTUnwrap(readme.range(of: "## Use as a library"), "README has the section")
        // The section's program: its code block that starts with the imports.
        let program = try XCTUnwrap(readme[section.upperBound...].range(of: "```swift\nimport "))
        let shown = try XCTUnwrap(Self.lines(String(readme[program.lowerBound...]), from: "```swift", to: "```"))
        // The README adds the imports a program needs; the rest is this test's code.
        XCTAssertEqual(Array(shown.drop { $0.hasPrefix("import ") || $0.isEmpty }), example)
    }

    /// The lines strictly between two marker lines, without their common indentation.
    static func lines(_ text: String, from start: String, to end: String) -> [String]? {
        let all = text.components(separatedBy: "\n")
        guard let first = all.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == start }),
              let last = all[(first + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == end }) else { return nil }
        return all[(first + 1)..<last].map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
