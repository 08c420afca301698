import Annotation
import Foundation
import FoundationXML
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// The ops view drawn: deterministic, and a deck's frames keep every node in its place.
final class OpsRenderingTests: XCTestCase {
    func solution(_ sample: String = "question-1.yaml") throws -> Solution {
        try NetworkFile.load(path: TestSupport.sample(sample)).solve()
    }

    func testTheOpsViewIsByteIdenticalRunToRun() throws {
        for sample in ["question-1.yaml", "softmax-classifier.yaml"] {
            let d = try View.ops.diagram(try solution(sample))
            let a = try DiagramRenderer(theme: try Theme.named("classroom")).render(d, format: .svg)
            let b = try DiagramRenderer(theme: try Theme.named("classroom")).render(try View.ops.diagram(try solution(sample)), format: .svg)
            XCTAssertEqual(a, b, sample)
            XCTAssertTrue(String(decoding: a, as: UTF8.self).contains("∂/∂"), "\(sample): local derivatives are drawn")
        }
    }

    func testThemesApplyToTheOpsView() throws {
        let d = try View.ops.diagram(try solution())
        for theme in try Theme.builtIns() {
            let svg = String(decoding: try DiagramRenderer(theme: theme).render(d, format: .svg), as: UTF8.self)
            XCTAssertTrue(svg.contains(theme.color("gradient")), "\(theme.name): gradients in the theme's colour")
            XCTAssertTrue(svg.contains(theme.color("background")), theme.name)
        }
    }

    /// Each node's shape coordinates (polygon points or ellipse centre) in an SVG.
    func shapes(_ svg: Data) throws -> [String: String] {
        let doc = try XMLDocument(data: svg)
        var result: [String: String] = [:]
        for case let g as XMLElement in try doc.nodes(forXPath: "//*[local-name()='g']") {
            guard let id = g.attributes?.first(where: { $0.name == "id" })?.stringValue,
                  g.attributes?.first(where: { $0.name == "class" })?.stringValue == "node" else { continue }
            for case let shape as XMLElement in try g.nodes(forXPath: ".//*[local-name()='polygon' or local-name()='ellipse' or local-name()='path']") {
                let attrs = shape.attributes ?? []
                let key = ["points", "cx", "cy", "d"].compactMap { k in attrs.first { $0.name == k }?.stringValue }.joined(separator: " ")
                result[id] = key
                break
            }
        }
        return result
    }

    func testDeckFramesStayInPlace() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let frames = SlideDeck(solution: try solution(), steps: .ops).frames.map(\.diagram)
        let layout = try renderer.layout(sharedBy: frames)
        let first = try shapes(try renderer.render(frames[0], format: .svg, layout: layout))
        XCTAssertGreaterThan(first.count, 60, "every value and operation is a node")
        for i in [1, frames.count / 2, frames.count - 1] {
            XCTAssertEqual(try shapes(try renderer.render(frames[i], format: .svg, layout: layout)), first, "frame \(i + 1)")
        }
    }
}
