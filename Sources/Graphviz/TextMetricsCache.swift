import CGraphviz
import Foundation
import Synchronization

/// Text sizes as Pango measures them, remembered per (font, size, style, text).
///
/// Most of a small render's time is text measurement: bpviz measures its labels to compute
/// the geometry, then Graphviz measures every span again while it lays the pinned graph out,
/// and Pango costs ~18 ms CPU to measure question-1's 57 spans, none of which a process that
/// asks Pango can avoid: loading Graphviz's Pango plugin and its ~30 libraries ~3.5 ms,
/// fontconfig reading its configuration (~50 files, on a thread of Pango's) and font list
/// ~4 ms, the first layout ~2 ms, and ~1 ms for each further font description (family and
/// size: nine in question-1's SVG, each a fontconfig sort of every installed font); `dot
/// -Tsvg` pays as much. This cache is a Graphviz text-layout plugin, registered in-process
/// with a higher quality than Pango's so Graphviz picks it: it answers from a table and asks
/// Pango only on a miss. The table is
/// kept between runs by `TextMetricsStore` (keyed by the fonts and library versions), so a
/// warm run never loads Pango or fontconfig at all.
///
/// The answers are Pango's own numbers, bit for bit, so pictures are byte-identical with and
/// without the cache. Cairo (PNG, PDF) draws each span with the Pango layout made while
/// measuring it, so renders to those formats ask Pango for every span (and still fill the
/// table). `BPVIZ_NO_CACHE=1` leaves Graphviz exactly as it comes: no plugin, no file.
enum TextMetricsCache {
    struct Key: Hashable, Sendable {
        var font: String
        var size: Double
        var flags: UInt32
        var text: String
    }

    /// What Pango's text layout writes into a span, and what it returned (false: Pango could
    /// not use the font, and Graphviz estimates the size itself).
    struct Metrics: Equatable, Sendable {
        var width: Double
        var height: Double
        var baseline: Double    // textspan_t.yoffset_layout
        var centerline: Double  // textspan_t.yoffset_centerline
        var measured: Bool
    }

    struct Entry: Equatable, Sendable {
        var metrics: Metrics
        /// Unix time of the last run that used it; the store evicts the oldest first.
        var lastUsed: UInt32
    }

    struct State {
        /// Entries measured or used in this process; the file's others stay in `stored`.
        var table: [Key: Entry] = [:]
        var stored: TextMetricsStore.Table?
        /// Set while a graph that cairo will draw is laid out.
        var needsLayouts = false
        /// Entries measured since the table was last saved.
        var unsaved = 0
        var store: TextMetricsStore?
        /// In a cold run, how to make the store (its fingerprint), and then the store, made
        /// beside the render from the first save on (see `makeContext`).
        var makeStore: (@Sendable () -> TextMetricsStore?)?
        var pendingStore: Background<TextMetricsStore?>?
        /// Whether the plugin is installed (not disabled, Pango's plugin found): only then
        /// are whole labels' sizes remembered as well.
        var active = false
        var pango: PangoTextLayout.Resolution = .missing
        var hits = 0
        var misses = 0

        /// The entry for `key`, from this process's table or the file (then copied into
        /// the table, which records its use).
        mutating func entry(_ key: Key) -> Entry? {
            if let entry = table[key] { return entry }
            guard let entry = stored?.lookup(key) else { return nil }
            table[key] = entry
            return entry
        }
    }

    static let state = Mutex(State())

    static var isDisabled: Bool {
        guard let value = getenv("BPVIZ_NO_CACHE").map({ String(cString: $0) }) else { return false }
        return !value.isEmpty && value != "0"
    }

