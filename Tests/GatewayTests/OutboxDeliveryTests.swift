import Foundation
import Logging
import MIME
import MailModel
import ServiceLifecycle
import ServiceLifecycleTestKit
import Store
import Testing

@testable import Gateway

/// How the outbox worker claims, records and classifies: the guarantees behind "at most one
/// duplicate per crash", and the pause of the whole sender.
@Suite("Outbox delivery")
struct OutboxDeliveryTests {
    let harness = OutboxWorkerTests()

    /// Three customers' new tickets, so three confirmations wait.
    func threeConfirmations(_ fixture: GatewayFixture) async throws {
        for (index, name) in ["ada", "bob", "cy"].enumerated() {
            _ = try await fixture.ingest(testMail(from: "\(name)@example.org", id: "m\(index)@example.org"))
        }
    }

    @Test("each mail is recorded sent right after the server took it, before the next one goes")
    func recordedOneByOne() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        try await threeConfirmations(fixture)
        let sender = FakeSender()
        let database = fixture.database
        let seen = SeenStates()
        await sender.onAccept {
            let rows = try await database.read { try $0.outboxMails() }
            await seen.add(rows.map(\.state))
        }
        #expect(try await harness.worker(fixture, sender).sendDue().sent == 3)
        // At each acceptance, the mails before it are recorded sent, this one is claimed, the rest wait
        // (claimed too, in the same small claim): never is a sent mail left unrecorded behind another.
        let states = await seen.states
        #expect(states.count == 3)
        for (index, rows) in states.enumerated() {
            #expect(rows.prefix(index).allSatisfy { $0 == .sent }, "\(rows)")
            #expect(rows[index] == .sending)
        }
        #expect(try await fixture.database.read { try $0.outboxMails(state: .sent).count } == 3)
    }

    @Test("a row left `sending` by a killed worker goes again at start, with its Message-ID, and says so")
    func interruptedSendsRecover() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        try await threeConfirmations(fixture)
        let now = Date()
        // A worker claimed two rows and was killed: one of them may have reached the server.
        let claimed = try await fixture.database.write { tx in
            try tx.claimDueOutboxMails(at: now, limit: 2, leaseUntil: now.addingTimeInterval(600))
        }
        #expect(claimed.map(\.state) == [.sending, .sending])
        let sender = FakeSender()
        let worker = try harness.worker(fixture, sender)
        // Claimed rows are not due for anyone else while their lease holds.
        #expect(try await fixture.database.read { try $0.dueOutboxMails(at: now, limit: 10).count } == 1)
        try await worker.recoverInterrupted()
        let row = try #require(try await fixture.database.read { tx in try tx.outboxMail(id: claimed[0].id ?? 0) })
        #expect(row.state == .queued)
        #expect(row.lastError?.contains("may have been sent") == true)
        #expect(try await worker.sendDue().sent == 3)
        let ids = try await sender.accepted.map { try MIMEParser().parse($0.bytes).messageID }
        #expect(Set(ids) == Set(try await fixture.database.read { try $0.outboxMails().map(\.messageId) }))
    }

    @Test("a 4xx for the message is retried on the schedule; its 5xx is a dead letter at once")
    func messageFailures() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        _ = try await fixture.ingest(testMail())
        let sender = FakeSender()
        await sender.fail(with: SendFailure(permanent: false, scope: .message, code: 452, reason: "mailbox full"))
        let start = Date()
        var report = try await harness.worker(fixture, sender, now: { start }).sendDue()
        #expect(report.retried == 1)
        #expect(report.pausedBy == nil)
        var row = try #require(try await fixture.database.read { try $0.outboxMails().first })
        #expect(row.state == .queued)
        #expect(row.attempts == 1)
        #expect(abs(row.nextAttemptAt.timeIntervalSince(start) - 60) < 1)
        #expect(row.lastError?.contains("452") == true)
        #expect(try await harness.worker(fixture, sender, now: { start.addingTimeInterval(30) }).sendDue().retried == 0)
        await sender.fail(with: SendFailure(permanent: true, code: 550, reason: "no such user"))
        report = try await harness.worker(fixture, sender, now: { start.addingTimeInterval(61) }).sendDue()
        #expect(report.dead == 1)
        row = try #require(try await fixture.database.read { try $0.outboxMails().first })
        #expect(row.state == .dead)
        #expect(row.lastError?.contains("550") == true)
        // A dead letter can be sent again by hand, with the same Message-ID.
        let id = row.id ?? 0
        #expect(try await fixture.database.write { try $0.requeue(id, at: Date()) })
        await sender.fail(with: nil)
        #expect(try await harness.worker(fixture, sender).sendDue().sent == 1)
        let sent = try MIMEParser().parse(try #require(await sender.accepted.first?.bytes))
        #expect(sent.messageID == row.messageId)
    }

    @Test("a message's 4xx that lasted two days gives up, with the reason")
    func givesUp() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        _ = try await fixture.ingest(testMail())
        let sender = FakeSender()
        await sender.fail(with: SendFailure(permanent: false, scope: .message, code: 450, reason: "greylisted"))
        let late = Date().addingTimeInterval(2 * 86_400)
        #expect(try await harness.worker(fixture, sender, now: { late }).sendDue().dead == 1)
        let row = try #require(try await fixture.database.read { try $0.outboxMails().first })
        #expect(row.lastError?.contains("gave up after 2 days") == true)
    }

    @Test(
        "a failure of the sender charges no mail: every claim goes back, untouched, and the pass stops",
        arguments: [
            SendFailure(permanent: false, reason: "curl error 7: Couldn't connect to server"),
            SendFailure(permanent: false, scope: .sender, code: 535, reason: "535 5.7.8 authentication failed"),
            SendFailure(permanent: false, scope: .sender, reason: "database is locked"),
        ])
    func senderFailures(_ failure: SendFailure) async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        try await threeConfirmations(fixture)
        let sender = FakeSender()
        await sender.fail(with: failure)
        let start = Date()
        let report = try await harness.worker(fixture, sender, now: { start }).sendDue()
        #expect(report.pausedBy?.contains(failure.reason) == true)
        #expect(report.sent + report.retried + report.dead == 0)
        let rows = try await fixture.database.read { try $0.outboxMails() }
        #expect(rows.map(\.state) == [.queued, .queued, .queued])
        #expect(rows.map(\.attempts) == [0, 0, 0])
        #expect(rows.allSatisfy { $0.nextAttemptAt <= start }, "still due: they go as soon as the server answers")
        #expect(rows.first?.lastError?.contains(failure.reason) == true, "the row tried says why it waits")
    }

    @Test("a payload that cannot be read is a dead letter with its reason, never an empty mail")
    func unreadablePayload() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let ref = try #require(try await fixture.ingest(testMail()).ticketRef)
        try await fixture.database.write { tx in
            let ticket = try #require(try tx.ticket(ref: ref))
            try tx.enqueue(
                OutboxRecord(
                    kind: .agentReply, ticketId: ticket.id, recipient: "ada@example.org", messageId: "typo@example.test",
                    context: #"{"agent_name":"Bob","reply_txt":"misspelt key"}"#, state: .queued, nextAttemptAt: Date(),
                    createdAt: Date()))
            try tx.enqueue(
                OutboxRecord(
                    kind: .agentNotice, ticketId: ticket.id, recipient: "team@example.test", messageId: "ev@example.test",
                    context: #"{"event":"party","message_from":"a","message_text":"b"}"#, state: .queued,
                    nextAttemptAt: Date(), createdAt: Date()))
        }
        let sender = FakeSender()
        let report = try await harness.worker(fixture, sender).sendDue()
        #expect(report.sent == 1, "the confirmation")
        #expect(report.dead == 2)
        let dead = try await fixture.database.read { try $0.outboxMails(state: .dead) }
        #expect(dead.map(\.lastError).contains("cannot compose: the stored agent-reply payload cannot be read: the field reply_text is missing"))
        #expect(dead.contains { $0.lastError?.contains("unknown event \"party\"") == true })
        #expect(await sender.accepted.count == 1)
    }

    @Test("the run loop pauses on a sender failure, probes with backoff up to its cap, and sends at once when back")
    func pauseAndProbe() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        try await threeConfirmations(fixture)
        let sender = FakeSender()
        await sender.fail(with: SendFailure(permanent: false, reason: "connection refused"))
        let clock = ManualClock()
        let worker = try harness.worker(fixture, sender, clock: clock, maxProbeInterval: .seconds(5))
        let run = Task { try await worker.run() }
        defer { run.cancel() }
        // Probes after 1, 2, 4, then every 5 seconds.
        for step in [1, 2, 4, 5, 5] {
            try await clock.waitForSleeper()
            clock.advance(by: .seconds(step))
        }
        try await clock.waitForSleeper()
        #expect(await sender.probes == 5)
        #expect(clock.requested.prefix(6) == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5)])
        #expect(await sender.accepted.isEmpty)
        #expect(try await fixture.database.read { try $0.outboxMails(state: .dead).count } == 0)
        // The server is back: the next probe succeeds and everything due goes, without waiting its turn.
        await sender.fail(with: nil)
        clock.advance(by: .seconds(5))
        try await waitUntil { await sender.accepted.count == 3 }
        #expect(await sender.probes == 6)
        #expect(try await fixture.database.read { try $0.outboxMails(state: .sent).count } == 3)
    }

    @Test("a graceful shutdown mid-pass finishes the mail in flight and hands the other claims back")
    func gracefulShutdownMidPass() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        try await threeConfirmations(fixture)
        let sender = FakeSender()
        let gate = Gate()
        await sender.onAccept { await gate.wait() }
        let worker = try harness.worker(fixture, sender, clock: ManualClock())
        await testGracefulShutdown { shutdown in
            let run = Task { try await worker.run() }
            try? await waitUntil { await gate.waiting }
            shutdown.triggerGracefulShutdown()
            await gate.open()
            _ = try? await run.value
        }
        let rows = try await fixture.database.read { try $0.outboxMails() }
        #expect(rows.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.queued, .queued, .sent])
        #expect(await sender.accepted.count == 1)
    }
}

/// What the fake server saw of the outbox at each acceptance.
actor SeenStates {
    var states: [[OutboxRecord.State]] = []
    func add(_ rows: [OutboxRecord.State]) { states.append(rows) }
}

/// Holds a fake server's acceptance until the test opens it.
actor Gate {
    private(set) var waiting = false
    private var continuation: CheckedContinuation<Void, Never>?
    private var isOpen = false

    func wait() async {
        guard !isOpen else { return }
        waiting = true
        await withCheckedContinuation { continuation = $0 }
    }

    func open() {
        isOpen = true
        continuation?.resume()
        continuation = nil
    }
}

/// Polls `condition` (in real time) for up to 10 s.
func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: .seconds(10))
    while try await !condition() {
        guard clock.now < end else { throw ManualClock.ClockTimeout() }
        try await Task.sleep(for: .milliseconds(5))
    }
}
