import Annotation
import Foundation
import FoundationXML
import NetworkModel
@testable import Rendering
import TestSupport
import XCTest

/// The deck's fast path (one Graphviz rendering, frames filled in as bytes) against the slow
/// path (each frame rendered by Graphviz on the same layout): the same texts in the same
/// colours, the same strokes and tooltips, in every node and edge, and the same caption.
final class DeckTemplateTests: XCTestCase {
    /// Per node, edge or caption group id: its visible text, the colours of that text, its
    /// strokes and its tooltip.
    struct Group: Equatable, CustomStringConvertible {
        var text = ""
        var fills = Set<String>()
        var strokes = Set<String>()
        var tooltip = ""
        var description: String { "“\(text)” fills \(fills.sorted()) strokes \(strokes.sorted()) tip “\(tooltip)”" }
    }

    /// An attribute by its local name (FoundationXML's attribute(forName:) misses some).
    func attribute(_ e: XMLElement, _ name: String) -> String? {
        e.attributes?.first { $0.localName == name || $0.name == name }?.stringValue
    }

    func groups(_ svg: String) throws -> [String: Group] {
        let doc = try XMLDocument(data: Data(svg.utf8))
        var result: [String: Group] = [:]
        for case let g as XMLElement in try doc.nodes(forXPath: "//*[local-name()='g']") {
            guard let id = attribute(g, "id"), id != "graph0" else { continue }
            var group = Group()
            for case let t as XMLElement in try g.nodes(forXPath: ".//*[local-name()='text']") {
                let fill = attribute(t, "fill") ?? ""
                guard fill != "none" else { continue }
                group.text += t.stringValue ?? ""
                group.fills.insert(fill)
            }
            group.text = group.text.filter { !$0.isWhitespace }
            for case let shape as XMLElement in try g.nodes(forXPath: ".//*[@stroke]") {
                if let s = attribute(shape, "stroke"), s != "transparent", s != "none" { group.strokes.insert(s) }
            }
            if let a = try g.nodes(forXPath: ".//*[local-name()='a']").first as? XMLElement {
                group.tooltip = a.attributes?.first { $0.localName == "title" }?.stringValue ?? ""
            }
            // An anchor with nothing to say: Graphviz leaves it out for an empty tooltip.
            if id.hasPrefix("a_"), group.tooltip.isEmpty, group.text.isEmpty { continue }
            result[id] = group
        }
        return result
    }

    func checkTemplateEqualsDirectRender(_ deck: SlideDeck, _ label: String) throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let diagrams = deck.frames.map(\.diagram)
        let layout = try renderer.layout(sharedBy: diagrams)
        let template = try XCTUnwrap(try DeckTemplate(frames: diagrams, renderer: renderer, layout: layout), "\(label): the fast path is taken")
        // A sample of frames: first, last and some between.
        let picks = Set([0, 1, diagrams.count / 3, diagrams.count / 2, diagrams.count - 2, diagrams.count - 1])
        for i in picks.sorted() {
            let fast = try groups(template.svg(for: diagrams[i]))
            let slow = try groups(String(decoding: try renderer.render(diagrams[i], format: .svg, layout: layout), as: UTF8.self))
            XCTAssertGreaterThan(slow.count, diagrams[i].nodes.count, "\(label): the comparison sees every node")
            if i == 1 { XCTAssertTrue(slow.values.contains { $0.text.contains(Line.unknown) }, "\(label): frame 2 has unknown values") }
            XCTAssertEqual(Set(fast.keys).subtracting(["caption"]), Set(slow.keys).subtracting(["caption"]), "\(label) frame \(i)")
            for (id, g) in slow where id != "caption" {
                XCTAssertEqual(fast[id], g, "\(label) frame \(i) \(id)")
            }
            XCTAssertEqual(fast["caption"]?.text, slow["caption"]?.text, "\(label) frame \(i) caption")
        }
    }

    func testTemplateFramesEqualDirectRenders() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        for steps in SlideDeck.Steps.allCases {
            try checkTemplateEqualsDirectRender(SlideDeck(solution: solution, steps: steps), "question-1 \(steps)")
        }
        let softmax = try NetworkFile.load(path: TestSupport.sample("softmax-classifier.yaml")).solve()
        try checkTemplateEqualsDirectRender(SlideDeck(solution: softmax, steps: .ops), "softmax ops")
    }

    func testAMissingMarkerFallsBackToDirectRendering() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let diagrams = SlideDeck(solution: solution, steps: .layer).frames.map(\.diagram)
        let layout = try renderer.layout(sharedBy: diagrams)
        let template = try XCTUnwrap(try DeckTemplate(frames: diagrams, renderer: renderer, layout: layout))
        // The check that guards the fast path: every marker found, and one missing noticed.
        let svg = template.svg(for: diagrams[0])
        XCTAssertFalse(svg.contains("@@T"), "no tooltip marker is left in a frame")
        let found = DeckTemplate.markersFound(in: Array(##"<text fill="#fe0003">a</text> "#fd0001" @@T2@@"##.utf8), textPrefix: "#fe", strokePrefix: "#fd")
        XCTAssertEqual(found.texts, [3])
        XCTAssertEqual(found.strokes, [1])
        XCTAssertEqual(found.tooltips, [2])
    }
}
