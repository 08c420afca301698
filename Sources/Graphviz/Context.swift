import CGraphviz
import Foundation

/// The one Graphviz context of the process and the lock that serialises every call into the
/// C library, which keeps global state and is not thread-safe, even for reads.
///
/// The context is created once, before any graph is read (a late context loses the default
/// node label), and lives as long as the process.
final class GraphvizRuntime: @unchecked Sendable {
    static let shared = GraphvizRuntime()

    private let lock = NSLock()
    private let context: OpaquePointer?
    private let setupFailure: GraphvizError?

    private init() {
        context = gvContext()
        if context == nil {
            setupFailure = GraphvizError(stage: .setup, messages: ["gvContext() returned NULL"])
            return
        }
        // Debian loads plugins on demand from config6a; without it no layout engine exists.
        var count: Int32 = 0
        let list = gvPluginList(context, "layout", &count, nil)
        var engines: [String] = []
        if let list {
            for i in 0..<Int(count) {
                if let s = list[i] { engines.append(String(cString: s)); free(s) }
            }
            free(list)
        }
        if engines.contains(where: { $0.hasPrefix("dot") }) {
            setupFailure = nil
        } else {
            setupFailure = GraphvizError(stage: .setup, messages: [
                "Graphviz's plugins are not configured (no layout engine; config6a is missing); run `dot -c` as root to register them"])
        }
    }

    /// Runs `body` with the context while holding the lock; throws the setup failure (no
    /// plugins configured) before touching the C library.
    func withContext<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let setupFailure { throw setupFailure }
        return try body(context!)
    }

    // MARK: - Message capture (called only while the lock is held)

    /// Fragments as Graphviz emits them ("Error", ": ", "the message\n"); joined into lines.
    fileprivate static var pending = ""
    fileprivate static var captured: [String] = []

    /// Runs `body` with Graphviz's error output redirected into Swift, then restores the
    /// previous handler. Returns the messages, split into errors and warnings.
    func capturingMessages<T>(_ body: () throws -> T) rethrows -> (T, errors: [String], warnings: [String]) {
        GraphvizRuntime.pending = ""
        GraphvizRuntime.captured = []
        _ = agreseterrors()   // the error level is sticky; clear it before each operation
        let previous = agseterrf(graphvizMessageHandler)
        defer { _ = agseterrf(previous) }
        let result = try body()
        if !GraphvizRuntime.pending.isEmpty {
            GraphvizRuntime.captured.append(GraphvizRuntime.pending)
            GraphvizRuntime.pending = ""
        }
        var errors: [String] = [], warnings: [String] = []
        for line in GraphvizRuntime.captured {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            if text.hasPrefix("Warning: ") { warnings.append(String(text.dropFirst(9))) }
            else if text.hasPrefix("Error: ") { errors.append(String(text.dropFirst(7))) }
            else { errors.append(text) }
        }
        return (result, errors, warnings)
    }
}

/// Copies each fragment at once: Graphviz reuses the buffer after the call returns.
private func graphvizMessageHandler(_ message: UnsafeMutablePointer<CChar>?) -> Int32 {
    guard let message else { return 0 }
    GraphvizRuntime.pending += String(cString: message)
    while let newline = GraphvizRuntime.pending.firstIndex(of: "\n") {
        let line = String(GraphvizRuntime.pending[..<newline])
        GraphvizRuntime.pending = String(GraphvizRuntime.pending[GraphvizRuntime.pending.index(after: newline)...])
        // A message continued across lines ("Use one of: …") stays one message.
        if let last = GraphvizRuntime.captured.last, !line.hasPrefix("Error") && !line.hasPrefix("Warning"),
           !GraphvizRuntime.captured.isEmpty {
            GraphvizRuntime.captured[GraphvizRuntime.captured.count - 1] = last + " " + line
        } else {
            GraphvizRuntime.captured.append(line)
        }
    }
    return 0
}
