import Foundation
import Logging
import MIME
import MailModel
import MailTemplates
import Store
import Testing

@testable import Gateway

/// A mail server in memory: records what it accepts, refuses what it is told to.
actor FakeSender: MailSender {
    var accepted: [(bytes: [UInt8], recipients: [String])] = []
    var failure: SendFailure?

    func fail(with failure: SendFailure?) { self.failure = failure }

    func send(_ message: [UInt8], envelopeFrom: String, recipients: [String]) async throws {
        if let failure { throw failure }
        accepted.append((message, recipients))
    }
}

@Suite("Outbox")
struct OutboxWorkerTests {
    static let templatesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("mail-templates").path

    func worker(_ fixture: GatewayFixture, _ sender: FakeSender, now: @escaping @Sendable () -> Date = { Date() })
        throws -> OutboxWorker<ContinuousClock>
    {
        let composer = OutboundComposer(
            templates: try TemplateLibrary.load(from: Self.templatesFolder),
            site: TemplateSite(
                productName: "Acme Support", supportAddress: "support@example.test", portalURL: "https://help.example.test/"),
            tokens: fixture.ingestor.settings.tokens)
        return OutboxWorker(
            database: fixture.database, sender: sender, composer: composer, envelopeFrom: "support@example.test",
            clock: ContinuousClock(), logger: Logger(label: "test"), now: now)
    }

