import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Addresses that asked for a sign-in link, handed from the request to ``LinkRequestMailer``, which
/// looks each one up and queues its mail after the answer has gone out. So `POST /portal/link` does
/// the same work, and takes the same time, whether or not the address is known.
///
/// Each address waits `delay` after it was handed over before it is handled, so that its lookup and
/// mail (a SQLite commit for a known address) never compete with writing that request's answer: the
/// work falls on later requests, whichever address they name.
///
/// Bounded: past `capacity` waiting addresses, more are dropped (and logged) rather than held; the
/// rate limits in front of it make that rare.
public final class LinkRequestQueue: Sendable {
    let capacity: Int
    let delay: Duration
    private let stream: AsyncStream<(email: String, at: ContinuousClock.Instant)>
    private let continuation: AsyncStream<(email: String, at: ContinuousClock.Instant)>.Continuation
    private let state = Mutex(State())

    private struct State {
        /// Addresses given to the queue and not yet handled.
        var pending = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    public init(capacity: Int = 10_000, delay: Duration = .milliseconds(50)) {
        self.capacity = capacity
        self.delay = delay
        (stream, continuation) = AsyncStream.makeStream(
            of: (email: String, at: ContinuousClock.Instant).self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Hands an address over; false when the queue is full or no longer taken from.
    @discardableResult
    func enqueue(_ email: String) -> Bool {
        state.withLock { $0.pending += 1 }
        guard case .enqueued = continuation.yield((email, ContinuousClock.now)) else {
            done()
            return false
        }
        return true
    }

    /// Waits until every address handed over so far has been handled: for tests, and for shutdown.
    public func settled() async {
        await withCheckedContinuation { waiter in
            let ready = state.withLock { state in
                guard state.pending > 0 else { return true }
                state.waiters.append(waiter)
                return false
            }
            if ready { waiter.resume() }
        }
    }

    /// Handles the addresses as they come, one at a time, until ``finish()``; then what is left.
    func drain(_ handle: (String) async -> Void) async {
        for await (email, at) in stream {
            try? await Task.sleep(until: at.advanced(by: delay), clock: .continuous)
            await handle(email)
            done()
        }
    }

    /// Takes no more addresses; ``drain(_:)`` ends once it has handled those already given.
    func finish() { continuation.finish() }

    private func done() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.pending -= 1
            guard state.pending == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The service that drains a ``LinkRequestQueue`` into ``PortalDesk/requestSignInLink(email:)``, off
/// the cooperative pool (it reads and writes SQLite). On graceful shutdown it handles what is waiting,
/// then ends; run it before the portal's server in the service group, so the server stops first.
public struct LinkRequestMailer: Service {
    let queue: LinkRequestQueue
    let desk: any PortalDesk
    let logger: Logger

    public init(queue: LinkRequestQueue, desk: any PortalDesk, logger: Logger) {
        self.queue = queue
        self.desk = desk
        self.logger = logger
    }

    public func run() async {
        let desk = desk
        await withGracefulShutdownHandler {
            await queue.drain { email in
                do {
                    _ = try await desk.requestSignInLink(email: email)
                } catch {
                    logger.error("cannot queue a sign-in link", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            queue.finish()
        }
    }
}
