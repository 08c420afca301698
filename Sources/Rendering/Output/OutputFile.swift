import Foundation

/// Writes one output file so that a reader sees either the old file or the whole new one:
/// the bytes go to a staging file beside the target, which is then renamed over it.
///
/// What is at the path decides how: a regular file (or a link to one) is replaced that way,
/// keeping its permissions; a device, pipe or socket (`/dev/null`, `/dev/full`, a FIFO) is
/// written directly, never renamed over, so a device node is never replaced by a file; a
/// directory is refused. Failures carry the system's reason (`No space left on device`).
public enum OutputFile {
    /// Writes `data` to `path` atomically (see the type's description).
    ///
    /// - Throws: an ``OutputError`` naming the path and the system's reason: a missing or
    ///   unwritable directory, a full disk, a directory at the path.
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
    static func replace(_ path: String, with data: Data, shownAs shown: String, mode: mode_t?, removingStale: Bool = true) throws {
        let stream = try Stream(path, shownAs: shown, mode: mode, removingStale: removingStale)
        try data.withUnsafeBytes { try stream.write($0) }
        try stream.commit()
    }

    /// A file written piece by piece into its staging file and renamed into place by
    /// `commit`, so a large output (a deck's page) never has to be held whole in memory.
    /// Dropped without `commit` (an error on the way), the staging file is removed.
    final class Stream {
        let path: String
        let shown: String
        let staging: String
        private var fd: Int32
        private var buffer: [UInt8] = []
        /// Bytes are gathered up to this size before a write(2).
        static let bufferSize = 1 << 18

        /// `removingStale`: first remove what dead writers of this file left beside it (a deck
        /// does that once for the whole directory when it opens it).
        init(_ path: String, shownAs shown: String, mode: mode_t?, removingStale: Bool = true) throws {
            self.path = path
            self.shown = shown
            let url = URL(fileURLWithPath: path)
            let directory = url.deletingLastPathComponent().path
            if removingStale { StagingFiles.removeStale(in: directory, isTarget: { $0 == url.lastPathComponent }) }
            staging = StagingFiles.name(for: path)
            StagingFiles.register(file: staging)
            fd = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                StagingFiles.forget(file: staging)
                throw OutputError("\(shown): cannot create a file in \(directory) (\(OutputError.reason())); expected a writable output directory")
            }
            if let mode { fchmod(fd, mode) }
        }

        deinit {
            if fd >= 0 {
                close(fd)
                unlink(staging)
                StagingFiles.forget(file: staging)
            }
        }

        func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            if buffer.count + bytes.count <= Stream.bufferSize {
                buffer.append(contentsOf: bytes)
                return
            }
            try flush()
            if bytes.count >= Stream.bufferSize { try writeThrough(bytes) } else { buffer.append(contentsOf: bytes) }
        }

        private func flush() throws {
            guard !buffer.isEmpty else { return }
            try buffer.withUnsafeBytes { try writeThrough($0) }
            buffer.removeAll(keepingCapacity: true)
        }

        private func writeThrough(_ bytes: UnsafeRawBufferPointer) throws {
            let written = writeAll(bytes, to: fd)
            guard written == 0 else { throw failure(written) }
        }

        private func failure(_ code: Int32) -> OutputError {
            close(fd)
            fd = -1
            unlink(staging)
            StagingFiles.forget(file: staging)
            return OutputError("\(shown): cannot write the file (\(OutputError.reason(code))); expected room on a writable disk")
        }

        /// Writes what is left, closes the file and renames it over the target.
        func commit() throws {
            try flush()
            let closed = close(fd) == 0 ? 0 : errno
            fd = -1
            defer { StagingFiles.forget(file: staging) }
            guard closed == 0 else {
                unlink(staging)
                throw OutputError("\(shown): cannot write the file (\(OutputError.reason(closed))); expected room on a writable disk")
            }
            guard rename(staging, path) == 0 else {
                let reason = OutputError.reason()
                unlink(staging)
                throw OutputError("\(shown): cannot replace the file (\(reason)); expected a writable output path")
            }
        }
    }

    /// Writes to standard output, with the system's reason when it does not take the bytes
    /// (`> /dev/full`, a full disk): FileHandle's `write` ends the process there.
    public static func writeStandardOutput(_ data: Data) throws {
        let failed = writeAll(data, to: STDOUT_FILENO)
        guard failed == 0 else {
            throw OutputError("standard output: cannot write (\(OutputError.reason(failed))); expected an output that takes \(data.count) bytes")
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
        data.withUnsafeBytes { writeAll($0, to: fd) }
    }

    static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32) -> Int32 {
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
