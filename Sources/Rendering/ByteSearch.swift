import Foundation

/// Finding and replacing runs of bytes in SVG and HTML held as `[UInt8]`: Graphviz's SVG of a
/// large net is tens of megabytes, and a deck edits every frame's. A run's first byte is found
/// with memchr (libc's is vectorised), the rest compared with memcmp; everything that reads or
/// rewrites these bytes uses this one pair, `firstRun` and `appendReplacingRuns`.
extension Array where Element == UInt8 {
    /// Whether `prefix` starts at `index`.
    func starts(with prefix: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= count else { return false }
        for k in 0..<prefix.count where self[index + k] != prefix[k] { return false }
        return true
    }

    /// Whether `needle` starts at `index` and ends at or before `end`.
    func fits(_ needle: [UInt8], at index: Int, before end: Int) -> Bool {
        index + needle.count <= end && starts(with: needle, at: index)
    }

    /// The first `byte` at or after `start`.
    func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard start >= 0, start < count else { return nil }
        return withUnsafeBufferPointer { hay -> Int? in
            let base = hay.baseAddress!
            guard let hit = memchr(base + start, Int32(byte), count - start) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Where `needle` first lies wholly inside `range`; nil for an empty needle.
    func firstRun(of needle: [UInt8], in range: Range<Int>) -> Int? {
        guard !needle.isEmpty, range.lowerBound >= 0, range.upperBound <= count, needle.count <= range.count else { return nil }
        return withUnsafeBufferPointer { Self.firstRun(of: needle, in: $0.baseAddress!, from: range.lowerBound, to: range.upperBound) }
    }

    /// Where `needle` first occurs at or after `start`.
    func firstRun(of needle: [UInt8], from start: Int = 0) -> Int? {
        guard start <= count else { return nil }
        return firstRun(of: needle, in: start..<count)
    }

    /// `self[range]` appended to `out` with every `needle` in it replaced by `replacement`,
    /// left to right, a match never overlapping the one before; the bytes between matches
    /// are copied whole. An empty needle replaces nothing.
    func appendReplacingRuns(of needle: [UInt8], with replacement: [UInt8], in range: Range<Int>, to out: inout [UInt8]) {
        guard !range.isEmpty else { return }
        withUnsafeBufferPointer { hay in
            var copied = range.lowerBound
            if !needle.isEmpty {
                let base = hay.baseAddress!
                while let j = Self.firstRun(of: needle, in: base, from: copied, to: range.upperBound) {
                    out.append(contentsOf: hay[copied..<j])
                    out += replacement
                    copied = j + needle.count
                }
            }
            out.append(contentsOf: hay[copied..<range.upperBound])
        }
    }

    /// The bytes from `start` on with every `needle` replaced (see `appendReplacingRuns`).
    func replacingRuns(of needle: [UInt8], with replacement: [UInt8], from start: Int = 0) -> [UInt8] {
        guard start < count else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(count - start + (count - start) / 16)
        appendReplacingRuns(of: needle, with: replacement, in: start..<count, to: &out)
        return out
    }

    /// The memchr/memcmp search both of the above make: `needle` (not empty) inside `start..<end` of `base`.
    private static func firstRun(of needle: [UInt8], in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let last = end - needle.count
        var i = start
        while i <= last {
            guard let hit = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
            let j = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + j, needle, needle.count) == 0 { return j }
            i = j + 1
        }
        return nil
    }
}
