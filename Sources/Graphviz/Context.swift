import CGraphviz
import Foundation
import Synchronization

/// The one Graphviz context of the process and the lock that serialises every call into the
/// C library, which keeps global state and is not thread-safe, even for reads.
///
/// The context is created once, before any graph is read (a late context loses the default
/// node label), and lives as long as the process. It is only reachable inside the mutex, so
/// the compiler checks that no call into Graphviz happens without the lock.
final class GraphvizRuntime: Sendable {
    static let shared = GraphvizRuntime()

    /// What the lock guards: the context (nil if Graphviz could not start) and why it cannot
    /// be used, if it cannot.
    private struct State {
        var context: OpaquePointer?
        var setupFailure: GraphvizError?
    }

    private let state: Mutex<State>

    private init() {
        state = Mutex(GraphvizRuntime.start())
    }

    /// The runtime's start — the context and its plugins, the text-metrics cache file and
    /// its fingerprint, the trial layout: ~3.4 ms of a warm render of question-1, on the way
    /// to its first measurement — begun on a thread of its own, where it overlaps the
    /// caller's parsing of its command line and reading and solving of the network. The
    /// first use of `shared` waits for it (Swift initialises a static once, on one thread).
    /// Graphviz is not used before `shared` exists, so nothing else is in the C library
    /// meanwhile; a process waits for the thread before it exits (`finishEarlyStart`).
    static func startEarly() {
        early.withLock { early in
            guard early == nil else { return }
            _ = exitHandler  // registered before the thread exists
            early = Background { _ = GraphvizRuntime.shared }
        }
    }

    /// Waits for `startEarly`'s thread, if there is one: a process must not exit under it
    /// (the libraries it is loading would be finalised while it uses them).
    static func finishEarlyStart() {
        early.withLock { $0 }?.value
    }

    private static let early = Mutex<Background<Void>?>(nil)

    /// A last resort for an exit nothing prepared (as `PangoWarmUp`'s).
    private static let exitHandler: Void = {
        atexit { GraphvizRuntime.finishEarlyStart() }
    }()

    private static func start() -> State {
        guard let context = TextMetricsCache.makeContext() else {
            return State(context: nil, setupFailure: GraphvizError(stage: .setup, messages: ["gvContext() returned NULL"]))
        }
        // Debian loads plugins on demand from config6a; without it no layout engine exists.
        // A trial layout of an empty graph asks for the engine the way every render will
        // (gvPluginList would tell as well, but its parameters differ between Graphviz versions).
        // The engine tried is the pinned one every diagram is drawn with, so its plugin is
        // loaded once and no other (`dot`'s layout plugin, which a render never uses).
        // Its messages are captured like any other operation's, so nothing reaches stderr.
        let (hasLayout, _, _) = collectingMessages { () -> Bool in
            guard let g = agmemread("digraph {}") else { return false }
            defer { agclose(g) }
            guard gvLayout(context, g, LayoutEngine.pinned.name) == 0 else { return false }
            gvFreeLayout(context, g)
            return true
        }
        if hasLayout {
            return State(context: context, setupFailure: nil)
        }
        return State(context: context, setupFailure: GraphvizError(stage: .setup, messages: [
            "Graphviz's plugins are not configured (no layout engine; config6a is missing); run `dot -c` as root to register them"]))
    }

    /// Runs `body` with the context while holding the lock; throws the setup failure (no
    /// plugins configured) before touching the C library. `body` must not call back into
    /// the binding (the lock is not reentrant), nor run caller-supplied code.
    func withContext<T: Sendable>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try state.withLock { state throws -> T in
            if let setupFailure = state.setupFailure { throw setupFailure }
            return try body(state.context!)
        }
    }

    /// Runs `body` with Graphviz's error output redirected into Swift, then restores the
    /// previous handler. Returns the messages, split into errors and warnings.
    /// Called only while `withContext`'s lock is held: the handler is process-wide.
    func capturingMessages<T>(_ body: () throws -> T) rethrows -> (T, errors: [String], warnings: [String]) {
        try GraphvizRuntime.collectingMessages(body)
    }

    /// Whether Graphviz said anything since `capturingMessages` began (a drawing forked off
    /// into another process, SplitSVG, gives up then and leaves the graph to this one).
    var hasCapturedMessages: Bool {
        capturedMessages.withLock { !$0.isEmpty }
    }

    /// `capturingMessages` for the runtime's own start, before the lock exists (Swift runs
    /// `shared`'s initializer once, on one thread).
    private static func collectingMessages<T>(_ body: () throws -> T) rethrows -> (T, errors: [String], warnings: [String]) {
        capturedMessages.withLock { $0 = MessageBuffer() }
        _ = agreseterrors()   // the error level is sticky; clear it before each operation
        let previous = agseterrf(graphvizMessageHandler)
        defer { _ = agseterrf(previous) }
        let result = try body()
        let lines = capturedMessages.withLock { buffer in
            buffer.finish()
            return buffer.lines
        }
        var errors: [String] = [], warnings: [String] = []
        for line in lines {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            if text.hasPrefix("Warning: ") { warnings.append(String(text.dropFirst(9))) }
            else if text.hasPrefix("Error: ") { errors.append(String(text.dropFirst(7))) }
            else { errors.append(text) }
        }
        return (result, errors, warnings)
    }
}

/// Graphviz's messages of the operation in progress, as it emits them in fragments
/// ("Error", ": ", "the message\n"), joined into lines.
struct MessageBuffer {
    private var pending = ""
    private(set) var lines: [String] = []

    mutating func append(_ fragment: String) {
        pending += fragment
        while let newline = pending.firstIndex(of: "\n") {
            let line = String(pending[..<newline])
            pending = String(pending[pending.index(after: newline)...])
            // A message continued across lines ("Use one of: …") stays one message.
            if let last = lines.last, !line.hasPrefix("Error"), !line.hasPrefix("Warning") {
                lines[lines.count - 1] = last + " " + line
            } else {
                lines.append(line)
            }
        }
    }

    /// Whether nothing was reported.
    var isEmpty: Bool { pending.isEmpty && lines.isEmpty }

    /// Keeps a last fragment that did not end in a newline.
    mutating func finish() {
        if !pending.isEmpty { lines.append(pending); pending = "" }
    }
}

/// The handler below is a C function pointer and cannot carry a context, so the buffer is
/// global; its own lock makes it safe even if Graphviz ever reported from another thread.
private let capturedMessages = Mutex(MessageBuffer())

/// Copies each fragment at once: Graphviz reuses the buffer after the call returns.
private func graphvizMessageHandler(_ message: UnsafeMutablePointer<CChar>?) -> Int32 {
    guard let message else { return 0 }
    let fragment = String(cString: message)
    capturedMessages.withLock { $0.append(fragment) }
    return 0
}
