import Annotation
import Foundation
import FoundationXML
import Graphviz
import NetworkModel
import Rendering
import TestSupport
import XCTest

final class RenderingTests: XCTestCase {
    func diagram(_ sample: String, view: View) throws -> Diagram {
        let solution = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
        return try view.diagram(solution)
    }

    /// Views each sample is drawn in: the labelled views where the network is small enough.
    func views(_ sample: String) -> [View] {
        sample.contains("mnist") ? [.flow, .layers] : View.allCases
    }

    // MARK: - DOT snapshots

    /// A PNG is drawn at the largest resolution under Cairo's image limit (32,767 pixels a
    /// side, as Graphviz rounds the size), so Graphviz neither scales it nor prints a line of
    /// its own about it; a resolution that fits is kept.
    func testPNGResolutionStaysUnderCairosLimit() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        for (sample, view) in [("question-1.yaml", View.ops), ("question-1.yaml", .full), ("softmax-classifier.yaml", .ops)] {
            let layout = try renderer.layout(try diagram(sample, view: view))
            let side = max(layout.width, layout.height)
            func pixels(_ dpi: Double) -> Double { (side * dpi / 72 + 0.5).rounded(.down) }
            let largest = renderer.largestPNGDPI(layout)
            XCTAssertEqual(largest, largest.rounded(), sample)
            XCTAssertLessThan(pixels(largest), 32_767, "\(sample) \(view)")
            XCTAssertGreaterThanOrEqual(pixels(largest + 1), 32_767, "\(sample) \(view): the largest whole resolution that fits")
            XCTAssertEqual(renderer.pngDPI(1200, layout), min(1200, largest))
            XCTAssertEqual(renderer.pngDPI(24, layout), 24)
            XCTAssertEqual(renderer.pngDPI(nil, layout), min(renderer.defaultDPI(layout), largest))
        }
    }

    /// A deck of PNG frames asked for at a resolution they cannot have reports the one they
    /// are drawn at (`slides` says it in a note, as `render` does); other decks report none.
    func testADeckReportsPNGFramesDrawnSmallerThanAsked() throws {
        let theme = try Theme.named("classroom")
        let frames = SlideDeck(solution: try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve(), steps: .ops).frames
        let layout = try DiagramRenderer(theme: theme).layout(sharedBy: frames.map(\.diagram))
        let largest = DiagramRenderer(theme: theme).largestPNGDPI(layout)
        XCTAssertLessThan(largest, 1200)
        XCTAssertEqual(DeckWriter(theme: theme, format: .png, dpi: 1200).smallerDPI(layout), largest)
        XCTAssertNil(DeckWriter(theme: theme, format: .png, dpi: largest).smallerDPI(layout))
        XCTAssertNil(DeckWriter(theme: theme, format: .png).smallerDPI(layout), "the default resolution fits")
        XCTAssertNil(DeckWriter(theme: theme, format: .pdf, dpi: 1200).smallerDPI(layout))
    }

    func testDOTSnapshotsOfTheWorkedExample() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let dir = TestSupport.root.appendingPathComponent("Tests/RenderingTests/Snapshots")
        for view in View.allCases {
            let dot = String(decoding: try renderer.render(try diagram("question-1.yaml", view: view), format: .dot), as: UTF8.self)
            XCTAssertEqual(dot, String(decoding: try renderer.render(try diagram("question-1.yaml", view: view), format: .dot), as: UTF8.self),
                           "DOT is deterministic")
            let file = dir.appendingPathComponent("question-1-\(view.rawValue).dot")
            if ProcessInfo.processInfo.environment["BPVIZ_RECORD_SNAPSHOTS"] == "1" {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try dot.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            XCTAssertEqual(dot, expected, "snapshot \(file.lastPathComponent) differs; rerun with BPVIZ_RECORD_SNAPSHOTS=1 after checking the picture")
        }
    }

    // MARK: - SVG

    func svgDocument(_ sample: String, view: View, theme: String = "classroom") throws -> XMLDocument {
        let data = try DiagramRenderer(theme: try Theme.named(theme)).render(try diagram(sample, view: view), format: .svg)
        return try XMLDocument(data: data)
    }

    func group(_ doc: XMLDocument, id: String) throws -> XMLElement {
        let nodes = try doc.nodes(forXPath: "//*[local-name()='g'][@id='\(id)']")
        return try XCTUnwrap(nodes.first as? XMLElement, "no group \(id)")
    }

    func testSVGCarriesEveryLabelInItsGroupWithRealScripts() throws {
        let doc = try svgDocument("question-1.yaml", view: .full)
        let node = try group(doc, id: "L1_1")
        let text = (try node.nodes(forXPath: ".//*[local-name()='text']")).compactMap(\.stringValue).joined(separator: "|")
        // Stacked scripts: the superscript is drawn first (it is the upper row), then the subscript.
        for piece in ["H|(1)|1|\u{A0}= 2", "Z|(1)|1|\u{A0}= 2", "∂Loss/∂H|(1)|1|\u{A0}= 32"] {
            XCTAssertTrue(text.contains(piece), "L1_1 lacks \(piece): \(text)")
        }
        let edge = try group(doc, id: "L0_2__L1_1__label")
        let edgeText = (try edge.nodes(forXPath: ".//*[local-name()='text']")).compactMap(\.stringValue).joined(separator: "|")
        XCTAssertTrue(edgeText.contains("w|(1)|21|\u{A0}= 1"), edgeText)
        XCTAssertTrue(edgeText.contains("∂Loss/∂w|(1)|21|\u{A0}= 64"), edgeText)
        // w₂₁⁽¹⁾ = 1: both scripts start right after the w, the superscript above the line's
        // baseline and the subscript below it, and the value follows the wider of the two
        // ("(1)", about 13 points at 9 points) instead of both (about 24 points).
        let runs = try edge.nodes(forXPath: ".//*[local-name()='text']").compactMap { $0 as? XMLElement }.prefix(4).map { element in
            (text: element.stringValue ?? "", x: number(element, "x"), y: number(element, "y"))
        }
        XCTAssertEqual(runs.map(\.text), ["w", "(1)", "21", "\u{A0}= 1"])
        XCTAssertEqual(runs[1].x, runs[2].x, accuracy: 0.01, "the scripts start at the same x")
        XCTAssertGreaterThan(runs[1].x, runs[0].x + 5, "after the w")
        XCTAssertLessThan(runs[1].y, runs[0].y - 3, "superscript above the baseline")
        XCTAssertGreaterThan(runs[2].y, runs[0].y + 2, "subscript below it")
        XCTAssertEqual(runs[3].y, runs[0].y, accuracy: 0.01, "the value on the baseline")
        XCTAssertLessThan(runs[3].x - runs[1].x, 16, "the value follows the stack, not both scripts")
        XCTAssertGreaterThan(runs[3].x - runs[1].x, 11, "the value follows the wider script")
        // A tooltip with full precision, as an SVG <title> (Graphviz's own group title kept).
        let titles = (try node.nodes(forXPath: ".//*[local-name()='title']")).compactMap(\.stringValue)
        XCTAssertTrue(titles.contains("L1_1"), "\(titles)")
        XCTAssertTrue(titles.contains { $0.contains("Z_1^(1) = 2") && $0.contains("∂Loss/∂b_1^(1) = 32") }, "\(titles)")
    }

    func testNoBaselineShiftAndScriptsAreSmallerThanTheirBase() throws {
        for view in [View.forward, .backward, .full, .flow] {
            let data = try DiagramRenderer(theme: try Theme.named("classroom")).render(try diagram("question-1.yaml", view: view), format: .svg)
            let svg = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(svg.contains("baseline-shift"), view.rawValue)
            let doc = try XMLDocument(data: data)
            let texts = try doc.nodes(forXPath: "//*[local-name()='text']").compactMap { $0 as? XMLElement }
            // Each "(1)" superscript follows a larger base run (stacked or not, the superscript
            // comes right after the symbol) and sits above its baseline.
            var checked = 0
            for (i, t) in texts.enumerated() where t.stringValue == "(1)" && i >= 1 {
                let base = texts[i - 1]
                let size = number(t, "font-size"), baseSize = number(base, "font-size")
                let y = number(t, "y"), baseY = number(base, "y")
                XCTAssertLessThan(size, baseSize * 0.8, "superscript not smaller")
                XCTAssertLessThan(y, baseY, "superscript not raised")
                checked += 1
            }
            XCTAssertGreaterThan(checked, 0, view.rawValue)
        }
    }

    /// A label on the layers view's thick edges keeps room round its text on its background,
    /// so the cut ends of the line do not touch its first and last characters; labels of
    /// thin edges keep their single point.
    func testLabelsOfThickEdgesKeepRoomRoundTheirText() throws {
        for (view, room) in [(View.layers, 3.0), (.full, 1.0)] {
            let data = try DiagramRenderer(theme: try Theme.named("classroom")).render(try diagram("question-1.yaml", view: view), format: .svg)
            let doc = try XMLDocument(data: data)
            let groups = try doc.nodes(forXPath: "//*[local-name()='g'][substring(@id, string-length(@id) - 6) = '__label']").compactMap { $0 as? XMLElement }
            XCTAssertFalse(groups.isEmpty, view.rawValue)
            for g in groups {
                let polygon = try XCTUnwrap(try g.nodes(forXPath: ".//*[local-name()='polygon']").first as? XMLElement)
                let xs = (polygon.attributes?.first { $0.name == "points" }?.stringValue ?? "").split(separator: " ")
                    .compactMap { Double($0.split(separator: ",")[0]) }
                let text = try XCTUnwrap(try g.nodes(forXPath: ".//*[local-name()='text']").first as? XMLElement)
                XCTAssertEqual(number(text, "x") - (xs.min() ?? .nan), room + 0.5, accuracy: 0.6, "\(view.rawValue) \(g.attributes?.first { $0.name == "id" }?.stringValue ?? "")")
            }
        }
    }

    /// A script in a bold line is bold, in the SVG as in PNG and PDF (which draw <B> round
    /// it): H⁽³⁾'s "(3)" in the forward view's "H⁽³⁾ = 8", α's subscript in "α₁ = 1";
    /// scripts in plain lines are not.
    func testScriptsOfBoldLinesAreBold() throws {
        let data = try DiagramRenderer(theme: try Theme.named("classroom")).render(try diagram("question-1.yaml", view: .forward), format: .svg)
        let texts = try XMLDocument(data: data).nodes(forXPath: "//*[local-name()='text']").compactMap { $0 as? XMLElement }
        func bold(_ t: XMLElement) -> Bool { t.attributes?.contains { $0.name == "font-weight" && $0.stringValue == "bold" } ?? false }
        var boldScripts = 0, plainScripts = 0
        for (i, t) in texts.enumerated() where i >= 1 && number(t, "font-size") < number(texts[i - 1], "font-size") * 0.8 {
            // A lone script follows its base run; the line's weight is its base's.
            guard ["(3)", "1", "2", "3"].contains(t.stringValue ?? "") else { continue }
            if bold(texts[i - 1]) { XCTAssertTrue(bold(t), "\(t.stringValue ?? "") after bold \(texts[i - 1].stringValue ?? "")"); boldScripts += 1 }
            else { XCTAssertFalse(bold(t)); plainScripts += 1 }
        }
        XCTAssertGreaterThan(boldScripts, 2)
        XCTAssertGreaterThan(plainScripts, 2)
    }

    /// An attribute as a number (attribute(forName:) misses attributes in a namespaced
    /// document on Linux; the attribute list has them).
    func number(_ e: XMLElement, _ name: String) -> Double {
        Double(e.attributes?.first { $0.name == name }?.stringValue ?? "") ?? .nan
    }

    // MARK: - Overlaps, themes, formats

    func testNoLabelsOverlapOnAnySampleInAnyView() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        for sample in TestSupport.allSamples.map({ URL(fileURLWithPath: $0).lastPathComponent }) {
            for view in views(sample) {
                let json = try renderer.render(try diagram(sample, view: view), format: .json)
                let collisions = try TextBox.collisions(in: json)
                XCTAssertTrue(collisions.isEmpty, "\(sample) \(view): \(collisions.prefix(5).joined(separator: "\n"))")
            }
        }
    }

    func testTheOverlapCheckCanFail() throws {
        // Two nodes pinned on top of each other must be reported.
        var d = try diagram("question-1.yaml", view: .forward)
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        d.edges.removeAll()
        let layout = try renderer.layout(d)
        var graph = try renderer.graph(d, layout: layout)
        graph = graph.movingNode("L0_2", onto: "L0_1")
        let json = try GraphvizEngine.render(graph, engine: .pinned, format: .json)
        XCTAssertFalse(try TextBox.collisions(in: json).isEmpty)
    }

    func testEveryThemeRendersEverySample() throws {
        let themes = try Theme.builtIns()
        XCTAssertEqual(Set(themes.map(\.name)), ["classroom", "chalkboard", "print", "colorblind"])
        for theme in themes {
            let renderer = DiagramRenderer(theme: theme)
            for sample in TestSupport.allSamples.map({ URL(fileURLWithPath: $0).lastPathComponent }) {
                let view: View = sample.contains("mnist") ? .flow : .full
                let svg = try renderer.render(try diagram(sample, view: view), format: .svg)
                XCTAssertNoThrow(try XMLDocument(data: svg), "\(theme.name) \(sample)")
                XCTAssertTrue(String(decoding: svg, as: UTF8.self).contains(theme.color("background")), "\(theme.name) background")
            }
        }
        let png = try DiagramRenderer(theme: try Theme.named("chalkboard")).render(try diagram("question-1.yaml", view: .full), format: .png)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let pdf = try DiagramRenderer(theme: try Theme.named("print")).render(try diagram("question-1.yaml", view: .full), format: .pdf)
        XCTAssertEqual(String(decoding: pdf.prefix(4), as: UTF8.self), "%PDF")
    }

    func testTopToBottomKeepsLayersInRows() throws {
        var theme = try Theme.named("classroom")
        theme.direction = .topToBottom
        let renderer = DiagramRenderer(theme: theme)
        let layout = try renderer.layout(try diagram("question-1.yaml", view: .full))
        let c = layout.nodeCenters
        XCTAssertLessThan(c[.unit(layer: 0, k: 1)]!.y, c[.unit(layer: 1, k: 1)]!.y)
        XCTAssertLessThan(c[.unit(layer: 1, k: 1)]!.x, c[.unit(layer: 1, k: 2)]!.x)
        let json = try renderer.render(try diagram("question-1.yaml", view: .full), format: .json)
        XCTAssertEqual(try TextBox.collisions(in: json), [])
    }

    func testColumnsAndRowsFollowTheNetwork() throws {
        let layout = try DiagramRenderer(theme: try Theme.named("classroom")).layout(try diagram("question-1.yaml", view: .full))
        let c = layout.nodeCenters
        XCTAssertLessThan(c[.unit(layer: 0, k: 1)]!.x, c[.unit(layer: 1, k: 1)]!.x)
        XCTAssertLessThan(c[.unit(layer: 2, k: 1)]!.x, c[.unit(layer: 3, k: 1)]!.x)
        // The loss sits under the output unit, in its column.
        XCTAssertEqual(c[.unit(layer: 3, k: 1)]!.x, c[.loss]!.x)
        XCTAssertLessThan(c[.unit(layer: 3, k: 1)]!.y, c[.loss]!.y)
        XCTAssertLessThan(c[.unit(layer: 0, k: 1)]!.y, c[.unit(layer: 0, k: 2)]!.y, "index order top to bottom")
        XCTAssertEqual(c[.unit(layer: 1, k: 1)]!.x, c[.unit(layer: 1, k: 2)]!.x)
        // The loss hangs below the output column, which stays centred with the others: the
        // output unit sits midway between the two units of the layer before it.
        XCTAssertEqual(c[.unit(layer: 3, k: 1)]!.y, (c[.unit(layer: 2, k: 1)]!.y + c[.unit(layer: 2, k: 2)]!.y) / 2, accuracy: 1e-9)
    }

    /// In the layers view every layer is one node on one line, so each thick edge between
    /// two layers is level, its label's background cutting it square (a slanted one was cut
    /// into a wedge), and the loss hangs below the output layer.
    func testLayersViewEdgesAreLevel() throws {
        for sample in ["question-1.yaml", "xor.yaml", "deep-sigmoid.yaml", "softmax-classifier.yaml"] {
            let d = try diagram(sample, view: .layers)
            let c = try DiagramRenderer(theme: try Theme.named("classroom")).layout(d).nodeCenters
            var level = 0
            for edge in d.edges {
                guard let tail = c[edge.tail], let head = c[edge.head] else { continue }
                if edge.head == .loss || edge.tail == .loss {
                    XCTAssertLessThan(tail.y, head.y, "\(sample): the loss below the output layer")
                } else {
                    XCTAssertEqual(tail.y, head.y, accuracy: 1e-9, "\(sample): \(edge.id) is level")
                    level += 1
                }
            }
            XCTAssertGreaterThan(level, 0, sample)
        }
    }

    /// In the layers view each edge shows its line on both sides of its label, the label
    /// midway: as narrow as the label allowed, the gap was all label, a box between boxes.
    func testLayersViewLabelsLeaveTheLineVisibleOnBothSides() throws {
        for sample in ["question-1.yaml", "xor.yaml", "deep-sigmoid.yaml", "softmax-classifier.yaml"] {
            let svg = String(decoding: try DiagramRenderer(theme: try Theme.named("classroom")).render(try diagram(sample, view: .layers), format: .svg), as: UTF8.self)
            func numbers(_ s: Substring) -> [Double] { s.split(whereSeparator: { !"0123456789.-".contains($0) }).compactMap { Double($0) } }
            var checked = 0
            let groups = TestSupport.svgGroups(svg)  // each with its tooltip's anchor group
            for chunk in groups {
                let id = String(chunk.prefix { $0 != "\"" })
                guard chunk.hasPrefix(id + "\" class=\"edge\""), let d = chunk.range(of: " d=\"M"),
                      let label = svg.range(of: "<g id=\"\(id)__label\" class=\"node\"") else { continue }
                // The line (start to the arrowhead's base) and the label's background.
                let line = numbers(chunk[d.upperBound...].prefix { $0 != "\"" })
                let rest = svg[label.upperBound...]
                let points = try XCTUnwrap(rest.range(of: "points=\""))
                let box = numbers(rest[points.upperBound...].prefix { $0 != "\"" })
                let xs = stride(from: 0, to: box.count, by: 2).map { box[$0] }
                let before = xs.min()! - line[0], after = line[line.count - 2] - xs.max()!
                XCTAssertGreaterThanOrEqual(before, 27.5, "\(sample) \(id): \(before) points of line before its label")
                XCTAssertGreaterThanOrEqual(after, 27.5, "\(sample) \(id): \(after) points of line after its label")
                checked += 1
            }
            XCTAssertGreaterThan(checked, 1, sample)
        }
    }

    func testFlowEdgesAreDrawnWithWidthAndSignColour() throws {
        for themeName in ["classroom", "colorblind", "print"] {
            let theme = try Theme.named(themeName)
            XCTAssertNotEqual(theme.color("positive"), theme.color("negative"), themeName)
            let graph = try DiagramRenderer(theme: theme).graph(try diagram("question-1.yaml", view: .flow))
            var widthByGradient: [(Double, Double)] = []
            let s = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
            for edge in graph.edges where edge.head.hasPrefix("L") {
                let tail = edge.tail.dropFirst().split(separator: "_").compactMap { Int($0) }
                let head = edge.head.dropFirst().split(separator: "_").compactMap { Int($0) }
                let g = s.dW[head[0]][tail[1] - 1, head[1] - 1]
                guard case .text(let width)? = edge.attributes["penwidth"], case .text(let color)? = edge.attributes["color"] else {
                    return XCTFail("edge without width or colour")
                }
                XCTAssertEqual(color, g < 0 ? theme.color("negative") : g > 0 ? theme.color("positive") : theme.color("edge"), themeName)
                widthByGradient.append((abs(g), Double(width)!))
            }
            widthByGradient.sort { $0.0 < $1.0 }
            for (a, b) in zip(widthByGradient, widthByGradient.dropFirst()) { XCTAssertLessThanOrEqual(a.1, b.1) }
            XCTAssertTrue(graph.nodes.contains { $0.id == "legend" }, "the legend is drawn")
        }
    }

    /// An exactly-zero gradient is drawn neutral and dotted (not as the thinnest positive), and
    /// the legend shows that stroke; signed gradients keep their colours (negative dashed).
    func testZeroGradientEdgesAreNeutralAndDotted() throws {
        let theme = try Theme.named("classroom")
        let s = try NetworkFile.load(path: TestSupport.sample("dead-relu.yaml")).solve()
        let graph = try DiagramRenderer(theme: theme).graph(try diagram("dead-relu.yaml", view: .flow))
        var zeros = 0
        for edge in graph.edges where edge.head.hasPrefix("L") {
            let tail = edge.tail.dropFirst().split(separator: "_").compactMap { Int($0) }
            let head = edge.head.dropFirst().split(separator: "_").compactMap { Int($0) }
            let g = s.dW[head[0]][tail[1] - 1, head[1] - 1]
            if g == 0 {
                zeros += 1
                XCTAssertEqual(edge.attributes["style"], "dotted", edge.tail + "→" + edge.head)
                XCTAssertEqual(edge.attributes["color"], .text(theme.color("edge")))
                XCTAssertEqual(edge.attributes["penwidth"], .text("1"))
            } else {
                XCTAssertEqual(edge.attributes["style"], g < 0 ? "dashed" : nil)
                XCTAssertEqual(edge.attributes["color"], .text(theme.color(g < 0 ? "negative" : "positive")))
            }
        }
        XCTAssertEqual(zeros, 3)
        let legend = try XCTUnwrap(graph.nodes.first { $0.id == "legend" })
        var alone = Graph(name: "legend")
        alone.addNode(legend.id, legend.attributes)
        // Dots: short pieces of the edge colour with gaps between them.
        let dot = "<TD BGCOLOR=\"\(theme.color("edge"))\" FIXEDSIZE=\"TRUE\" HEIGHT=\"3\" WIDTH=\"3\"></TD><TD FIXEDSIZE=\"TRUE\" HEIGHT=\"3\" WIDTH=\"3\"></TD>"
        XCTAssertEqual(alone.dot.components(separatedBy: dot).count - 1, 3, "the legend shows the dotted stroke")
    }

    /// The layers view draws norms in the neutral edge colour, widths proportional from zero:
    /// the ratio of two edges' widths is the ratio of their norms.
    func testLayersViewWidthsAreProportionalToTheNorms() throws {
        let theme = try Theme.named("classroom")
        let s = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let norms = HealthReport(s).weightGradientNorms
        let graph = try DiagramRenderer(theme: theme).graph(try diagram("question-1.yaml", view: .layers))
        var widths: [Double] = []
        for l in 1...3 {
            let edge = try XCTUnwrap(graph.edges.first { $0.tail == "layer\(l - 1)" && $0.head == "layer\(l)" })
            XCTAssertEqual(edge.attributes["color"], .text(theme.color("edge")))
            guard case .text(let width)? = edge.attributes["penwidth"] else { return XCTFail("no width") }
            widths.append(Double(width)!)
        }
        XCTAssertEqual(widths[0], FlowScale.maxWidth)
        for l in 1...3 {
            XCTAssertEqual(widths[l - 1] / widths[0], norms[l] / norms[1], accuracy: 0.001, "layer \(l)")
        }
    }

    /// The model, the annotator and the renderer used from many tasks at once: every result
    /// equals the one computed alone.
    func testConcurrentUseOfTheLibrary() async throws {
        let theme = try Theme.named("classroom")
        let jobs: [(String, View)] = TestSupport.allSamples.filter { !$0.contains("mnist") }
            .flatMap { path in [View.full, .flow, .forward].map { (path, $0) } }
        func work(_ job: (String, View)) throws -> Data {
            let solution = try NetworkFile.load(path: job.0).solve()
            let annotator = Annotator(solution: solution)
            let d = job.1 == .flow ? FlowAnnotator(annotator: annotator).diagram() : annotator.diagram(view: job.1)
            return try DiagramRenderer(theme: theme).render(d, format: .svg)
        }
        let expected = try jobs.map(work)
        try await withThrowingTaskGroup(of: (Int, Data).self) { group in
            for round in 0..<4 {
                for (i, job) in jobs.enumerated() {
                    group.addTask { _ = round; return (i, try work(job)) }
                }
            }
            var checked = 0
            for try await (i, data) in group {
                XCTAssertEqual(data, expected[i], "job \(i) differs when run concurrently")
                checked += 1
            }
            XCTAssertEqual(checked, jobs.count * 4)
        }
    }
}
