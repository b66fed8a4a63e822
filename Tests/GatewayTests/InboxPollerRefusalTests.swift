import Foundation
import Logging
import MailModel
import Store
import Testing

@testable import Gateway

@Suite("Polling past mail the server will not take")
struct InboxPollerRefusalTests {
    /// Batches of 10, and the default of three refusals before a mail is left alone.
    func poller(_ fixture: GatewayFixture, _ mailbox: FakeMailbox) -> InboxPoller<ContinuousClock> {
        InboxPollerTests().poller(fixture, mailbox)
    }

    @Test("a mail whose move is refused blocks nothing; after three refusals it is left alone, never fetched again")
    func refusedMail() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        for index in 0..<5 { await mailbox.deliver(testMail(subject: "mail \(index)", id: "r\(index)@example.org")) }
        await mailbox.refuse(["3"])
        let poller = poller(fixture, mailbox)
        let first = try await poller.pollOnce()
        #expect(first.fetched == 5)
        #expect(first.refused == 1)
        #expect(await mailbox.inbox.map(\.key) == ["3"], "the other four were moved")
        await #expect(try fixture.counts().tickets == 5, "the refused mail is committed all the same")
        for poll in 2...3 {
            let report = try await poller.pollOnce()
            #expect(report.fetched == 0, "poll \(poll): committed mail is not fetched again")
            #expect(report.reacknowledged == 1)
            #expect(report.refused == 1)
        }
        let calls = await mailbox.acknowledgeCalls
        await mailbox.deliver(testMail(subject: "later", id: "later@example.org"))
        let fourth = try await poller.pollOnce()
        #expect(fourth.skipped == 1)
        #expect(fourth.reacknowledged == 0, "given up on: no more tries")
        #expect(fourth.fetched == 1)
        #expect(fourth.acknowledged == 1, "later mail still flows")
        #expect(await mailbox.acknowledgeCalls == calls + 1)
        #expect(await mailbox.inbox.map(\.key) == ["3"])
        #expect(await mailbox.fetchCalls == 2, "the refused mail was downloaded once")
        await #expect(try fixture.counts().tickets == 6)
    }

    @Test("a refusal of every mail still lets intake go on, batch after batch")
    func everythingRefused() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        for index in 0..<25 { await mailbox.deliver(testMail(subject: "mail \(index)", id: "e\(index)@example.org")) }
        await mailbox.refuse(Set((1...25).map(String.init)))
        let report = try await poller(fixture, mailbox).pollOnce()
        #expect(report.fetched == 25)
        #expect(report.refused == 25)
        #expect(report.remaining == 0)
        await #expect(try fixture.counts().tickets == 25)
    }

    @Test("a lost connection while acknowledging still fails the poll")
    func connectionLost() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        await mailbox.deliver(testMail())
        await mailbox.setFailAcknowledge(true)
        await #expect(throws: StoreError.self) { try await poller(fixture, mailbox).pollOnce() }
    }

    @Test("an empty or blank mail is recorded with its reason and moved to quarantine", arguments: ["", "\r\n \r\n\t\r\n"])
    func emptyMail(_ text: String) async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let mailbox = FakeMailbox()
        await mailbox.deliver(text)
        await mailbox.deliver(testMail(subject: "after", id: "after-empty@example.org"))
        let report = try await poller(fixture, mailbox).pollOnce()
        #expect(report.quarantined == 1)
        #expect(report.acknowledged == 1)
        #expect(await mailbox.moved[.quarantined] == ["1"])
        #expect(await mailbox.inbox.isEmpty)
        let record = try await fixture.database.read { try $0.inboundMails(source: "fake:inbox", uidValidity: 1, keys: ["1"]) }
        #expect(record.first?.outcome == .quarantined)
        #expect(record.first?.reason?.isEmpty == false)
        #expect(record.first?.size == text.utf8.count)
    }
}
