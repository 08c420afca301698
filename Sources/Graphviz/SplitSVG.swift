import CGraphviz
import Foundation
import Synchronization

/// A large pinned graph's SVG drawn by two processes at once, joined into exactly the bytes
/// one drawing of the whole graph writes.
///
/// Graphviz keeps its state in globals, so one process draws one graph at a time on one core,
/// and for a labelled 32-64-64-10 that is most of the render: parsing 6,784 HTML labels and
/// writing 16 MB of SVG. The labels are nodes of their own at the end of the graph, touched by
/// no edge; a forked child draws a run of them while this process draws the rest. With
/// `outputorder=edgesfirst` Graphviz writes every edge, then the nodes in the order they were
/// made, each node's SVG depending only on the node: the child's nodes, cut out of its SVG, go
/// just before the closing tags of this process's SVG.
///
/// The join is only made when it is exact; otherwise `draw` returns nil and the caller draws
/// the whole graph in this process: the child said anything (a warning), its bounding box is
/// not inside this process's (the whole graph's box would then differ from the one written in
/// this SVG's header), or its SVG holds a gradient (Graphviz numbers them with a counter of its
/// process). `plan` moves no node an edge touches, no node with an external label or an
/// anchor in its HTML label (numbered by a counter too), nor any node when something in the
/// graph has an external or edge label (Graphviz places those around every node).
enum SplitSVG {
    /// The two parts of a graph: every edge and the first nodes, and a run of nodes at the end.
    struct Plan {
        var kept: Graph
        var moved: Graph
        /// The name of the first moved node: its comment starts the moved part of the child's SVG.
        var firstMoved: String
        /// The nodes of the other part, whose attributes each part declares too.
        var keptNodes: ArraySlice<Node>
        var movedNodes: ArraySlice<Node>
    }

    /// A graph is split only when the child draws at least this many nodes: below that the fork
    /// and the join cost more than they save.
    static let minimumMoved = 1_000

    /// `GraphvizEngine.drawsLargeSVGInTwoProcesses`.
    static let allowed = Atomic<Bool>(false)

    /// What drawing an edge costs next to drawing a node with an HTML label (its path, arrow
    /// head and tooltip against the label's parse and text), for sharing the work evenly.
    /// (A labelled 32-64-64-10's profile: each process's samples against the labels and edges
    /// it drew, with SVG numbers printed by `gvprintdouble` of the executable.)
    static let edgeCost = 0.13

    /// How `graph` is split, or nil when it is not worth it or not exact.
    static func plan(_ graph: Graph) -> Plan? {
        guard graph.nodes.count >= 2 * minimumMoved, graph.subgraphs.isEmpty,
              graph.attributes["outputorder"] == .text("edgesfirst"),
              !hasPlacedLabels(graph.nodeDefaults, edge: false), !hasPlacedLabels(graph.edgeDefaults, edge: true)
        else { return nil }
        // Every node declared once, and every edge between declared nodes: Graphviz merges a
        // repeated name and makes a node an edge names last, both across the whole graph.
        var names = Set<String>()
        names.reserveCapacity(graph.nodes.count)
        for n in graph.nodes where !names.insert(n.id).inserted { return nil }
        var endpoints = Set<String>()
        endpoints.reserveCapacity(2 * graph.edges.count)
        for e in graph.edges {
            if hasPlacedLabels(e.attributes, edge: true) || !names.contains(e.tail) || !names.contains(e.head) { return nil }
            endpoints.insert(e.tail)
            endpoints.insert(e.head)
        }
        let balanced = Int((Double(graph.nodes.count) + edgeCost * Double(graph.edges.count)) / 2)
        var start = graph.nodes.count
        while start > 0, graph.nodes.count - start < balanced, movable(graph.nodes[start - 1], endpoints: endpoints) {
            start -= 1
        }
        guard graph.nodes.count - start >= minimumMoved else { return nil }
        for n in graph.nodes[..<start] where n.attributes["xlabel"] != nil { return nil }
        var kept = Graph(name: graph.name, directed: graph.directed, attributes: graph.attributes,
                         nodeDefaults: graph.nodeDefaults, edgeDefaults: graph.edgeDefaults)
        var moved = kept
        for n in graph.nodes[..<start] { kept.add(n) }
        for e in graph.edges { kept.add(e) }
        for n in graph.nodes[start...] { moved.add(n) }
        return Plan(kept: kept, moved: moved, firstMoved: graph.nodes[start].id,
                    keptNodes: graph.nodes[..<start], movedNodes: graph.nodes[start...])
    }

