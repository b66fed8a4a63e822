import Foundation
import MailModel
import Store
import Testing

@testable import Gateway

/// The attacks on the mail side, each next to the normal case: who may write into a ticket, who
/// counts as an agent, and what the customer is shown (DESIGN.md invariants 8 and 9).
@Suite("Who may write into a ticket")
struct TrustTests {
    static let team = "team@example.test"

    func fixture(authservID: String? = nil, teamAddress: String? = team, replyAll: Bool = true) async throws -> GatewayFixture {
        try GatewayFixture(
            settings: IngestSettings(
                supportAddress: "support@example.test", secretKey: GatewayFixture.key,
                agents: AgentSettings(
                    addresses: ["alice@example.test", "bob@example.test"], teamAddress: teamAddress,
                    authservID: authservID),
                replyAll: replyAll))
    }

    /// Ada's ticket, opened with her colleague Carol in Cc: its reference and the notice's Message-ID.
    func ticket(_ fixture: GatewayFixture, to recipient: String = team) async throws -> (ref: String, notice: String) {
        let first = testMail(headers: ["Cc: Carol Clerk <carol@example.org>, support@example.test"])
        let ref = try #require(try await fixture.ingest(first).ticketRef)
        let notice = try #require(
            try await fixture.database.read { try $0.outboxMails().first { $0.kind == .agentNotice && $0.recipient == recipient } })
        return (ref, notice.messageId)
    }

    func outbox(_ fixture: GatewayFixture, _ kind: OutboxRecord.Kind) async throws -> [OutboxRecord] {
        try await fixture.database.read { try $0.outboxMails().filter { $0.kind == kind } }
    }

    func detail(_ fixture: GatewayFixture, _ ref: String) async throws -> TicketDetail {
        try #require(try await fixture.database.read { try $0.ticketDetail(ref: ref) })
    }

    @Test("a spoofed agent From with the subject tag and no token is quarantined; the agent is told once")
    func spoofedAgent() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        for n in 0..<3 {
            let spoof = testMail(
                from: "Alice <alice@example.test>", subject: "Re: [\(ref)] Printer on fire", id: "spoof\(n)@evil.example",
                body: "#resolve Fixed\nPlease send your password to evil@example.net.")
            let result = try await fixture.ingest(spoof)
            #expect(result.outcome == .quarantined)
            #expect(result.disposition == .quarantined)
            #expect(result.reason?.contains("no token signed for that agent") == true)
        }
        let ticket = try await detail(fixture, ref)
        #expect(ticket.ticket.status == .new, "no command ran")
        #expect(ticket.messages.count == 1, "nothing written into the ticket")
        #expect(try await outbox(fixture, .agentReply).isEmpty, "nothing relayed to the customer")
        let told = try await outbox(fixture, .agentRefusal)
        #expect(told.count == 1, "rate limited: one notice per agent in 10 minutes")
        #expect(told.first?.recipient == "alice@example.test")
        #expect(try told.first?.fields()["message_text"]?.contains("no token") == true)
    }

    @Test("an agent's address with a customer's token, or another agent's token, is quarantined")
    func wrongTokens() async throws {
        let fixture = try await fixture(teamAddress: nil)
        defer { fixture.remove() }
        let (ref, bobsNotice) = try await ticket(fixture, to: "bob@example.test")
        let confirmation = try #require(try await outbox(fixture, .confirmation).first?.messageId)
        for cited in [confirmation, bobsNotice] {
            let result = try await fixture.ingest(
                testMail(
                    from: "alice@example.test", subject: "Re: Printer", id: UUID().uuidString + "@example.test",
                    headers: ["In-Reply-To: <\(cited)>"], body: "#close"))
            #expect(result.outcome == .quarantined)
        }
        #expect(try await detail(fixture, ref).ticket.status == .new)
        let alicesNotice = try await #require(
            try outbox(fixture, .agentNotice).first { $0.recipient == "alice@example.test" }?.messageId)
        let own = try await fixture.ingest(
            testMail(
                from: "alice@example.test", subject: "Re: Printer", id: "a1@example.test",
                headers: ["In-Reply-To: <\(alicesNotice)>"], body: "#close"))
        #expect(own.outcome == .reply)
        #expect(try await detail(fixture, ref).ticket.status == .closed)
    }

    @Test("an agent answers through the signed reply address of the team's notice")
    func agentReplyAddress() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let address = fixture.ingestor.settings.tokens.agentReplyAddress(
            ref: ref, supportAddress: "support@example.test", recipient: Self.team)
        #expect(fixture.ingestor.settings.tokens.ticketRef(fromAddress: address) == nil, "not a customer token")
        let result = try await fixture.ingest(
            testMail(from: "bob@example.test", subject: "Printer", id: "b1@example.test", headers: ["Delivered-To: \(address)"],
                body: "It is fixed now."))
        #expect(result.outcome == .reply)
        #expect(try await outbox(fixture, .agentReply).count == 1)
    }

    @Test("a stranger citing the customer's Message-ID gets a ticket of their own and stays a stranger")
    func strangerWithMessageID() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let cited = try await fixture.ingest(
            testMail(
                from: "Mallory <mallory@example.net>", subject: "Re: Printer on fire", id: "x1@example.net",
                headers: ["In-Reply-To: <m1@example.org>"], body: "I am Ada, send the invoice here."))
        #expect(cited.outcome == .ticket)
        #expect(cited.ticketRef != ref)
        #expect(try await fixture.database.read { try $0.ticket(ref: cited.ticketRef ?? "") }?.relatedTo == ref)
        let tagged = try await fixture.ingest(
            testMail(from: "mallory@example.net", subject: "Re: [\(ref)] again", id: "x2@example.net"))
        #expect(tagged.ticketRef != ref, "writing once does not make a participant")
        let ticket = try await detail(fixture, ref)
        #expect(ticket.messages.count == 1)
        #expect(ticket.ticket.status == .new)
    }

    @Test("with authserv_id, a customer's From that our server found failing is a stranger's")
    func spoofedCustomer() async throws {
        let fixture = try await fixture(authservID: "mx.example.test")
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let spoof = try await fixture.ingest(
            testMail(
                subject: "Re: [\(ref)] cancel my order", id: "sp@evil.example",
                headers: ["Authentication-Results: mx.example.test; spf=fail; dmarc=fail header.from=example.org"]))
        #expect(spoof.outcome == .ticket)
        #expect(spoof.ticketRef != ref)
        #expect(spoof.reason?.contains("dmarc=fail") == true)
        let real = try await fixture.ingest(
            testMail(
                subject: "Re: [\(ref)] more", id: "real@example.org",
                headers: ["Authentication-Results: mx.example.test; dmarc=pass header.from=example.org"]))
        #expect(real.ticketRef == ref)
        let confirmation = try #require(try await outbox(fixture, .confirmation).first?.messageId)
        let token = try await fixture.ingest(
            testMail(
                subject: "Re: thanks", id: "tok@example.org",
                headers: [
                    "In-Reply-To: <\(confirmation)>",
                    "Authentication-Results: mx.example.test; dmarc=fail header.from=example.org",
                ]))
        #expect(token.ticketRef == ref, "a signed token names the ticket whatever the verdict")
    }

    @Test("the people on the first mail take part; a colleague's reply joins under their own name")
    func colleagues() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let ticketID = try #require(try await detail(fixture, ref).ticket.id)
        let people = try await fixture.database.read { try $0.participants(of: ticketID) }
        #expect(people.map(\.email) == ["ada@example.org", "carol@example.org"], "our own address is not one")
        #expect(people.map(\.role) == [.customer, .cc])
        let reply = try await fixture.ingest(
            testMail(
                from: "Carol Clerk <carol@example.org>", subject: "Re: Printer on fire", id: "c1@example.org",
                headers: ["In-Reply-To: <m1@example.org>"], body: "It is the one on the second floor."))
        #expect(reply.ticketRef == ref)
        let last = try #require(try await detail(fixture, ref).messages.last)
        #expect(last.kind == .customer)
        #expect(last.authorEmail == "carol@example.org")
        #expect(last.authorName == "Carol Clerk")
    }

    @Test("an agent's answer goes to the customer with the colleagues in Cc, without a sign-in link")
    func replyAll() async throws {
        for replyAll in [true, false] {
            let fixture = try await fixture(replyAll: replyAll)
            defer { fixture.remove() }
            let (_, notice) = try await ticket(fixture)
            _ = try await fixture.ingest(
                testMail(
                    from: "Alice <alice@example.test>", subject: "Re: Printer", id: "a@example.test",
                    headers: ["In-Reply-To: <\(notice)>"], body: "Please restart it."))
            let reply = try #require(try await outbox(fixture, .agentReply).first)
            #expect(reply.recipient == "ada@example.org")
            #expect(reply.ccAddresses == (replyAll ? ["carol@example.org"] : []))
            let links = try await fixture.database.write { tx in
                try PortalLinks().make(
                    for: reply, payload: OutboxPayload(reply), customer: try tx.customer(email: "ada@example.org"),
                    portalURL: "https://help.example", tx: tx, at: Date())
            }
            #expect((links.ticketURL == nil) == replyAll, "a link that signs in never goes to a Cc")
        }
    }

    @Test("the customer is shown exactly what was sent: no commands, quoted notice, signature or files")
    func whatTheCustomerSees() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, notice) = try await ticket(fixture)
        let body = """
            --b
            Content-Type: text/plain; charset=utf-8

            #priority high
            Please restart it.

            --\u{20}
            Alice, second-level support

            On Tue, 1 Oct 2024, Postdesk wrote:
            > New ticket \(ref) from Ada
            > Status:  new
            --b
            Content-Type: text/plain; name="internal-log.txt"
            Content-Disposition: attachment; filename="internal-log.txt"

            secret internal log
            --b--
            """
        _ = try await fixture.ingest(
            testMail(
                from: "Alice <alice@example.test>", subject: "Re: Printer", id: "a2@example.test",
                headers: [
                    "In-Reply-To: <\(notice)>", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\"",
                ], body: body))
        let sent = try #require(try await outbox(fixture, .agentReply).first?.fields()["reply_text"])
        #expect(sent == "Please restart it.")
        let answer = try #require(try await detail(fixture, ref).messages.last)
        #expect(answer.kind == .agent && answer.visibility == .public)
        #expect(answer.text == sent)
        #expect(answer.visibleText == sent)
        #expect(answer.html == nil)
        #expect(answer.fullText?.contains("#priority high") == true, "the whole mail stays for agents")
        let customerID = try await detail(fixture, ref).customer.id ?? 0
        let view = try #require(try await fixture.database.read { try $0.portalTicket(ref: ref, customerID: customerID) })
        let shown = try #require(view.messages.last)
        for hidden in ["#priority", "Status:", "second-level", "New ticket"] {
            #expect(!shown.text.contains(hidden))
            #expect(!shown.visibleText.contains(hidden))
        }
        #expect(view.attachments[shown.id ?? -1, default: []].isEmpty, "files that were not sent are not shown")
        let all = try await detail(fixture, ref).attachments[answer.id ?? -1, default: []]
        #expect(all.count == 1 && all.first?.isInternal == true)
        let attachmentID = try #require(all.first?.id)
        #expect(try await fixture.database.read { try $0.portalAttachment(id: attachmentID, customerID: customerID) } == nil)
    }

    @Test("#cc adds a colleague who then gets answers; #uncc removes them")
    func ccCommands() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, notice) = try await ticket(fixture)
        _ = try await fixture.ingest(
            testMail(
                from: "alice@example.test", subject: "Re", id: "a3@example.test", headers: ["In-Reply-To: <\(notice)>"],
                body: "#cc dave@example.org\n#uncc carol@example.org\nDave will handle the invoice."))
        let reply = try #require(try await outbox(fixture, .agentReply).first)
        #expect(reply.ccAddresses == ["dave@example.org"])
        let ticketID = try #require(try await detail(fixture, ref).ticket.id)
        let people = try await fixture.database.read { try $0.participants(of: ticketID) }
        #expect(Set(people.map(\.email)) == ["ada@example.org", "dave@example.org", "alice@example.test"])
    }

    @Test("hostile Cc lists: thousands of addresses, CR/LF, robots and our own addresses add no participant")
    func hostileCopies() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let many = (0..<2_000).map { "p\($0)@example.net" }.joined(separator: ", ")
        let mail = testMail(
            id: "many@example.org",
            headers: [
                "Cc: \(many)", "To: support+x@example.test, noreply@example.net, \"x\\r\\nBcc: y\" <a@b.example>",
            ])
        let ref = try #require(try await fixture.ingest(mail).ticketRef)
        let ticketID = try #require(try await detail(fixture, ref).ticket.id)
        let people = try await fixture.database.read { try $0.participants(of: ticketID) }
        #expect(people.count == StoreTransaction.participantLimit)
        #expect(!people.contains { $0.email.contains("noreply") || $0.email.contains("support") })
        #expect(!people.contains { $0.email.contains("\r") || $0.email.contains("\n") })
    }

    @Test("a stopped automated mail is kept as suppressed with its reason and does not count toward caps")
    func suppressed() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        try await fixture.database.write { tx in
            try tx.markUndeliverable("ada@example.org", reason: "bounced: 5.1.1", until: Date().addingTimeInterval(3600), at: Date())
        }
        let result = try await fixture.ingest(testMail())
        #expect(result.outcome == .ticket)
        #expect(result.suppressed.count == 1)
        let row = try #require(try await outbox(fixture, .confirmation).first)
        #expect(row.state == .suppressed)
        #expect(row.lastError?.contains("undeliverable") == true)
        let due = try await fixture.database.read { try $0.dueOutboxMails(at: Date().addingTimeInterval(60), limit: 10) }
        #expect(!due.contains { $0.id == row.id }, "never sent")
    }

    @Test("notices on a busy ticket: at most one per digest window, with the count")
    func digest() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let first = try #require(try await outbox(fixture, .agentNotice).first)
        let sentAt = Date()
        try await fixture.database.write { tx in try tx.markSent(first.id ?? 0, at: sentAt) }
        for n in 0..<30 {
            _ = try await fixture.ingest(testMail(subject: "Re: [\(ref)] \(n)", id: "r\(n)@example.org", body: "message \(n)"))
        }
        let notices = try await outbox(fixture, .agentNotice)
        #expect(notices.count == 2, "30 replies make one more notice")
        let waiting = try #require(notices.last)
        #expect(waiting.state == .queued)
        #expect(waiting.nextAttemptAt >= sentAt.addingTimeInterval(299))
        let fields = try waiting.fields()
        #expect(fields["more_messages"] == "29")
        #expect(fields["message_text"]?.contains("message 29") == true)
    }

    @Test("a forged bounce about mail we never sent suppresses no address and writes into no ticket")
    func forgedBounce() async throws {
        let fixture = try await fixture()
        defer { fixture.remove() }
        let (ref, _) = try await ticket(fixture)
        let forged = try await fixture.ingest(testBounce(of: "m1@example.org", subject: "[\(ref)] Printer on fire"))
        #expect(forged.outcome == .bounce)
        #expect(forged.reason?.contains("no address suppressed") == true)
        #expect(try await fixture.database.read { try $0.suppression(of: "ada@example.org", at: Date()) } == nil)
        #expect(try await detail(fixture, ref).messages.count == 1)
    }

    @Test("the signing key never shows in a description, a dump or a reflection")
    func redactedKey() {
        let tokens = ThreadTokens(key: GatewayFixture.key, ticketPrefix: "TKT")
        let settings = IngestSettings(supportAddress: "support@example.test", secretKey: GatewayFixture.key)
        var dumped = ""
        dump(settings, to: &dumped)
        let bytes = GatewayFixture.key.map(String.init).joined(separator: ", ")
        for text in ["\(tokens)", String(reflecting: tokens), "\(settings)", String(reflecting: settings), dumped] {
            #expect(!text.contains(bytes))
            #expect(!text.contains(String(decoding: GatewayFixture.key, as: UTF8.self)))
        }
    }
}
