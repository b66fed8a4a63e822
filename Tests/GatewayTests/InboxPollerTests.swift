import Foundation
import Logging
import MailModel
import Store
import Testing

@testable import Gateway

/// An in-memory mailbox: the test double of the IMAP source.
actor FakeMailbox: InboundSource {
    nonisolated let sourceID = "fake:inbox"
    var inbox: [(key: String, bytes: [UInt8])] = []
    var moved: [Disposition: [String]] = [:]
    var uidValidity: UInt32 = 1
    var failAcknowledge = false
    /// Keys the server refuses to move (a command refusal: the others of the call are moved).
    var refusedKeys: Set<String> = []
    var fetchCalls = 0
    var acknowledgeCalls = 0

    func deliver(_ text: String) {
        let next = (inbox.compactMap { UInt32($0.key) }.max() ?? 0) + UInt32(moved.values.joined().count) + 1
        inbox.append((String(next), Array(text.utf8)))
    }

    func setFailAcknowledge(_ fail: Bool) { failAcknowledge = fail }

    /// Renumbers every mail, as a server that lost its UID state would.
    func resetUIDs(validity: UInt32) {
        uidValidity = validity
        inbox = inbox.enumerated().map { (String($0.offset + 1000), $0.element.bytes) }
    }

    func pending() async throws -> PendingMail { PendingMail(uidValidity: uidValidity, keys: inbox.map(\.key)) }

    func fetch(_ keys: [String], byteLimit: Int) async throws -> [RawMail] {
        fetchCalls += 1
        var bytes = 0
        var mails: [RawMail] = []
        for mail in inbox where keys.contains(mail.key) && bytes < byteLimit {
            bytes += mail.bytes.count
            mails.append(
                RawMail(locator: MailLocator(source: sourceID, uidValidity: uidValidity, key: mail.key), bytes: mail.bytes))
        }
        return mails
    }

    func acknowledge(_ keys: [String], as disposition: Disposition) async throws {
        if failAcknowledge { throw StoreError("connection lost") }
        acknowledgeCalls += 1
        let movable = keys.filter { !refusedKeys.contains($0) }
        moved[disposition, default: []] += movable
        inbox.removeAll { movable.contains($0.key) }
        let refused = keys.filter { refusedKeys.contains($0) }
        if !refused.isEmpty {
            throw AcknowledgementRefused(
                refused.map { .init(key: $0, folder: disposition.rawValue, reason: "A5 NO [CANNOT] refused") })
        }
    }

    func refuse(_ keys: Set<String>) { refusedKeys = keys }
}

@Suite("Polling")
struct InboxPollerTests {
    func poller(_ fixture: GatewayFixture, _ mailbox: FakeMailbox, batch: Int = 10) -> InboxPoller<ContinuousClock> {
        InboxPoller(
            source: mailbox, ingestor: fixture.ingestor, database: fixture.database,
            settings: .init(interval: .milliseconds(10), batchSize: batch), clock: ContinuousClock(),
            logger: Logger(label: "test"))
    }

    @Test("every waiting mail is ingested in batches and moved out, garbage to quarantine")
    func drains() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        for index in 0..<25 { await mailbox.deliver(testMail(subject: "mail \(index)", id: "m\(index)@example.org")) }
        await mailbox.deliver("\u{0}\u{0}garbage")
        let report = try await poller(fixture, mailbox).pollOnce()
        #expect(report.fetched == 26)
        #expect(report.acknowledged == 25)
        #expect(report.quarantined == 1)
        #expect(await mailbox.fetchCalls == 3)
        #expect(await mailbox.inbox.isEmpty)
        #expect(await mailbox.moved[.quarantined]?.count == 1)
        #expect(try await fixture.counts().tickets == 25)
    }

    @Test("a batch closes early when its mails reach the byte limit")
    func byteLimit() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        for index in 0..<6 {
            await mailbox.deliver(testMail(id: "big\(index)@example.org", body: String(repeating: "x", count: 1_000)))
        }
        let poller = InboxPoller(
            source: mailbox, ingestor: fixture.ingestor, database: fixture.database,
            settings: .init(batchSize: 50, maxBatchBytes: 2_500), clock: ContinuousClock(), logger: Logger(label: "t"))
        let report = try await poller.pollOnce()
        #expect(report.acknowledged == 6)
        #expect(await mailbox.acknowledgeCalls == 2, "three mails of about 1.2 KB fill a batch")
    }

    @Test("a mail committed but not acknowledged is acknowledged on the next poll without a second ticket")
    func acknowledgeLost() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        await mailbox.deliver(testMail())
        await mailbox.setFailAcknowledge(true)
        await #expect(throws: StoreError.self) { try await poller(fixture, mailbox).pollOnce() }
        #expect(try await fixture.counts().tickets == 1, "committed before the acknowledgement failed")
        await mailbox.setFailAcknowledge(false)
        let report = try await poller(fixture, mailbox).pollOnce()
        #expect(report.reacknowledged == 1)
        #expect(report.fetched == 0)
        #expect(await mailbox.inbox.isEmpty)
        #expect(try await fixture.counts().tickets == 1)
    }

    @Test("a UIDVALIDITY change rescans the mailbox and recognises every mail by its bytes")
    func uidValidityChange() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        for index in 0..<3 { await mailbox.deliver(testMail(subject: "mail \(index)", id: "m\(index)@example.org")) }
        await mailbox.setFailAcknowledge(true)
        _ = try? await poller(fixture, mailbox).pollOnce()
        await mailbox.resetUIDs(validity: 2)
        await mailbox.setFailAcknowledge(false)
        let report = try await poller(fixture, mailbox).pollOnce()
        #expect(report.fetched == 3)
        #expect(await mailbox.inbox.isEmpty)
        #expect(try await fixture.counts().tickets == 3)
        #expect(try await fixture.counts().inbound == 3)
        #expect(try await fixture.database.read { try $0.uidValidity(source: "fake:inbox") } == .some(2))
    }
}
