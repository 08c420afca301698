import Foundation
import Synchronization

/// A value computed on a thread of its own, for work the caller need not wait for where it
/// starts it: a cold render's text-metrics fingerprint and the writing of the cache file
/// (`TextMetricsCache`), which ran on the render's path before. `value` waits for the thread,
/// from any thread, any number of times. Without a thread (pthread_create failed) the value
/// is computed at once, by the caller.
final class Background<Value: Sendable>: Sendable {
    private final class Result: Sendable {
        let value = Mutex<Value?>(nil)
    }

    private let result = Result()
    /// The thread until someone waited for it.
    private let thread: Mutex<pthread_t?>

    init(_ body: @escaping @Sendable () -> Value) {
        let result = self.result
        let work: @Sendable () -> Void = { result.value.withLock { $0 = body() } }
        guard let handle = NewThread.start(work) else {
            work()
            thread = Mutex(nil)
            return
        }
        thread = Mutex(handle)
    }

    /// The value, once the thread is done.
    var value: Value {
        thread.withLock { thread in
            if let handle = thread {
                pthread_join(handle, nil)
                thread = nil
            }
        }
        return result.value.withLock { $0! }
    }
}

/// A new thread running `body` once (under `Background` and Pango's warm-up): not generic, as
/// a C function's context cannot be.
final class NewThread: Sendable {
    /// Let go once run, with what it holds (a save holds a copy of the table).
    private let body: Mutex<(@Sendable () -> Void)?>

    private init(_ body: @escaping @Sendable () -> Void) { self.body = Mutex(body) }

    private func run() { body.withLock { body in defer { body = nil }; return body }?() }

    /// Runs `body` on a new thread; nil, and `body` not run, when there can be none.
    static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(NewThread(body)).toOpaque()
        var handle = pthread_t()
        guard pthread_create(&handle, nil, { context in
            Unmanaged<NewThread>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context) == 0 else {
            Unmanaged<NewThread>.fromOpaque(context).release()
            return nil
        }
        return handle
    }
}
