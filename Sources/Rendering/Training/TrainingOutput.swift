import Foundation

/// The run directory of `bpviz train` is a deck directory (`DeckDirectory`): bpviz replaces or
/// removes only the files its manifest lists. Training can take a while, so the directory is
/// checked, read-only, before the run starts; it is opened (created, locked) only to write.
extension TrainingReport {
    /// The names a run's files have: what may be removed from staging folders a killed run left.
    static func isRunFile(_ name: String) -> Bool {
        ["history.csv", "trained.yaml", "loss.svg", "gradients.svg", "index.html"].contains(name)
            || (name.hasPrefix("frame-") && name.hasSuffix(".svg") && name.dropFirst(6).dropLast(4).allSatisfy { $0.isASCII && $0.isNumber })
    }

    /// Throws what `DeckDirectory.open` would, without creating or writing anything.
    public static func checkDirectory(_ path: String, files: [String], allowingOtherFiles: Bool) throws {
        let fm = FileManager.default
        var info = stat()
        if lstat(path, &info) != 0 {
            let parent = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw OutputError("\(path): the directory \(parent) does not exist; expected an output directory whose parent exists")
            }
            return
        }
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw OutputError("\(path): is not a directory; expected a directory for the training run (new, empty, or an earlier run)")
        }
        let manifest = try DeckDirectory.readManifest(path)
        let previous = manifest ?? []
        let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        let others = entries.filter { $0 != DeckDirectory.manifestName && !previous.contains($0) && !$0.hasPrefix(".") }
        if let foreign = others.sorted().first(where: { files.contains($0) }) {
            throw OutputError("\(path)/\(foreign): exists and was not written by bpviz; expected a run directory without it (move it away: bpviz never replaces a file it did not write)")
        }
        if !others.isEmpty && manifest == nil && !allowingOtherFiles {
            let shown = others.sorted().prefix(3).map { "`\($0)`" }.joined(separator: ", ") + (others.count > 3 ? " …" : "")
            throw OutputError("\(path): holds files bpviz did not write (\(shown)); expected a new or empty directory or an earlier run, or --allow-other-files to write the run beside them (they are never replaced or removed)")
        }
    }

    /// Writes the files into the run directory, `index.html` last; an earlier run's files
    /// the new one does not have are removed.
    public static func write(_ files: [(name: String, data: Data)], to path: String, allowingOtherFiles: Bool) throws {
        let output = try DeckDirectory.open(path, files: files.map(\.name), allowingOtherFiles: allowingOtherFiles, isOwnFile: isRunFile)
        for file in files { try output.write(file.data, named: file.name) }
        try output.finish()
    }
}
