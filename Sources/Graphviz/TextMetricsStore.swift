import Foundation

/// The text-metrics table on disk, like fontconfig's own cache: one file, `text-metrics`, in
/// `$BPVIZ_CACHE_DIR`, else `$XDG_CACHE_HOME/bpviz`, else `~/.cache/bpviz`; valid only for the fingerprint it was
/// written with — Graphviz's version, the Pango, cairo, fontconfig, FreeType and HarfBuzz
/// library files, fontconfig's configuration files and the font directories' modification
/// times, and the environment variables that steer them. Any change there and the file is
/// ignored and rewritten.
///
/// Every failure is silent: an unreadable, foreign, truncated or corrupt file reads as an
/// empty table, and a file that cannot be written is simply not written. Writers merge with
/// what is on disk and replace it with rename(2), so concurrent processes never see a partial
/// file and rarely lose each other's entries. At most `capacity` entries are kept, the least
/// recently used dropped first.
///
/// A run reads the file but decodes only the entries it asks for (`Table`): the entries are
/// indexed by a hash of their key, sorted, and each carries its own checksum, so a lookup
/// is a binary search and a damaged entry reads as a miss, never as wrong numbers. (Decoding
/// a full 20,000-entry file took ~10 ms, a third of a warm render.)
///
/// Layout: magic, fingerprint (u64), count (u32); `count` index entries (key hash u64,
/// offset u32) in key-hash order; then the entries in the same order, each: checksum (u64,
/// of the rest of the entry), last use (u32), font flags (u32), size, width, height,
/// baseline and centerline (f64), measured (u8), font and text (u32 length + UTF-8).
/// Integers and doubles are little-endian.
struct TextMetricsStore: Sendable {
    let path: String
    let fingerprint: UInt64
    var capacity = 20_000

    static let magic = Array("BPVZTXT2".utf8)

    /// The standard location, or nil when there is no cache directory to use.
    static func standard(graphvizVersion: String, pluginDirectory: String, plugin: String?) -> TextMetricsStore? {
        guard let path = standardPath() else { return nil }
        let fingerprint = Fingerprint.current(graphvizVersion: graphvizVersion, pluginDirectory: pluginDirectory, plugin: plugin)
        return TextMetricsStore(path: path, fingerprint: fingerprint)
    }

    /// The standard file's path, or nil when there is no cache directory to use.
    static func standardPath() -> String? {
        // getenv: this runs first thing in a cold run (see `PangoWarmUp`).
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        if let own = env("BPVIZ_CACHE_DIR"), own.hasPrefix("/") { return own + "/text-metrics" }
        if let xdg = env("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return xdg + "/bpviz/text-metrics" }
        if let home = env("HOME"), home.hasPrefix("/") { return home + "/.cache/bpviz/text-metrics" }
        return nil
    }

    // MARK: - Reading

    /// Every entry of the file (empty when it is missing or bad).
    func load() -> [TextMetricsCache.Key: TextMetricsCache.Entry] {
        guard let bytes = TextMetricsStore.readFile(path) else { return [:] }
        return decode(bytes) ?? [:]
    }

    /// The file, read but not decoded: entries are decoded as they are asked for.
    func openTable() -> Table? {
        TextMetricsStore.readFile(path).flatMap(table)
    }

    /// The file's bytes as a table of this store (nil unless they are one).
    func table(_ bytes: [UInt8]) -> Table? {
        Table(bytes: bytes, fingerprint: fingerprint, capacity: capacity)
    }

    /// Every entry, or nil unless the whole file is intact: the header is ours, the index is
    /// in order and names each entry by its key's hash, every entry's checksum holds, and the
    /// entries follow each other to the end of the file.
    func decode(_ bytes: [UInt8]) -> [TextMetricsCache.Key: TextMetricsCache.Entry]? {
        guard let file = Table(bytes: bytes, fingerprint: fingerprint, capacity: capacity) else { return nil }
        var table: [TextMetricsCache.Key: TextMetricsCache.Entry] = [:]
        table.reserveCapacity(file.count)
        var expected = file.entriesStart
        var previous: UInt64 = 0
        for i in 0..<file.count {
            let (hash, offset) = file.indexEntry(i)
            guard offset == expected, hash >= previous,
                  let (key, entry, end) = file.entry(at: offset), Table.hash(key) == hash else { return nil }
            table[key] = entry
            expected = end
            previous = hash
        }
        return expected == bytes.count ? table : nil
    }

    /// The file's bytes with lookups by key.
    struct Table: Sendable {
        let bytes: [UInt8]
        let count: Int
        static let headerSize = 20
        static let indexEntrySize = 12

        init?(bytes: [UInt8], fingerprint: UInt64, capacity: Int) {
            guard bytes.count >= Table.headerSize, Array(bytes[0..<8]) == TextMetricsStore.magic,
                  Table.uint64(bytes, 8) == fingerprint else { return nil }
            let count = Int(Table.uint32(bytes, 16))
            guard count <= capacity, Table.headerSize + count * Table.indexEntrySize <= bytes.count else { return nil }
            self.bytes = bytes
            self.count = count
        }

        var entriesStart: Int { Table.headerSize + count * Table.indexEntrySize }

        func indexEntry(_ i: Int) -> (hash: UInt64, offset: Int) {
            let at = Table.headerSize + i * Table.indexEntrySize
            return (Table.uint64(bytes, at), Int(Table.uint32(bytes, at + 8)))
        }

        /// The entry stored for `key`, if there is an intact one.
        func lookup(_ key: TextMetricsCache.Key) -> TextMetricsCache.Entry? {
            let hash = Table.hash(key)
            var low = 0, high = count
            while low < high {
                let middle = (low + high) / 2
                if indexEntry(middle).hash < hash { low = middle + 1 } else { high = middle }
            }
            for i in low..<count {
                let (h, offset) = indexEntry(i)
                guard h == hash else { break }
                if let (stored, entry, _) = entry(at: offset), stored == key { return entry }
            }
            return nil
        }

        /// The entry at `offset` and where the next one starts, if its checksum holds.
        func entry(at offset: Int) -> (TextMetricsCache.Key, TextMetricsCache.Entry, Int)? {
            let fixed = 8 + 4 + 4 + 5 * 8 + 1
            guard offset >= entriesStart, offset <= bytes.count - fixed - 4 else { return nil }
            var at = offset + 8
            let lastUsed = Table.uint32(bytes, at), flags = Table.uint32(bytes, at + 4)
            at += 8
            func double(_ k: Int) -> Double { Double(bitPattern: Table.uint64(bytes, at + 8 * k)) }
            let size = double(0), width = double(1), height = double(2), baseline = double(3), centerline = double(4)
            at += 40
            let measured = bytes[at] != 0
            at += 1
            let fontLength = Int(Table.uint32(bytes, at))
            at += 4
            guard fontLength <= bytes.count - at - 4 else { return nil }
            let fontRange = at..<at + fontLength
            at += fontLength
            let textLength = Int(Table.uint32(bytes, at))
            at += 4
            guard textLength <= bytes.count - at else { return nil }
            let textRange = at..<at + textLength
            at += textLength
            guard Table.uint64(bytes, offset) == Fingerprint.hash(bytes[offset + 8..<at]),
                  let font = String(validating: bytes[fontRange], as: UTF8.self),
                  let text = String(validating: bytes[textRange], as: UTF8.self) else { return nil }
            let key = TextMetricsCache.Key(font: font, size: size, flags: flags, text: text)
            let metrics = TextMetricsCache.Metrics(width: width, height: height, baseline: baseline, centerline: centerline, measured: measured)
            return (key, TextMetricsCache.Entry(metrics: metrics, lastUsed: lastUsed), at)
        }

        /// What the index sorts by: FNV-1a of the key's fields.
        static func hash(_ key: TextMetricsCache.Key) -> UInt64 {
            var bytes = Array(key.font.utf8)
            bytes.append(0)
            ByteWriter.uint64(key.size.bitPattern, into: &bytes)
            ByteWriter.uint32(key.flags, into: &bytes)
            bytes += key.text.utf8
            return Fingerprint.hash(bytes)
        }

        static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(bytes[at + k]) << (8 * k) }
            return v
        }

