import Foundation

/// A directory that holds a set of files bpviz wrote (a deck) among, perhaps, files of others.
/// `.bpviz-deck` lists the files bpviz wrote there; bpviz replaces or removes only those, so a
/// deck written into a course site's folder, or into `.`, never touches anything else.
///
/// Writing a new set: `open` checks the directory and writes the manifest as the union of the
/// old and the new names (so an interruption never leaves a file of ours unlisted), `write`
/// replaces each file atomically, and `finish` removes the old set's files the new one does
/// not have and writes the manifest of the new set. Files are written in the order given:
/// put `index.html` last, and a reader switches from the old deck to the new at one moment.
package final class DeckDirectory {
    package static let manifestName = ".bpviz-deck"
    static let manifestHeader = "# bpviz deck: the files bpviz wrote here. bpviz replaces or removes only these."

    package let path: String
    let planned: Set<String>
    let previous: Set<String>
    let lock: Int32
    /// Made by this run: a failed deck then takes the whole directory away again.
    let created: Bool
    var written: Set<String> = []
    var finished = false

    /// Opens a deck directory: checks it (creating it when missing), locks it against a second writer,
    /// removes staging files of dead writers and records the files about to be written.
    /// A non-empty directory without a manifest is refused unless `allowingOtherFiles` (a
    /// directory with one is a deck, whose other files were accepted when it was made); a
    /// file the new set would replace but bpviz did not write is always refused.
    package static func open(_ path: String, files: [String], allowingOtherFiles: Bool, isOwnFile: (String) -> Bool,
                            optionName: String = "--allow-other-files") throws -> DeckDirectory {
        let fm = FileManager.default
        for name in files where !isPlainName(name) || name == manifestName {
            throw OutputError("\(path): `\(name)` is not a plain file name; expected deck files named without a directory")
        }
        let planned = Set(files)
        var info = stat()
        var created = false
        if lstat(path, &info) != 0 {
            let parent = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw OutputError("\(path): the directory \(parent) does not exist; expected an output directory whose parent exists")
            }
            guard mkdir(path, 0o755) == 0 else {
                throw OutputError("\(path): cannot create the directory (\(OutputError.reason())); expected a writable location")
            }
            created = true
            StagingFiles.register(directory: path)
        } else if stat(path, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
            throw OutputError("\(path): is not a directory; expected a directory for the deck (new, empty, or an earlier deck)")
        }
        let lock = Foundation.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lock >= 0 else {
            if created { StagingFiles.forget(directory: path); rmdir(path) }
            throw OutputError("\(path): cannot open the directory (\(OutputError.reason())); expected a readable, writable directory")
        }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            close(lock)
            throw OutputError("\(path): another bpviz is writing a deck there; expected one writer at a time")
        }
        do {
            let manifest = try readManifest(path)
            // Only names this writer gives its files: an entry someone added to the manifest
            // (`notes.txt`) is a file like any other, never replaced or removed.
            let previous = (manifest ?? []).filter(isOwnFile)
            // Staging files of writers that died (SIGKILL, a crash), in the deck and beside it.
            StagingFiles.removeStale(in: path, isTarget: { planned.contains($0) || previous.contains($0) || $0 == manifestName || isOwnFile($0) })
            let name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
            StagingFiles.removeStale(in: URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path,
                                     isTarget: { $0 == name }, isOwnFile: isOwnFile)
            let entries = try fm.contentsOfDirectory(atPath: path)
            let others = entries.filter { $0 != manifestName && !previous.contains($0) }
            if let foreign = others.sorted().first(where: { planned.contains($0) }) {
                throw OutputError("\(path)/\(foreign): exists and was not written by bpviz; expected a deck directory without it (move it away: bpviz never replaces a file it did not write)")
            }
            // A directory with a manifest is a deck: its other files were accepted when it was made.
            if !others.isEmpty && manifest == nil && !allowingOtherFiles {
                let shown = others.sorted().prefix(3).map { "`\($0)`" }.joined(separator: ", ") + (others.count > 3 ? " …" : "")
                throw OutputError("\(path): holds files bpviz did not write (\(shown)); expected a new or empty directory or an earlier deck, or \(optionName) to write the deck beside them (they are never replaced or removed)")
            }
            for name in previous.intersection(planned) {
                var own = stat()
                if lstat(path + "/" + name, &own) == 0, own.st_mode & S_IFMT != S_IFREG {
                    throw OutputError("\(path)/\(name): is not a regular file; expected the deck's own file or nothing there")
                }
            }
            try writeManifest(previous.union(planned), in: path)
            if created { StagingFiles.forget(directory: path) }
            return DeckDirectory(path: path, planned: planned, previous: previous, lock: lock, created: created)
        } catch {
            flock(lock, LOCK_UN)
            close(lock)
            if created { StagingFiles.forget(directory: path); rmdir(path) }
            throw error
        }
    }

    init(path: String, planned: Set<String>, previous: Set<String>, lock: Int32, created: Bool) {
        self.path = path
        self.planned = planned
        self.previous = previous
        self.lock = lock
        self.created = created
    }

    /// A deck dropped without `finish()` (a frame failed to render) is abandoned.
    deinit {
        if !finished { abandon() }
        flock(lock, LOCK_UN)
        close(lock)
    }

    /// Replaces one of the planned files, atomically.
    package func write(_ data: Data, named name: String) throws {
        guard planned.contains(name) else {
            throw OutputError("\(path)/\(name): not among the deck's files; expected one of the names given when the directory was opened")
        }
        // `open` removed dead writers' staging files once: a deck of n files does not list
        // its directory n times.
        try OutputFile.replace(path + "/" + name, with: data, shownAs: path + "/" + name, mode: nil, removingStale: false)
        written.insert(name)
    }

    /// Replaces one of the planned files, atomically, with what `body` writes into it piece
    /// by piece: a large file (a deck's page) is never held whole in memory.
    func write(named name: String, _ body: (OutputFile.Stream) throws -> Void) throws {
        guard planned.contains(name) else {
            throw OutputError("\(path)/\(name): not among the deck's files; expected one of the names given when the directory was opened")
        }
        let stream = try OutputFile.Stream(path + "/" + name, shownAs: path + "/" + name, mode: nil, removingStale: false)
        try body(stream)
        try stream.commit()
        written.insert(name)
    }

    /// After a failure (also when the directory is dropped unfinished): a directory this run
    /// created goes again (it holds only this run's files); in an existing one, the manifest
    /// still lists every file of either deck, so the next run replaces or removes them.
    package func abandon() {
        guard created else { return }
        for name in written { unlink(path + "/" + name) }
        unlink(path + "/" + Self.manifestName)
        rmdir(path)
    }

    /// Removes the earlier deck's files that the new one does not have, then lists only the
    /// new set in the manifest.
    package func finish() throws {
        for name in previous.subtracting(planned) {
            var info = stat()
            // Only regular files: whatever became a directory or a link since is not ours.
            if lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path + "/" + name) }
        }
        try Self.writeManifest(planned, in: path)
        finished = true
        flock(lock, LOCK_UN)
    }

    static func writeManifest(_ names: Set<String>, in path: String) throws {
        let text = ([manifestHeader] + names.sorted()).joined(separator: "\n") + "\n"
        try OutputFile.replace(path + "/" + manifestName, with: Data(text.utf8), shownAs: path + "/" + manifestName, mode: nil, removingStale: false)
    }

    /// The names a manifest lists; only plain names count, so an edited manifest cannot point
    /// outside the directory. No manifest: nil.
    static func readManifest(_ directory: String) throws -> Set<String>? {
        let file = directory + "/" + manifestName
        var info = stat()
        guard lstat(file, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: file) else {
            throw OutputError("\(file): is not a readable bpviz manifest; expected the regular file an earlier deck wrote")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return Set(lines.filter { !$0.hasPrefix("#") && isPlainName($0) && $0 != manifestName })
    }

    /// A file name in the directory itself: no slash, not `.`/`..`, no control characters.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/")
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
