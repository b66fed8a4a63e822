import Foundation
import MailModel
import Store
import Testing

@testable import Gateway

@Suite("Ingest")
struct IngestorTests {
    @Test("a person's mail opens a ticket, keeps its raw bytes, and queues one confirmation")
    func newTicket() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let result = try await fixture.ingest(testMail())
        #expect(result.outcome == .ticket)
        #expect(result.disposition == .processed)
        let ref = try #require(result.ticketRef)
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.ticket.subject == "Printer on fire")
        #expect(detail.customer.email == "ada@example.org")
        #expect(detail.customer.name == "Ada Lovelace")
        #expect(detail.messages.count == 1)
        #expect(detail.messages[0].visibleText.contains("printer is on fire"))
        let outbox = try await fixture.database.read { try $0.outboxMails() }
        #expect(outbox.count == 1)
        #expect(outbox.first?.kind == .confirmation)
        #expect(outbox.first?.recipient == "ada@example.org")
        #expect(outbox.first?.inReplyTo == "m1@example.org")
        #expect(outbox.first?.messageId.hasPrefix(ref + ".") == true)
        let inbound = try #require(try await fixture.database.read { try $0.inboundMailRecords().first })
        #expect(try await fixture.blob(inbound.sha256, kind: .raw) == Array(testMail().utf8))
    }

    @Test("a reply by In-Reply-To, by References, or by subject tag lands on its ticket")
    func followUps() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let ref = try #require(try await fixture.ingest(testMail()).ticketRef)
        let byInReplyTo = try await fixture.ingest(
            testMail(subject: "Re: Printer on fire", id: "m2@example.org", headers: ["In-Reply-To: <m1@example.org>"]))
        let byReferences = try await fixture.ingest(
            testMail(subject: "again", id: "m3@example.org", headers: ["References: <x@y> <m2@example.org>"]))
        let byTag = try await fixture.ingest(testMail(subject: "Re: [\(ref)] still burning", id: "m4@example.org"))
        for result in [byInReplyTo, byReferences, byTag] {
            #expect(result.outcome == .reply)
            #expect(result.ticketRef == ref)
        }
        let counts = try await fixture.counts()
        #expect(counts.tickets == 1)
        #expect(counts.messages == 4)
        #expect(counts.outbox == 1, "replies get no confirmation")
    }

    @Test("the same mail twice changes nothing, by bytes or by Message-ID and sender")
    func idempotent() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        _ = try await fixture.ingest(testMail())
        let again = try await fixture.ingest(testMail())
        #expect(again.alreadyKnown)
        // Delivered twice: other trace headers, same Message-ID.
        let redelivered = try await fixture.ingest("Received: from relay2\r\n" + testMail())
        #expect(redelivered.outcome == .duplicate)
        let counts = try await fixture.counts()
        #expect(counts.tickets == 1)
        #expect(counts.messages == 1)
        #expect(counts.outbox == 1)
    }

    @Test("the same bytes twice in one batch make one ticket")
    func duplicateInBatch() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let bytes = Array(testMail().utf8)
        let results = try await fixture.ingestor.ingest([
            RawMail(locator: MailLocator(source: "t", uidValidity: 1, key: "1"), bytes: bytes),
            RawMail(locator: MailLocator(source: "t", uidValidity: 1, key: "2"), bytes: bytes),
        ])
        #expect(results.map(\.outcome) == [.ticket, .duplicate])
        #expect(try await fixture.counts().tickets == 1)
    }

    @Test("unreadable mail is quarantined with its reason and raw bytes")
    func quarantine() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let garbage = try await fixture.ingest("\u{0}\u{1}\u{2} not a mail at all")
        #expect(garbage.outcome == .quarantined)
        #expect(garbage.disposition == .quarantined)
        #expect(garbage.reason?.isEmpty == false)
        let noSender = try await fixture.ingest("Subject: who am I\r\n\r\nno From header\r\n")
        #expect(noSender.outcome == .quarantined)
        #expect(noSender.reason == "no sender address")
        let records = try await fixture.database.read { try $0.inboundMailRecords() }
        #expect(records.count == 2)
        for record in records { #expect(FileManager.default.fileExists(atPath: fixture.blobs.url(record.sha256, kind: .raw).path)) }
        #expect(try await fixture.counts().tickets == 0)
    }

    @Test("robots get no confirmation; an auto-reply to a ticket is kept as an internal event that reopens nothing")
    func robots() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let ref = try #require(try await fixture.ingest(testMail()).ticketRef)
        let vacation = try await fixture.ingest(
            testMail(
                subject: "Out of office", id: "ooo@example.org",
                headers: ["Auto-Submitted: auto-replied", "In-Reply-To: <m1@example.org>"]))
        #expect(vacation.outcome == .autoReply)
        #expect(vacation.ticketRef == ref)
        let stray = try await fixture.ingest(
            testMail(subject: "Out of office", id: "ooo2@example.org", headers: ["Auto-Submitted: auto-replied"]))
        #expect(stray.outcome == .autoReply)
        #expect(stray.ticketRef == nil)
        let newsletter = try await fixture.ingest(
            testMail(from: "news@example.org", subject: "News", id: "n@example.org", headers: ["Precedence: bulk"]))
        #expect(newsletter.outcome == .ticket)
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.messages.last?.kind == .system)
        #expect(detail.messages.last?.visibility == .internal)
        #expect(try await fixture.counts().outbox == 1, "only the person's mail is confirmed")
    }

    @Test("our own mail coming back is rejected")
    func ownMail() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let result = try await fixture.ingest(testMail(from: "Support <SUPPORT@example.test>"))
        #expect(result.outcome == .rejected)
        #expect(try await fixture.counts().tickets == 0)
    }

    @Test("attachments are stored by content and listed on the message")
    func attachments() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let body = """
            --b
            Content-Type: text/plain
            
            See attached.
            --b
            Content-Type: application/pdf; name="invoice.pdf"
            Content-Disposition: attachment; filename="invoice.pdf"
            Content-Transfer-Encoding: base64
            
            JVBERi0xLjQKJcfsj6IK
            --b--
            """
        let result = try await fixture.ingest(
            testMail(headers: ["MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\""], body: body))
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: result.ticketRef ?? "") })
        let files = detail.attachments.values.flatMap { $0 }
        #expect(files.count == 1)
        #expect(files.first?.filename == "invoice.pdf")
        #expect(files.first?.size == 15)
        let stored = try await fixture.blob(files.first?.sha256 ?? "", kind: .attachment)
        #expect(Array(stored.prefix(5)) == Array("%PDF-".utf8))
    }
}
