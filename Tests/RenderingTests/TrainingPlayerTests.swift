import Annotation
import Foundation
import FoundationXML
import Rendering
import XCTest

/// The training player's charts are panels of the page: at 1280 × 720 two of them share the
/// width (each about 628 × 300 CSS pixels, see TrainingPlayer's style), and their text must
/// still read at 12 pixels or more.
final class TrainingPlayerTests: XCTestCase {
    func chart(series: Int) throws -> TrainingChart {
        TrainingChart(title: "Gradient norm per layer", yLabel: "Frobenius norm",
                      series: (1...series).map { l in .init(name: MathText([.init("‖∂Loss/∂W"), .init("(\(l))", .sup), .init("‖")]),
                                                             values: (0...100).map { 1 / Double($0 + l) }) },
                      scale: .log, theme: try Theme.named("classroom"))
    }

    /// The base font size of every <text> and the canvas's width and height.
    func fontSizes(_ svg: String) throws -> (sizes: [Double], width: Double, height: Double) {
        let doc = try XMLDocument(data: Data(svg.utf8))
        let root = try XCTUnwrap(doc.rootElement())
        func number(_ e: XMLElement, _ name: String) -> Double { Double(e.attributes?.first { $0.name == name }?.stringValue ?? "") ?? .nan }
        let texts = try doc.nodes(forXPath: "//*[local-name()='text']").compactMap { $0 as? XMLElement }
        return (texts.map { number($0, "font-size") }, number(root, "width"), number(root, "height"))
    }

    func testPlayerChartTextIsAtLeast12PixelsAt1280By720() throws {
        for series in [1, 7] {
            let (sizes, width, height) = try fontSizes(try chart(series: series).svg(size: .panel))
            XCTAssertFalse(sizes.isEmpty)
            let scale = min(628 / width, 300 / height)
            XCTAssertGreaterThanOrEqual(sizes.min()! * scale, 12, "\(series) series: \(sizes.min()!) at ×\(scale)")
        }
    }

    func testTheSlideSizedChartIsUnchanged() throws {
        let (sizes, width, height) = try fontSizes(try chart(series: 7).svg())
        XCTAssertEqual([width, height], [960, 540])
        XCTAssertEqual(sizes.min(), 17)
        // The panel is the smaller canvas: the check above is not met by the slide's.
        XCTAssertLessThan(sizes.min()! * min(628 / width, 300 / height), 12)
    }
}
