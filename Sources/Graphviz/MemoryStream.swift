import CGraphviz
import Foundation

/// Collects what C code writes to a `FILE *` into memory (`bpviz_collector_open` in shim.h).
///
/// Graphviz renders and writes graphs to a `FILE *` through the same functions in every
/// version (`gvRender`, `agwrite`), while `gvRenderData`'s length parameter changed type in
/// Graphviz 13; writing to a stream compiles against both. The stream is buffered by stdio
/// and not locked by it: call only with the Graphviz lock held, as every caller does.
enum MemoryStream {
    /// Runs `write` with the stream and returns the bytes written, or nil if `write` reports
    /// failure or the stream could not be opened, grown or flushed.
    static func collect(_ write: (UnsafeMutablePointer<FILE>) -> Bool) -> Data? {
        // The stream keeps this address and writes through it until fclose: it must outlive
        // the call, which a Swift `&local` argument does not promise.
        let collector = UnsafeMutablePointer<bpviz_collector>.allocate(capacity: 1)
        collector.initialize(to: bpviz_collector())
        defer {
            free(collector.pointee.bytes)
            collector.deallocate()
        }
        guard let stream = bpviz_collector_open(collector) else { return nil }
        let written = write(stream)
        guard fclose(stream) == 0, written, collector.pointee.failed == 0 else { return nil }
        guard let bytes = collector.pointee.bytes else { return Data() }
        // The Data takes the block over instead of copying it (an SVG can be tens of
        // megabytes): it frees it, the defer no longer does.
        collector.pointee.bytes = nil
        return Data(bytesNoCopy: bytes, count: collector.pointee.count, deallocator: .free)
    }
}
