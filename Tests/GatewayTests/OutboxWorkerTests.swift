import Foundation
import Logging
import MIME
import MailModel
import MailTemplates
import Store
import Testing

@testable import Gateway

/// A mail server in memory: records what it accepts, refuses what it is told to (sends and probes
/// alike while `failure` is set), and runs `beforeAccepting` on each mail it is about to accept.
actor FakeSender: MailSender {
    var accepted: [(bytes: [UInt8], recipients: [String])] = []
    var failure: SendFailure?
    var probes = 0
    var beforeAccepting: (@Sendable () async throws -> Void)?

    func fail(with failure: SendFailure?) { self.failure = failure }
    func onAccept(_ hook: @escaping @Sendable () async throws -> Void) { beforeAccepting = hook }

    func send(_ message: [UInt8], envelopeFrom: String, recipients: [String]) async throws {
        if let failure { throw failure }
        try await beforeAccepting?()
        accepted.append((message, recipients))
    }

    func probe() async throws {
        probes += 1
        if let failure { throw failure }
    }
}

@Suite("Outbox")
struct OutboxWorkerTests {
    static let templatesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("mail-templates").path

    func worker(_ fixture: GatewayFixture, _ sender: FakeSender, now: @escaping @Sendable () -> Date = { Date() })
        throws -> OutboxWorker<ContinuousClock>
    {
        try worker(fixture, sender, clock: ContinuousClock(), now: now)
    }

    func worker<C: Clock>(
        _ fixture: GatewayFixture, _ sender: FakeSender, clock: C, maxProbeInterval: Duration = .seconds(5),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> OutboxWorker<C> where C.Duration == Duration {
        let composer = OutboundComposer(
            templates: try TemplateLibrary.load(from: Self.templatesFolder),
            site: TemplateSite(
                productName: "Acme Support", supportAddress: "support@example.test", portalURL: "https://help.example.test/"),
            tokens: fixture.ingestor.settings.tokens)
        return OutboxWorker(
            database: fixture.database, sender: sender, composer: composer, envelopeFrom: "support@example.test",
            clock: clock, logger: Logger(label: "test"), now: now)
    }

    @Test("a confirmation goes out threaded, tagged, signed and marked as automatic")
    func confirmation() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let ref = try #require(try await fixture.ingest(testMail(subject: "Re: Printer on fire")).ticketRef)
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
        #expect(try await fixture.database.read { try $0.outboxMails(state: .sent).count } == 1)
        // Sending again finds nothing due.
        #expect(try await worker(fixture, sender).sendDue() == OutboxWorker<ContinuousClock>.Report())
    }

    @Test("portal links are made when the mail is sent: 256-bit tokens, only their hashes stored")
    func portalLinks() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let ref = try #require(try await fixture.ingest(testMail()).ticketRef)
        let sender = FakeSender()
        _ = try await worker(fixture, sender).sendDue()
        let confirmation = try MIMEParser().parse(try #require(await sender.accepted.first?.bytes))
        let ticketLink = try #require(Self.token(after: "/portal/t/", in: confirmation.text))
        #expect(ticketLink.count == 43)
        let stored = try #require(try await fixture.database.read { try $0.accessToken(ticketLink) })
        #expect(stored.purpose == .ticketLink)
        #expect(stored.tokenHash != ticketLink)
        #expect(abs(stored.expiresAt.timeIntervalSince(stored.createdAt) - 30 * 86_400) < 1)
        try await fixture.database.write { (tx: StoreTransaction) throws in
            let desk = TicketDesk(tx: tx, settings: fixture.ingestor.settings, now: Date())
            #expect(try desk.queuePortalLink(to: "ADA@example.org", ticket: try tx.ticket(ref: ref)) == nil)
            #expect(throws: StoreError.self) { try desk.queuePortalLink(to: "stranger@example.org") }
        }
        _ = try await worker(fixture, sender).sendDue()
        let magic = try MIMEParser().parse(try #require(await sender.accepted.last?.bytes))
        let login = try #require(Self.token(after: "/portal/login/", in: magic.text))
        let record = try #require(try await fixture.database.read { try $0.accessToken(login) })
        #expect(record.purpose == .login)
        #expect(abs(record.expiresAt.timeIntervalSince(record.createdAt) - 1800) < 1)
        #expect(magic.text.contains("30 minutes"))
        #expect(try await fixture.database.read { try $0.accessToken("forged-token") } == nil)
    }

    static func token(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        return String(text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
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
