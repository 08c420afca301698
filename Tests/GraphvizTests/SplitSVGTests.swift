import CGraphviz
import Foundation
@testable import Graphviz
import XCTest

/// A large pinned graph's SVG drawn by two processes (SplitSVG) is the SVG one drawing of the
/// whole graph writes, byte for byte, or the graph is drawn whole.
final class SplitSVGTests: XCTestCase {
    // The library forks only when the program allows it, as the bpviz command does.
    override func setUp() { GraphvizEngine.drawsLargeSVGInTwoProcesses = true }
    override func tearDown() { GraphvizEngine.drawsLargeSVGInTwoProcesses = false }

    /// A pinned graph like a labelled net's: a few nodes joined by edges, and many label nodes
    /// at the end that no edge touches, each with an HTML label, an id and a tooltip.
    func labelledGraph(labels: Int = 2_200, edges: Int = 120) -> Graph {
        var g = Graph(name: "split", attributes: ["outputorder": "edgesfirst", "bgcolor": "#ffffff", "pad": "0"],
                      nodeDefaults: ["shape": "box", "fontname": "DejaVu Sans", "style": "rounded,filled", "fixedsize": "true"],
                      edgeDefaults: ["arrowsize": "0.7"])
        let corner: Attributes = ["shape": "point", "style": "invis", "width": "0.01", "height": "0.01", "label": ""]
        g.addNode("corner_ll", corner.merging(["pos": "0.36,0.36!"]) { _, b in b })
        g.addNode("corner_ur", corner.merging(["pos": "3000,3000!"]) { _, b in b })
        for h in 0..<20 {
            g.addNode("h\(h)", ["pos": .text("\(100 + 140 * h),100!"), "label": .text("h\(h)"), "id": .text("h\(h)"),
                                "width": "0.8", "height": "0.5", "fillcolor": "#dde"])
        }
        for e in 0..<edges {
            let (t, h) = (e % 20, (e * 7 + 3) % 20)
            g.addEdge("h\(t)", "h\(h)", ["id": .text("e\(e)"), "tooltip": .text("edge \(e) = −0.5\n∂ = 1")])
        }
        for l in 0..<labels {
            let markup = "<TABLE BGCOLOR=\"#ffffff\" BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\"><TR><TD ALIGN=\"LEFT\">"
                + "<FONT COLOR=\"#1a1a1a\" POINT-SIZE=\"12\">w</FONT><FONT POINT-SIZE=\"9\">\(l)</FONT> = \(Double(l) / 7)</TD></TR></TABLE>"
            g.addNode("l\(l)", ["shape": "plaintext", "margin": "0", "width": "0", "height": "0", "fixedsize": "false", "style": "",
                                "label": .html(.raw(markup)), "id": .text("l\(l)"), "tooltip": .text("w_\(l) = \(l)"),
                                "pos": .text("\(200 + (l % 40) * 60),\(300 + (l / 40) * 40)!")])
        }
        return g
    }

    /// A finishing pass that rewrites tags one at a time, as SVGTypography does.
    func marked(_ svg: Data) -> Data {
        Data(String(decoding: svg, as: UTF8.self).replacingOccurrences(of: "<text ", with: "<text data-finished=\"1\" ").utf8)
    }

    func testALargePinnedGraphIsDrawnInTwoProcessesByteForByte() throws {
        let graph = labelledGraph()
        let whole = try GraphvizEngine.render(graph, engine: .pinned, format: .svg)
        let plan = try XCTUnwrap(SplitSVG.plan(GraphvizEngine.prepared(graph, for: .pinned)))
        XCTAssertGreaterThanOrEqual(plan.moved.nodes.count, SplitSVG.minimumMoved)
        XCTAssertEqual(plan.kept.edges.count, graph.edges.count)
        XCTAssertEqual(plan.kept.nodes.count + plan.moved.nodes.count, graph.nodes.count)
        guard case .drawn(let svg, let warnings) = try GraphvizEngine.renderSplit(GraphvizEngine.prepared(graph, for: .pinned), finishing: marked) else {
            return XCTFail("the parts were not joined")
        }
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(svg, marked(whole))
        XCTAssertEqual(try GraphvizEngine.renderPinnedSVG(graph, finishing: marked), marked(whole))
    }

    /// A moved node outside the kept part's bounding box would change the whole graph's box,
    /// written in the SVG's header: the parts are not joined, the graph is drawn whole.
    func testPartsThatCannotBeJoinedExactlyAreDrawnWhole() throws {
        var graph = labelledGraph()
        var outside = graph.nodes.last!
        outside.attributes["pos"] = "9000,9000!"
        graph = Graph(name: graph.name, directed: true, attributes: graph.attributes, nodeDefaults: graph.nodeDefaults, edgeDefaults: graph.edgeDefaults)
        for n in labelledGraph().nodes.dropLast() { graph.add(n) }
        graph.add(outside)
        for e in labelledGraph().edges { graph.add(e) }
        guard case .notJoined = try GraphvizEngine.renderSplit(GraphvizEngine.prepared(graph, for: .pinned), finishing: { $0 }) else {
            return XCTFail("joined a part outside the other's box")
        }
        XCTAssertEqual(try GraphvizEngine.renderPinnedSVG(graph, finishing: { $0 }), try GraphvizEngine.render(graph, engine: .pinned, format: .svg))
    }

