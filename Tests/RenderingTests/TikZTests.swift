import Annotation
import Foundation
import Graphviz
import NetworkModel
import Rendering
import TestSupport
import XCTest

final class TikZTests: XCTestCase {
    func diagram(_ sample: String, view: View) throws -> Diagram {
        try view.diagram(try NetworkFile.load(path: TestSupport.sample(sample)).solve())
    }

    func testSnapshotOfTheWorkedExample() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let tikz = String(decoding: try renderer.render(try diagram("question-1.yaml", view: .full), format: .tikz), as: UTF8.self)
        XCTAssertEqual(tikz, String(decoding: try renderer.render(try diagram("question-1.yaml", view: .full), format: .tikz), as: UTF8.self),
                       "TikZ is deterministic")
        let file = TestSupport.root.appendingPathComponent("Tests/RenderingTests/Snapshots/question-1-full.tex")
        if ProcessInfo.processInfo.environment["BPVIZ_RECORD_SNAPSHOTS"] == "1" {
            try tikz.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(tikz, try String(contentsOf: file, encoding: .utf8),
                       "snapshot question-1-full.tex differs; rerun with BPVIZ_RECORD_SNAPSHOTS=1 after checking the compiled picture")
    }

    func testLabelsAreMathInTheNotationAtTheLaidOutPositions() throws {
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        let d = try diagram("question-1.yaml", view: .full)
        let layout = try renderer.layout(d)
        let tikz = TikZWriter(theme: renderer.theme).picture(d, layout: layout)
        for label in ["{w_{21}^{(1)}=1}", "{\\partial \\mathrm{Loss}/\\partial w_{21}^{(1)}=64}", "{\\alpha _{1}=1}",
                      "{\\mathrm{Loss}=(Y-H^{(3)})^{2}=64}", "{H_{1}^{(1)}=2}"] {
            XCTAssertTrue(tikz.contains(label), "missing \(label)")
        }
        // Every node box is centred where the layout puts it (y grows downwards in both): its
        // outline's points (Graphviz's rounded box, lines and cubics) span the box.
        let lines = tikz.split(separator: "\n").map(String.init)
        for (id, center) in layout.nodeCenters {
            let i = try XCTUnwrap(lines.firstIndex(of: "% \(id)"), "no node \(id)")
            let path = try XCTUnwrap(lines[i + 1].split(separator: "]", maxSplits: 1).last)
            let numbers = path.split(whereSeparator: { "(),".contains($0) }).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            XCTAssertEqual(numbers.count, 2 * 17, lines[i + 1])  // the start, and a line and a cubic per corner
            let xs = stride(from: 0, to: numbers.count, by: 2).map { numbers[$0] }, ys = stride(from: 1, to: numbers.count, by: 2).map { numbers[$0] }
            XCTAssertEqual((xs.min()! + xs.max()!) / 2, center.x, accuracy: 0.02, id.raw)
            XCTAssertEqual((ys.min()! + ys.max()!) / 2, center.y, accuracy: 0.02, id.raw)
        }
        // One label node with a background for each of the 3·2 + 2·2 + 2·1 weights.
        XCTAssertEqual(tikz.components(separatedBy: "\\node[fill=bpviz-background]").count - 1, 12)
        XCTAssertTrue(tikz.contains("\\definecolor{bpviz-gradient}{HTML}{B03A2E}"))
    }

