// In-process measurements for `make bench`: renders per second through the binding, and
// resident memory after 10 and after 1,000 renders. Prints one JSON object.
import Annotation
import Foundation
import Graphviz
import NetworkModel
import Rendering

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let usage = """
    usage: bpviz-bench NETWORK                     renders per second through the binding, and memory
                                                   after 10 and 1,000 renders (one JSON object)
           bpviz-bench --stages NETWORK VIEW [RUNS]  CPU milliseconds of each stage of one render

    """

/// The value, or the error as one line on the standard error and exit status 1 (a bad
/// network file is a message, not a crash).
func orExit<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch {
        FileHandle.standardError.write(Data("bpviz-bench: \(error)\n".utf8))
        exit(1)
    }
}

let arguments = CommandLine.arguments
if arguments.count >= 2, ["--help", "-h"].contains(arguments[1]) {
    print(usage, terminator: "")
    exit(0)
}
if arguments.count >= 2, arguments[1] == "--stages" {
    orExit { try stages(Array(arguments.dropFirst(2))) }
    exit(0)
}
guard arguments.count == 2, !arguments[1].hasPrefix("-") else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let solution = orExit { try NetworkFile.load(path: arguments[1]).solve() }
let diagram = Annotator(solution: solution).diagram(view: .full)
let renderer = DiagramRenderer(theme: orExit { try Theme.named("classroom") })
let graph = orExit { try renderer.graph(diagram) }
let dot = graph.dot

/// The same graph with plain-text labels: Graphviz 2.43's HTML-label parser leaks a little
/// for every line and run of an HTML label, so the binding's own memory behaviour is
/// measured on plain labels, and the HTML graph is reported beside it.
func plainLabelled(_ g: Graph) -> Graph {
    func plain(_ a: Attributes, _ text: String) -> Attributes {
        var copy = a
        if case .html = a["label"] { copy["label"] = .text(text) }
        return copy
    }
    var out = Graph(name: g.name, directed: g.directed, attributes: g.attributes, nodeDefaults: g.nodeDefaults, edgeDefaults: g.edgeDefaults)
    for n in g.nodes {
        let lines = diagram.node(NodeID(n.id))?.lines.map(\.text.unicode).joined(separator: "\n") ?? n.id
        out.add(Node(n.id, plain(n.attributes, lines)))
    }
    for e in g.edges {
        let lines = diagram.edges.first { $0.tail.raw == e.tail && $0.head.raw == e.head }?.lines.map(\.text.unicode).joined(separator: "\n") ?? ""
        out.add(Edge(e.tail, e.head, plain(e.attributes, lines)))
    }
    return out
}

/// Renders `dot` `count` times after 10 warm-up renders: (ms per render, RSS growth in MB).
func measure(_ dot: String, count: Int) throws -> (Double, Double, Double) {
    for _ in 0..<10 { _ = try GraphvizEngine.render(dot: dot, engine: .pinned, formats: [.svg]) }
    let before = residentBytes()
    let start = now()
    for _ in 0..<count { _ = try GraphvizEngine.render(dot: dot, engine: .pinned, formats: [.svg]) }
    let elapsed = now() - start
    return (elapsed / Double(count) * 1000, Double(residentBytes() - before) / 1_048_576, Double(before) / 1_048_576)
}

let count = Int(ProcessInfo.processInfo.environment["BENCH_COUNT"] ?? "") ?? 1000
let plainDOT = plainLabelled(graph).dot
try plainDOT.write(toFile: NSTemporaryDirectory() + "bpviz-bench-plain.dot", atomically: true, encoding: .utf8)
let (plainMS, plainGrowth, plainBase) = try measure(plainDOT, count: count)
let (htmlMS, htmlGrowth, _) = try measure(dot, count: count)

// The whole pipeline in-process: annotate, measure, lay out, render, typography.
let pipelineCount = Int(ProcessInfo.processInfo.environment["BENCH_PIPELINE"] ?? "") ?? 200
let pipelineStart = now()
for _ in 0..<pipelineCount {
    _ = try renderer.render(Annotator(solution: solution).diagram(view: .full), format: .svg)
}
let pipelineElapsed = now() - pipelineStart

let result: [String: Double] = [
    "plain_ms_per_render": plainMS,
    "plain_renders_per_second": 1000 / plainMS,
    "plain_rss_after_10_mb": plainBase,
    "plain_rss_growth_mb": plainGrowth,
    "html_ms_per_render": htmlMS,
    "html_renders_per_second": 1000 / htmlMS,
    "html_rss_growth_mb": htmlGrowth,
    "renders": Double(count),
    "pipeline_ms_per_render": pipelineElapsed / Double(max(pipelineCount, 1)) * 1000,
]
let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
