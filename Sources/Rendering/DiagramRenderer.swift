import Annotation
import Foundation
import Graphviz

/// Diagram + theme → bytes. Measures labels and computes the geometry (one Graphviz call),
/// builds the pinned graph and renders it (a second call); `frames` shares one geometry
/// among many diagrams, so a deck is laid out once.
public struct DiagramRenderer: Sendable {
    /// Fonts, colours, spacing and direction of every picture this renderer draws.
    public let theme: Theme
    /// Told what Graphviz warned about, for a verbose mode.
    public var onWarnings: (@Sendable ([String]) -> Void)?

    /// A renderer drawing with `theme`; `onWarnings` hears what Graphviz warned about.
    public init(theme: Theme, onWarnings: (@Sendable ([String]) -> Void)? = nil) {
        self.theme = theme
        self.onWarnings = onWarnings
    }

    /// `tikz`: a `tikzpicture` to `\input` into a LaTeX document (see TikZWriter).
    public enum Format: String, CaseIterable, Sendable {
        /// The pinned Graphviz graph as DOT text, for other Graphviz tools.
        case dot
        /// SVG with real sub- and superscripts (see `SVGTypography`).
        case svg
        /// PNG at `dpi` (by default wide enough to fill a 1080p slide).
        case png
        /// PDF, one page.
        case pdf
        /// Graphviz's JSON of the laid-out graph.
        case json
        /// A `tikzpicture` for LaTeX.
        case tikz
    }

    /// A computed layout that several diagrams with the same nodes and edges can share.
    public struct Layout: Sendable {
        let geometry: DiagramGeometry
        let legend: HTML?
        /// The measured size of each line with stacked scripts (see `LabelBuilder.lineSizes`).
        var lineSizes: [MarkupKey: Size] = [:]
        /// The legend's text column width (see `LegendBuilder.browserTextWidth`).
        var legendTextWidth: Int?
        /// Edge labels as an SVG draws them, made while they were measured, and the theme
        /// they were made in (see `GraphBuilder.measuredEdgeLabels`).
        var edgeLabels: [EdgeID: GraphBuilder.DrawnLabel] = [:]
        var theme: Theme?
        /// The picture's width in points.
        public var width: Double { geometry.width }
        /// The picture's height in points.
        public var height: Double { geometry.height }
        /// Centre of each node in points (y down), for tests and overlays.
        public var nodeCenters: [NodeID: Point] { geometry.nodes.mapValues(\.center) }
    }

    /// Measures every label of `diagram` through Graphviz and computes where everything goes.
    ///
    /// - Throws: a `ThemeError` for a theme the renderer cannot use, a `GraphvizError` when
    ///   Graphviz cannot measure.
    public func layout(_ diagram: Diagram) throws -> Layout {
        try layout(sharedBy: [diagram])
    }

    /// One layout for diagrams that differ only in their labels (a deck's frames): every
    /// label is measured in each diagram and the largest size of each is kept, so each frame
    /// fits and every node sits at the same spot in all of them.
    public func layout(sharedBy diagrams: [Diagram]) throws -> Layout {
        guard let first = diagrams.first else { throw GraphvizError(stage: .layout, messages: ["no diagram to lay out"]) }
        try theme.validate()
        let builder = GraphBuilder(theme: theme)
        var legendBuilder = LegendBuilder(theme: theme)
        legendBuilder.textWidth = try first.legend.map { try legendBuilder.browserTextWidth($0) }
        let legend = first.legend.map { legendBuilder.html($0) }
        let (measured, lineSizes, edgeLabels) = try builder.measure(diagrams, legend: legend)
        // The view declares its geometry; both kinds are drawn by the same pinned renderer.
        let geometry: DiagramGeometry
        switch first.geometry {
        case .grid: geometry = DiagramGeometry(diagram: first, measured: measured, theme: theme)
        case .graph: geometry = DiagramGeometry(graphOf: first, measured: measured, theme: theme)
        }
        return Layout(geometry: geometry, legend: legend, lineSizes: lineSizes, legendTextWidth: legendBuilder.textWidth,
                      edgeLabels: edgeLabels, theme: theme)
    }

    /// The Graphviz graph of a diagram on a layout (by default its own). Labels mark scripts
    /// with faces (SVG, JSON: see LabelBuilder) or with <SUB>/<SUP>/<B> tags (PNG and PDF,
    /// which Cairo draws, and DOT, which other tools read).
    public func graph(_ diagram: Diagram, layout: Layout? = nil, dpi: Double? = nil, scriptTags: Bool = false) throws -> Graph {
        try theme.validate()
        let layout = try layout ?? self.layout(diagram)
        let style: LabelBuilder.ScriptStyle = scriptTags ? .tags : .faces
        let legend = diagram.legend.map { LegendBuilder(theme: theme, style: style, lineSizes: layout.lineSizes, textWidth: layout.legendTextWidth).html($0) }
        var builder = GraphBuilder(theme: theme, scripts: style)
        builder.labels.lineSizes = layout.lineSizes
        if layout.theme == theme { builder.measuredEdgeLabels = layout.edgeLabels }
        return builder.graph(diagram, geometry: layout.geometry, legend: legend, dpi: dpi)
    }

