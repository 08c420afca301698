import CGraphviz
import Foundation

/// Collects what C code writes to a `FILE *` into memory (`open_memstream`).
///
/// Graphviz renders and writes graphs to a `FILE *` through the same functions in every
/// version (`gvRender`, `agwrite`), while `gvRenderData`'s length parameter changed type in
/// Graphviz 13; writing to a memory stream compiles against both.
enum MemoryStream {
    /// Runs `write` with the stream and returns the bytes written, or nil if `write` reports
    /// failure or the stream could not be opened or flushed.
    static func collect(_ write: (UnsafeMutablePointer<FILE>) -> Bool) -> Data? {
        // open_memstream keeps these addresses and updates them until fclose: they must
        // outlive the call, which a Swift `&local` argument does not promise.
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 1)
        let size = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        buffer.initialize(to: nil)
        size.initialize(to: 0)
        defer {
            free(buffer.pointee)
            buffer.deallocate()
            size.deallocate()
        }
        guard let stream = open_memstream(buffer, size) else { return nil }
        let written = write(stream)
        guard fclose(stream) == 0, written, let bytes = buffer.pointee else { return nil }
        // The Data takes the stream's buffer over instead of copying it (an SVG can be tens
        // of megabytes): it frees it, the defer no longer does.
        buffer.pointee = nil
        return Data(bytesNoCopy: bytes, count: size.pointee, deallocator: .free)
    }
}
