import Foundation
import MIME
import MailModel
import Store
import Testing

@testable import Gateway

@Suite("Trustworthy threading, loops and bounces")
struct ThreadingTests {
    /// A ticket opened by Ada, with the Message-ID of its confirmation.
    func ticket(_ fixture: GatewayFixture) async throws -> (ref: String, confirmation: String) {
        let ref = try #require(try await fixture.ingest(testMail()).ticketRef)
        let confirmation = try #require(try await fixture.database.read { try $0.outboxMails().first?.messageId })
        return (ref, confirmation)
    }

    @Test("a reply to our confirmation finds its ticket by the signed Message-ID")
    func signedMessageID() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let (ref, confirmation) = try await ticket(fixture)
        let reply = try await fixture.ingest(
            testMail(subject: "Re: something else", id: "r1@example.org", headers: ["In-Reply-To: <\(confirmation)>"]))
        #expect(reply.outcome == .reply)
        #expect(reply.ticketRef == ref)
    }

    @Test("mail to the signed reply address finds its ticket without any thread header")
    func replyAddress() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let address = fixture.ingestor.settings.tokens.replyAddress(ref: ref, supportAddress: "support@example.test")
        let reply = try await fixture.ingest(
            testMail(subject: "new words", id: "r2@example.org", headers: ["Delivered-To: \(address)"]))
        #expect(reply.ticketRef == ref)
        let forged = try await fixture.ingest(
            testMail(
                subject: "new words", id: "r3@example.org",
                headers: ["Delivered-To: support+\(ref).aaaaaaaa@example.test"]))
        #expect(forged.outcome == .ticket)
    }

    @Test("a subject tag counts only from someone already on the ticket")
    func subjectTagFromStranger() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let stranger = try await fixture.ingest(
            testMail(from: "mallory@example.net", subject: "Re: [\(ref)] give me the data", id: "m@example.net"))
        #expect(stranger.outcome == .ticket)
        #expect(stranger.ticketRef != ref)
        #expect(stranger.reason?.contains("takes no part in \(ref)") == true)
        let opened = try await fixture.database.read { try $0.ticket(ref: stranger.ticketRef ?? "") }
        #expect(opened?.relatedTo == ref, "linked to the ticket it cited, for agents to see")
        let owner = try await fixture.ingest(testMail(subject: "Re: [\(ref)] more", id: "own@example.org"))
        #expect(owner.ticketRef == ref)
    }

    @Test("our own mail coming back is dropped: signed Message-ID or loop header")
    func loops() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let (_, confirmation) = try await ticket(fixture)
        let echoed = try await fixture.ingest(testMail(from: "ada@example.org", subject: "Fwd", id: confirmation))
        #expect(echoed.outcome == .rejected)
        let instance = fixture.ingestor.settings.tokens.instanceID
        let looped = try await fixture.ingest(testMail(id: "l@example.org", headers: ["X-Postdesk-Loop: \(instance)"]))
        #expect(looped.outcome == .rejected)
        let spoofed = try await fixture.ingest(testMail(id: "s@example.org", headers: ["X-Postdesk-Loop: someone-else"]))
        #expect(spoofed.outcome != .rejected)
        #expect(try await fixture.counts().tickets == 2)
    }

    @Test("our control headers are removed from mail that comes from outside")
    func controlHeaders() async throws {
        let raw = RawMail(
            locator: MailLocator(source: "t", uidValidity: nil, key: "1"),
            bytes: Array(testMail(headers: ["X-Postdesk-Action: close", "X-Other: kept"]).utf8))
        let prepared = PreparedMail(raw: raw, sha256: "x", parser: .init())
        #expect(prepared.parsed?.headers["x-postdesk-action"] == nil)
        #expect(prepared.parsed?.headers["x-other"] == "kept")
    }

    @Test("a reply to a closed ticket reopens it, or opens a linked ticket when so configured")
    func closedTickets() async throws {
        for policy in IngestSettings.ClosedTicketPolicy.allCases {
            let fixture = try GatewayFixture(
                settings: IngestSettings(
                    supportAddress: "support@example.test", secretKey: GatewayFixture.key, closedTicketPolicy: policy))
            defer { fixture.remove() }
            let (ref, _) = try await ticket(fixture)
            try await fixture.database.write { tx in
                guard let ticket = try tx.ticket(ref: ref) else { return }
                _ = try tx.setStatus(.closed, of: ticket, at: Date())
            }
            let reply = try await fixture.ingest(testMail(subject: "Re: [\(ref)] again", id: "again@example.org"))
            let old = try await fixture.database.read { try $0.ticket(ref: ref) }
            switch policy {
            case .reopen:
                #expect(reply.ticketRef == ref)
                #expect(old?.status == .open)
            case .newTicket:
                #expect(reply.outcome == .ticket)
                let fresh = try await fixture.database.read { try $0.ticket(ref: reply.ticketRef ?? "") }
                #expect(fresh?.followUpOf == ref)
                #expect(old?.status == .closed)
            }
        }
    }

    @Test("a bounce lands on the ticket of the mail that bounced and suppresses the address")
    func bounce() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        let (ref, confirmation) = try await ticket(fixture)
        let result = try await fixture.ingest(testBounce(of: confirmation, subject: "[\(ref)] Printer on fire"))
        #expect(result.outcome == .bounce)
        #expect(result.ticketRef == ref)
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.ticket.status == .new, "a bounce changes no status")
        #expect(detail.messages.last?.kind == .system)
        #expect(detail.messages.last?.visibility == .internal)
        let suppressed = try await fixture.database.read { try $0.suppression(of: "ADA@example.org", at: Date()) }
        #expect(suppressed != nil)
        let later = Date().addingTimeInterval(61 * 86_400)
        #expect(try await fixture.database.read { try $0.suppression(of: "ada@example.org", at: later) } == nil)
        #expect(try await fixture.counts().outbox == 1, "nothing answers a bounce")
    }
}
