import Annotation
import Foundation
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// The legend as browsers draw it. Graphviz makes room for text with Pango's hinted metrics
/// (each glyph's advance rounded to a whole pixel), browsers draw the font's own advances:
/// over a legend line of 70 glyphs several points more than Graphviz measured, which the tests
/// reading Graphviz's own layout cannot see. Measured here in Chromium, as a reader sees it.
final class LegendFitTests: XCTestCase {
    /// Every legend text inside the legend's border, clear of its line, in every view with a
    /// legend, on every sample, in every built-in theme.
    func testLegendTextStaysInsideItsBorderInChromium() throws {
        guard TestSupport.chromium != nil else { throw XCTSkip("no chromium") }
        var figures: [(name: String, svg: String)] = []
        for path in TestSupport.allSamples {
            let solution = try NetworkFile.load(path: path).solve()
            let sample = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            for view in View.allCases {
                // Views too large for a sample (a labelled view of MNIST) are refused, not drawn.
                guard let diagram = try? view.diagram(solution), diagram.legend != nil else { continue }
                for theme in try Theme.builtIns() {
                    let svg = String(decoding: try DiagramRenderer(theme: theme).render(diagram, format: .svg), as: UTF8.self)
                    let start = try XCTUnwrap(svg.range(of: "<svg")).lowerBound
                    figures.append(("\(sample) \(view) \(theme.name)", String(svg[start...])))
                }
            }
        }
        XCTAssertGreaterThanOrEqual(figures.count, 2 * 4 * 8, "flow and layers, four themes, the samples")
        let measured = try Self.legendOverflow(figures)
        XCTAssertEqual(measured.count, figures.count, "every figure measured")
        for (name, overflow, text) in measured {
            // Past the border's inner edge (its line is 1 pt wide) is touching or crossing it.
            XCTAssertLessThanOrEqual(overflow, -0.5, "\(name): “\(text)” reaches \(overflow) pt past the legend's border")
        }
    }

    /// For each figure, how far its legend's widest text reaches past the legend's border in
    /// points (negative: inside, by that much), as Chromium lays the text out.
    static func legendOverflow(_ figures: [(name: String, svg: String)]) throws -> [(String, Double, String)] {
        let script = """
        <script>
        (function () {
          var out = [];
          document.querySelectorAll("div.figure").forEach(function (d) {
            var g = d.querySelector("g#legend");
            if (!g) { return; }
            var box = g.querySelector("polygon").getBBox(), worst = -Infinity, which = "";
            g.querySelectorAll("text").forEach(function (t) {
              if (!t.textContent.replace(/\\u00a0/g, "").trim()) { return; }
              var b = t.getBBox();
              var over = Math.max(b.x + b.width - (box.x + box.width), box.x - b.x);
              if (over > worst) { worst = over; which = t.textContent; }
            });
            out.push([d.getAttribute("data-name"), worst, which]);
          });
          var pre = document.createElement("pre");
          pre.id = "measured";
          pre.textContent = JSON.stringify(out);
          document.body.appendChild(pre);
        })();
        </script>
        """
        let body = figures.map { "<div class=\"figure\" data-name=\"\($0.name)\">\($0.svg)</div>" }.joined(separator: "\n")
        let page = try TestSupport.temporaryDirectory() + "/legends.html"
        try "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\(body)\(script)</body></html>"
            .write(toFile: page, atomically: true, encoding: .utf8)
        guard let dom = try TestSupport.chromiumDOM("file://\(page)"),
              let json = TestSupport.text(ofElement: "measured", in: dom) else { throw XCTSkip("chromium did not run") }
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
        return rows.map { ($0[0] as? String ?? "?", ($0[1] as? NSNumber)?.doubleValue ?? .infinity, $0[2] as? String ?? "") }
    }
}
