import Annotation
import Foundation
import FoundationXML
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// WCAG 2 contrast, computed here from the formula (not with the renderer's own helper):
/// every text in every theme against the fill actually drawn behind it.
final class ThemeContrastTests: XCTestCase {
    static func luminance(_ hex: String) -> Double {
        let v = UInt32(hex.dropFirst().prefix(6), radix: 16) ?? 0
        func channel(_ shift: UInt32) -> Double {
            let c = Double(v >> shift & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let x = luminance(a), y = luminance(b)
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    /// An attribute's value (FoundationXML's `attribute(forName:)` finds nothing on elements in
    /// SVG's default namespace).
    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }

    /// (text, its colour, the fill behind it) for every visible text of an SVG: the fill of
    /// the nearest filled shape drawn before it in its node (a node's box, an edge label's
    /// background), else the canvas.
    static func texts(in svg: Data) throws -> [(text: String, color: String, background: String)] {
        let doc = try XMLDocument(data: svg)
        guard let graph = try doc.nodes(forXPath: "//*[local-name()='g'][@class='graph']").first as? XMLElement else { return [] }
        let canvas = (try graph.nodes(forXPath: "./*[local-name()='polygon']").first as? XMLElement).flatMap { Self.attribute($0, "fill") } ?? "#ffffff"
        var found: [(String, String, String)] = []
        func walk(_ element: XMLElement, background: String) -> String {
            var current = background
            for case let child as XMLElement in element.children ?? [] {
                switch child.localName {
                case "g":
                    let isNode = Self.attribute(child, "class") == "node"
                    _ = walk(child, background: isNode ? canvas : current)
                case "a", "switch":
                    current = walk(child, background: current)
                case "polygon", "path", "ellipse", "rect":
                    if let fill = Self.attribute(child, "fill"), fill.hasPrefix("#") { current = fill }
                case "text":
                    let text = child.stringValue ?? ""
                    guard let fill = Self.attribute(child, "fill") ?? Optional("#000000"), fill.hasPrefix("#"),
                          !text.replacingOccurrences(of: "\u{A0}", with: "").trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                    found.append((text, fill, current))
                default: break
                }
            }
            return current
        }
        _ = walk(graph, background: canvas)
        return found
    }

    func testEveryTextInEveryThemeMeetsWCAGAA() throws {
        let themes = try Theme.builtIns()
        XCTAssertEqual(themes.count, 4)
        var checked = 0
        for theme in themes {
            let renderer = DiagramRenderer(theme: theme)
            for sample in ["question-1.yaml", "dead-relu.yaml", "xor.yaml", "softmax-classifier.yaml", "deep-sigmoid.yaml"] {
                let solution = try NetworkFile.load(path: TestSupport.sample(sample)).solve()
                let annotator = Annotator(solution: solution)
                var diagrams = [annotator.diagram(view: .full), FlowAnnotator(annotator: annotator).diagram(),
                                FlowAnnotator(annotator: annotator, options: .init(numbers: true)).diagram()]
                // A deck frame: hidden values ("?") and highlights.
                if sample == "question-1.yaml" { diagrams.append(SlideDeck(solution: solution).frames[8].diagram) }
                for d in diagrams {
                    for (text, color, background) in try Self.texts(in: renderer.render(d, format: .svg)) {
                        let ratio = Self.contrast(color, background)
                        checked += 1
                        XCTAssertGreaterThanOrEqual(ratio, 4.5, "\(theme.name) \(sample): “\(text)” \(color) on \(background) is \(ratio) : 1")
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }

    /// The fills of a legend's stroke samples (the flow and layers views' key), and the
    /// legend's own background, from an SVG: the samples are the filled shapes in the legend
    /// painted in one of the stroke colours.
    static func legendSamples(in svg: Data, strokeColors: Set<String>) throws -> (fills: [String], background: String?, glyphs: [String]) {
        let doc = try XMLDocument(data: svg)
        guard let legend = try doc.nodes(forXPath: "//*[@id='legend']").first as? XMLElement else { return ([], nil, []) }
        let shapes = try legend.nodes(forXPath: ".//*[local-name()='polygon' or local-name()='path' or local-name()='rect']").compactMap { $0 as? XMLElement }
        let fills = shapes.compactMap { Self.attribute($0, "fill")?.lowercased() }
        let texts = try legend.nodes(forXPath: ".//*[local-name()='text']").compactMap { $0.stringValue }
        // Box-drawing characters (U+2500…U+257F) drawn as text would be a sample in a glyph.
        let glyphs = texts.filter { $0.unicodeScalars.contains { (0x2500...0x257F).contains($0.value) } }
        return (fills.filter { strokeColors.contains($0) }, fills.first, glyphs)
    }

    /// Legend samples are graphics: filled shapes (never text glyphs) at 3 : 1 against the
    /// legend's background (WCAG 1.4.11), in every theme, for every kind of stroke.
    func testLegendSamplesAreGraphicsWithContrastInEveryTheme() throws {
        for theme in try Theme.builtIns() {
            let renderer = DiagramRenderer(theme: theme)
            let colors = Set(["positive", "negative", "edge"].map { theme.color($0).lowercased() })
            for sample in ["question-1.yaml", "dead-relu.yaml"] {
                let annotator = Annotator(solution: try NetworkFile.load(path: TestSupport.sample(sample)).solve())
                for (name, diagram) in [("flow", FlowAnnotator(annotator: annotator).diagram()), ("layers", try View.layers.diagram(annotator.solution))] {
                    let found = try Self.legendSamples(in: renderer.render(diagram, format: .svg), strokeColors: colors)
                    let keys = diagram.legend?.keys.count ?? 0
                    XCTAssertGreaterThan(keys, 0, "\(sample) \(name)")
                    // Each key is drawn in at least one filled piece (a dash has several).
                    XCTAssertGreaterThanOrEqual(found.fills.count, keys, "\(theme.name) \(sample) \(name): samples drawn as shapes")
                    XCTAssertEqual(found.glyphs, [], "\(theme.name) \(sample) \(name): samples drawn as text")
                    let background = try XCTUnwrap(found.background)
                    XCTAssertEqual(background, theme.color("background").lowercased())
                    for fill in Set(found.fills) {
                        let ratio = Self.contrast(fill, background)
                        XCTAssertGreaterThanOrEqual(ratio, 3, "\(theme.name) \(sample) \(name): sample \(fill) on \(background) is \(ratio) : 1")
                    }
                }
            }
        }
    }

    /// A legend's rows as the SVG draws them: each text with the shapes drawn since the text
    /// before it (its row's swatch or sample, then its own background), as (fill, stroke, dashed).
    static func legendRows(in svg: Data) throws -> [(text: String, shapes: [(fill: String?, stroke: String?, dashed: Bool)])] {
        let doc = try XMLDocument(data: svg)
        guard let legend = try doc.nodes(forXPath: "//*[@id='legend']").first as? XMLElement else { return [] }
        var rows: [(String, [(String?, String?, Bool)])] = []
        var shapes: [(String?, String?, Bool)] = []
        for case let element as XMLElement in try legend.nodes(forXPath: ".//*") {
            func color(_ name: String) -> String? { attribute(element, name).flatMap { $0.hasPrefix("#") ? $0.lowercased() : nil } }
            switch element.localName {
            case "polygon", "path", "rect": shapes.append((color("fill"), color("stroke"), attribute(element, "stroke-dasharray") != nil))
            case "text":
                let text = (element.stringValue ?? "").replacingOccurrences(of: "\u{A0}", with: "").trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { rows.append((text, shapes)); shapes = [] }
            default: break
            }
        }
        return rows
    }

    /// The dead ReLU's entry shows a dead node as the diagram draws it — its fill, and its
    /// border's colour and dashes — beside its text, the border (the swatch's graphic) at
    /// 3 : 1 against the legend in every theme.
    func testDeadReLUEntryHasASwatchOfADeadNodeWithContrastInEveryTheme() throws {
        let annotator = Annotator(solution: try NetworkFile.load(path: TestSupport.sample("dead-relu.yaml")).solve())
        let diagram = FlowAnnotator(annotator: annotator).diagram()
        let dead = try XCTUnwrap(diagram.nodes.first { $0.health == .dead }).id.raw
        for theme in try Theme.builtIns() {
            let svg = try DiagramRenderer(theme: theme).render(diagram, format: .svg)
            let doc = try XMLDocument(data: svg)
            let node = try doc.nodes(forXPath: "//*[@id='\(dead)']//*[local-name()='path' or local-name()='polygon']").compactMap { $0 as? XMLElement }
            let border = try XCTUnwrap(node.first { Self.attribute($0, "stroke-dasharray") != nil }.flatMap { Self.attribute($0, "stroke")?.lowercased() },
                                       "\(theme.name): the dead node's border is dashed")
            let fill = try XCTUnwrap(node.compactMap { Self.attribute($0, "fill")?.lowercased() }.first { $0.hasPrefix("#") })
            let row = try XCTUnwrap(try Self.legendRows(in: svg).first { $0.text.contains("dead ReLU") }, "\(theme.name): the entry is drawn")
            // The swatch's border is drawn in cells of the border's colour (Graphviz cannot draw
            // a table's border dashed in every format): dashes above and below, two sides.
            XCTAssertGreaterThanOrEqual(row.shapes.filter { $0.fill == border }.count, 12, "\(theme.name): the swatch's border is the dead node's, dashed: \(row.shapes)")
            XCTAssertTrue(row.shapes.contains { $0.fill == fill }, "\(theme.name): the swatch is filled as the dead node: \(row.shapes)")
            let ratio = Self.contrast(border, theme.color("background"))
            XCTAssertGreaterThanOrEqual(ratio, 3, "\(theme.name): the dead swatch's border \(border) is \(ratio) : 1 against the legend")
        }
    }

    /// Every entry that explains how something is drawn has its swatch beside it, also in a
    /// training run's legend, which adds a note after the shading's.
    func testSwatchesSitBesideTheirEntries() throws {
        let theme = try Theme.named("classroom")
        let solution = try NetworkFile.load(path: TestSupport.sample("dead-relu.yaml")).solve()
        let flow = FlowAnnotator(annotator: Annotator(solution: solution)).diagram()
        let run = try XCTUnwrap(TrainingFrames.diagrams([.init(step: 0, solution: solution)], totalSteps: 1).first)
        for (name, diagram) in [("flow", flow), ("training frame", run)] {
            let rows = try Self.legendRows(in: DiagramRenderer(theme: theme).render(diagram, format: .svg))
            let shading = try XCTUnwrap(rows.first { $0.text.hasPrefix("node shading") }, name)
            XCTAssertEqual(shading.shapes.filter { $0.fill != nil && $0.fill != theme.color("background") }.count, 3, "\(name): three shades beside the shading's entry")
            let dead = try XCTUnwrap(rows.first { $0.text.contains("dead ReLU") }, name)
            XCTAssertGreaterThanOrEqual(dead.shapes.filter { $0.fill == theme.color("dead") }.count, 12, "\(name): the dead ReLU's swatch")
            for row in rows where row.text.hasPrefix("widths and shading on one scale") {
                XCTAssertFalse(row.shapes.contains { $0.stroke != nil || ($0.fill != nil && $0.fill != theme.color("background")) }, "\(name): a note without a swatch")
            }
        }
    }

    /// The same requirement on the theme files themselves, for every colour drawn as text on
    /// every plain fill, so a theme edit is caught even where no sample shows the pair.
    func testThemeTextColoursAgainstTheirFills() throws {
        for theme in try Theme.builtIns() {
            for text in ["text", "value", "gradient", "header", "dimmed", "positive"] {
                for fill in ["background", "node", "input", "loss"] {
                    let ratio = Self.contrast(theme.color(text), theme.color(fill))
                    XCTAssertGreaterThanOrEqual(ratio, 4.5, "\(theme.name): \(text) on \(fill) is \(ratio) : 1")
                }
            }
            for swatch in ["positive", "negative", "edge"] {
                let ratio = Self.contrast(theme.color(swatch), theme.color("background"))
                XCTAssertGreaterThanOrEqual(ratio, 3, "\(theme.name): \(swatch) on background is \(ratio) : 1")
            }
        }
    }

    func testTheContrastCheckCanFail() throws {
        XCTAssertEqual(Self.contrast("#000000", "#ffffff"), 21, accuracy: 0.01)
        XCTAssertEqual(Self.contrast("#d55e00", "#ffffff"), 3.87, accuracy: 0.01)   // Okabe–Ito vermillion: too light for text
        let svg = Data("""
        <svg xmlns="http://www.w3.org/2000/svg"><g class="graph"><polygon fill="#ffffff"/>
        <g class="node"><path fill="#eeeeee"/><text fill="#999999">faint</text></g></g></svg>
        """.utf8)
        let texts = try Self.texts(in: svg)
        XCTAssertEqual(texts.count, 1)
        XCTAssertEqual(texts.first?.background, "#eeeeee")
        XCTAssertLessThan(Self.contrast(texts[0].color, texts[0].background), 4.5)
    }

    /// Print and greyscale: the sign of a gradient is told by line style too.
    func testNegativeFlowEdgesAreDashedInEveryTheme() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let d = FlowAnnotator(annotator: Annotator(solution: solution)).diagram()
        for theme in try Theme.builtIns() {
            let svg = String(decoding: try DiagramRenderer(theme: theme).render(d, format: .svg), as: UTF8.self)
            let doc = try XMLDocument(data: Data(svg.utf8))
            // α₃ has a negative gradient on both its edges; α₁'s are positive.
            for (edge, dashed) in [("L0_3__L1_1", true), ("L0_3__L1_2", true), ("L0_1__L1_1", false)] {
                let path = try XCTUnwrap(try doc.nodes(forXPath: "//*[@id='\(edge)']//*[local-name()='path']").first as? XMLElement)
                XCTAssertEqual(Self.attribute(path, "stroke-dasharray") != nil, dashed, "\(theme.name) \(edge)")
            }
        }
    }
}
