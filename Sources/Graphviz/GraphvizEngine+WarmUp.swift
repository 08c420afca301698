extension GraphvizEngine {
    /// Starts Pango on a second thread when this process will measure text with it (the
    /// text-metrics cache is on and has no file yet: a cold run), so that its start-up,
    /// ~18 ms CPU for question-1, overlaps the caller's own work instead of delaying the
    /// first measurement. Call it as early as possible, before Graphviz is used; in a cold
    /// run it returns once fontconfig has read its configuration (~5 ms), which the caller's
    /// thread does while the new one loads Pango's libraries. `fonts`, called on the new
    /// thread once they are loaded (only in a cold run), gives the (face, size in points)
    /// pairs labels will use, most used first, as Graphviz gives them to Pango: an HTML
    /// label's POINT-SIZE is read as a whole number. Fonts the warm-up has not reached when
    /// Pango is first needed are left for then.
    ///
    /// Outputs are the same, byte for byte: the warm-up's measurements are thrown away, and
    /// Pango is used by one thread at a time (whatever uses it next waits for the warm-up).
    /// A warm run, or `BPVIZ_NO_CACHE=1`, starts Graphviz itself on that thread instead (its
    /// context, plugins and cache file: ~3.4 ms a warm render would otherwise wait for); a
    /// call after Graphviz drew or measured anything starts no Pango. A program that may
    /// exit before it renders calls `finishTextLayoutWarmUp()` first.
    public static func warmUpTextLayout(fonts: @escaping @Sendable () -> [(face: String, size: Double)]) {
        TextMetricsCache.warmUp { fonts().map { PangoWarmUp.Font(face: $0.face, size: $0.size) } }
    }

    /// Waits for the thread `warmUpTextLayout` started, if it is still running: a process
    /// must not exit under it (its libraries would be finalised while it uses them).
    public static func finishTextLayoutWarmUp() {
        PangoWarmUp.finish()
        GraphvizRuntime.finishEarlyStart()
    }

    /// Waits for every thread this module started: Pango's warm-up, and the text-metrics
    /// cache's fingerprint and saves (so what was measured is in the cache file). After it, a
    /// program that has written all it had to may end with `_exit`, skipping the libraries'
    /// finalisers; `exit` waits for the same threads itself.
    public static func finishBackgroundWork() {
        PangoWarmUp.finish()
        GraphvizRuntime.finishEarlyStart()
        TextMetricsCache.finishBackgroundWork()
    }
}