    /// Graphviz's warning from the child's part: the graph is drawn whole, and the warning is
    /// reported once.
    func testAWarningOfTheChildsPartIsReported() throws {
        var graph = labelledGraph()
        var warned = graph.nodes.last!
        warned.attributes["shape"] = "splitchildshape"
        var g = Graph(name: graph.name, directed: true, attributes: graph.attributes, nodeDefaults: graph.nodeDefaults, edgeDefaults: graph.edgeDefaults)
        for n in graph.nodes.dropLast() { g.add(n) }
        g.add(warned)
        for e in graph.edges { g.add(e) }
        graph = g
        var warnings: [String] = []
        let svg = try GraphvizEngine.renderPinnedSVG(graph, warnings: { warnings += $0 }, finishing: { $0 })
        XCTAssertEqual(warnings.filter { $0.contains("splitchildshape") }.count, 1, "\(warnings)")
        XCTAssertEqual(svg, try GraphvizEngine.render(graph, engine: .pinned, format: .svg))
    }

    func testGraphsGraphvizWouldDrawDifferentlyInPartsAreNotSplit() {
        let graph = labelledGraph()
        XCTAssertNotNil(SplitSVG.plan(graph))
        XCTAssertNil(SplitSVG.plan(labelledGraph(labels: 1_500)), "too few nodes to be worth a process")
        func changed(_ change: (inout Graph) -> Void) -> Graph {
            var g = graph
            change(&g)
            return g
        }
        XCTAssertNil(SplitSVG.plan(changed { $0.attributes["outputorder"] = nil }), "nodes drawn before edges")
        XCTAssertNil(SplitSVG.plan(changed { $0.addEdge("h1", "h2", ["label": "placed"]) }), "an edge label is placed around every node")
        XCTAssertNil(SplitSVG.plan(changed { $0.addNode("x", ["xlabel": "placed", "pos": "1,1!"]) }), "an external label")
        // An edge to the last label node: that node stays, and so does every node before it.
        XCTAssertNil(SplitSVG.plan(changed { $0.addEdge("h1", "l2199") }))
        XCTAssertNil(SplitSVG.plan(changed { $0.addNode("noid", ["pos": "1,1!"]) }), "a node without an id is written by number")
        XCTAssertNil(SplitSVG.plan(changed { $0.addEdge("h1", "undeclared") }), "Graphviz makes a node an edge names after every declared one")
        XCTAssertNil(SplitSVG.plan(changed { $0.addNode("h1", ["pos": "1,1!", "id": "again"]) }), "Graphviz merges a repeated name")
    }

    /// A child that does not finish (deadlocked on a lock another thread held at the fork) is
    /// killed after its time, and the graph is drawn whole; one that exits is waited for.
    func testAChildThatNeverFinishesIsKilled() {
        let start = SplitSVG.now()
        let stuck = bpviz_fork()
        if stuck == 0 { while true { sleep(1) } }
        XCTAssertNil(SplitSVG.waitForChild(stuck, startedAt: start, atLeast: 0.2))
        XCTAssertLessThan(SplitSVG.now() - start, 5)
        XCTAssertEqual(kill(pid_t(stuck), 0), -1, "the child is gone")
        let quick = bpviz_fork()
        if quick == 0 { bpviz_exit_child(3) }
        XCTAssertEqual(SplitSVG.waitForChild(quick, startedAt: SplitSVG.now()).map { ($0 >> 8) & 0xFF }, 3)
    }

    /// The child is not left behind: it dies with its parent, and ^C reaches it (the parent
    /// blocks SIGINT for its signal thread, which the child does not have).
    func testTheChildEndsWithItsParentAndOnInterrupt() {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGINT)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let child = bpviz_fork()
        if child == 0 { while true { sleep(1) } }
        kill(pid_t(child), SIGINT)
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid_t(child), &status, 0), pid_t(child))
        XCTAssertEqual(status & 0x7F, SIGINT, "killed by the interrupt")
    }

    func testAnchorsInHTMLLabelsAreFound() {
        for markup in ["<TABLE HREF=\"x\"><TR><TD>a</TD></TR></TABLE>", "<table><tr><td title=\"t\">a</td></tr></table>",
                       "<TABLE><TR><TD ID=\"c\">a</TD></TR></TABLE>", "<TABLE TOOLTIP=\"t\" BORDER=\"0\"></TABLE>", "<TD Target=\"_top\">",
                       "<TABLE HREF = \"x\"></TABLE>", "<TD id\n=\"c\">"] {
            XCTAssertTrue(SplitSVG.hasAnchor(markup), markup)
        }
        for markup in ["<TABLE BORDER=\"0\" WIDTH=\"3\"><TR><TD VALIGN=\"TOP\">x = 1</TD></TR></TABLE>", "a = b", "=", "", "<FONT POINT-SIZE=\"9\">VALID=</FONT>",
                       "<TD XID=\"1\">", "<TD TITLES=\"x\">", "<TD HREFS=\"x\">", "<TD TOOLTIPS=\"x\">", "<TD I=\"x\">"] {
            XCTAssertFalse(SplitSVG.hasAnchor(markup), markup)
        }
    }
}