    /// A Graphviz context with the cache's plugin installed and the stored table loaded; a
    /// plain `gvContext()` when the cache is disabled or Pango's plugin is not where Graphviz
    /// keeps its plugins (then the cache could not give Pango's answers).
    static func makeContext() -> OpaquePointer? {
        if isDisabled { return gvContext() }
        // Made here, once: the runtime makes the process's one context once.
        guard let context = gvContextPlugins(TextLayoutPlugin.makeBuiltins(), 1) else { return nil }
        guard let directory = PangoTextLayout.graphvizLibraryDirectory(context),
              let plugin = PangoTextLayout.pluginPath(in: directory) else {
            gvFreeContext(context)
            return gvContext()
        }
        let version = gvcVersion(context).map { String(cString: $0) } ?? ""
        var store: TextMetricsStore?, stored: TextMetricsStore.Table?, makeStore: (@Sendable () -> TextMetricsStore?)?
        if let path = TextMetricsStore.standardPath() {
            if let bytes = TextMetricsStore.readFile(path) {
                // A file to read: no entry is used before its fingerprint is checked.
                store = TextMetricsStore.standard(graphvizVersion: version, pluginDirectory: directory, plugin: plugin)
                stored = store.flatMap { $0.table(bytes) }
            } else {
                // A cold run needs the fingerprint (~1.5 ms CPU of stat calls) only to save what
                // it measured: made on a thread of its own from the first save on (`save`), when
                // the measuring is over. Until then the cores are Pango's start's and the
                // render's (see `PangoWarmUp`).
                makeStore = { TextMetricsStore.standard(graphvizVersion: version, pluginDirectory: directory, plugin: plugin) }
            }
        }
        state.withLock { state in
            state.pango = .notTried(plugin: plugin)
            state.active = true
            state.store = store
            state.stored = stored
            state.makeStore = makeStore
        }
        return context
    }

    /// Runs `body` (one Graphviz conversation) knowing whether cairo will draw its text,
    /// then starts saving what it measured. Called with the Graphviz lock held.
    static func during<T>(drawnByCairo: Bool, _ body: () throws -> T) rethrows -> T {
        // Graphviz may use Pango in this conversation without asking the cache (cairo draws
        // through the same plugin; with the cache off it measures through it).
        PangoWarmUp.finish()
        state.withLock { $0.needsLayouts = drawnByCairo }
        defer {
            state.withLock { state in
                state.needsLayouts = false
                if state.unsaved > 0 {
                    save(&state)
                    state.unsaved = 0
                }
            }
        }
        return try body()
    }

    /// Writes the table to the file on a thread of its own, after the save before it: the
    /// render goes on meanwhile (the save took ~0.4 ms of question-1's cold render). The
    /// process waits for the last save when it exits (`finishSaving`).
    private static func save(_ state: inout State) {
        if state.store == nil, state.pendingStore == nil, let makeStore = state.makeStore {
            state.pendingStore = Background(makeStore)
            state.makeStore = nil
        }
        let store = state.store, pendingStore = state.pendingStore, table = state.table
        guard store != nil || pendingStore != nil else { return }
        _ = exitHandler  // registered before the first save's thread exists
        lastSave.withLock { last in
            let previous = last
            last = Background {
                _ = previous?.value
                (store ?? pendingStore.flatMap { $0.value })?.save(table)
            }
        }
    }

    /// The last save started. Not in `state`, whose lock a Graphviz conversation holds while
    /// Pango measures: a process that exits from there still gets to `finishSaving`.
    private static let lastSave = Mutex<Background<Void>?>(nil)

    /// Waits until the text metrics measured so far are written to the file.
    static func finishSaving() {
        lastSave.withLock { $0 }?.value
    }

    /// Waits until no thread of the cache's runs: the fingerprint of a cold run and every save
    /// (before SplitSVG forks).
    static func finishBackgroundWork() {
        _ = state.withLock { $0.pendingStore }?.value
        finishSaving()
    }

    /// A process ends only after its last save (exit runs `atexit` handlers first).
    private static let exitHandler: Void = {
        atexit { TextMetricsCache.finishSaving() }
    }()

