import Annotation
import Foundation
import Graphviz
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// The DocC articles' code, compiled and run: each test holds one article's Swift code
/// blocks, in order, between `// DocC <article> begin` and `// DocC <article> end`, and
/// `testTheArticlesShowThisCode` checks that the articles show exactly these lines (imports
/// and blank lines aside). Change an article and its test together.
final class DocCExampleTests: XCTestCase {
    /// Runs `body` in a fresh directory holding `Samples/question-1.yaml`, as the articles'
    /// relative paths expect.
    func inSampleDirectory(_ body: () throws -> Void) throws {
        let directory = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/Samples", withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Samples/question-1.yaml"),
                                         to: URL(fileURLWithPath: directory + "/Samples/question-1.yaml"))
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(directory)
        defer {
            FileManager.default.changeCurrentDirectoryPath(previous)
            try? FileManager.default.removeItem(atPath: directory)
        }
        try body()
    }

    func testNetworkModelOverview() throws {
        try inSampleDirectory {
            // DocC NetworkModel.md begin
            let network = try NetworkFile.load(path: "Samples/question-1.yaml")
            let solution = try network.solve()
            let loss = solution.loss          // 64
            let dw12 = solution.dW[1][0, 1]   // ∂Loss/∂w_12^(1) = 32
            // DocC NetworkModel.md end
            XCTAssertEqual(network.shape, "3-2-2-1")
            XCTAssertEqual(loss, 64)
            XCTAssertEqual(dw12, 32)
        }
    }

    func testSolvingANetwork() throws {
        // DocC SolvingANetwork.md begin
        let network = try Network(
            name: "Question 1", input: [1, 2, -1], target: [0], loss: .rss,
            layers: [
                try Layer(activation: .relu, weights: Matrix(rows: 3, columns: 2, repeating: 1), bias: [0, 0]),
                try Layer(activation: .relu, weights: Matrix(rows: 2, columns: 2, repeating: 1), bias: [0, 0]),
                try Layer(activation: .identity, weights: Matrix(rows: 2, columns: 1, repeating: 1), bias: [0]),
            ])
        let solution = try network.solve()
        let h1 = solution.H[1]           // H^(1) = [2, 2]
        let loss = solution.loss         // 64
        let dH3 = solution.dH[3]         // ∂Loss/∂H^(3) = [16]
        let dw21 = solution.dW[1][1, 0]  // ∂Loss/∂w_21^(1) = 64
        let check = GradientCheck(network: network, solution: solution)
        let passed = check.passed   // true: every gradient agrees with central differences
        // DocC SolvingANetwork.md end
        XCTAssertEqual(h1, [2, 2])
        XCTAssertEqual(loss, 64)
        XCTAssertEqual(dH3, [16])
        XCTAssertEqual(dw21, 64)
        XCTAssertTrue(passed)
        // The article says the file builds the same network.
        let file = try NetworkFile.load(path: TestSupport.root.appendingPathComponent("Samples/question-1.yaml").path)
        XCTAssertEqual(file.layers, network.layers)
        XCTAssertEqual(file.input, network.input)
    }

    func testAnnotationOverview() throws {
        try inSampleDirectory {
            // DocC Annotation.md begin
            let solution = try NetworkFile.load(path: "Samples/question-1.yaml").solve()
            let diagram = try View.full.diagram(solution)
            let deck = SlideDeck(solution: solution, steps: .layer)
            let text = Explanation(solution: solution, format: .markdown).document()
            // DocC Annotation.md end
            XCTAssertEqual(diagram.nodes.count, 9)
            XCTAssertFalse(deck.frames.isEmpty)
            XCTAssertTrue(text.contains("64"))
        }
    }

    func testDiagramsAndDecks() throws {
        try inSampleDirectory {
            // DocC DiagramsAndDecks.md begin
            let solution = try NetworkFile.load(path: "Samples/question-1.yaml").solve()
            let options = ViewOptions(format: NumberFormat(precision: 3))
            let diagram = try View.full.diagram(solution, options: options)
            let nodeCount = diagram.nodes.count   // 9: the units of every layer and the loss
            let deck = SlideDeck(solution: solution, steps: .node)
            let firstName = deck.frames.first?.name   // "001-setup"
            let explanation = Explanation(solution: solution, format: .text)
            print(explanation.explain(.weight(layer: 1, j: 2, k: 1)))   // ∂Loss/∂w_21^(1), step by step
            // DocC DiagramsAndDecks.md end
            XCTAssertEqual(nodeCount, 9)
            XCTAssertEqual(firstName, "001-setup")
            XCTAssertTrue(explanation.explain(.weight(layer: 1, j: 2, k: 1)).contains("64"))
        }
    }

    func testRenderingAndDecks() throws {
        try inSampleDirectory {
            // DocC RenderingAndDecks.md begin
            let network = try NetworkFile.load(path: "Samples/question-1.yaml")
            let solution = try network.solve()
            let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
            let diagram = try View.full.diagram(solution)
            let layout = try renderer.layout(diagram)          // measure once …
            let svg = try renderer.render(diagram, format: .svg, layout: layout)
            let png = try renderer.render(diagram, format: .png, layout: layout, dpi: 150)   // … draw twice
            try OutputFile.write(svg, to: "question-1.svg")     // atomic: old file or whole new one
            let deck = SlideDeck(solution: solution, steps: .layer)
            try DeckWriter(theme: try Theme.named("chalkboard"), format: .svg)
                .write(deck, title: network.name ?? "Backpropagation", to: "question-1-slides") { done, total in
                    print("frame \(done) of \(total)")
                }
            let names = Theme.builtInNames           // ["chalkboard", "classroom", "colorblind", "print"]
            var theme = try Theme.named("print")
            theme.direction = .topToBottom
            // DocC RenderingAndDecks.md end
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "question-1.svg")), svg)
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            let files = try FileManager.default.contentsOfDirectory(atPath: "question-1-slides")
            XCTAssertTrue(files.contains("index.html"))
            XCTAssertEqual(files.filter { $0.hasSuffix(".svg") }.count, deck.frames.count)
            XCTAssertEqual(names, ["chalkboard", "classroom", "colorblind", "print"])
            XCTAssertEqual(theme.direction, .topToBottom)
        }
    }

    func testGraphvizOverview() throws {
        // DocC Graphviz.md begin
        var graph = Graph(nodeDefaults: ["shape": "box"])
        graph.addNode("a", ["label": "x & y"])
        graph.addNode("b", ["label": .html(.sequence([.text("w"), .sub(.text("jk"))]))])
        graph.addEdge("a", "b")
        let svg = try GraphvizEngine.render(graph, format: .svg)
        // DocC Graphviz.md end
        let text = try XCTUnwrap(String(data: svg, encoding: .utf8))
        XCTAssertTrue(text.contains("x &amp; y"))
        XCTAssertTrue(text.contains("</svg>"))
    }

    func testDrawingAGraph() throws {
        // DocC DrawingAGraph.md begin
        var graph = Graph(name: "chain", attributes: ["rankdir": "LR"], nodeDefaults: ["shape": "circle"])
        for id in ["x", "h", "y"] { graph.addNode(id) }
        graph.addEdge("x", "h", ["label": "w₁"])
        graph.addEdge("h", "y", ["label": "w₂"])
        print(graph.dot)   // deterministic DOT text
        let outputs = try GraphvizEngine.render(graph, formats: [.svg, .png]) { warnings in
            print("Graphviz warned:", warnings)
        }
        let layout = try GraphvizEngine.layout(graph)
        let center = layout.nodes["h"]?.center   // in points, y up
        let sizes = try GraphvizEngine.measure(["a label", "a longer label"], nodeAttributes: ["fontsize": "14"])
        // DocC DrawingAGraph.md end
        XCTAssertEqual(outputs.count, 2)
        XCTAssertNotNil(center)
        XCTAssertEqual(sizes.count, 2)
        XCTAssertLessThan(sizes[0].width, sizes[1].width)
    }

    func testTheArticlesShowThisCode() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let articles = [
            "NetworkModel/NetworkModel.docc/NetworkModel.md", "NetworkModel/NetworkModel.docc/SolvingANetwork.md",
            "Annotation/Annotation.docc/Annotation.md", "Annotation/Annotation.docc/DiagramsAndDecks.md",
            "Rendering/Rendering.docc/RenderingAndDecks.md",
            "Graphviz/Graphviz.docc/Graphviz.md", "Graphviz/Graphviz.docc/DrawingAGraph.md",
        ]
        // Every catalog's articles are listed, so a new article with code cannot go untested.
        let catalogs = ["NetworkModel", "Annotation", "Rendering", "Graphviz"]
        for module in catalogs {
            let folder = TestSupport.root.appendingPathComponent("Sources/\(module)/\(module).docc")
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".md") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                if text.contains("```swift") {
                    XCTAssertTrue(articles.contains("\(module)/\(module).docc/\(file)"), "\(file) has Swift code but no test")
                }
            }
        }
        for article in articles {
            let name = URL(fileURLWithPath: article).lastPathComponent
            let text = try String(contentsOf: TestSupport.root.appendingPathComponent("Sources/" + article), encoding: .utf8)
            let tested = try XCTUnwrap(LibraryExampleTests.lines(source, from: "// DocC \(name) begin", to: "// DocC \(name) end"), name)
            XCTAssertEqual(Self.swiftCode(text), tested.filter { !$0.isEmpty }, name)
        }
    }

    /// The lines of every ```swift block of a Markdown text, in order, trimmed, without
    /// imports and blank lines.
    static func swiftCode(_ markdown: String) -> [String] {
        var lines: [String] = []
        var inside = false
        for line in markdown.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !inside, trimmed == "```swift" { inside = true; continue }
            if inside, trimmed == "```" { inside = false; continue }
            if inside, !trimmed.isEmpty, !trimmed.hasPrefix("import ") { lines.append(trimmed) }
        }
        return lines
    }
}