    /// Labels Graphviz places itself, avoiding every node: a node's `xlabel`, an edge's labels.
    static func hasPlacedLabels(_ attributes: Attributes, edge: Bool) -> Bool {
        edge ? attributes.keys.contains { $0.hasSuffix("label") } : attributes["xlabel"] != nil
    }

    /// Whether the child may draw `node`: no edge touches it, it has an explicit id (else its
    /// SVG id is its sequence number) and a name its SVG comment writes as it is, no external
    /// label, and no anchor in its HTML label.
    static func movable(_ node: Node, endpoints: Set<String>) -> Bool {
        guard !endpoints.contains(node.id), node.attributes["xlabel"] == nil,
              case .text(let id)? = node.attributes["id"], !id.isEmpty,
              !node.id.isEmpty, node.id.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return false }
        switch node.attributes["label"] {
        case .html(let html)?: return !hasAnchor(html.markup)
        case .escaped?: return false
        default: return true
        }
    }

    /// Whether HTML markup may give Graphviz an anchor: an HREF, TARGET, TITLE, TOOLTIP or ID
    /// attribute of a table or cell (names are case-blind). Text that merely looks like one
    /// ("ID=" in a label) only keeps the node in this process.
    static func hasAnchor(_ markup: String) -> Bool {
        var markup = markup
        return markup.withUTF8 { bytes -> Bool in
            var i = 0
            while i < bytes.count {
                guard let found = memchr(bytes.baseAddress! + i, Int32(UInt8(ascii: "=")), bytes.count - i) else { return false }
                let eq = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                var j = eq
                // XML allows white space around "=".
                while j > 0, bytes[j - 1] == 0x20 || bytes[j - 1] == 0x09 || bytes[j - 1] == 0x0A || bytes[j - 1] == 0x0D { j -= 1 }
                let nameEnd = j
                while j > 0, (bytes[j - 1] | 0x20) >= 0x61, (bytes[j - 1] | 0x20) <= 0x7A { j -= 1 }
                let length = nameEnd - j
                if length == 2 || (4...7).contains(length) {
                    for name in anchorNames where name.count == length {
                        var k = 0
                        while k < length, bytes[j + k] & ~0x20 == name[k] { k += 1 }
                        if k == length { return true }
                    }
                }
                i = eq + 1
            }
            return false
        }
    }

    /// Compared in place with each attribute name before an "=" (a labelled 32-64-64-10's
    /// labels have ~600,000): no array is made for a name.
    private static let anchorNames: [[UInt8]] = ["HREF", "TARGET", "TITLE", "TOOLTIP", "ID"].map { Array($0.utf8) }

    /// The child drawing the moved nodes, and this process's drawing of the rest.
    struct Started: Sendable {
        var child: Int32
        var file: Int32
        var kept: Part?
        /// When the child was started (`now()`).
        var time: Double
    }

    /// Forks the child, which draws and finishes the moved nodes, and draws the kept part
    /// meanwhile; nil when no child could be started. Call inside the Graphviz lock, with its
    /// messages captured; then `joined`, outside it.
    static func start(_ plan: Plan, gvc: OpaquePointer, engine: String, finishing: (Data) -> Data) -> Started? {
        // No thread of this process's own may be inside a lock the child would need: the
        // text-metrics cache's fingerprint and saves are finished first.
        TextMetricsCache.finishBackgroundWork()
        let file = bpviz_memory_file()
        guard file >= 0 else { return nil }
        let time = now()
        let child = bpviz_fork()
        guard child >= 0 else { close(file); return nil }
        if child == 0 { drawChild(plan, gvc: gvc, engine: engine, finishing: finishing, into: file) }
        return Started(child: child, file: file, kept: drawPart(plan.kept, declaring: plan.movedNodes, gvc: gvc, engine: engine), time: time)
    }

    /// The whole graph's finished SVG: the kept part finished here while the child works, then
    /// the child's nodes put in; nil when they cannot be joined exactly.
    static func joined(_ started: Started, firstMoved: String, finishing: (Data) -> Data) -> Data? {
        defer { close(started.file) }
        var kept = started.kept
        if let part = kept { kept = Part(svg: finishing(part.svg), box: part.box) }
        guard let status = waitForChild(started.child, startedAt: started.time), let kept, status == 0,
              let moved = readAll(started.file) else { return nil }
        return join(kept: kept, moved: moved, firstMoved: firstMoved)
    }

    /// The child's exit status, or nil when it did not exit on its own in time: then it is
    /// killed (and the caller draws the whole graph). The child does what this process did
    /// meanwhile, so ten times as long, and at least ten seconds, is plenty; it can only be
    /// late if it deadlocked, on a lock another thread of this process held when it forked.
    static func waitForChild(_ child: Int32, startedAt start: Double, atLeast patience: Double = 10) -> Int32? {
        let deadline = start + max(patience, 10 * (now() - start))
        var status: Int32 = 0
        while true {
            let done = waitpid(pid_t(child), &status, WNOHANG)
            if done == pid_t(child) { return status }
            if done < 0 && errno != EINTR { return nil }
            if now() > deadline { break }
            usleep(1_000)
        }
        kill(pid_t(child), SIGKILL)
        while waitpid(pid_t(child), &status, 0) < 0 && errno == EINTR {}
        return nil
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// A part's SVG and its bounding box (x0, y0, x1, y1 in points).
    struct Part {
        var svg: Data
        var box: [Double]
    }

    static func drawPart(_ graph: Graph, declaring others: ArraySlice<Node>, gvc: OpaquePointer, engine: String) -> Part? {
        guard let g = CGraphWriter.make(graph, alsoDeclaring: others) else { return nil }
        defer { agclose(g) }
        guard gvLayout(gvc, g, engine) == 0 else { return nil }
        defer { gvFreeLayout(gvc, g) }
        var box = [Double](repeating: 0, count: 4)
        box.withUnsafeMutableBufferPointer { bpviz_graph_bb(g, $0.baseAddress!) }
        guard let svg = MemoryStream.collect({ gvRender(gvc, g, "svg", $0) == 0 }) else { return nil }
        return Part(svg: svg, box: box)
    }

    /// The forked process: draws the moved nodes, writes their bounding box and finished SVG
    /// to `file` and exits, 0 when it did, 2 when Graphviz said anything. It never returns;
    /// it frees nothing (the process ends) and saves nothing (the text-metrics cache is the
    /// parent's).
    static func drawChild(_ plan: Plan, gvc: OpaquePointer, engine: String, finishing: (Data) -> Data, into file: Int32) -> Never {
        guard let part = drawPart(plan.moved, declaring: plan.keptNodes, gvc: gvc, engine: engine) else { bpviz_exit_child(1); fatalError() }
        if GraphvizRuntime.shared.hasCapturedMessages { bpviz_exit_child(2); fatalError() }
        let svg = finishing(part.svg)
        var ok = part.box.withUnsafeBytes { writeAll($0, to: file) }
        ok = ok && svg.withUnsafeBytes { writeAll($0, to: file) }
        bpviz_exit_child(ok ? 0 : 1)
        fatalError()
    }

    /// What the child wrote: its box, then its SVG.
    static func readAll(_ file: Int32) -> Part? {
        var info = stat()
        guard fstat(file, &info) == 0, info.st_size >= 32 else { return nil }
        var bytes = Data(count: Int(info.st_size))
        let ok = bytes.withUnsafeMutableBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = pread(file, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                if n < 0 { if errno == EINTR { continue }; return false }
                if n == 0 { return false }
                offset += n
            }
            return true
        }
        guard ok else { return nil }
        let box = bytes.prefix(32).withUnsafeBytes { raw in (0..<4).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: Double.self) } }
        return Part(svg: bytes.dropFirst(32), box: box)
    }

    /// The kept part's SVG with the moved nodes put before its closing tags, or nil when the
    /// join would not be the whole graph's SVG.
    static func join(kept: Part, moved: Part, firstMoved: String) -> Data? {
        let closing = Array("</g>\n</svg>\n".utf8)
        let a = kept.box, b = moved.box
        guard b[0] >= a[0], b[1] >= a[1], b[2] <= a[2], b[3] <= a[3],
              kept.svg.count > closing.count, kept.svg.suffix(closing.count).elementsEqual(closing),
              moved.svg.count > closing.count, moved.svg.suffix(closing.count).elementsEqual(closing)
        else { return nil }
        return moved.svg.withUnsafeBytes { movedBytes -> Data? in
            let body = UnsafeRawBufferPointer(rebasing: movedBytes[..<(movedBytes.count - closing.count)])
            guard let start = firstIndex(of: Array("\n<!-- \(firstMoved) -->\n".utf8), in: body) else { return nil }
            let nodes = UnsafeRawBufferPointer(rebasing: body[(start + 1)...])
            if firstIndex(of: Array("<defs>".utf8), in: nodes) != nil { return nil }  // a gradient
            var out = Data(capacity: kept.svg.count + nodes.count)
            out.append(kept.svg.prefix(kept.svg.count - closing.count))
            out.append(contentsOf: nodes)
            out.append(contentsOf: closing)
            return out
        }
    }

    /// Where `needle` first occurs in `bytes`.
    static func firstIndex(of needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            guard let hit = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, needle, needle.count) == 0 { return at }
            i = at + 1
        }
        return nil
    }
}