    /// Starts Pango on a thread of its own (see `PangoWarmUp`) when this process will ask it:
    /// the cache is on and has no file (a stale file, one for other fonts or libraries, is
    /// not worth the cost of computing its fingerprint here); then, while the thread loads
    /// the plugin and asks `fonts` (on that thread) for the fonts to warm, most used first,
    /// reads fontconfig's configuration (`FontconfigStart`), which the thread waits for.
    /// Needs no Graphviz context, so the runtime's start can overlap it too. In a warm run (a
    /// cache file) or without the cache, Pango is not asked; the runtime's start is begun on
    /// a thread of its own instead (`GraphvizRuntime.startEarly`).
    static func warmUp(_ fonts: @escaping @Sendable () -> [PangoWarmUp.Font]) {
        guard !isDisabled else { return GraphvizRuntime.startEarly() }
        if let path = TextMetricsStore.standardPath(), access(path, F_OK) == 0 { return GraphvizRuntime.startEarly() }
        guard let directory = PangoTextLayout.graphvizLibraryDirectoryBeforeStart(),
              let plugin = PangoTextLayout.pluginPath(in: directory) else { return }
        PangoWarmUp.start(plugin: plugin, fonts: fonts)
        FontconfigStart.load()
        PangoWarmUp.fontconfigStarted()
    }

    /// Hits and misses since the process started (for tests and the benchmark).
    static var statistics: (hits: Int, misses: Int) {
        state.withLock { ($0.hits, $0.misses) }
    }

    // MARK: - Whole labels

    /// Most of a warm render was Graphviz parsing and sizing the HTML labels it had sized the
    /// run before (nested tables of stacked scripts each cost a little network simplex), so
    /// `GraphvizEngine.measure` remembers the size it got for each label in the same table
    /// and file as the spans, under the same fingerprint: the size is a function of the
    /// label's text, the node attributes and the text metrics, and the fingerprint covers
    /// what the metrics depend on. A label's key holds two unrelated 64-bit hashes of its DOT
    /// text, with a font name and flags no span has, so the entries stay small.
    static let labelFont = "bpviz label size"
    static let labelFlags = UInt32.max

    /// The key of a label described by `description` (its node attributes and label as DOT).
    static func labelKey(_ description: String) -> Key {
        let bytes = description.utf8
        func hex(_ v: UInt64) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return Key(font: labelFont, size: 0, flags: labelFlags, text: hex(Fingerprint.hash(bytes)) + hex(Fingerprint.mixHash(bytes)))
    }

    /// Whether label sizes are remembered (the cache is on).
    static var remembersLabels: Bool { state.withLock { $0.active } }

    /// The remembered size of each label, nil where there is none.
    static func labelSizes(_ keys: [Key]) -> [Size?] {
        let now = UInt32(clamping: time(nil))
        return state.withLock { state in
            keys.map { key -> Size? in
                guard let entry = state.entry(key) else { return nil }
                state.hits += 1
                if entry.lastUsed != now { state.table[key]?.lastUsed = now }
                return Size(width: entry.metrics.width, height: entry.metrics.height)
            }
        }
    }

    /// Remembers labels' sizes; saved with the spans at the end of the Graphviz conversation
    /// this is called in (see `during`).
    static func remember<S: Sequence>(_ sizes: S) where S.Element == (Key, Size) {
        let now = UInt32(clamping: time(nil))
        state.withLock { state in
            guard state.active else { return }
            for (key, size) in sizes {
                let metrics = Metrics(width: size.width, height: size.height, baseline: 0, centerline: 0, measured: true)
                if state.entry(key)?.metrics != metrics {
                    state.table[key] = Entry(metrics: metrics, lastUsed: now)
                    state.unsaved += 1
                }
            }
        }
    }

