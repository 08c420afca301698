import Foundation
import FoundationXML
@testable import Graphviz
import Synchronization
import TestSupport
import XCTest

final class GraphvizTests: XCTestCase {
    func sampleGraph(label: String = "a < b & \"c\"") -> Graph {
        var g = Graph(name: "sample", attributes: ["rankdir": "LR", "bgcolor": "white"],
                      nodeDefaults: ["shape": "circle", "fontname": "DejaVu Sans"])
        g.addNode("L0_1", ["label": .html(.sequence([.text("w"), .sub(.text("21")), .sup(.text("(1)"))]))])
        g.addNode("L0_2", ["label": .text(label)])
        g.addNode("L1_1", ["label": .html(.text(label)), "tooltip": "full precision"])
        g.addEdge("L0_1", "L1_1", ["label": "1", "color": "red"])
        g.addEdge("L0_2", "L1_1", ["label": .html(.font(.text("2"), color: "blue", size: 10))])
        g.subgraphs.append(Subgraph("cluster_input", attributes: ["label": "inputs"], nodeIDs: ["L0_1", "L0_2"]))
        return g
    }

    func testDOTIsDeterministicAndSorted() {
        let a = sampleGraph().dot, b = sampleGraph().dot
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.contains("graph [bgcolor=\"white\", rankdir=\"LR\"];"), a)
        XCTAssertTrue(a.contains("label=<w<SUB>21</SUB><SUP>(1)</SUP>>"), a)
        XCTAssertTrue(a.contains("label=\"a < b & \\\"c\\\"\""), a)
        XCTAssertTrue(a.contains("label=<a &lt; b &amp; &quot;c&quot;>"), a)
    }

    func testDOTRoundTripKeepsTheGraph() throws {
        let original = sampleGraph()
        let read = try GraphvizEngine.read(dot: original.dot)
        XCTAssertEqual(read.nodes.map(\.id), original.nodes.map(\.id))
        XCTAssertEqual(read.edges.map { "\($0.tail)->\($0.head)" }, original.edges.map { "\($0.tail)->\($0.head)" })
        XCTAssertEqual(read.attributes["rankdir"], .escaped("LR"))
        XCTAssertEqual(read.subgraphs.first?.nodeIDs, ["L0_1", "L0_2"])
        // The HTML label stays HTML, the text label text.
        guard case .html(let html)? = read.nodes[0].attributes["label"] else { return XCTFail("HTML label lost") }
        XCTAssertEqual(html.markup, "w<SUB>21</SUB><SUP>(1)</SUP>")
        XCTAssertEqual(read.nodes[1].attributes["label"], .escaped("a < b & \"c\""))
        // Reading the written form again gives the same DOT: a fixed point.
        let again = try GraphvizEngine.read(dot: read.dot)
        XCTAssertEqual(again.dot, read.dot)
        // agwrite's canonical form reads back to the same nodes and edges.
        let canonical = try GraphvizEngine.canonicalDOT(original.dot)
        XCTAssertEqual(try GraphvizEngine.read(dot: canonical).nodes.map(\.id), original.nodes.map(\.id))
    }

    func testGraphsMadeThroughCGraphEqualTheirDOTRead() throws {
        // Backslashes, line breaks, returns, tabs, other controls, DEL and non-ASCII text, in
        // tooltips (unescaped twice by Graphviz) and other attributes, on nodes and edges.
        let tricky = "a\\N b\\\\ \"q\" line\nnext\r tab\t bell\u{07} esc\u{1B} del\u{7F} ∂w₂₁ é"
        var g = Graph(name: "made", nodeDefaults: ["shape": "box", "fontname": "DejaVu Sans"], edgeDefaults: ["arrowsize": "0.7"])
        g.addNode("a", ["label": .text(tricky), "tooltip": .text(tricky), "pos": "10,20!"])
        g.addNode("b", ["label": .html(.sequence([.text(tricky), .sub(.text("1"))])), "tooltip": "plain", "id": .text(tricky), "pos": "200,20!"])
        g.addNode("c", ["label": .text(""), "labeltooltip": .text(tricky), "pos": "100,120!"])
        g.addEdge("a", "b", ["label": .text(tricky), "edgetooltip": .text(tricky), "tooltip": .text(tricky), "color": "red"])
        g.addEdge("b", "c", ["label": .html(.font(.text(tricky), color: "blue", size: 10)), "headtooltip": .text("\\")])
        XCTAssertTrue(CGraphWriter.canWrite(g))
        for format in [OutputFormat.dot, .svg] {
            let made = try GraphvizEngine.render(g, engine: .pinned, format: format)
            let read = try GraphvizEngine.render(dot: GraphvizEngine.prepared(g, for: .pinned).dot, engine: .pinned, formats: [format])[0]
            XCTAssertEqual(String(decoding: made, as: UTF8.self), String(decoding: read, as: UTF8.self), "\(format)")
        }
        for (key, text) in [("tooltip", tricky), ("edgetooltip", tricky), ("label", tricky), ("id", "plain"), ("tooltip", "")] {
            var bytes: [UInt8] = []
            CGraphWriter.storeBytes(text, tooltip: CGraphWriter.isTooltip(key), into: &bytes)
            XCTAssertEqual(bytes, Array(CGraphWriter.stored(key, .text(text)).utf8) + [0], key)
        }
    }

    func testUserTextRendersLiterally() throws {
        let svg = String(decoding: try GraphvizEngine.render(sampleGraph(), format: .svg), as: UTF8.self)
        // In SVG text the specials are escaped once: the picture shows a < b & "c".
        XCTAssertTrue(svg.contains("a &lt; b &amp; &quot;c&quot;") || svg.contains("a &lt; b &amp; \"c\""), svg)
        XCTAssertNoThrow(try XMLDocument(data: Data(svg.utf8)))
    }

    func testEveryFormatHasItsMagic() throws {
        let formats: [OutputFormat] = [.dot, .xdot, .svg, .png, .pdf, .json]
        let outputs = try GraphvizEngine.render(sampleGraph(), formats: formats)
        XCTAssertEqual(Array(outputs[3].prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(String(decoding: outputs[4].prefix(4), as: UTF8.self), "%PDF")
        XCTAssertNoThrow(try XMLDocument(data: outputs[2]))
        XCTAssertTrue(String(decoding: outputs[0], as: UTF8.self).hasPrefix("digraph sample"))
        XCTAssertTrue(String(decoding: outputs[1], as: UTF8.self).contains("_draw_"))
        let json = try JSONSerialization.jsonObject(with: outputs[5]) as? [String: Any]
        XCTAssertEqual(json?["name"] as? String, "sample")
    }

    /// Rendering goes through a memory stream: each output must be whole (flushed and closed
    /// before it is read), binary formats included.
    func testRenderedOutputsAreComplete() throws {
        let outputs = try GraphvizEngine.render(sampleGraph(), formats: [.png, .pdf, .svg])
        // A PNG ends with its IEND chunk (length 0, type, CRC).
        XCTAssertEqual(Array(outputs[0].suffix(12)), [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
        XCTAssertTrue(String(decoding: outputs[1].suffix(8), as: UTF8.self).contains("%%EOF"))
        XCTAssertTrue(String(decoding: outputs[2], as: UTF8.self).hasSuffix("</svg>\n"))
        XCTAssertFalse(String(decoding: outputs[2], as: UTF8.self).contains("\0"))
    }

    func testPinnedPositionsSurviveLayout() throws {
        var g = Graph(name: "pinned", nodeDefaults: ["shape": "circle", "width": "0.5", "fixedsize": "true"])
        let positions = [("a", 10.0, 20.0), ("b", 300.0, 40.0), ("c", 150.0, 250.0)]
        for (id, x, y) in positions { g.addNode(id, ["pos": .text("\(x),\(y)!")]) }
        g.addEdge("a", "b", ["label": "ab"])
        g.addEdge("b", "c")
        let layout = try GraphvizEngine.layout(g, engine: .pinned)
        for (id, x, y) in positions {
            let center = try XCTUnwrap(layout.nodes[id]?.center)
            XCTAssertEqual(center.x, x, accuracy: 0.01)
            XCTAssertEqual(center.y, y, accuracy: 0.01)
        }
        XCTAssertEqual(layout.edges.count, 2)
        XCTAssertFalse(layout.edges[0].points.isEmpty, "the edge was routed")
        XCTAssertNotNil(layout.edges[0].labelPosition)
    }

    func testFailuresAreTypedAndSilent() throws {
        let good = sampleGraph().dot
        let cases: [(String, GraphvizError.Stage, () throws -> Void)] = [
            ("malformed DOT", .read, { _ = try GraphvizEngine.render(dot: "digraph { a -> ; }", formats: [.svg]) }),
            ("unknown engine", .layout, { _ = try GraphvizEngine.render(dot: good, engine: .named("no-such-engine"), formats: [.svg]) }),
            ("unknown format", .render, { _ = try GraphvizEngine.render(dot: good, formatNamed: "no-such-format") }),
        ]
        for (name, stage, body) in cases {
            let (error, stderrText) = TestSupport.capturingStderr { () -> Error? in
                do { try body(); return nil } catch { return error }
            }
            let typed = try XCTUnwrap(error as? GraphvizError, "\(name) did not fail with GraphvizError")
            XCTAssertEqual(typed.stage, stage, name)
            XCTAssertFalse(typed.messages.isEmpty, name)
            XCTAssertEqual(stderrText, "", "Graphviz printed to stderr for \(name)")
        }
    }

    func testConcurrentRendersAreCorrect() async throws {
        let graph = sampleGraph()
        let expected = try GraphvizEngine.render(graph, format: .svg)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<50 {
                        let format: OutputFormat = (task + i) % 5 == 0 ? .png : .svg
                        let data = try GraphvizEngine.render(graph, format: format)
                        if format == .svg && data != expected { return false }
                        if format == .png && data.prefix(4) != Data([0x89, 0x50, 0x4E, 0x47]) { return false }
                    }
                    return true
                }
            }
            for try await ok in group { XCTAssertTrue(ok) }
        }
    }

    func testRepeatedRendersKeepMemoryFlat() throws {
        let dot = sampleGraph().dot
        for _ in 0..<50 { _ = try GraphvizEngine.render(dot: dot, formats: [.svg]) }
        let before = TestSupport.residentBytes()
        for _ in 0..<1000 { _ = try GraphvizEngine.render(dot: dot, formats: [.svg]) }
        let growth = TestSupport.residentBytes() - before
        XCTAssertLessThan(growth, 20 << 20, "resident memory grew by \(growth) bytes over 1,000 renders")
    }

    func testGraphsMadeThroughCGraphGiveTheirMemoryBackWhenClosed() throws {
        // Made through cgraph's API, a graph lives in an arena that its closing unmaps whole
        // (CGraphWriter): 100 renders of a 2,000-node graph keep memory flat.
        var g = Graph(name: "arena", nodeDefaults: ["shape": "box"])
        for i in 0..<2_000 { g.addNode("n\(i)", ["label": .text("node \(i)"), "pos": .text("\(i % 50 * 60),\(i / 50 * 40)!"), "tooltip": "t"]) }
        for i in 1..<2_000 { g.addEdge("n\(i - 1)", "n\(i)", ["id": .text("e\(i)")]) }
        XCTAssertTrue(CGraphWriter.canWrite(g))
        for _ in 0..<10 { _ = try GraphvizEngine.render(g, engine: .pinned, format: .svg) }
        let before = TestSupport.residentBytes()
        for _ in 0..<100 { _ = try GraphvizEngine.render(g, engine: .pinned, format: .svg) }
        let growth = TestSupport.residentBytes() - before
        XCTAssertLessThan(growth, 20 << 20, "resident memory grew by \(growth) bytes over 100 renders")
    }

    func testMeasureGivesTextSizes() throws {
        let sizes = try GraphvizEngine.measure([.text("x"), .text("a much longer label")],
                                         nodeAttributes: ["shape": "plaintext", "margin": "0", "fontsize": "14"])
        XCTAssertEqual(sizes.count, 2)
        XCTAssertGreaterThan(sizes[1].width, sizes[0].width * 3)
    }

    func testWarningsGoToTheCallerNotToStderr() throws {
        var warnings: [String] = []
        let (_, stderrText) = try TestSupport.capturingStderr {
            try GraphvizEngine.render(dot: "digraph { a [shape=nosuchshape] }", formats: [.svg]) { warnings += $0 }
        }
        XCTAssertEqual(stderrText, "")
        XCTAssertTrue(warnings.contains { $0.contains("nosuchshape") }, "\(warnings)")
    }

    /// The warnings callback runs after the binding's lock is released, so it may call the
    /// binding itself (inside the lock it would deadlock, or trap as a recursive Mutex lock).
    /// Run on a thread with a deadline, so a regression fails instead of hanging.
    func testWarningsCallbackMayCallBackIntoGraphviz() throws {
        let finished = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<(warnings: [String], nested: Data), Error>?>(nil)
        Thread.detachNewThread {
            let result = Result { () -> (warnings: [String], nested: Data) in
                var warnings: [String] = []
                var nested = Data()
                // Graphviz warns about an unknown shape once per process: a name of this test's own.
                _ = try GraphvizEngine.render(dot: "digraph { a [shape=reentrantshape] }", formats: [.svg]) { reported in
                    warnings = reported
                    nested = (try? GraphvizEngine.render(dot: "digraph { b }", formats: [.svg])[0]) ?? Data()
                }
                return (warnings, nested)
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        guard finished.wait(timeout: .now() + 60) == .success else {
            return XCTFail("a render from inside the warnings callback did not finish in 60 s (deadlock)")
        }
        let (warnings, nested) = try XCTUnwrap(outcome.withLock { $0 }).get()
        XCTAssertTrue(warnings.contains { $0.contains("reentrantshape") }, "\(warnings)")
        XCTAssertTrue(String(decoding: nested, as: UTF8.self).contains("<title>b</title>"))
    }
}
