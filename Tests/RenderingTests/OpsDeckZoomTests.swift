import Annotation
import Foundation
import FoundationXML
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// The ops deck's page (`slides --steps ops`): one layout, each frame a window of one size
/// onto it around the active operation, the whole graph where nothing is active; in a real
/// browser the picture fills the frame and the active step's text is readable.
final class OpsDeckZoomTests: XCTestCase {
    struct Deck {
        var frames: [SlideDeck.Frame]
        var html: String
        var directory: String
        var layout: DiagramRenderer.Layout
    }

    func deck(_ sample: String = "question-1.yaml") throws -> Deck {
        let solution = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
        let slides = SlideDeck(solution: solution, steps: .ops)
        let dir = try TestSupport.temporaryDirectory() + "/deck"
        let theme = try Theme.named("classroom")
        try DeckWriter(theme: theme).write(slides, title: "Question 1", to: dir)
        let layout = try DiagramRenderer(theme: theme).layout(sharedBy: slides.frames.map(\.diagram))
        return Deck(frames: slides.frames, html: try String(contentsOfFile: dir + "/index.html", encoding: .utf8), directory: dir, layout: layout)
    }

    /// Each section's data-view and its picture's viewBox, as numbers.
    func views(_ html: String) throws -> [(view: [Double], viewBox: [Double], svg: String)] {
        func numbers(_ s: Substring, after key: String) throws -> [Double] {
            let r = try XCTUnwrap(s.range(of: key + "=\"[^\"]*\"", options: .regularExpression), key)
            return s[r].dropFirst(key.count + 2).dropLast().split(separator: " ").compactMap { Double($0) }
        }
        return try html.components(separatedBy: "<section class=\"frame\"").dropFirst().map { section in
            let s = Substring(section)
            let svg = try XCTUnwrap(s.range(of: "<svg")).lowerBound
            return (try numbers(s, after: "data-view"), try numbers(s[svg...], after: "viewBox"), String(s[svg...]))
        }
    }

    func testEveryStepIsAWindowOfOneSizeAroundItsOperation() throws {
        let d = try deck()
        let sections = try views(d.html)
        XCTAssertEqual(sections.count, d.frames.count)
        XCTAssertTrue(d.html.contains("<body class=\"zoomed\""))
        // The whole drawing: the header's overview shows it, with the window of the frame.
        let overview = try XCTUnwrap(d.html.range(of: "<svg id=\"overview\" viewBox=\"[^\"]*\"", options: .regularExpression))
        let whole = d.html[overview].split(separator: "\"")[3].split(separator: " ").compactMap { Double($0) }
        XCTAssertEqual(whole.count, 4)
        XCTAssertGreaterThan(whole[2], 3000, "the worked example's op graph is too wide to read whole")
        var windows: [[Double]] = []
        for (k, (frame, section)) in zip(d.frames, sections).enumerated() {
            XCTAssertEqual(section.view, section.viewBox, "frame \(k + 1): the picture starts at its own window")
            let active = frame.diagram.nodes.filter(\.emphasis.highlighted)
            guard !active.isEmpty else {
                XCTAssertEqual(section.view, whole, "frame \(k + 1): nothing active, the whole graph")
                continue
            }
            windows.append([section.view[2], section.view[3]].map { ($0 * 100).rounded() / 100 })
            XCTAssertEqual(section.view[2] / section.view[3], 2.25, accuracy: 0.01, "frame \(k + 1)")
            XCTAssertLessThan(section.view[2], whole[2] / 2, "frame \(k + 1) is zoomed in")
            // Every active node (the operation, its inputs and outputs) is inside the window.
            for node in active {
                let c = try XCTUnwrap(d.layout.nodeCenters[node.id])
                XCTAssertTrue(c.x > section.view[0] && c.x < section.view[0] + section.view[2]
                              && c.y > section.view[1] && c.y < section.view[1] + section.view[3],
                              "frame \(k + 1): \(node.id) at \(c) outside \(section.view)")
            }
            // The window stays on the drawing.
            XCTAssertGreaterThanOrEqual(section.view[0], whole[0] - 0.01)
            XCTAssertLessThanOrEqual(section.view[0] + section.view[2], whole[0] + whole[2] + 0.01)
        }
        // Nine steps in ten or more at one scale; the others (steps with more inputs than the
        // window holds) zoom out, never in.
        let common = try XCTUnwrap(Dictionary(grouping: windows, by: { $0 }).max { $0.value.count < $1.value.count }?.key)
        XCTAssertGreaterThanOrEqual(windows.filter { $0 == common }.count * 10, windows.count * 9, "\(windows)")
        XCTAssertTrue(windows.allSatisfy { $0[1] >= common[1] }, "\(windows)")
        XCTAssertEqual(d.frames.filter { $0.diagram.nodes.contains(where: \.emphasis.highlighted) }.count, d.frames.count,
                       "every frame, the forward pass and the gradients at the end too, shows a readable part of the graph")
    }

