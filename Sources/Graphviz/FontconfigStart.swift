import Foundation

/// fontconfig's start — reading its configuration, ~50 XML files, the longest step of
/// Pango's start — by the thread that starts Pango's warm-up, while the warm-up thread loads
/// Pango's plugin.
///
/// Pango reads the configuration itself (FcInit on its "[pango] FcInit" thread) only once
/// its font map exists, that is after the plugin and its ~30 libraries are loaded and
/// relocated: the two steps ran one after the other on the way to the first measurement.
/// Here the library Pango will use (by its soname, loaded before the plugin, so the plugin's
/// dependency resolves to it) reads the configuration while the warm-up thread loads the
/// plugin; Pango's own FcInit then finds it made and returns at once. fontconfig publishes
/// its configuration with an atomic compare-and-swap, so the calls are safe together, but two
/// at once would each read every file: the warm-up lays out text only once it is done (it
/// waits for `PangoWarmUp.fontconfigStarted()`). The configuration is the one Pango would read
/// (same library, environment and files).
///
/// It is the calling thread's, not a third thread's, because the road to the first
/// measurement goes through it: fontconfig, then the first font and one after another each
/// font description (~15 ms CPU in question-1's cold render), longer than the main thread's
/// own work before it measures (~8 ms: the command line, the network, the labels). On two
/// cores, a third thread beside those two slowed that road by a third; now the main thread
/// does its own work while the warm-up lays out fonts (~2.5 ms less wall time, interleaved
/// with `dot`).
enum FontconfigStart {
    /// The library Graphviz's Pango plugin gets fontconfig from (see `Fingerprint.libraries`).
    static let library = "libfontconfig.so.1"

    /// Loads fontconfig and reads its configuration (FcInit) on the calling thread; does
    /// nothing when the library cannot be had (then Pango starts fontconfig itself, as it
    /// always did).
    static func load() {
        // Never closed: Pango uses the same library for the life of the process.
        guard let handle = dlopen(library, RTLD_LAZY), let initialize = dlsym(handle, "FcInit") else { return }
        typealias Initialize = @convention(c) () -> Int32
        _ = unsafeBitCast(initialize, to: Initialize.self)()
    }
}
