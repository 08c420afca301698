import Foundation

/// fontconfig's start — reading its configuration, ~50 XML files, the longest step of
/// Pango's start — on a thread of its own, begun before Pango's plugin is loaded.
///
/// Pango reads the configuration itself (FcInit on its "[pango] FcInit" thread) only once
/// its font map exists, that is after the plugin and its ~30 libraries are loaded and
/// relocated: the two steps ran one after the other on the way to the first measurement.
/// Here the library Pango will use (by its soname, loaded before the plugin, so the plugin's
/// dependency resolves to it) reads the configuration while the warm-up thread loads the
/// plugin; Pango's own FcInit then finds it made and returns at once. fontconfig publishes
/// its configuration with an atomic compare-and-swap, so the calls are safe together, but two
/// at once would each read every file: the warm-up joins this thread before it lays out text.
/// The configuration is the one Pango would read (same library, environment and files).
enum FontconfigStart {
    /// The library Graphviz's Pango plugin gets fontconfig from (see `Fingerprint.libraries`).
    static let library = "libfontconfig.so.1"

    /// Loads fontconfig and starts a thread that calls its FcInit; nil when the library or the
    /// thread cannot be had (then Pango starts fontconfig itself, as it always did). The caller
    /// joins the thread.
    static func begin() -> pthread_t? {
        // Never closed: Pango uses the same library for the life of the process.
        guard let handle = dlopen(library, RTLD_LAZY), let initialize = dlsym(handle, "FcInit") else { return nil }
        typealias Initialize = @convention(c) () -> Int32
        let fcInit = unsafeBitCast(initialize, to: Initialize.self)
        return NewThread.start { _ = fcInit() }
    }
}
