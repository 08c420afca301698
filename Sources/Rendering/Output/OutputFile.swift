import Foundation

/// Writes one output file so that a reader sees either the old file or the whole new one:
/// the bytes go to a staging file beside the target, which is then renamed over it.
///
/// What is at the path decides how: a regular file (or a link to one) is replaced that way,
/// keeping its permissions; a device, pipe or socket (`/dev/null`, `/dev/full`, a FIFO) is
/// written directly, never renamed over, so a device node is never replaced by a file; a
/// directory is refused. Failures carry the system's reason (`No space left on device`).
public enum OutputFile {
    public static func write(_ data: Data, to path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            var target = path
            if info.st_mode & S_IFMT == S_IFLNK, stat(path, &info) == 0, let resolved = realpath(path, nil) {
                // Write where the link points, so the link stays a link.
                target = String(cString: resolved)
                free(resolved)
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw OutputError("\(path): is a directory; expected a file path for the output")
            case S_IFREG, S_IFLNK:
                try replace(target, with: data, shownAs: path, mode: info.st_mode & S_IFMT == S_IFREG ? info.st_mode & 0o7777 : nil)
            default:
                try writeDirectly(data, to: target, shownAs: path)
            }
            return
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError("\(path): the directory \(directory) does not exist; expected an output path in an existing directory")
        }
        try replace(path, with: data, shownAs: path, mode: nil)
    }

    /// Staging file, then rename; `mode` keeps an existing file's permissions.
    static func replace(_ path: String, with data: Data, shownAs shown: String, mode: mode_t?) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        StagingFiles.removeStale(in: directory, isTarget: { $0 == url.lastPathComponent })
        let staging = StagingFiles.name(for: path)
        StagingFiles.register(file: staging)
        defer { StagingFiles.forget(file: staging) }
        let fd = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw OutputError("\(shown): cannot create a file in \(directory) (\(OutputError.reason())); expected a writable output directory")
        }
        if let mode { fchmod(fd, mode) }
        let written = writeAll(data, to: fd)
        let closed = close(fd) == 0 ? 0 : errno
        guard written == 0, closed == 0 else {
            unlink(staging)
            throw OutputError("\(shown): cannot write the file (\(OutputError.reason(written != 0 ? written : closed))); expected room on a writable disk")
        }
        guard rename(staging, path) == 0 else {
            let reason = OutputError.reason()
            unlink(staging)
            throw OutputError("\(shown): cannot replace the file (\(reason)); expected a writable output path")
        }
    }

    /// Devices, pipes and sockets take the bytes as they come.
    static func writeDirectly(_ data: Data, to path: String, shownAs shown: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError("\(shown): cannot open for writing (\(OutputError.reason())); expected a writable output") }
        let written = writeAll(data, to: fd)
        let closed = close(fd) == 0 ? 0 : errno
        guard written == 0, closed == 0 else {
            throw OutputError("\(shown): cannot write (\(OutputError.reason(written != 0 ? written : closed))); expected an output that takes \(data.count) bytes")
        }
    }

    /// Writes every byte, retrying short writes and interruptions; 0 or the errno that stopped it.
    static func writeAll(_ data: Data, to fd: Int32) -> Int32 {
        data.withUnsafeBytes { buffer -> Int32 in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return ENOSPC }
                offset += n
            }
            return 0
        }
    }
}
