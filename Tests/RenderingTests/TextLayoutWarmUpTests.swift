@testable import Graphviz
@testable import Rendering
import TestSupport
import XCTest

/// The fonts Pango is warmed up with in a cold run (`DiagramRenderer.labelFonts`) are the
/// ones renders ask it for: a font missing from the list costs its start-up in series again.
final class TextLayoutWarmUpTests: XCTestCase {
    /// The (face, size) of every span a cold render measured, from the cache file it wrote
    /// (spans without style flags: the ones the warm-up lays out; cairo's PNG and PDF also
    /// measure with flags, while drawing).
    func measuredFonts(_ arguments: [String]) throws -> Set<String> {
        let cache = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let r = try TestSupport.run(arguments, environment: ["BPVIZ_CACHE_DIR": cache])
        XCTAssertEqual(r.status, 0, r.stderr)
        let bytes = try XCTUnwrap(TextMetricsStore.readFile(cache + "/text-metrics"))
        let fingerprint = TextMetricsStore.Table.uint64(bytes, 8)
        let table = try XCTUnwrap(TextMetricsStore(path: "", fingerprint: fingerprint).decode(bytes), "an intact file")
        return Set(table.keys.filter { $0.font != TextMetricsCache.labelFont && $0.flags == 0 }.map { "\($0.font) \($0.size)" })
    }

    func testLabelFontsAreTheFontsRendersMeasure() throws {
        let theme = try Theme.named("classroom")
        let warmed = Set(DiagramRenderer.labelFonts(theme).map { "\($0.face) \($0.size)" })
        let q1 = TestSupport.sample("question-1.yaml")
        let output = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        var all: Set<String> = []
        for view in ["full", "forward", "backward", "flow", "layers", "ops"] {
            let fonts = try measuredFonts(["render", q1, "--view", view, "-o", output + "/\(view).svg"])
            XCTAssertTrue(fonts.isSubset(of: warmed), "\(view): not warmed up: \(fonts.subtracting(warmed).sorted())")
            all.formUnion(fonts)
        }
        let deck = try measuredFonts(["slides", q1, "-o", output + "/deck"])
        XCTAssertTrue(deck.isSubset(of: warmed), "deck: not warmed up: \(deck.subtracting(warmed).sorted())")
        // Question-1's full view asks for eleven fonts (its bold lines' scripts in the bold
        // script faces), the first eleven warmed (the node lines' two first), before the
        // fonts some views do not use.
        let full = try measuredFonts(["render", q1, "-o", output + "/q1.svg"])
        XCTAssertEqual(full.count, 11)
        XCTAssertEqual(Set(DiagramRenderer.labelFonts(theme).prefix(11).map { "\($0.face) \($0.size)" }), full)
        XCTAssertEqual(Array(DiagramRenderer.labelFonts(theme).prefix(2).map { "\($0.face) \($0.size)" }),
                       ["DejaVu Sans 14.0", "DejaVu Sans Bold 14.0"])
        XCTAssertTrue(all.contains("DejaVu Sans 192.0"), "the legend's magnified text (flow view) is measured and warmed")
    }
}