    /// The plugin's answer for one span.
    static func layout(_ span: UnsafeMutablePointer<textspan_t>, fontpath: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> bpviz_layout_answer {
        guard let font = span.pointee.font, let name = font.pointee.name, let text = span.pointee.str else { return bpviz_layout_answer_make(0) }
        let key = Key(font: String(cString: name), size: font.pointee.size, flags: UInt32(font.pointee.flags), text: String(cString: text))
        let now = UInt32(clamping: time(nil))
        return state.withLock { state -> bpviz_layout_answer in
            if !state.needsLayouts, let entry = state.entry(key) {
                state.hits += 1
                if entry.lastUsed != now { state.table[key]?.lastUsed = now }
                span.pointee.size = pointf(x: entry.metrics.width, y: entry.metrics.height)
                span.pointee.yoffset_layout = entry.metrics.baseline
                span.pointee.yoffset_centerline = entry.metrics.centerline
                span.pointee.layout = nil
                span.pointee.free_layout = nil
                return bpviz_layout_answer_make(entry.metrics.measured ? 1 : 0)
            }
            state.misses += 1
            // Without Pango's plugin Graphviz estimates sizes itself, as it would without us.
            guard let pango = state.pango.engine() else { return bpviz_layout_answer_make(0) }
            let measured = pango(span, fontpath)
            let metrics = Metrics(width: span.pointee.size.x, height: span.pointee.size.y,
                                  baseline: span.pointee.yoffset_layout, centerline: span.pointee.yoffset_centerline,
                                  measured: bpviz_layout_answer_measured(measured) != 0)
            if state.entry(key)?.metrics != metrics {
                state.table[key] = Entry(metrics: metrics, lastUsed: now)
                state.unsaved += 1
            }
            return measured
        }
    }
}

/// The in-process plugin library Graphviz is given at start-up (`gvContextPlugins`). Graphviz
/// keeps pointers into it for the life of the process, so it is never freed; the one context
/// of the process is made once, so it is allocated once.
enum TextLayoutPlugin {
    /// Above Pango's 10, so `gvtextlayout_select` picks this plugin.
    static let quality: Int32 = 100

    static func makeBuiltins() -> UnsafePointer<lt_symlist_t> {
        let engine = UnsafeMutablePointer<gvtextlayout_engine_t>.allocate(capacity: 1)
        engine.initialize(to: gvtextlayout_engine_t(textlayout: cachedTextLayout))
        let types = UnsafeMutablePointer<gvplugin_installed_t>.allocate(capacity: 2)
        types[0] = gvplugin_installed_t(id: 0, type: UnsafePointer(strdup("textlayout")), quality: quality,
                                        engine: UnsafeMutableRawPointer(engine), features: nil)
        types[1] = gvplugin_installed_t(id: 0, type: nil, quality: 0, engine: nil, features: nil)
        let apis = UnsafeMutablePointer<gvplugin_api_t>.allocate(capacity: 2)
        apis[0] = gvplugin_api_t(api: API_textlayout, types: types)
        apis[1] = gvplugin_api_t(api: api_t(0), types: nil)
        let library = UnsafeMutablePointer<gvplugin_library_t>.allocate(capacity: 1)
        library.initialize(to: gvplugin_library_t(packagename: strdup("bpviz_text_metrics"), apis: apis))
        // Graphviz installs builtins whose name starts with "g" and contains "_LTX_library".
        let symbols = UnsafeMutablePointer<lt_symlist_t>.allocate(capacity: 2)
        symbols[0] = lt_symlist_t(name: UnsafePointer(strdup("gvplugin_bpviz_text_metrics_LTX_library")), address: UnsafeMutableRawPointer(library))
        symbols[1] = lt_symlist_t(name: nil, address: nil)
        return UnsafePointer(symbols)
    }
}

private func cachedTextLayout(_ span: UnsafeMutablePointer<textspan_t>?, _ fontpath: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> bpviz_layout_answer {
    guard let span else { return bpviz_layout_answer_make(0) }
    return TextMetricsCache.layout(span, fontpath: fontpath)
}
