import Foundation
import Synchronization

/// Counts events per key in a sliding window, in memory: how often a sign-in link was asked for one
/// address or from one client. Old entries are dropped as keys are touched and when the map grows.
final class RateLimiter: Sendable {
    let limit: Int
    let window: TimeInterval
    private let events = Mutex<[String: [Date]]>([:])

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Records an event for `key` unless the key has reached its limit; returns whether it was allowed.
    func allow(_ key: String, at now: Date) -> Bool {
        events.withLock { events in
            let since = now.addingTimeInterval(-window)
            if events.count > 10_000 {
                events = events.filter { $0.value.last.map { $0 > since } ?? false }
            }
            var times = events[key, default: []].filter { $0 > since }
            guard times.count < limit else {
                events[key] = times
                return false
            }
            times.append(now)
            events[key] = times
            return true
        }
    }
}
