import Annotation
import Foundation
import Synchronization
import Graphviz

/// Writes a slide deck: every frame in the chosen format, numbered and named by content,
/// and `index.html`, one self-contained page (frames inline as SVG, no network access) with
/// keyboard navigation, a frame counter, captions and a print stylesheet (one frame a page).
///
/// The deck is laid out once; every frame is drawn on that layout. The directory appears
/// whole or not at all: it is written under a temporary name and renamed into place, and an
/// existing deck is replaced only after the new one is complete.
public struct DeckWriter: Sendable {
    public enum Format: String, CaseIterable, Sendable { case svg, png, pdf }

    public let renderer: DiagramRenderer
    public let format: Format
    public let dpi: Double?

    public init(theme: Theme, format: Format = .svg, dpi: Double? = nil) {
        renderer = DiagramRenderer(theme: theme)
        self.format = format
        self.dpi = dpi
    }

    /// Renders every frame; `progress` is told each frame as it is done.
    public func write(_ deck: SlideDeck, title: String, to directory: String, progress: ((Int, Int) -> Void)? = nil) throws {
        let layout = try renderer.layout(sharedBy: deck.frames.map(\.diagram))
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DeckError("\(directory): the directory \(parent) does not exist; expected an output directory whose parent exists")
        }
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw DeckError("\(directory): is a file; expected a directory for the deck")
        }
        let staging = parent + "/.\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw DeckError("\(directory): cannot create a directory in \(parent) (read-only or no permission?); expected a writable location")
        }
        do {
            var sections: [String] = []
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
                }
                let file = "\(frame.name).\(format.rawValue)"
                try DeckWriter.writeFile(data, to: staging + "/" + file, name: file, directory: directory)
                sections.append(DeckHTML.section(index: i, frame: frame, svg: String(decoding: svg, as: UTF8.self), file: file))
                progress?(i + 1, deck.frames.count)
            }
            let html = DeckHTML.page(title: title, sections: sections, theme: renderer.theme)
            try DeckWriter.writeFile(Data(html.utf8), to: staging + "/index.html", name: "index.html", directory: directory)
            try replace(target.path, with: staging)
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
    }

    /// Plain POSIX writes: the files are in a staging directory that is renamed into place
    /// whole, so the per-file sync FileManager does would only cost time.
    static func writeFile(_ data: Data, to path: String, name: String, directory: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DeckError("\(directory): cannot write \(name) (\(String(cString: strerror(errno)))); expected a writable location") }
        defer { close(fd) }
        let ok = data.isEmpty || data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard ok else { throw DeckError("\(directory): cannot write \(name) (\(String(cString: strerror(errno)))); expected space on the disk") }
    }

    /// Moves the finished deck into place; an old deck is moved aside first and removed after.
    func replace(_ path: String, with staging: String) throws {
        let fm = FileManager.default
        var old: String?
        if fm.fileExists(atPath: path) {
            let aside = staging + ".old"
            guard rename(path, aside) == 0 else {
                throw DeckError("\(path): cannot replace the existing deck (\(String(cString: strerror(errno)))); expected a writable directory")
            }
            old = aside
        }
        guard rename(staging, path) == 0 else {
            let reason = String(cString: strerror(errno))
            if let old { _ = rename(old, path) }
            throw DeckError("\(path): cannot move the new deck into place (\(reason))")
        }
        if let old { try? fm.removeItem(atPath: old) }
    }
}

public struct DeckError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
