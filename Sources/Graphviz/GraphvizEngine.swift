import CGraphviz
import Foundation
import Synchronization

/// How a graph is laid out before it is rendered.
public enum LayoutEngine: Equatable, Sendable {
    /// Layered layout, for graphs whose structure should decide the picture.
    case dot
    /// Spring layout.
    case neato
    /// `neato -n2`: nodes stay where their `pos` puts them (in points); edges without a `pos`
    /// are routed, and edges with one are drawn as given. Graphviz's `nop2` engine.
    case pinned
    /// Any other engine by name (`fdp`, `circo`, …).
    case named(String)

    var name: String {
        switch self {
        case .dot: "dot"
        case .neato: "neato"
        case .pinned: "nop2"
        case .named(let n): n
        }
    }
}

/// Formats every Graphviz installation renders; others by name with
/// ``GraphvizEngine/render(dot:engine:formatNamed:)``.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// DOT with the layout's positions (`-Tdot`), xdot with drawing operations, SVG, PNG, PDF
    /// and Graphviz's JSON, each as Graphviz's `-T` option of the same name writes it.
    case dot, xdot, svg, png, pdf, json
}

/// The public face of the binding. Every function is safe to call from many threads or
/// tasks at once: each takes the process-wide Graphviz lock for its whole C conversation,
/// and no C pointer leaves it.
///
/// Named apart from the module: a type called `Graphviz` in module `Graphviz` would shadow the
/// module, so `Graphviz.Node` could not name this module's `Node` where another is in scope.
public enum GraphvizEngine {
    /// Lays the graph out once and renders it in each of `formats`.
    /// `warnings` receives what Graphviz warned about while it succeeded (for a verbose
    /// mode); errors become a thrown `GraphvizError`. Nothing is ever printed.
    public static func render(_ graph: Graph, engine: LayoutEngine = .dot, formats: [OutputFormat],
                              warnings: (([String]) -> Void)? = nil) throws -> [Data] {
        let graph = prepared(graph, for: engine)
        guard CGraphWriter.canWrite(graph) else { return try render(dot: graph.dot, engine: engine, formats: formats, warnings: warnings) }
        return try withLaidOutGraph(.graph(graph), engine: engine, drawnByCairo: formats.contains { !textOnlyFormats.contains($0.rawValue) },
                                    warnings: warnings) { gvc, g in
            try formats.map { try renderData(gvc, g, $0.rawValue) }
        }
    }

    /// Lays the graph out and renders it in one format.
    public static func render(_ graph: Graph, engine: LayoutEngine = .dot, format: OutputFormat,
                              warnings: (([String]) -> Void)? = nil) throws -> Data {
        try render(graph, engine: engine, formats: [format], warnings: warnings)[0]
    }

    /// The SVG of a graph with pinned positions, passed through `finishing`: a pass over the
    /// SVG that rewrites each tag on its own, so that it may be given the SVG in pieces cut
    /// before a `<!--` comment (SVGTypography's). A large graph is drawn by two processes at
    /// once when the program allows it (`drawsLargeSVGInTwoProcesses`), each finishing its own
    /// piece (see SplitSVG); the bytes are the same.
    public static func renderPinnedSVG(_ graph: Graph, warnings: (([String]) -> Void)? = nil,
                                       finishing: (Data) -> Data) throws -> Data {
        let graph = prepared(graph, for: .pinned)
        var early: [String] = []
        if drawsLargeSVGInTwoProcesses, CGraphWriter.canWrite(graph) {
            switch try renderSplit(graph, finishing: finishing) {
            case .drawn(let svg, let reported):
                if !reported.isEmpty { warnings?(reported) }
                return svg
            case .notJoined(let reported): early = reported
            case .notSplit: break
            }
        }
        // A warning Graphviz gives once per process may have been given to the split drawing.
        var reported = early
        let svg = try render(graph, engine: .pinned, format: .svg) { reported += $0.filter { !early.contains($0) } }
        if !reported.isEmpty { warnings?(reported) }
        return finishing(svg)
    }

    /// With pinned positions the caller's coordinates are the picture's: ask Graphviz not to
    /// shift the drawing so its corner sits at the origin.
    static func prepared(_ graph: Graph, for engine: LayoutEngine) -> Graph {
        guard engine == .pinned, graph.attributes["notranslate"] == nil else { return graph }
        var g = graph
        g.attributes["notranslate"] = "true"
        return g
    }

