import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One thread of its own at a lower CPU priority, for long batch work (taking in a mailbox's mail:
/// hashing, parsing, files, the transaction) that must not take the CPU from the portal's requests.
///
/// On a machine with two cores the portal's threads and a batch of mail compete for the CPU; the
/// kernel's scheduler serves a `nice` 10 thread only when the others leave it time, so a request
/// waits for no batch. Jobs run one after another, in the order given.
final class BackgroundThread: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
    }

    private let queue = Mutex(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)

    /// Ingest's thread, shared by every poller: their transactions take turns anyway.
    static let ingest = BackgroundThread(nice: 10)

    init(nice: Int32) {
        let thread = Thread { [self] in
            // On Linux the nice value belongs to the thread: `who` 0 is the calling thread.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
            while true {
                self.wakeUp.wait()
                let job = self.queue.withLock { $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }
                job?()
            }
        }
        thread.start()
    }

    /// Runs `body` on the thread and returns its result; the calling task waits without a thread.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.withLock { $0.jobs.append { continuation.resume(with: Result { try body() }) } }
            wakeUp.signal()
        }
    }
}
