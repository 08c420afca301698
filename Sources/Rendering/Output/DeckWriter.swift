import Annotation
import Foundation
import Graphviz
import Synchronization

/// Writes a slide deck: every frame in the chosen format, numbered and named by content,
/// and `index.html`, one self-contained page (frames inline as SVG, no network access) with
/// keyboard navigation, a frame counter, captions and a print stylesheet (one frame a page).
///
/// The deck is laid out once; every frame is drawn on that layout. The files go into the
/// directory through `DeckDirectory`: each is replaced atomically, `index.html` last, and
/// only files an earlier deck wrote there (its `.bpviz-deck` manifest) are ever replaced or
/// removed; anything else in the directory is left alone.
public struct DeckWriter: Sendable {
    /// `beamer`: `deck.tex` and a TikZ picture per frame (see BeamerDeck) instead of pictures and index.html.
    public enum Format: String, CaseIterable, Sendable {
        /// SVG frames; `index.html` inlines them.
        case svg
        /// PNG frames at the writer's `dpi`.
        case png
        /// PDF frames, one page each.
        case pdf
        /// A Beamer deck: `deck.tex` and one TikZ picture per frame.
        case beamer
    }

    /// Draws every frame, on one layout shared by the deck.
    public let renderer: DiagramRenderer
    /// The frames' format.
    public let format: Format
    /// PNG frames' resolution; nil: wide enough to fill a 1080p slide.
    public let dpi: Double?

    /// Told, once the deck is laid out, the resolution PNG frames are drawn at when `dpi`
    /// asked for more than a PNG can hold (32,767 pixels a side; see
    /// `DiagramRenderer.pngDPI`): the frames are smaller than asked, which the caller says.
    public var onSmallerDPI: (@Sendable (Double) -> Void)?

    /// A writer drawing with `theme` in `format`.
    public init(theme: Theme, format: Format = .svg, dpi: Double? = nil) {
        renderer = DiagramRenderer(theme: theme)
        self.format = format
        self.dpi = dpi
    }

    /// Renders every frame into `directory` (created when missing). A non-empty directory
    /// that holds no earlier deck is refused unless `allowingOtherFiles`; even then, files
    /// bpviz did not write are never replaced or removed. `progress` is told each frame as
    /// it is done.
    public func write(_ deck: SlideDeck, title: String, to directory: String, allowingOtherFiles: Bool = false,
                      progress: ((Int, Int) -> Void)? = nil) throws {
        let layout = try renderer.layout(sharedBy: deck.frames.map(\.diagram))
        if format == .beamer {
            let files = BeamerDeck(theme: renderer.theme).files(deck, title: title, layout: layout)
            let output = try DeckDirectory.open(directory, files: files.map(\.name), allowingOtherFiles: allowingOtherFiles,
                                                isOwnFile: DeckWriter.isDeckFile)
            for (i, file) in files.enumerated() {
                try output.write(Data(file.text.utf8), named: file.name)
                progress?(min(i + 1, deck.frames.count), deck.frames.count)
            }
            try output.finish()
            return
        }
        let files = deck.frames.map { "\($0.name).\(format.rawValue)" }
        let output = try DeckDirectory.open(directory, files: files + ["index.html"], allowingOtherFiles: allowingOtherFiles,
                                            isOwnFile: DeckWriter.isDeckFile)
        if let smaller = smallerDPI(layout) { onSmallerDPI?(smaller) }
        // A graph too large to read whole on a slide is shown a window at a time.
        let zoom = DeckZoom(frames: deck.frames.map(\.diagram), geometry: layout.geometry, fontSize: renderer.theme.fontSize)
        // SVG frames come from one Graphviz rendering of the whole deck when the frames
        // allow it (they do for every deck bpviz builds), else one rendering per frame.
        let template = try DeckTemplate(frames: deck.frames.map(\.diagram), renderer: renderer, layout: layout)
        let area = layout.geometry.picture
        let whole = DeckHTML.Rect(x: area.x, y: area.y, width: area.width, height: area.height)
        let frames = deck.frames
        @Sendable func section(_ i: Int, _ svg: [UInt8]) -> [UInt8] {
            DeckHTML.section(index: i, frame: frames[i], svg: svg, file: files[i], picture: zoom?.views[i] ?? whole, zoomed: zoom != nil)
        }
        let page = DeckHTML.page(title: title, frameCount: frames.count, theme: renderer.theme, zoom: zoom,
                                 captionLines: min(frames.map(\.diagram.caption.count).max() ?? 0, DeckHTML.reservedCaptionLines))
        // index.html is written as the frames are drawn, a batch at a time, and renamed into
        // place last: memory holds one batch of frames, never the whole deck.
        try output.write(named: "index.html") { index in
            try index.write(Array(page.head.utf8))
            let batch = 2 * max(1, ProcessInfo.processInfo.activeProcessorCount)
            for start in stride(from: 0, to: frames.count, by: batch) {
                let range = start..<min(start + batch, frames.count)
                // Filling in the template and cutting the page's section out of the frame is
                // pure computation on immutable data: use every core. Each frame's bytes are
                // built outside the lock; only the store into its slot is locked.
                let slots = Mutex([(svg: [UInt8], section: [UInt8])?](repeating: nil, count: range.count))
                if let template {
                    DispatchQueue.concurrentPerform(iterations: range.count) { k in
                        let i = range.lowerBound + k
                        let svg = template.bytes(for: frames[i].diagram)
                        let made = section(i, svg)
                        slots.withLock { $0[k] = (svg, made) }
                    }
                }
                let done = slots.withLock { $0 }
                for i in range {
                    let frame = frames[i]
                    let templated = done[i - range.lowerBound]
                    let svg = try templated?.svg ?? Array(renderer.render(frame.diagram, format: .svg, layout: layout))
                    let data: Data
                    switch format {
                    case .svg: data = Data(svg)
                    case .png: data = try renderer.render(frame.diagram, format: .png, layout: layout, dpi: dpi)
                    case .pdf: data = try renderer.render(frame.diagram, format: .pdf, layout: layout)
                    case .beamer: preconditionFailure("written above")
                    }
                    try output.write(data, named: files[i])
                    if i > 0 { try index.write([UInt8(ascii: "\n")]) }
                    try index.write(templated?.section ?? section(i, svg))
                    progress?(i + 1, frames.count)
                }
            }
            try index.write(Array(page.tail.utf8))
        }
        try output.finish()
    }

    /// The resolution PNG frames on `layout` are drawn at when it is less than `dpi` asked
    /// for; nil when they are drawn as asked, or are not PNGs.
    package func smallerDPI(_ layout: DiagramRenderer.Layout) -> Double? {
        guard format == .png, let dpi else { return nil }
        return renderer.smallerPNGDPI(dpi, layout)
    }

    /// The names a deck's files have (`007-loss.svg`, `index.html`): what may be removed from
    /// the staging folders an earlier version of this writer left behind when it was killed.
    package static func isDeckFile(_ name: String) -> Bool {
        if name == "index.html" || name == "deck.tex" { return true }
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        return digits.count >= 3 && name.dropFirst(digits.count).hasPrefix("-")
            && (Format.allCases.contains { name.hasSuffix(".\($0.rawValue)") } || name.hasSuffix(".tex")) && DeckDirectory.isPlainName(name)
    }
}