    /// Renders DOT text: read, lay out once, render each format.
    public static func render(dot text: String, engine: LayoutEngine = .dot, formats: [OutputFormat],
                              warnings: (([String]) -> Void)? = nil) throws -> [Data] {
        try withLaidOutGraph(.dot(text), engine: engine, drawnByCairo: formats.contains { !textOnlyFormats.contains($0.rawValue) },
                             warnings: warnings) { gvc, g in
            try formats.map { try renderData(gvc, g, $0.rawValue) }
        }
    }

    /// Renders to a format given by name (any format Graphviz's plugins know: `jpg`, `eps`…).
    public static func render(dot text: String, engine: LayoutEngine = .dot, formatNamed name: String) throws -> Data {
        try withLaidOutGraph(.dot(text), engine: engine, drawnByCairo: !textOnlyFormats.contains(name), warnings: nil) { gvc, g in
            try renderData(gvc, g, name)
        }
    }

    /// Lays the graph out and reads back where everything went, in points, y up.
    public static func layout(_ graph: Graph, engine: LayoutEngine = .dot) throws -> Layout {
        try withLaidOutGraph(.dot(prepared(graph, for: engine).dot), engine: engine, drawnByCairo: false, warnings: nil) { gvc, g in
            // Rendering to "dot" attaches the computed positions as attributes.
            _ = try renderData(gvc, g, "dot")
            return Layout(reading: g)
        }
    }

    /// The size in points of each label, as Graphviz's text layout measures it with the given
    /// node attributes (font, size, margin, shape): each label is a node of a pinned graph, and
    /// its size is the node's width and height as `-Tdot` would write them, read from the node
    /// itself. Labels go to Graphviz in batches, so the memory of parsed labels stays that of
    /// one batch however many labels there are (a labelled 32-64-64-10 measures ~20,000).
    /// With the text-metrics cache on, a label measured before (in this process or, from the
    /// cache file, in an earlier one) is not given to Graphviz again: its size is remembered.
    ///
    /// An HTML label given as a tree (not `.raw` markup) is sized without Graphviz's layout
    /// where `HTMLLabelSizer` can size it: the same numbers, from Graphviz's span sizes.
    public static func measure(_ labels: [Value], nodeAttributes: Attributes) throws -> [Size] {
        try checkSetup()  // starts the runtime, which loads the cache
        guard let sizer = HTMLLabelSizer(nodeAttributes: nodeAttributes) else { return try measuredByGraphviz(labels, nodeAttributes: nodeAttributes) }
        var sizes: [Size?] = []
        sizes.reserveCapacity(labels.count)
        for label in labels {
            if case .html(let html) = label { sizes.append(try sizer.size(html)) } else { sizes.append(nil) }
        }
        try sizer.finish()
        let rest = sizes.indices.filter { sizes[$0] == nil }
        if !rest.isEmpty {
            for (i, size) in zip(rest, try measuredByGraphviz(rest.map { labels[$0] }, nodeAttributes: nodeAttributes)) { sizes[i] = size }
        }
        return sizes.map { $0! }
    }

    /// `measure` by Graphviz alone: each label a node of a pinned graph.
    static func measuredByGraphviz(_ labels: [Value], nodeAttributes: Attributes) throws -> [Size] {
        let defaults = measureDefaults(nodeAttributes)
        // Only a call of at most `rememberedLabelLimit` labels is remembered: a large labelled
        // net measures ~20,000 labels, which would crowd the text sizes out of the cache's
        // bounded table and make every save of it (one per Graphviz conversation) rewrite
        // megabytes — its cold render took 5.0 → 7.3 s CPU when they were remembered.
        let keys = TextMetricsCache.remembersLabels && labels.count <= rememberedLabelLimit
            ? labelKeys(labels, defaults: defaults) : nil
        var sizes = keys.map(TextMetricsCache.labelSizes) ?? Array(repeating: nil, count: labels.count)
        let missing = sizes.indices.filter { sizes[$0] == nil }
        var start = 0
        while start < missing.count {
            let end = min(missing.count, start + measureBatch)
            var graph = Graph(name: "measure", nodeDefaults: defaults)
            for j in start..<end { graph.addNode("m\(j - start)", ["label": labels[missing[j]]]) }
            let batch = try withLaidOutGraph(.graph(prepared(graph, for: .pinned)), engine: .pinned, drawnByCairo: false, warnings: nil) { _, g -> [Size] in
                var batch: [Size] = []
                batch.reserveCapacity(end - start)
                // Nodes come in the order they were created: m0, m1, …
                var n = agfstnode(g)
                while let node = n {
                    batch.append(Size(width: bpviz_node_width_inches(node) * 72, height: bpviz_node_height_inches(node) * 72))
                    n = agnxtnode(g, node)
                }
                // Inside the conversation, so that they are saved with the spans it measured.
                if let keys, batch.count == end - start { TextMetricsCache.remember(zip((start..<end).map { keys[missing[$0]] }, batch)) }
                return batch
            }
            guard batch.count == end - start else {
                throw GraphvizError(stage: .layout, messages: ["measured \(batch.count) of \(end - start) labels"])
            }
            for (j, size) in zip(start..<end, batch) { sizes[missing[j]] = size }
            start = end
        }
        return sizes.map { $0! }
    }

