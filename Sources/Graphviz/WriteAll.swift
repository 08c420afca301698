import Foundation

/// Writes all of `bytes` to the file descriptor, again after an interrupted or short write;
/// false when a write fails. The Graphviz module's one write loop (the text-metrics cache
/// file, SplitSVG's child).
func writeAll(_ bytes: UnsafeRawBufferPointer, to file: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = write(file, bytes.baseAddress! + offset, bytes.count - offset)
        if n <= 0 { if n < 0 && errno == EINTR { continue }; return false }
        offset += n
    }
    return true
}