    func testFlowEdgesCarryTheirWidthsAndSignColours() throws {
        let theme = try Theme.named("classroom")
        let d = try diagram("dead-relu.yaml", view: .flow)
        let tikz = TikZWriter(theme: theme).picture(d, layout: try DiagramRenderer(theme: theme).layout(d))
        let widths = Set(tikz.components(separatedBy: "\\draw[").dropFirst().compactMap { part -> Double? in
            guard let r = part.range(of: "line width="), let end = part[r.upperBound...].range(of: "\\bpvizpt") else { return nil }
            return Double(part[r.upperBound..<end.lowerBound])
        })
        XCTAssertGreaterThan(widths.count, 2, "edge widths follow the gradients")
        XCTAssertEqual(widths.max() ?? 0, FlowScale.maxWidth, accuracy: 0.01)
        XCTAssertTrue(tikz.contains("\\draw[bpviz-positive,") || tikz.contains("\\draw[bpviz-negative,"))
        XCTAssertTrue(tikz.contains("dash pattern"), "dead units are dashed")
        // Signs by dash as well as colour, as in the SVG: negative dashed, exactly zero dotted.
        XCTAssertTrue(tikz.contains("\\draw[bpviz-negative,line width=") && tikz.contains("\\bpvizpt,dashed]"))
        XCTAssertEqual(tikz.components(separatedBy: "\\bpvizpt,dotted]").count - 1, 3, "the dead unit's three edges")
    }

    /// The legend speaks the file's notation, as the SVG's does.
    func testTheLegendUsesTheFilesNotation() throws {
        let theme = try Theme.named("classroom")
        let text = try String(contentsOfFile: TestSupport.sample("dead-relu.yaml"), encoding: .utf8) + "notation: { loss: E, weight: θ }\n"
        let d = try View.flow.diagram(try NetworkFile.parse(text: text, file: "renamed.yaml").solve())
        let tikz = TikZWriter(theme: theme).picture(d, layout: try DiagramRenderer(theme: theme).layout(d))
        XCTAssertTrue(tikz.contains("\\partial E/\\partial \\theta"), "∂E/∂θ in the legend")
        XCTAssertFalse(tikz.contains("Loss"))
    }

    /// Every legend row has its sample, as in the SVG: the dead unit's node (its fill and a
    /// dashed border), the shading's three tints, and thin beside thick for the widths.
    func testEveryLegendRowHasItsSwatch() throws {
        let theme = try Theme.named("classroom")
        let d = try diagram("dead-relu.yaml", view: .flow)
        let tikz = TikZWriter(theme: theme).picture(d, layout: try DiagramRenderer(theme: theme).layout(d))
        let legend = try XCTUnwrap(tikz.split(separator: "\n").first { $0.contains("grey dashed node") })
        let rows = legend.components(separatedBy: "\\\\")
        XCTAssertEqual(rows.count, 6)
        for row in rows { XCTAssertFalse(row.hasPrefix("&") || row.contains("{l@{\\ }l}{&"), "a row without its swatch: \(row)") }
        // The shading: a border and three squares, each tint its own colour, defined in the file.
        let shadingRow = try XCTUnwrap(rows.first { $0.contains("node shading") })
        let names = shadingRow.components(separatedBy: "\\textcolor{").dropFirst().map { String($0.prefix { $0 != "}" }) }
        XCTAssertEqual(names.count, 3 + 4, shadingRow)
        let tints = Set(names).subtracting([names[0]])
        XCTAssertEqual(tints.count, 3, "three tints beside the border: \(names)")
        for name in tints { XCTAssertTrue(tikz.contains("\\definecolor{\(name)}{HTML}{"), name) }
        let deadRow = try XCTUnwrap(rows.first { $0.contains("grey dashed node") })
        XCTAssertEqual(deadRow.components(separatedBy: "\\hspace{0.2em}").count - 1, 6, "dashed top and bottom")
        XCTAssertTrue(try XCTUnwrap(rows.first { $0.contains("thinnest") }).contains("{0.5pt}\\hspace{0.35em}\\rule[0.38ex]{0.95em}{2.5pt}"))
    }

    func testTheOpGraphFollowsGraphvizRoutes() throws {
        let theme = try Theme.named("classroom")
        let d = try diagram("xor.yaml", view: .ops)
        let tikz = TikZWriter(theme: theme).picture(d, layout: try DiagramRenderer(theme: theme).layout(d))
        XCTAssertTrue(tikz.contains(" .. controls "), "edges are Graphviz's splines")
        XCTAssertTrue(tikz.contains(" ellipse [x radius="), "operations are ellipses")
        XCTAssertTrue(tikz.contains("\\times"), "× is typeset as math")
    }
}