    /// The diagram's bytes in `format`, drawn on `layout` (computed when nil; pass one to draw
    /// several formats or frames from one measurement). `dpi` applies to PNG only.
    ///
    /// - Throws: a `ThemeError` or a `GraphvizError`, as ``layout(_:)``.
    public func render(_ diagram: Diagram, format: Format, layout: Layout? = nil, dpi: Double? = nil) throws -> Data {
        let ownLayout = layout == nil
        let layout = try layout ?? self.layout(diagram)
        if format == .tikz { return Data(TikZWriter(theme: theme).picture(diagram, layout: layout).utf8) }
        let g = try graph(diagram, layout: layout, dpi: format == .png ? pngDPI(dpi, layout) : nil,
                          scriptTags: format == .png || format == .pdf || format == .dot)
        let drawn: Data
        switch format {
        case .dot: return Data(g.dot.utf8)
        case .svg:
            let fontFamily = theme.fontFamily
            drawn = try GraphvizEngine.renderPinnedSVG(g, warnings: onWarnings) { SVGTypography.process($0, fontFamily: fontFamily) }
        case .png: drawn = try GraphvizEngine.render(g, engine: .pinned, format: .png, warnings: onWarnings)
        case .pdf: drawn = try GraphvizEngine.render(g, engine: .pinned, format: .pdf, warnings: onWarnings)
        case .json: drawn = try GraphvizEngine.render(g, engine: .pinned, format: .json, warnings: onWarnings)
        case .tikz: preconditionFailure("written above")
        }
        Self.free(consume g, ownLayout ? consume layout : nil)
        return drawn
    }

    /// Lets go of a drawn graph and of the layout it was drawn on when nothing else holds it.
    /// A large graph is freed on another thread while this one goes on (with the SVG pass): a
    /// labelled 32-64-64-10's graph and layout are ~20,000 attribute dictionaries and tables,
    /// which took ~80 ms to free.
    /// The graph and layout are moved into a box that the other thread empties: a value it
    /// merely captured would be freed by whichever thread let go of it last, often this one.
    static func free(_ graph: consuming Graph, _ layout: consuming Layout?) {
        guard graph.nodes.count + graph.edges.count >= largeGraph else { return }
        let box = Discarded((consume graph, consume layout))
        DispatchQueue.global(qos: .utility).async { box.empty() }
    }

    /// A graph this large (nodes and edges) is freed on another thread.
    static let largeGraph = 2_000

    /// The resolution a PNG is drawn at: `requested` or else `defaultDPI`, at most `largestPNGDPI`.
    public func pngDPI(_ requested: Double?, _ layout: Layout) -> Double {
        min(requested ?? defaultDPI(layout), largestPNGDPI(layout))
    }

    /// The resolution a PNG asked for at `requested` dpi is drawn at when that is less (it
    /// would be over 32,767 pixels a side); nil when it is drawn as asked. `render` and
    /// `slides` say so.
    public func smallerPNGDPI(_ requested: Double, _ layout: Layout) -> Double? {
        let drawn = pngDPI(requested, layout)
        return drawn < requested ? drawn : nil
    }

    /// The highest resolution at which the picture fits in a PNG: Cairo's image surfaces are
    /// under 32,767 pixels a side. Above it Graphviz would scale the picture down to fit
    /// itself — the same picture — and print a line of its own on the standard error
    /// ("(null): graph is too large for cairo-renderer bitmaps"), which a render must not.
    public func largestPNGDPI(_ layout: Layout) -> Double {
        // Graphviz's width in pixels: ROUND(points × dpi / 72), which must stay below 32,767.
        max(1, (32_766 * 72 / max(layout.width, layout.height, 1)).rounded(.down))
    }

    /// Crisp on a 1080p slide: the picture's width fills 1920 pixels, between 96 and 300 dpi.
    public func defaultDPI(_ layout: Layout) -> Double {
        max(96, min(300, (1920 * 72 / max(layout.width, 1)).rounded()))
    }
}

/// A value handed to another thread to be freed there (see `DiagramRenderer.free`): only
/// that thread touches it, once, after it was moved in.
private final class Discarded<T>: @unchecked Sendable {
    private var value: T?
    init(_ value: consuming T) { self.value = consume value }
    func empty() { value = nil }
}
