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

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: bpviz-bench NETWORK THEMES_DIR\n".utf8))
    exit(2)
}
setenv("BPVIZ_THEMES", arguments[2], 1)
let solution = try NetworkFile.load(path: arguments[1]).solve()
let diagram = Annotator(solution: solution).diagram(view: .full)
let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
let graph = try renderer.graph(diagram)
let dot = graph.dot

// The binding alone: lay out and render the same pinned graph to SVG.
for _ in 0..<10 { _ = try Graphviz.render(dot: dot, engine: .pinned, formats: [.svg]) }
let after10 = residentBytes()
let start = now()
let count = Int(ProcessInfo.processInfo.environment["BENCH_COUNT"] ?? "") ?? 1000
for _ in 0..<count { _ = try Graphviz.render(dot: dot, engine: .pinned, formats: [.svg]) }
let elapsed = now() - start
let after1000 = residentBytes()

// The whole pipeline in-process: annotate, measure, lay out, render, typography.
let pipelineCount = Int(ProcessInfo.processInfo.environment["BENCH_PIPELINE"] ?? "") ?? 200
let pipelineStart = now()
for _ in 0..<pipelineCount {
    _ = try renderer.render(Annotator(solution: solution).diagram(view: .full), format: .svg)
}
let pipelineElapsed = now() - pipelineStart

let result: [String: Double] = [
    "binding_renders_per_second": Double(count) / elapsed,
    "binding_ms_per_render": elapsed / Double(count) * 1000,
    "pipeline_ms_per_render": pipelineElapsed / Double(pipelineCount) * 1000,
    "rss_after_10_mb": Double(after10) / 1_048_576,
    "rss_after_1000_mb": Double(after1000) / 1_048_576,
    "rss_growth_mb": Double(after1000 - after10) / 1_048_576,
]
let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
