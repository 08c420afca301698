import Foundation
import Synchronization

/// The temporary files and directories bpviz is writing right now, so that an interrupted
/// run leaves nothing behind: a file is registered before it is created and forgotten once it
/// is renamed into place, and `removeOnInterrupt()` removes whatever is registered when
/// SIGINT, SIGTERM or SIGHUP arrives. A run killed outright (SIGKILL, a crash) cannot clean
/// up, so every writer also removes the staging files of dead processes (`removeStale`).
///
/// Staging names are `.NAME.tmp-PID-RANDOM`, beside NAME: the process id tells a later run
/// whether their writer is still alive.
package enum StagingFiles {
    struct State {
        var files: Set<String> = []
        /// Directories bpviz created; removed on interrupt only when they are empty.
        var directories: Set<String> = []
        var handling = false
    }
    static let state = Mutex(State())

    /// A fresh staging name beside `path`.
    static func name(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        return directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    static func register(file path: String) { state.withLock { _ = $0.files.insert(path) } }
    static func forget(file path: String) { state.withLock { _ = $0.files.remove(path) } }
    static func register(directory path: String) { state.withLock { _ = $0.directories.insert(path) } }
    static func forget(directory path: String) { state.withLock { _ = $0.directories.remove(path) } }

    /// Removes every registered file (and every registered directory that is empty).
    static func removeAll() {
        state.withLock { s in
            for file in s.files { unlink(file) }
            for directory in s.directories { rmdir(directory) }
            s.files.removeAll()
            s.directories.removeAll()
        }
    }

    static let interruptSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private static let interruptSet: sigset_t = {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in interruptSignals { sigaddset(&set, signal) }
        return set
    }()

    /// Makes SIGINT, SIGTERM and SIGHUP remove the staging files before the process ends
    /// with the signal's usual status. Call it first thing in a program's `main`, before any
    /// thread starts: the signals are blocked in this thread (threads created later inherit
    /// that) and received by one thread of their own with `sigwait`, where cleaning up may
    /// take locks and allocate, which a signal handler may not.
    package static func removeOnInterrupt() {
        blockInterrupts()
        handleInterrupts()
    }

    /// `removeOnInterrupt` in two steps, for a program that starts a thread of its own in
    /// between: this one blocks the signals in the calling thread, first thing, so every
    /// thread created later has them blocked too.
    package static func blockInterrupts() {
        _ = withUnsafePointer(to: interruptSet) { pthread_sigmask(SIG_BLOCK, $0, nil) }
    }

    /// The second step: the thread that receives the signals. One that arrived since
    /// `blockInterrupts` stayed pending and is received now.
    package static func handleInterrupts() {
        let first = state.withLock { s -> Bool in
            defer { s.handling = true }
            return !s.handling
        }
        guard first else { return }
        let blocked = interruptSet
        Thread.detachNewThread {
            var set = blocked
            var received: Int32 = 0
            while sigwait(&set, &received) != 0 {}
            removeAll()
            // End as the signal would have: the shell sees 130 for ^C.
            signal(received, SIG_DFL)
            var only = sigset_t()
            sigemptyset(&only)
            sigaddset(&only, received)
            pthread_sigmask(SIG_UNBLOCK, &only, nil)
            raise(received)
            _exit(128 + received)
        }
    }

    /// The target's name and the writer's process id when `entry` is a staging name
    /// (`.TARGET.tmp-PID-N`, or the `.old` folder an earlier deck writer moved aside).
    static func parse(_ entry: String) -> (target: String, pid: pid_t)? {
        guard entry.hasPrefix("."), let marker = entry.range(of: ".tmp-", options: .backwards), marker.lowerBound > entry.index(after: entry.startIndex) else { return nil }
        var rest = entry[marker.upperBound...]
        if rest.hasSuffix(".old") { rest = rest.dropLast(4) }
        let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, UInt32(parts[1]) != nil else { return nil }
        return (String(entry[entry.index(after: entry.startIndex)..<marker.lowerBound]), pid)
    }

    /// True when no process with this id exists (a process of another user still counts).
    static func isDead(_ pid: pid_t) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes staging files in `directory` that dead processes left while writing a target
    /// `isTarget` accepts. A staging directory (an earlier deck writer staged whole decks) is
    /// emptied of the files `isOwnFile` accepts and removed only if that leaves it empty.
    static func removeStale(in directory: String, isTarget: (String) -> Bool, isOwnFile: (String) -> Bool = { _ in false }) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries {
            guard let (target, pid) = parse(entry), isTarget(target), pid != getpid(), isDead(pid) else { continue }
            let path = directory + "/" + entry
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                unlink(path)
            case S_IFDIR:
                for file in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where isOwnFile(file) {
                    var fileInfo = stat()
                    if lstat(path + "/" + file, &fileInfo) == 0, fileInfo.st_mode & S_IFMT == S_IFREG { unlink(path + "/" + file) }
                }
                rmdir(path)
            default:
                continue
            }
        }
    }
}
