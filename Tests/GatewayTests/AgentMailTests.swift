import Foundation
import MailModel
import Store
import Testing

@testable import Gateway

@Suite("Agents working by mail")
struct AgentMailTests {
    func fixture(authservID: String? = nil) async throws -> GatewayFixture {
        try GatewayFixture(
            settings: IngestSettings(
                supportAddress: "support@example.test", secretKey: GatewayFixture.key,
                agents: AgentSettings(
                    addresses: ["Alice@Example.test"], teamAddress: "team@example.test", authservID: authservID)))
    }

    /// Ada's ticket and the Message-ID of the notice the agents got about it.
    func ticket(_ fixture: GatewayFixture) async throws -> (ref: String, notice: String) {
        let ref = try #require(try await fixture.ingest(testMail()).ticketRef)
        let notice = try #require(try await fixture.database.read { try $0.outboxMails().first { $0.kind == .agentNotice } })
        #expect(notice.recipient == "team@example.test")
        return (ref, notice.messageId)
    }

    func agentMail(_ body: String, answering id: String, authentication: String? = nil) -> String {
        testMail(
            from: "Alice Agent <alice@example.test>", subject: "Re: Printer on fire", id: UUID().uuidString + "@example.test",
            headers: ["In-Reply-To: <\(id)>"] + (authentication.map { ["Authentication-Results: \($0)"] } ?? []),
            body: body)
    }

    @Test("an agent's answer becomes a public reply queued for the customer, without its quoted history")
    func reply() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, notice) = try await ticket(fixture)
        let result = try await fixture.ingest(
            agentMail("Please restart it.\n\nOn Tue, Ada wrote:\n> It is on fire", answering: notice))
        #expect(result.ticketRef == ref)
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.messages.last?.kind == .agent)
        #expect(detail.messages.last?.visibility == .public)
        #expect(detail.messages.last?.visibleText == "Please restart it.")
        #expect(detail.ticket.status == .pending)
        let reply = try #require(try await fixture.database.read { try $0.outboxMails().first { $0.kind == .agentReply } })
        #expect(reply.recipient == "ada@example.org")
        #expect(!reply.automated)
        #expect(reply.context.contains("Please restart it."))
        #expect(reply.inReplyTo == "m1@example.org")
    }

    @Test("#note stays internal and sends nothing")
    func note() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, notice) = try await ticket(fixture)
        let before = try await fixture.counts().outbox
        _ = try await fixture.ingest(agentMail("#note\nCustomer called, very upset.", answering: notice))
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.messages.last?.kind == .note)
        #expect(detail.messages.last?.visibility == .internal)
        #expect(detail.messages.last?.visibleText == "Customer called, very upset.")
        #expect(try await fixture.counts().outbox == before)
    }

    @Test("#resolve, #assign and #priority act on the ticket; the resolution notice is queued")
    func commands() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, notice) = try await ticket(fixture)
        _ = try await fixture.ingest(agentMail("#assign me\n#priority urgent\n#resolve Replaced the fuser", answering: notice))
        let detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.ticket.status == .resolved)
        #expect(detail.ticket.resolution == "Replaced the fuser")
        #expect(detail.ticket.assignee == "alice@example.test")
        #expect(detail.ticket.priority == .urgent)
        let resolution = try await fixture.database.read { try $0.outboxMails().first { $0.kind == .resolution } }
        #expect(resolution?.recipient == "ada@example.org")
        #expect(resolution?.context.contains("Replaced the fuser") == true)
        _ = try await fixture.ingest(agentMail("#reopen", answering: notice))
        #expect(try await fixture.database.read { try $0.ticket(ref: ref)?.status } == .open)
    }

    @Test("a customer's reply is noticed to the agents, gathered with a notice not yet sent")
    func customerReplyNotice() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        _ = try await fixture.ingest(testMail(subject: "Re: [\(ref)] more", id: "more@example.org", body: "And smoke now."))
        let notices = try await fixture.database.read { try $0.outboxMails().filter { $0.kind == .agentNotice } }
        #expect(notices.count == 1)
        let fields = try #require(try notices.first?.fields())
        #expect(fields["event"] == "customer-reply")
        #expect(fields["more_messages"] == "1")
        #expect(fields["message_text"]?.contains("printer is on fire") == true)
        #expect(fields["message_text"]?.contains("And smoke now.") == true)
    }

    @Test("with authentication required, an agent's token without an aligned pass is quarantined")
    func authentication() async throws {
        let fixture = try await fixture(authservID: "mx.example.test")
        defer { fixture.remove() }
        let (ref, notice) = try await ticket(fixture)
        for verdict in [
            "mx.example.test; dkim=fail", "mx.example.test; dkim=pass header.d=attacker.example",
            "other.example; dmarc=pass header.from=example.test",
        ] {
            let refused = try await fixture.ingest(agentMail("#close", answering: notice, authentication: verdict))
            #expect(refused.outcome == .quarantined)
            #expect(refused.disposition == .quarantined)
        }
        var detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.ticket.status != .closed)
        #expect(detail.messages.count == 1, "nothing written into the ticket")
        _ = try await fixture.ingest(
            agentMail("#close", answering: notice, authentication: "mx.example.test; dkim=pass header.d=example.test"))
        detail = try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
        #expect(detail.ticket.status == .closed)
    }
}
