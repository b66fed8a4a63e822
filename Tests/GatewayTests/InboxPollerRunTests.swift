import Foundation
import Logging
import MailModel
import ServiceLifecycle
import ServiceLifecycleTestKit
import Store
import Testing

@testable import Gateway

/// A mailbox that fails its first `failures` listings and can hold a fetch until a test opens a gate.
actor FlakyMailbox: InboundSource {
    nonisolated let sourceID = "fake:inbox"
    let inner = FakeMailbox()
    var failures: Int
    var listings = 0
    var gate: Gate?

    init(failures: Int = 0, gate: Gate? = nil) {
        self.failures = failures
        self.gate = gate
    }

    func pending() async throws -> PendingMail {
        listings += 1
        if failures > 0 {
            failures -= 1
            throw StoreError("connection refused")
        }
        return try await inner.pending()
    }

    func fetch(_ keys: [String], byteLimit: Int) async throws -> [RawMail] {
        if let gate {
            self.gate = nil  // the first fetch only
            await gate.wait()
        }
        return try await inner.fetch(keys, byteLimit: byteLimit)
    }

    func acknowledge(_ keys: [String], as disposition: Disposition) async throws {
        try await inner.acknowledge(keys, as: disposition)
    }
}

@Suite("Polling run loop")
struct InboxPollerRunTests {
    func poller(_ fixture: GatewayFixture, _ mailbox: FlakyMailbox, clock: ManualClock, batch: Int = 10)
        -> InboxPoller<ManualClock>
    {
        InboxPoller(
            source: mailbox, ingestor: fixture.ingestor, database: fixture.database,
            settings: .init(interval: .seconds(30), batchSize: batch, maxBackoff: .seconds(10)), clock: clock,
            logger: Logger(label: "test"))
    }

    @Test("a mailbox that cannot be reached is tried again after 1, 2, 4, 8 s, then at most every 10 s; then it flows")
    func backoffAndRecovery() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FlakyMailbox(failures: 5)
        await mailbox.inner.deliver(testMail())
        let clock = ManualClock()
        let run = Task { try await poller(fixture, mailbox, clock: clock).run() }
        defer { run.cancel() }
        for step in [1, 2, 4, 8, 10] {
            try await clock.waitForSleeper()
            #expect(clock.requested.last == .seconds(step))
            clock.advance(by: .seconds(step))
        }
        // The sixth listing works: the mail is taken in, and the poller waits its normal interval.
        try await waitUntil { try await fixture.counts().tickets == 1 }
        try await clock.waitForSleeper()
        #expect(clock.requested.last == .seconds(30))
        #expect(await mailbox.listings == 6)
        #expect(await mailbox.inner.inbox.isEmpty)
    }

    @Test("a graceful shutdown mid-batch commits and acknowledges that batch, fetches no other, and returns")
    func gracefulShutdownMidBatch() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let gate = Gate()
        let mailbox = FlakyMailbox(gate: gate)
        for index in 0..<25 { await mailbox.inner.deliver(testMail(subject: "mail \(index)", id: "m\(index)@example.org")) }
        let poller = poller(fixture, mailbox, clock: ManualClock(), batch: 10)
        try await testGracefulShutdown { shutdown in
            let run = Task { try await poller.run() }
            try await waitUntil { await gate.waiting }
            shutdown.triggerGracefulShutdown()
            await gate.open()
            try await run.value
        }
        #expect(try await fixture.counts().tickets == 10)
        #expect(await mailbox.inner.moved[.processed]?.count == 10)
        #expect(await mailbox.inner.inbox.count == 15, "the rest waits, untouched, for the next start")
    }
}
