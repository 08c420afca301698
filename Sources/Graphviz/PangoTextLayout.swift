import CGraphviz
import Foundation

/// Graphviz's own Pango text layout, reached the way Graphviz reaches it: the pango plugin
/// library in Graphviz's plugin directory and its `gvplugin_pango_LTX_library` table. Loaded
/// only on the first text the cache has not seen, so a warm run never loads Pango.
enum PangoTextLayout {
    typealias Function = @convention(c) (UnsafeMutablePointer<textspan_t>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> bpviz_layout_answer

    enum Resolution {
        case notTried(plugin: String)
        case found(Function)
        case missing

        /// The function, looking for it the first time, after any warm-up is done with Pango
        /// (this is the one way to the function).
        mutating func engine() -> Function? {
            if case .notTried(let plugin) = self {
                PangoWarmUp.finish()
                self = PangoTextLayout.find(plugin: plugin).map { .found($0) } ?? .missing
            }
            if case .found(let function) = self { return function }
            return nil
        }
    }

    /// Where Graphviz's plugins are before there is a context to ask (see `PangoWarmUp`),
    /// found as `gvconfig_libdir` finds them: `$GVBINDIR`, else `graphviz/` beside the libgvc
    /// that `/proc/self/maps` shows mapped.
    static func graphvizLibraryDirectoryBeforeStart() -> String? {
        if let own = getenv("GVBINDIR") { return String(cString: own) }
        guard let maps = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(maps) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        // Each line searched in C, as Graphviz does: this runs first thing in a cold run, and
        // Foundation's String search (CFStringFind) made it ~0.4 ms, the warm-up's delay.
        while getline(&line, &capacity, maps) > 0, let line {
            guard strstr(line, " r-xp ") != nil, let path = strchr(line, 0x2F /* / */),
                  let library = strstr(path, "/libgvc.") else { continue }
            let directory = String(decoding: UnsafeRawBufferPointer(start: path, count: library - path), as: UTF8.self)
            if directory.hasSuffix("/.libs") { continue }  // a build tree's, as Graphviz skips it
            return directory + "/graphviz"
        }
        return nil
    }

    /// Where Graphviz looks for its plugins (`$GVBINDIR`, else `graphviz/` beside libgvc), as
    /// Graphviz itself says: `gvconfig_libdir` is exported by libgvc but not in its headers,
    /// so it is looked up at run time.
    static func graphvizLibraryDirectory(_ context: OpaquePointer) -> String? {
        typealias LibraryDirectory = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
        guard let symbol = dlsym(nil, "gvconfig_libdir") else { return nil }
        return unsafeBitCast(symbol, to: LibraryDirectory.self)(context).map { String(cString: $0) }
    }

    /// The directory above the plugins': libgvc's own, and on Debian Pango's libraries'.
    static func sharedLibraryDirectory(_ pluginDirectory: String) -> String {
        String(pluginDirectory[..<(pluginDirectory.lastIndex(of: "/") ?? pluginDirectory.endIndex)])
    }

    /// The pango plugin's file: `libgvplugin_pango.so.N` as Graphviz installs it.
    static func pluginPath(in directory: String) -> String? {
        // readdir rather than FileManager: Graphviz's plugin directory holds ~50 files, and
        // this runs at every start.
        guard let dir = opendir(directory) else { return nil }
        var candidates: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasPrefix("libgvplugin_pango.so") { candidates.append(name) }
        }
        closedir(dir)
        candidates.sort { ($0.count, $0) < ($1.count, $1) }
        // Prefer the versioned name the config lists (".so.6") over the development link.
        let chosen = candidates.first { $0.split(separator: ".").count == 3 } ?? candidates.first
        return chosen.map { directory + "/" + $0 }
    }

    static func find(plugin path: String) -> Function? {
        guard let handle = dlopen(path, RTLD_LAZY) else { return nil }
        // Never closed: Graphviz may load the same library for cairo and shares its state.
        guard let symbol = dlsym(handle, "gvplugin_pango_LTX_library") else { return nil }
        let library = symbol.assumingMemoryBound(to: gvplugin_library_t.self)
        guard var api = library.pointee.apis else { return nil }
        while let types = api.pointee.types {
            if api.pointee.api == API_textlayout {
                var type = types
                while type.pointee.type != nil {
                    if let engine = type.pointee.engine {
                        return engine.assumingMemoryBound(to: gvtextlayout_engine_t.self).pointee.textlayout
                    }
                    type += 1
                }
            }
            api += 1
        }
        return nil
    }
}
