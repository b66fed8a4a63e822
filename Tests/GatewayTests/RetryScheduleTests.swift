import Foundation
import Testing

@testable import Gateway

@Suite("Retry schedule")
struct RetryScheduleTests {
    let queued = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("1 min, 5 min, 15 min, 1 h, then hourly", arguments: [(1, 60.0), (2, 300.0), (3, 900.0), (4, 3600.0), (9, 3600.0)])
    func delays(_ attempts: Int, _ seconds: Double) {
        let now = queued.addingTimeInterval(10)
        let next = RetrySchedule().nextAttempt(afterAttempts: attempts, queuedAt: queued, now: now)
        #expect(next == now.addingTimeInterval(seconds))
    }

    @Test("gives up once the mail has waited two days")
    func givesUp() {
        let schedule = RetrySchedule()
        let late = queued.addingTimeInterval(2 * 86_400 - 1800)
        #expect(schedule.nextAttempt(afterAttempts: 40, queuedAt: queued, now: late) == nil)
        let early = queued.addingTimeInterval(86_400)
        #expect(schedule.nextAttempt(afterAttempts: 20, queuedAt: queued, now: early) != nil)
        let short = RetrySchedule(giveUpAfter: .seconds(120))
        #expect(short.nextAttempt(afterAttempts: 2, queuedAt: queued, now: queued) == nil)
    }
}
