import CGraphviz
import Foundation
import Synchronization

/// Pango's start, run on a second thread while the process does its own work, in a process
/// that has no text-metrics cache file and so will ask Pango (see `TextMetricsCache.warmUp`).
///
/// A cold render spent ~18 ms CPU starting Pango before it measured its first span: loading
/// Graphviz's pango plugin and its libraries, fontconfig reading its configuration, the
/// first layout, and a font sort for each new font description (~1 ms each, nine in
/// question-1). `dot -Tsvg` pays it too, in series. Here a thread loads the plugin (while
/// the thread that started it reads fontconfig's configuration: `FontconfigStart`) and lays
/// out a sample text in each font the render will ask for, while the main thread parses the
/// command line, starts Graphviz, reads and solves the network and builds the labels; the
/// first span the cache has not seen then finds Pango ready.
///
/// Pango is not thread-safe, and Graphviz's plugin keeps its state in statics (font map,
/// context, the last font description): only this thread uses Pango until `finish`, and
/// everything that uses Pango calls `finish` first — the text-metrics cache before its one
/// call of the plugin's function, and the start of every Graphviz conversation (cairo draws
/// through the same plugin, and without the cache Graphviz measures through it). `finish`
/// joins the thread, which makes everything it did happen before what follows. The spans
/// it lays out have no style flags, so the plugin's one call into Graphviz (`xml_string0`,
/// for markup, whose static buffer the SVG renderer shares) is never made here. What may run
/// beside it in Graphviz is the runtime's start (`GraphvizRuntime`): no Pango, and a trial
/// layout whose only process-wide change is setting the numeric locale, which fontconfig
/// reads, to "C" and back; bpviz never leaves it anything but "C". The sizes the warm-up
/// gets are thrown away: the cache holds only what a render asked for, so pictures are the
/// same byte for byte.
enum PangoWarmUp {
    /// A font description as Graphviz gives it to Pango: family (or face) and size in points.
    struct Font: Hashable, Sendable {
        var face: String
        var size: Double
    }

    /// What the thread works on: the plugin, then the fonts, which it asks `fonts` for
    /// once the plugin is loaded, while the thread that started it reads fontconfig's
    /// configuration (`FontconfigStart`) and then says so (`fontconfigStarted`). `stop` is
    /// how `finish` asks it to skip the fonts it has not reached.
    private final class Work: Sendable {
        let plugin: String
        let fonts: @Sendable () -> [Font]
        let fontconfigReady = DispatchSemaphore(value: 0)
        let stop = Atomic<Bool>(false)

        init(plugin: String, fonts: @escaping @Sendable () -> [Font]) {
            self.plugin = plugin
            self.fonts = fonts
        }

        func run() {
            let function = PangoTextLayout.find(plugin: plugin)
            guard let function else { return }
            // The font list (the theme's, read from YAML: ~1.5 ms in a cold start) is made
            // here, where the thread would otherwise wait for fontconfig, rather than by the
            // thread reading fontconfig's configuration, on the road to the first layout.
            let fonts = stop.load(ordering: .relaxed) ? [] : fonts()
            // Pango's first layout (its font map's FcInit) must not start before fontconfig
            // has read its configuration.
            fontconfigReady.wait()
            for font in fonts where !stop.load(ordering: .relaxed) {
                PangoWarmUp.layOut(font, with: function)
            }
        }
    }

    /// The process's one warm-up, from start to finish. Once anything used Pango (`finish`
    /// was called), none can start.
    private enum Phase {
        case notStarted
        case running(pthread_t, Work)
        case finished
    }

    private static let phase = Mutex(Phase.notStarted)

    /// Starts loading `plugin` on a new thread, which then lays out text in the fonts
    /// `fonts` gives it (called on that thread), most used first, once `fontconfigStarted`
    /// was called, unless a warm-up was started before or Pango was used already. Without a
    /// thread, Pango starts when it is first needed, as it always did.
    static func start(plugin: String, fonts: @escaping @Sendable () -> [Font]) {
        phase.withLock { phase in
            guard case .notStarted = phase else { return }
            _ = exitHandler  // registered before the thread exists
            let work = Work(plugin: plugin, fonts: fonts)
            guard let handle = NewThread.start({ work.run() }) else {
                phase = .finished
                return
            }
            phase = .running(handle, work)
        }
    }

    /// Tells the running warm-up that fontconfig has read its configuration (or that Pango
    /// may read it itself): it may lay out text.
    static func fontconfigStarted() {
        phase.withLock { phase in
            guard case .running(_, let work) = phase else { return }
            work.fontconfigReady.signal()
        }
    }

    /// Waits for the warm-up, if one is running: it stops after the font it is on. Called
    /// by every user of Pango before it uses it, from any thread, any number of times.
    static func finish() {
        phase.withLock { phase in
            if case .running(let handle, let work) = phase {
                work.stop.store(true, ordering: .relaxed)
                work.fontconfigReady.signal()  // it goes on to its end
                pthread_join(handle, nil)
            }
            phase = .finished
        }
    }

    /// One span of sample text in `font`, laid out and freed: digits, letters and symbols
    /// labels use, so their glyphs are loaded too.
    private static func layOut(_ font: Font, with function: PangoTextLayout.Function) {
        // The plugin remembers the last span's font name (a pointer) and compares the next
        // span's with it, so the name must outlive the call: an interned one lives as long as
        // the process.
        guard let text = strdup("∂Loss/∂w = −0.123456789 (x, y) ab") else { return }
        defer { free(text) }
        var textFont = textfont_t()
        textFont.name = GraphvizEngine.internedFontName(font.face)
        textFont.size = font.size
        withUnsafeMutablePointer(to: &textFont) { textFont in
            var span = textspan_t()
            span.str = text
            span.font = textFont
            _ = function(&span, nil)
            if let layout = span.layout, let free = span.free_layout { free(layout) }
        }
    }

    /// A last resort for a process that exits while the thread is still in Pango (an input
    /// error found after it started): `exit` would finalise libraries under it. Registered
    /// before the first thread starts, the handler runs before the libraries' finalisers
    /// (glibc runs those last) but after any `atexit` handler registered later (HarfBuzz
    /// registers some while the thread works), so a program that may exit before it renders
    /// calls `GraphvizEngine.finishTextLayoutWarmUp()` first, as the CLI does.
    private static let exitHandler: Void = {
        atexit { PangoWarmUp.finish() }
    }()
}