extension GraphvizEngine {
    /// Whether a large pinned graph's SVG may be drawn by a forked child process as well as
    /// this one (see SplitSVG). Off unless the program turns it on: whether to fork is the
    /// host program's choice, as only it knows which of its threads might hold a lock the
    /// child would need. The bpviz command turns it on (its other threads are bpviz's own,
    /// and are finished or idle when it forks).
    public static var drawsLargeSVGInTwoProcesses: Bool {
        get { SplitSVG.allowed.load(ordering: .relaxed) }
        set { SplitSVG.allowed.store(newValue, ordering: .relaxed) }
    }

    /// What came of drawing a graph in two processes.
    enum SplitDrawing {
        /// The whole graph's finished SVG, and Graphviz's warnings.
        case drawn(Data, warnings: [String])
        /// The graph is not split (see SplitSVG.plan).
        case notSplit
        /// The parts could not be joined exactly; the warnings of this process's part.
        case notJoined(warnings: [String])
    }

    /// A pinned graph's finished SVG drawn by two processes (see SplitSVG).
    static func renderSplit(_ graph: Graph, finishing: (Data) -> Data) throws -> SplitDrawing {
        guard let plan = SplitSVG.plan(graph) else { return .notSplit }
        let (started, warnings) = try GraphvizRuntime.shared.withContext { gvc -> (SplitSVG.Started?, [String]) in
            let (started, _, warnings) = GraphvizRuntime.shared.capturingMessages {
                TextMetricsCache.during(drawnByCairo: false) {
                    SplitSVG.start(plan, gvc: gvc, engine: LayoutEngine.pinned.name, finishing: finishing)
                }
            }
            return (started, warnings)
        }
        guard let started, let svg = SplitSVG.joined(started, firstMoved: plan.firstMoved, finishing: finishing) else {
            return .notJoined(warnings: warnings)
        }
        return .drawn(svg, warnings: warnings)
    }
}