    /// What Graphviz's text layout answers for one span of text: its size in points and the
    /// offsets of its baseline and centre line (textspan_t's yoffset_layout and
    /// yoffset_centerline), as Graphviz itself gets it while it sizes a label.
    package struct TextSpanMetrics: Equatable, Sendable {
        package var width: Double
        package var height: Double
        package var baseline: Double
        package var centerline: Double
    }

    /// Each span measured as Graphviz measures the spans of a label (`textspan_size`: the
    /// font's postscript alias, then the text-layout plugin Graphviz uses — the text-metrics
    /// cache, which asks Pango on a miss, or Pango itself — or Graphviz's estimate when it has
    /// no answer), so the numbers are identical to Graphviz's. The cache's new entries are
    /// saved with the next Graphviz conversation, or by `saveTextMetrics`.
    package static func textSpans(_ spans: [(font: String, size: Double, flags: UInt32, text: String)]) throws -> [TextSpanMetrics] {
        try GraphvizRuntime.shared.withContext { gvc in
            GraphvizRuntime.shared.capturingMessages { () -> [TextSpanMetrics] in
                spans.map { request in
                    var font = textfont_t()
                    font.name = internedFontName(request.font)
                    font.size = request.size
                    font.flags = request.flags
                    return withUnsafeMutablePointer(to: &font) { font in
                        var text = request.text
                        return text.withUTF8 { bytes -> TextSpanMetrics in
                            // NUL-terminated copy: Graphviz reads the span's string as C text.
                            let string = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                            defer { string.deallocate() }
                            bytes.withMemoryRebound(to: CChar.self) { string.initialize(from: $0.baseAddress!, count: bytes.count) }
                            string[bytes.count] = 0
                            var span = textspan_t()
                            span.str = string
                            span.font = font
                            let size = textspan_size(gvc, &span)
                            if let layout = span.layout, let free = span.free_layout { free(layout) }
                            return TextSpanMetrics(width: size.x, height: size.y, baseline: span.yoffset_layout, centerline: span.yoffset_centerline)
                        }
                    }
                }
            }.0
        }
    }

    /// Saves the text metrics measured since the last Graphviz conversation (see `textSpans`).
    package static func saveTextMetrics() throws {
        try GraphvizRuntime.shared.withContext { _ in TextMetricsCache.during(drawnByCairo: false) {} }
    }

    /// Font names as C strings that live as long as the process: Graphviz's Pango plugin
    /// keeps a pointer to the last font name it used and compares the next span's with it,
    /// as Graphviz's own fonts (in the context's font dictionary) live as long as the context.
    /// Shared by the sizer's spans and Pango's warm-up (`PangoWarmUp`), so each name is made once.
    private static let fontNames = Mutex<[String: UnsafeMutablePointer<CChar>]>([:])

    static func internedFontName(_ name: String) -> UnsafeMutablePointer<CChar> {
        fontNames.withLock { names in
            if let p = names[name] { return p }
            let p = strdup(name)!
            names[name] = p
            return p
        }
    }

    /// A length in points as `measure` gives it: Graphviz writes a node's size in inches to
    /// five significant digits, and `measure` reads that back. For sizes computed from
    /// measured parts, so they equal what measuring the whole would give.
    package static func asMeasured(_ points: Double) -> Double {
        bpviz_written_inches(points) * 72
    }

    /// Labels measured per Graphviz graph.
    static let measureBatch = 1024

    /// The most labels one `measure` call remembers in the text-metrics cache (see there).
    static let rememberedLabelLimit = 2_000

    /// The text-metrics cache's key of each label, measured with node defaults `defaults`.
    static func labelKeys(_ labels: [Value], defaults: Attributes) -> [TextMetricsCache.Key] {
        var prefix = ""
        DOT.attributeList(defaults, into: &prefix)
        return labels.map { label in
            var description = prefix
            DOT.value(label, into: &description)
            return TextMetricsCache.labelKey(description)
        }
    }