    @Test("a confirmation goes out threaded, tagged, signed and marked as automatic")
    func confirmation() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let ref = try #require(try fixture.ingest(testMail(subject: "Re: Printer on fire")).ticketRef)
        let sender = FakeSender()
        let report = try await worker(fixture, sender).sendDue()
        #expect(report.sent == 1)
        let sent = try #require(await sender.accepted.first)
        #expect(sent.recipients == ["ada@example.org"])
        let mail = try MIMEParser().parse(sent.bytes)
        #expect(mail.subject == "[\(ref)] Printer on fire", "no Re: for a new message, the tag once")
        #expect(mail.inReplyTo == ["m1@example.org"])
        #expect(mail.headers["auto-submitted"] == "auto-replied")
        #expect(mail.headers["x-auto-response-suppress"] == "All")
        #expect(mail.headers["x-postdesk-loop"] == fixture.ingestor.settings.tokens.instanceID)
        #expect(fixture.ingestor.settings.tokens.ticketRef(fromMessageID: mail.messageID ?? "") == ref)
        let replyTo = try #require(mail.replyTo.first?.address)
        #expect(fixture.ingestor.settings.tokens.ticketRef(fromAddress: replyTo) == ref)
        #expect(mail.text.contains(ref))
        #expect(mail.html != nil)
        #expect(try fixture.database.read { try $0.outboxMails(state: .sent).count } == 1)
        // Sending again finds nothing due.
        #expect(try await worker(fixture, sender).sendDue() == OutboxWorker<ContinuousClock>.Report())
    }

    @Test("portal links are made when the mail is sent: 256-bit tokens, only their hashes stored")
    func portalLinks() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let ref = try #require(try fixture.ingest(testMail()).ticketRef)
        let sender = FakeSender()
        _ = try await worker(fixture, sender).sendDue()
        let confirmation = try MIMEParser().parse(try #require(await sender.accepted.first?.bytes))
        let ticketLink = try #require(Self.token(after: "/portal/t/", in: confirmation.text))
        #expect(ticketLink.count == 43)
        let stored = try #require(try fixture.database.read { try $0.accessToken(ticketLink) })
        #expect(stored.purpose == .ticketLink)
        #expect(stored.tokenHash != ticketLink)
        #expect(abs(stored.expiresAt.timeIntervalSince(stored.createdAt) - 30 * 86_400) < 1)
        try fixture.database.transaction { (tx: StoreTransaction) throws in
            let desk = TicketDesk(tx: tx, settings: fixture.ingestor.settings, now: Date())
            #expect(try desk.queuePortalLink(to: "ADA@example.org", ticket: try tx.ticket(ref: ref)) == nil)
            #expect(throws: StoreError.self) { try desk.queuePortalLink(to: "stranger@example.org") }
        }
        _ = try await worker(fixture, sender).sendDue()
        let magic = try MIMEParser().parse(try #require(await sender.accepted.last?.bytes))
        let login = try #require(Self.token(after: "/portal/login/", in: magic.text))
        let record = try #require(try fixture.database.read { try $0.accessToken(login) })
        #expect(record.purpose == .login)
        #expect(abs(record.expiresAt.timeIntervalSince(record.createdAt) - 1800) < 1)
        #expect(magic.text.contains("30 minutes"))
        #expect(try fixture.database.read { try $0.accessToken("forged-token") } == nil)
    }

    static func token(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        return String(text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test("a temporary failure is retried on the schedule; a permanent one is a dead letter at once")
    func failures() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        _ = try fixture.ingest(testMail())
        let sender = FakeSender()
        await sender.fail(with: SendFailure(permanent: false, code: 451, reason: "try later"))
        let start = Date()
        var report = try await worker(fixture, sender, now: { start }).sendDue()
        #expect(report.retried == 1)
        var row = try #require(try fixture.database.read { try $0.outboxMails().first })
        #expect(row.state == .queued)
        #expect(row.attempts == 1)
        #expect(abs(row.nextAttemptAt.timeIntervalSince(start) - 60) < 1)
        #expect(row.lastError?.contains("451") == true)
        // Not due yet: nothing happens.
        #expect(try await worker(fixture, sender, now: { start.addingTimeInterval(30) }).sendDue().retried == 0)
        await sender.fail(with: SendFailure(permanent: true, code: 550, reason: "no such user"))
        report = try await worker(fixture, sender, now: { start.addingTimeInterval(61) }).sendDue()
        #expect(report.dead == 1)
        row = try #require(try fixture.database.read { try $0.outboxMails().first })
        #expect(row.state == .dead)
        #expect(row.lastError?.contains("550") == true)
        // A dead letter can be sent again by hand, with the same Message-ID.
        #expect(try fixture.database.transaction { try $0.requeue(row.id ?? 0, at: Date()) })
        await sender.fail(with: nil)
        #expect(try await worker(fixture, sender).sendDue().sent == 1)
        let sent = try MIMEParser().parse(try #require(await sender.accepted.first?.bytes))
        #expect(sent.messageID == row.messageId)
    }

    @Test("a mail that waited two days gives up")
    func givesUp() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        _ = try fixture.ingest(testMail())
        let sender = FakeSender()
        await sender.fail(with: SendFailure(permanent: false, reason: "connection refused"))
        let late = Date().addingTimeInterval(2 * 86_400)
        #expect(try await worker(fixture, sender, now: { late }).sendDue().dead == 1)
    }

    @Test("answers carry Re: once and trimmed References; subject injection stays in one header")
    func headers() {
        #expect(OutboundComposer.subject("[TKT-1] Re: Re: x", answering: true) == "Re: [TKT-1] Re: Re: x")
        #expect(OutboundComposer.subject("Re: AW: [TKT-1] x", answering: true) == "Re: [TKT-1] x")
        #expect(OutboundComposer.subject("Re: [TKT-1] x", answering: false) == "[TKT-1] x")
        let ids = (1...30).map { "id\($0)@x" }
        let row = OutboxRecord(
            kind: .agentReply, recipient: "a@b.c", messageId: "m@x", inReplyTo: "id30@x", context: "{}",
            state: .queued, nextAttemptAt: Date(), createdAt: Date(), references: ids.joined(separator: " "))
        let trimmed = OutboundComposer.trimmedReferences(row)
        #expect(trimmed.count == 10)
        #expect(trimmed.first == "id1@x")
        #expect(trimmed.last == "id30@x")
    }
}
