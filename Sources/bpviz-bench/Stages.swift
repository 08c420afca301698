// `bpviz-bench --stages NETWORK VIEW [RUNS]`: where one render's time goes, in process CPU
// milliseconds (median of RUNS after one warm-up, with the text-metrics cache of
// BPVIZ_CACHE_DIR): solving, annotating, laying out (every label built and measured), building
// the pinned graph, Graphviz drawing that graph to SVG (the floor no Swift-side work can
// lower), the same drawing read from its DOT text (what `neato -n2` does, without the process),
// and the whole render of the laid-out diagram. Prints one JSON object.
import Annotation
import Foundation
import Graphviz
import NetworkModel
import Rendering

func cpuMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}

func stages(_ arguments: [String]) throws {
    guard arguments.count >= 2, let view = View(rawValue: arguments[1]) else {
        FileHandle.standardError.write(Data("usage: bpviz-bench --stages NETWORK VIEW [RUNS]\n".utf8))
        exit(2)
    }
    let runs = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5
    var times: [String: [Double]] = [:]
    func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let start = cpuMilliseconds()
        let result = try body()
        times[stage, default: []].append(cpuMilliseconds() - start)
        return result
    }
    let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
    for _ in 0...runs {
        let solution = try timed("solve") { try NetworkFile.load(path: arguments[0]).solve() }
        let diagram = try timed("annotate") { try view.diagram(solution, options: ViewOptions(maxEdges: .max, maxOps: .max)) }
        let layout = try timed("layout") { try renderer.layout(diagram) }
        let graph = try timed("graph") { try renderer.graph(diagram, layout: layout) }
        _ = try timed("graphviz_draw") { try GraphvizEngine.render(graph, engine: .pinned, format: .svg) }
        let dot = graph.dot
        _ = try timed("graphviz_draw_from_dot") { try GraphvizEngine.render(dot: dot, engine: .pinned, formats: [.svg]) }
        _ = try timed("render_laid_out") { try renderer.render(diagram, format: .svg, layout: layout) }
    }
    var result: [String: Double] = ["runs": Double(runs)]
    for (stage, values) in times {
        let measured = values.dropFirst().sorted()  // the first run warms up
        result[stage + "_ms"] = measured[measured.count / 2]
    }
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
}