    /// `measure`'s node defaults for `nodeAttributes`: each label a node pinned at the origin.
    static func measureDefaults(_ nodeAttributes: Attributes) -> Attributes {
        nodeAttributes.merging(["pos": "0,0!", "width": "0", "height": "0"]) { a, _ in a }
    }

    /// Reads DOT text into a Graph: nodes, edges, subgraphs and every attribute that differs
    /// from its default.
    public static func read(dot text: String) throws -> Graph {
        try GraphvizRuntime.shared.withContext { _ in
            let (result, errors, _) = GraphvizRuntime.shared.capturingMessages { () -> Graph? in
                guard let g = agmemread(text) else { return nil }
                defer { agclose(g) }
                return GraphReader.graph(from: g)
            }
            guard let result else { throw GraphvizError(stage: .read, messages: errors.isEmpty ? ["not a DOT graph"] : errors) }
            return result
        }
    }

    /// DOT text as Graphviz itself writes it (`agwrite`), for a canonical form.
    public static func canonicalDOT(_ text: String) throws -> String {
        try GraphvizRuntime.shared.withContext { _ in
            let (result, errors, _) = GraphvizRuntime.shared.capturingMessages { () -> String? in
                guard let g = agmemread(text) else { return nil }
                defer { agclose(g) }
                let text = MemoryStream.collect { agwrite(g, UnsafeMutableRawPointer($0)) == 0 }
                return text.map { String(decoding: $0, as: UTF8.self) }
            }
            guard let result else { throw GraphvizError(stage: .read, messages: errors.isEmpty ? ["could not write the graph"] : errors) }
            return result
        }
    }

    /// Whether Graphviz is usable here (plugins configured); the error says what to do if not.
    public static func checkSetup() throws {
        try GraphvizRuntime.shared.withContext { _ in }
    }

    // MARK: - The one C conversation

    struct StageFailure: Error { var stage: GraphvizError.Stage }

    /// Formats whose renderers write text as text, from the measured sizes alone; any other
    /// (cairo's PNG and PDF, …) draws each span with the Pango layout made while measuring.
    static let textOnlyFormats: Set<String> = ["svg", "dot", "xdot", "json", "json0", "dot_json", "xdot_json",
                                               "plain", "plain-ext", "canon", "gv", "imap", "cmapx", "map"]

    /// What a graph is read from: DOT text, or a Graph made through cgraph's API (see
    /// CGraphWriter; only for graphs it can make exactly as their DOT would be read).
    enum Source {
        case dot(String)
        case graph(Graph)
    }

    private static func withLaidOutGraph<T: Sendable>(_ source: Source, engine: LayoutEngine, drawnByCairo: Bool,
                                                      warnings report: (([String]) -> Void)?,
                                                      _ body: (OpaquePointer, UnsafeMutablePointer<Agraph_t>) throws -> T) throws -> T {
        let (result, warnings) = try GraphvizRuntime.shared.withContext { gvc -> (T, [String]) in
            let (result, errors, warnings) = GraphvizRuntime.shared.capturingMessages { () -> Result<T, Error> in
                TextMetricsCache.during(drawnByCairo: drawnByCairo) { () -> Result<T, Error> in
                    let made: UnsafeMutablePointer<Agraph_t>?
                    switch source {
                    case .dot(let text): made = agmemread(text)
                    case .graph(let graph): made = CGraphWriter.make(graph)
                    }
                    guard let g = made else { return .failure(StageFailure(stage: .read)) }
                    defer { agclose(g) }
                    guard gvLayout(gvc, g, engine.name) == 0 else { return .failure(StageFailure(stage: .layout)) }
                    defer { gvFreeLayout(gvc, g) }
                    return Result { try body(gvc, g) }
                }
            }
            switch result {
            case .success(let value): return (value, warnings)
            case .failure(let failure as StageFailure):
                throw GraphvizError(stage: failure.stage, messages: errors.isEmpty ? ["failed without a message"] : errors)
            case .failure(let other): throw other
            }
        }
        // The caller's code runs only after the lock is released: it may call the binding again.
        if !warnings.isEmpty { report?(warnings) }
        return result
    }

    private static func renderData(_ gvc: OpaquePointer, _ g: UnsafeMutablePointer<Agraph_t>, _ format: String) throws -> Data {
        guard let data = MemoryStream.collect({ gvRender(gvc, g, format, $0) == 0 }) else {
            throw StageFailure(stage: .render)
        }
        return data
    }
}
