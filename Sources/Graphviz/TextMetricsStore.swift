import Foundation

/// The text-metrics table on disk, like fontconfig's own cache: one file, `text-metrics`, in
/// `$BPVIZ_CACHE_DIR`, else `$XDG_CACHE_HOME/bpviz`, else `~/.cache/bpviz`; valid only for the fingerprint it was
/// written with — Graphviz's version, the Pango, cairo, fontconfig, FreeType and HarfBuzz
/// library files, fontconfig's configuration files and the font directories' modification
/// times, and the environment variables that steer them. Any change there and the file is
/// ignored and rewritten.
///
/// Every failure is silent: an unreadable, foreign, truncated or corrupt file reads as an
/// empty table (a checksum covers the whole file), and a file that cannot be written is
/// simply not written. Writers merge with what is on disk and replace it with rename(2), so
/// concurrent processes never see a partial file and rarely lose each other's entries.
/// At most `capacity` entries are kept, the least recently used dropped first.
struct TextMetricsStore: Sendable {
    let path: String
    let fingerprint: UInt64
    var capacity = 20_000

    static let magic = Array("BPVZTXT1".utf8)

    /// The standard location, or nil when there is no cache directory to use.
    static func standard(graphvizVersion: String, pluginDirectory: String) -> TextMetricsStore? {
        let env = ProcessInfo.processInfo.environment
        let directory: String
        if let own = env["BPVIZ_CACHE_DIR"], own.hasPrefix("/") {
            directory = own
        } else if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            directory = xdg + "/bpviz"
        } else if let home = env["HOME"], home.hasPrefix("/") {
            directory = home + "/.cache/bpviz"
        } else {
            return nil
        }
        let fingerprint = Fingerprint.current(graphvizVersion: graphvizVersion, pluginDirectory: pluginDirectory)
        return TextMetricsStore(path: directory + "/text-metrics", fingerprint: fingerprint)
    }

    // MARK: - Reading

    func load() -> [TextMetricsCache.Key: TextMetricsCache.Entry] {
        guard let bytes = TextMetricsStore.readFile(path) else { return [:] }
        return decode(bytes) ?? [:]
    }

    func decode(_ bytes: [UInt8]) -> [TextMetricsCache.Key: TextMetricsCache.Entry]? {
        var reader = ByteReader(bytes: bytes)
        guard reader.bytes(8).map(Array.init) == TextMetricsStore.magic,
              reader.uint64() == fingerprint,
              let checksum = reader.uint64(),
              checksum == Fingerprint.hash(bytes[reader.offset...]),
              let count = reader.uint32(), Int(count) <= capacity else { return nil }
        var table: [TextMetricsCache.Key: TextMetricsCache.Entry] = [:]
        table.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let lastUsed = reader.uint32(), let flags = reader.uint32(),
                  let size = reader.double(), let width = reader.double(), let height = reader.double(),
                  let baseline = reader.double(), let centerline = reader.double(), let measured = reader.uint8(),
                  let fontLength = reader.uint32(), let font = reader.string(Int(fontLength)),
                  let textLength = reader.uint32(), let text = reader.string(Int(textLength)) else { return nil }
            let key = TextMetricsCache.Key(font: font, size: size, flags: flags, text: text)
            table[key] = TextMetricsCache.Entry(
                metrics: .init(width: width, height: height, baseline: baseline, centerline: centerline, measured: measured != 0),
                lastUsed: lastUsed)
        }
        return reader.offset == bytes.count ? table : nil
    }

    // MARK: - Writing

    /// Merges `table` with the file's entries (ours win), keeps the most recently used
    /// `capacity` entries, and replaces the file atomically.
    func save(_ table: [TextMetricsCache.Key: TextMetricsCache.Entry]) {
        var merged = load()
        for (key, entry) in table { merged[key] = entry }
        var entries = Array(merged)
        if entries.count > capacity {
            entries.sort { $0.value.lastUsed > $1.value.lastUsed }
            entries.removeLast(entries.count - capacity)
        }
        let bytes = encode(entries)
        let directory = String(path[..<path.lastIndex(of: "/")!])
        TextMetricsStore.makeDirectories(directory)
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        if close(fd) != 0 || !written || rename(temporary, path) != 0 { unlink(temporary) }
    }

    func encode(_ entries: [(key: TextMetricsCache.Key, value: TextMetricsCache.Entry)]) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(entries.count * 64)
        ByteWriter.uint32(UInt32(entries.count), into: &body)
        for (key, entry) in entries {
            let font = Array(key.font.utf8), text = Array(key.text.utf8)
            ByteWriter.uint32(entry.lastUsed, into: &body)
            ByteWriter.uint32(key.flags, into: &body)
            for value in [key.size, entry.metrics.width, entry.metrics.height, entry.metrics.baseline, entry.metrics.centerline] {
                ByteWriter.uint64(value.bitPattern, into: &body)
            }
            body.append(entry.metrics.measured ? 1 : 0)
            ByteWriter.uint32(UInt32(font.count), into: &body)
            body += font
            ByteWriter.uint32(UInt32(text.count), into: &body)
            body += text
        }
        var out = TextMetricsStore.magic
        ByteWriter.uint64(fingerprint, into: &out)
        ByteWriter.uint64(Fingerprint.hash(body[...]), into: &out)
        return out + body
    }

    // MARK: - Files

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        // A bound on what is read: a huge file here is not ours.
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 64 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let complete = bytes.withUnsafeMutableBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = read(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        return complete ? bytes : nil
    }

    static func makeDirectories(_ path: String) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            mkdir(prefix, 0o700)
        }
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func uint8() -> UInt8? { bytes(1)?.first }

    mutating func uint32() -> UInt32? {
        bytes(4).map { $0.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
    }

    mutating func uint64() -> UInt64? {
        bytes(8).map { $0.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
    }

    mutating func double() -> Double? { uint64().map(Double.init(bitPattern:)) }

    mutating func string(_ count: Int) -> String? {
        bytes(count).flatMap { String(validating: $0, as: UTF8.self) }
    }
}

private enum ByteWriter {
    static func uint32(_ value: UInt32, into out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func uint64(_ value: UInt64, into out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