        static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(bytes[at + k]) << (8 * k) }
            return v
        }
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
        let written = bytes.withUnsafeBytes { writeAll($0, to: fd) }
        if close(fd) != 0 || !written || rename(temporary, path) != 0 { unlink(temporary) }
    }

    func encode(_ entries: [(key: TextMetricsCache.Key, value: TextMetricsCache.Entry)]) -> [UInt8] {
        // In key-hash order (the key itself breaks ties, so the bytes are deterministic).
        let hashed = entries.map { (hash: Table.hash($0.key), key: $0.key, entry: $0.value) }
            .sorted { a, b in
                if a.hash != b.hash { return a.hash < b.hash }
                return (a.key.font, a.key.size, a.key.flags, a.key.text) < (b.key.font, b.key.size, b.key.flags, b.key.text)
            }
        var body: [UInt8] = []
        body.reserveCapacity(entries.count * 72)
        var offsets: [Int] = []
        let start = Table.headerSize + entries.count * Table.indexEntrySize
        for (_, key, entry) in hashed {
            offsets.append(start + body.count)
            var record: [UInt8] = []
            ByteWriter.uint32(entry.lastUsed, into: &record)
            ByteWriter.uint32(key.flags, into: &record)
            for value in [key.size, entry.metrics.width, entry.metrics.height, entry.metrics.baseline, entry.metrics.centerline] {
                ByteWriter.uint64(value.bitPattern, into: &record)
            }
            record.append(entry.metrics.measured ? 1 : 0)
            ByteWriter.uint32(UInt32(key.font.utf8.count), into: &record)
            record += key.font.utf8
            ByteWriter.uint32(UInt32(key.text.utf8.count), into: &record)
            record += key.text.utf8
            ByteWriter.uint64(Fingerprint.hash(record), into: &body)
            body += record
        }
        var out = TextMetricsStore.magic
        ByteWriter.uint64(fingerprint, into: &out)
        ByteWriter.uint32(UInt32(entries.count), into: &out)
        for (i, item) in hashed.enumerated() {
            ByteWriter.uint64(item.hash, into: &out)
            ByteWriter.uint32(UInt32(offsets[i]), into: &out)
        }
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

private enum ByteWriter {
    static func uint32(_ value: UInt32, into out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func uint64(_ value: UInt64, into out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
