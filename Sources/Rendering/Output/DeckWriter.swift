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
    public enum Format: String, CaseIterable, Sendable { case svg, png, pdf, beamer }

    public let renderer: DiagramRenderer
    public let format: Format
    public let dpi: Double?

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
        var sections: [String] = []
        // A graph too large to read whole on a slide is shown a window at a time.
        let zoom = DeckZoom(frames: deck.frames.map(\.diagram), geometry: layout.geometry, fontSize: renderer.theme.fontSize)
        // SVG frames come from one Graphviz rendering of the whole deck when the frames
        // allow it (they do for every deck bpviz builds), else one rendering per frame.
        let template = try DeckTemplate(frames: deck.frames.map(\.diagram), renderer: renderer, layout: layout)
        // Filling in the template is pure computation on immutable data: use every core.
        // Each frame's text is built outside the lock; only the store into its slot is locked.
        let slots = Mutex([String?](repeating: nil, count: deck.frames.count))
        if let template {
            let frames = deck.frames
            DispatchQueue.concurrentPerform(iterations: frames.count) { i in
                let svg = template.svg(for: frames[i].diagram)
                slots.withLock { $0[i] = svg }
            }
        }
        let templated = slots.withLock { $0 }
        for (i, frame) in deck.frames.enumerated() {
            let svg = try templated[i].map { Data($0.utf8) } ?? renderer.render(frame.diagram, format: .svg, layout: layout)
            let data: Data
            switch format {
            case .svg: data = svg
            case .png: data = try renderer.render(frame.diagram, format: .png, layout: layout, dpi: dpi)
            case .pdf: data = try renderer.render(frame.diagram, format: .pdf, layout: layout)
            case .beamer: preconditionFailure("written above")
            }
            try output.write(data, named: files[i])
            let area = layout.geometry.picture
            sections.append(DeckHTML.section(index: i, frame: frame, svg: String(decoding: svg, as: UTF8.self), file: files[i],
                                             picture: zoom?.views[i] ?? DeckHTML.Rect(x: area.x, y: area.y, width: area.width, height: area.height),
                                             zoomed: zoom != nil))
            progress?(i + 1, deck.frames.count)
        }
        let html = DeckHTML.page(title: title, sections: sections, theme: renderer.theme, zoom: zoom)
        try output.write(Data(html.utf8), named: "index.html")
        try output.finish()
    }

    /// The names a deck's files have (`007-loss.svg`, `index.html`): what may be removed from
    /// the staging folders an earlier version of this writer left behind when it was killed.
    static func isDeckFile(_ name: String) -> Bool {
        if name == "index.html" || name == "deck.tex" { return true }
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        return digits.count >= 3 && name.dropFirst(digits.count).hasPrefix("-")
            && (Format.allCases.contains { name.hasSuffix(".\($0.rawValue)") } || name.hasSuffix(".tex")) && DeckDirectory.isPlainName(name)
    }
}
