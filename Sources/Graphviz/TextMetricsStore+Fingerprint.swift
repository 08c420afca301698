import Foundation

/// What a stored text measurement depends on, hashed. Computed without loading Pango or
/// fontconfig (that is what the cache saves): from the files they read, as fontconfig's own
/// cache does — a font added or removed changes its directory's modification time.
enum Fingerprint {
    /// Bump when the stored format or what is measured changes.
    static let version = "bpviz text metrics 1"

    static let environmentKeys = [
        "FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "PANGOCAIRO_BACKEND", "PANGO_LANGUAGE",
        "LANGUAGE", "LC_ALL", "LC_CTYPE", "LANG", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "GVBINDIR",
    ]

    /// The shared libraries Graphviz's Pango plugin measures with.
    static let libraries = [
        "libpango-1.0.so.0", "libpangocairo-1.0.so.0", "libpangoft2-1.0.so.0", "libcairo.so.2",
        "libfontconfig.so.1", "libfreetype.so.6", "libharfbuzz.so.0", "libgvc.so.6",
    ]

    /// `plugin`: the Pango plugin's path in `pluginDirectory` (`PangoTextLayout.pluginPath`).
    static func current(graphvizVersion: String, pluginDirectory: String, plugin: String?) -> UInt64 {
        let env = ProcessInfo.processInfo.environment
        var text = version + "\n" + graphvizVersion + "\n"
        for key in environmentKeys { text += key + "=" + (env[key] ?? "-") + "\n" }
        text += describe(pluginDirectory + "/config6a")
        if let plugin { text += describe(plugin) }
        let libraries = PangoTextLayout.sharedLibraryDirectory(pluginDirectory)
        for name in self.libraries { text += describe(libraries + "/" + name) }
        let home = env["HOME"] ?? ""
        let configHome = env["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.local/share"
        // fontconfig's configuration: every file and directory.
        var configs = ["/etc/fonts", configHome + "/fontconfig", home + "/.fonts.conf", home + "/.fonts.conf.d"]
        if let file = env["FONTCONFIG_FILE"] { configs.append(file) }
        if let paths = env["FONTCONFIG_PATH"] { configs += paths.split(separator: ":").map(String.init) }
        for path in configs { walk(path, files: true, into: &text) }
        // Font directories: the directories' modification times, as fontconfig checks them.
        for path in ["/usr/share/fonts", "/usr/local/share/fonts", dataHome + "/fonts", home + "/.fonts"] {
            walk(path, files: false, into: &text)
        }
        return hash(Array(text.utf8)[...])
    }

    /// Identity and modification time of a file (following links), or that it is absent.
    static func describe(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return path + " -\n" }
        return describe(path, info)
    }

    static func describe(_ path: String, _ info: stat) -> String {
        "\(path) \(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_mode)\n"
    }

    /// Describes `path` and what lies below it (directories only unless `files`), in name
    /// order, to a bounded depth and count.
    static func walk(_ path: String, files: Bool, into text: inout String) {
        var info = stat()
        guard stat(path, &info) == 0 else { text += path + " -\n"; return }
        walk(path, info, files: files, depth: 0, into: &text)
    }

    /// `walk` of a path already stat'ed: each entry is stat'ed once, relative to its
    /// directory (this runs on every render, warm or cold, and was mostly system calls).
    private static func walk(_ path: String, _ info: stat, files: Bool, depth: Int, into text: inout String) {
        text += describe(path, info)
        guard depth < 8, (info.st_mode & S_IFMT) == S_IFDIR, text.utf8.count < 1 << 20,
              let dir = opendir(path) else { return }
        var children: [(name: String, info: stat?)] = []
        let fd = dirfd(dir)
        while let entry = readdir(dir) {
            // A font directory holds hundreds of font files: when only directories count, the
            // entry's type (where the file system gives it) spares a stat of each file.
            if !files && entry.pointee.d_type == UInt8(DT_REG) { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var childInfo = stat()
            children.append((name, fstatat(fd, name, &childInfo, 0) == 0 ? childInfo : nil))
        }
        closedir(dir)
        for (name, childInfo) in children.sorted(by: { $0.name < $1.name }) {
            let child = path + "/" + name
            guard let childInfo else { text += child + " -\n"; continue }
            if (childInfo.st_mode & S_IFMT) == S_IFDIR {
                walk(child, childInfo, files: files, depth: depth + 1, into: &text)
            } else if files {
                text += describe(child, childInfo)
            }
        }
    }

    /// FNV-1a, 64 bits: stable across runs and platforms (Swift's Hasher is seeded per process).
    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        contiguous(bytes, hashBytes)
    }

    /// A second 64-bit hash, unrelated to FNV-1a (a multiply–xorshift per byte and
    /// MurmurHash3's final mix), so that a pair of them names a label without its text.
    static func mixHash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        contiguous(bytes, mixHashBytes)
    }

    /// `body` over the bytes in memory: a label's DOT is kilobytes, and walking a String's
    /// UTF-8 view through its iterator cost several times the hashing itself.
    private static func contiguous<Bytes: Sequence<UInt8>>(_ bytes: Bytes, _ body: (UnsafeBufferPointer<UInt8>) -> UInt64) -> UInt64 {
        bytes.withContiguousStorageIfAvailable(body) ?? Array(bytes).withUnsafeBufferPointer(body)
    }

    private static func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    private static func mixHashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 29
        }
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        return h ^ (h >> 33)
    }
}
