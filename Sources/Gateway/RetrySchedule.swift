import Foundation
import MailModel

/// When to try a mail again after a temporary failure: about 1 min, 5 min, 15 min and 1 h after the
/// first, second, third and fourth attempt, then hourly, until the mail has waited `giveUpAfter`
/// (2 days by default); then it becomes a dead letter.
public struct RetrySchedule: Sendable, Equatable {
    public var delays: [Duration]
    public var giveUpAfter: Duration

    public init(
        delays: [Duration] = [.seconds(60), .seconds(300), .seconds(900), .seconds(3600)],
        giveUpAfter: Duration = .seconds(2 * 86_400)
    ) {
        self.delays = delays.isEmpty ? [.seconds(3600)] : delays
        self.giveUpAfter = giveUpAfter
    }

    /// The time of the next attempt after `attempts` failed ones, or nil when the mail has waited long
    /// enough and must give up.
    public func nextAttempt(afterAttempts attempts: Int, queuedAt: Date, now: Date) -> Date? {
        let index = min(max(attempts, 1), delays.count) - 1
        let next = now.addingTimeInterval(delays[index].timeInterval)
        return next.timeIntervalSince(queuedAt) <= giveUpAfter.timeInterval ? next : nil
    }
}