    func testEveryFrameDrawsTheOneLayout() throws {
        let d = try deck()
        var first: [String: String]?
        for (k, section) in try views(d.html).enumerated() {
            let doc = try XMLDocument(data: Data(section.svg[..<section.svg.range(of: "</svg>")!.upperBound].utf8))
            var shapes: [String: String] = [:]
            func attribute(_ e: XMLElement, _ name: String) -> String? { e.attributes?.first { $0.name == name }?.stringValue }
            for case let g as XMLElement in try doc.nodes(forXPath: "//*[local-name()='g']") {
                guard attribute(g, "class") == "node", let id = attribute(g, "id"),
                      let shape = try g.nodes(forXPath: ".//*[local-name()='polygon' or local-name()='ellipse' or local-name()='path']").first as? XMLElement
                else { continue }
                shapes[String(id.drop { $0 != "-" }.dropFirst())] = ["points", "cx", "cy", "d"].compactMap { attribute(shape, $0) }.joined(separator: " ")
            }
            XCTAssertGreaterThan(shapes.count, 60, "frame \(k + 1)")
            if let first { XCTAssertEqual(shapes, first, "frame \(k + 1) moved a node") } else { first = shapes }
        }
    }

    func testGridDecksAreNotZoomed() throws {
        // The unit views' decks are laid out to fit the screen whole: no windows.
        let slides = SlideDeck(solution: try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve())
        XCTAssertEqual(slides.frames.first?.diagram.geometry, .grid)
        let dir = try TestSupport.temporaryDirectory() + "/grid"
        try DeckWriter(theme: try Theme.named("classroom")).write(slides, title: "Q1", to: dir)
        let html = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        XCTAssertFalse(html.contains("data-view="))
        XCTAssertFalse(html.contains("<body class=\"zoomed\""))
    }

    // MARK: - In a real browser

    /// Loads frame `k` of the deck in headless Chromium at `width` × `height` and measures the
    /// picture's drawn box against the frame, and the on-screen heights of the texts of
    /// `active` (node ids and edge label ids).
    func measure(_ d: Deck, frame k: Int, width: Int, height: Int, active: [String]) throws -> (fillWidth: Double, fillHeight: Double, medianText: Double)? {
        let ids = "[" + active.map { "\"f\(k)-\($0)\"" }.joined(separator: ",") + "]"
        let script = """
        <script>
        (function () {
          var f = document.getElementById("frame-\(k)"), svg = f.querySelector(".picture svg");
          var vb = svg.viewBox.baseVal, m = svg.getScreenCTM(), area = f.getBoundingClientRect(), pic = f.querySelector(".picture").getBoundingClientRect();
          var heights = [];
          \(ids).forEach(function (id) {
            var g = document.getElementById(id);
            if (!g) { return; }
            g.querySelectorAll("text").forEach(function (t) { if (t.textContent.trim()) { heights.push(t.getBoundingClientRect().height); } });
          });
          heights.sort(function (a, b) { return a - b; });
          var out = document.createElement("pre");
          out.id = "measured";
          out.textContent = JSON.stringify({ w: vb.width * m.a, h: vb.height * m.d, frameW: area.width, pictureH: pic.height,
            median: heights.length ? heights[Math.floor(heights.length / 2)] : 0 });
          document.body.appendChild(out);
        })();
        </script>
        """
        let page = d.directory + "/measure.html"
        try d.html.replacingOccurrences(of: "</body>", with: script + "</body>").write(toFile: page, atomically: true, encoding: .utf8)
        guard let dom = try TestSupport.chromiumDOM("file://\(page)#\(k)", windowSize: (width, height), virtualTimeBudget: 3000),
              let json = TestSupport.text(ofElement: "measured", in: dom) else { return nil }
        let m = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double])
        return (m["w"]! / m["frameW"]!, m["h"]! / m["pictureH"]!, m["median"]!)
    }

    func testTheDeckFillsTheScreenAndItsActiveTextIsReadableInChromium() throws {
        guard TestSupport.chromium != nil else { throw XCTSkip("no chromium") }
        let d = try deck()
        for (width, height) in [(1280, 720), (1920, 1080)] {
            for k in [2, d.frames.count / 2, d.frames.count - 1] {
                let diagram = d.frames[k - 1].diagram
                let active = diagram.nodes.filter(\.emphasis.highlighted).map(\.id.raw)
                    + diagram.edges.filter { $0.emphasis.highlighted && !$0.lines.isEmpty }.map { "\($0.tail.raw)__\($0.head.raw)__label" }
                guard let m = try measure(d, frame: k, width: width, height: height, active: active) else {
                    throw XCTSkip("chromium did not run")
                }
                XCTAssertGreaterThanOrEqual(max(m.fillWidth, m.fillHeight), 0.8, "\(width)×\(height) frame \(k): \(m)")
                XCTAssertGreaterThanOrEqual(m.medianText, 9, "\(width)×\(height) frame \(k): \(m)")
            }
        }
    }
}
