import Foundation

/// The output directory of `bpviz train`: bpviz replaces or removes only the files it wrote
/// there, which `.bpviz-deck` lists (the manifest decks keep, in the same format). Each file
/// is written to a staging name and renamed into place, so a reader sees an old file or the
/// whole new one; the manifest lists the union of the old and new files while writing, so an
/// interruption never leaves a file of ours unlisted.
public final class RunDirectory {
    public static let manifestName = ".bpviz-deck"
    static let manifestHeader = "# bpviz deck: the files bpviz wrote here. bpviz replaces or removes only these."

    public let path: String
    let planned: Set<String>
    let previous: Set<String>

    /// Checks the directory (creating it when missing) and records the files about to be
    /// written. Refused: a directory holding files bpviz did not write, unless it has a
    /// manifest (an earlier run or deck); and always a planned name that bpviz did not write.
    /// With `dryRun`, only checks (nothing is created or written): a long run checks its
    /// output directory before it starts.
    public init(_ path: String, files: [String], dryRun: Bool = false) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if !fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            let parent = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
            guard fm.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw RunError("\(path): the directory \(parent) does not exist; expected an output directory whose parent exists")
            }
            guard dryRun || mkdir(path, 0o755) == 0 else {
                throw RunError("\(path): cannot create the directory (\(String(cString: strerror(errno)))); expected a writable location")
            }
        } else if !isDirectory.boolValue {
            throw RunError("\(path): is a file; expected a directory for the training run (new, empty, or an earlier run)")
        }
        let manifest = try Self.readManifest(path)
        let previous = manifest ?? []
        let entries: [String]
        do { entries = fm.fileExists(atPath: path) ? try fm.contentsOfDirectory(atPath: path) : [] } catch {
            throw RunError("\(path): cannot list the directory; expected a readable, writable directory")
        }
        let others = entries.filter { $0 != Self.manifestName && !previous.contains($0) && !$0.hasPrefix(".bpviz-staging-") }
        if let foreign = others.sorted().first(where: { files.contains($0) }) {
            throw RunError("\(path)/\(foreign): exists and was not written by bpviz; expected a directory without it (bpviz never replaces a file it did not write)")
        }
        if !others.isEmpty && manifest == nil {
            let shown = others.sorted().prefix(3).map { "`\($0)`" }.joined(separator: ", ") + (others.count > 3 ? " …" : "")
            throw RunError("\(path): holds files bpviz did not write (\(shown)); expected a new or empty directory, or an earlier run's")
        }
        self.path = path
        self.planned = Set(files)
        self.previous = previous
        if !dryRun { try writeManifest(previous.union(planned)) }
    }

    /// Replaces one of the planned files, atomically.
    public func write(_ data: Data, named name: String) throws {
        precondition(planned.contains(name), "only the files named when the directory was opened are written")
        let target = path + "/" + name
        var info = stat()
        if lstat(target, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw RunError("\(target): is not a regular file; expected the run's own file or nothing there")
        }
        let staging = path + "/.bpviz-staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-" + name
        let fd = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunError("\(target): cannot create a file (\(String(cString: strerror(errno)))); expected a writable directory") }
        var ok = true
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { ok = false; return }
                offset += n
            }
        }
        let reason = ok ? "" : String(cString: strerror(errno))
        if close(fd) != 0 { ok = false }
        guard ok, rename(staging, target) == 0 else {
            let why = reason.isEmpty ? String(cString: strerror(errno)) : reason
            unlink(staging)
            throw RunError("\(target): cannot write the file (\(why)); expected room on a writable disk")
        }
    }

    /// Removes the earlier run's files the new one does not have, then lists only the new set.
    public func finish() throws {
        for name in previous.subtracting(planned) {
            var info = stat()
            if lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path + "/" + name) }
        }
        try writeManifest(planned)
    }

    func writeManifest(_ names: Set<String>) throws {
        let text = ([Self.manifestHeader] + names.sorted()).joined(separator: "\n") + "\n"
        let target = path + "/" + Self.manifestName
        let staging = path + "/.bpviz-staging-\(getpid())-manifest"
        guard FileManager.default.createFile(atPath: staging, contents: Data(text.utf8)), rename(staging, target) == 0 else {
            unlink(staging)
            throw RunError("\(target): cannot write the manifest (\(String(cString: strerror(errno)))); expected a writable directory")
        }
    }

    /// The plain names a manifest lists (an edited manifest cannot point outside the
    /// directory); nil without one.
    static func readManifest(_ directory: String) throws -> Set<String>? {
        let file = directory + "/" + manifestName
        var info = stat()
        guard lstat(file, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: file) else {
            throw RunError("\(file): is not a readable bpviz manifest; expected the regular file an earlier run wrote")
        }
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter {
            !$0.hasPrefix("#") && !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("/") && $0 != manifestName
                && !$0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        })
    }
}

public struct RunError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
