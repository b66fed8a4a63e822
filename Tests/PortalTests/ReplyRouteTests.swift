import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// Replying to a ticket from the portal: it goes through the ingestor like an emailed reply.
@Suite("Portal routes: replies")
struct ReplyRouteTests {
    /// The path of a redirect without its fragment, to follow it.
    static func path(_ location: String?) -> String {
        (location ?? "").components(separatedBy: "#")[0]
    }

    @Test("a valid reply adds a public customer message and queues an agent notice, as mail would")
    func reply() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#resolve Restarted it")
        let ticketID = try await fixture.ticket(ref).ticket.id
        let noticesBefore = try await fixture.outbox(.agentNotice).count
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            let submission = try #require(page.inputValue("submission"))
            let sent = try await browser.post(
                "/portal/tickets/\(ref)/reply", ["text": "  It is smoking again.\r\nWhat now?  ", "submission": submission])
            #expect(sent.status == .seeOther)
            #expect(sent.location == "/portal/tickets/\(ref)?sent=1#rp")
            let after = try await browser.get(Self.path(sent.location))
            #expect(after.contains("Your reply was added. We have been told."))
            #expect(after.contains("<div class=\"body\">It is smoking again.\nWhat now?</div>"))
        }
        let detail = try await fixture.ticket(ref)
        let message = try #require(detail.messages.last)
        #expect(detail.messages.count == 2)
        #expect(message.kind == .customer)
        #expect(message.visibility == .public)
        #expect(message.authorEmail == "ada@example.org")
        #expect(message.visibleText == "It is smoking again.\nWhat now?")
        // A reply reopens a resolved ticket, as an emailed one does.
        #expect(detail.ticket.status == .open)
        // The first notice is not sent yet (no outbox worker runs here): the reply is gathered into it.
        let notices = try await fixture.outbox(.agentNotice)
        #expect(notices.count == noticesBefore)
        let notice = try #require(notices.last)
        #expect(notice.recipient == "team@example.test")
        #expect(notice.ticketId == ticketID)
        #expect(PortalFixture.context(notice)["event"] == "customer-reply")
        #expect(PortalFixture.context(notice)["more_messages"] == "1")
        #expect(PortalFixture.context(notice)["message_text"]?.hasSuffix("\nIt is smoking again.\nWhat now?") == true)
        #expect(try await fixture.database.read { try $0.inboundMailRecords() }.last?.source == "portal")
    }

    @Test("an empty reply is refused with 422 and the error next to the field", arguments: ["", "   \r\n  "])
    func empty(_ text: String) async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        let before = try await fixture.counts()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/tickets/\(ref)")
            let page = try await browser.post("/portal/tickets/\(ref)/reply", ["text": text])
            #expect(page.status == .unprocessableContent)
            #expect(page.element(id: "f-text-error") == "Write your message first.")
            #expect(page.contains("<h1><span class=\"ref\">\(ref)</span>"))
        }
        #expect(try await fixture.counts().messages == before.messages)
        #expect(try await fixture.counts().outbox == before.outbox)
    }

    @Test("a reply over 2,000 characters is refused with 422 and the typed text kept; 2,000 pass")
    func tooLong() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        let long = String(String(repeating: "Smoke&<fire>", count: 200).prefix(2_001))
        #expect(long.count == 2_001)
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/tickets/\(ref)")
            let page = try await browser.post("/portal/tickets/\(ref)/reply", ["text": long])
            #expect(page.status == .unprocessableContent)
            #expect(page.element(id: "f-text-error")?.contains("That is 2001 characters") == true)
            let escaped = long.replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            #expect(page.contains(">\(escaped)</textarea>"))
            #expect(try await fixture.ticket(ref).messages.count == 1)
            let fits = try await browser.post("/portal/tickets/\(ref)/reply", ["text": String(repeating: "y", count: 2_000)])
            #expect(fits.status == .seeOther)
        }
        #expect(try await fixture.ticket(ref).messages.count == 2)
    }

    @Test("a closed ticket takes no reply: 422, nothing added, nothing queued")
    func closed() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#close")
        let before = try await fixture.counts()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/tickets/\(ref)")
            let page = try await browser.post("/portal/tickets/\(ref)/reply", ["text": "Hello again, it broke."])
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("This ticket is closed."))
            #expect(!page.contains("action=\"/portal/tickets/\(ref)/reply\""))
            // The refusal says why and keeps what the customer typed.
            #expect(page.contains("This ticket is closed and takes no more replies."))
            #expect(page.contains("Hello again, it broke."))
        }
        #expect(try await fixture.counts().messages == before.messages)
        #expect(try await fixture.counts().outbox == before.outbox)
        #expect(try await fixture.ticket(ref).ticket.status == .closed)
    }

    @Test("a reply without the CSRF token is refused with 403 and adds nothing")
    func csrf() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        let before = try await fixture.counts()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/tickets/\(ref)")
            #expect(try await browser.post("/portal/tickets/\(ref)/reply", ["text": "Forged"], csrf: .none).status == .forbidden)
            #expect(
                try await browser.post("/portal/tickets/\(ref)/reply", ["text": "Forged"], csrf: .value("x")).status
                    == .forbidden)
        }
        #expect(try await fixture.counts().messages == before.messages)
        #expect(try await fixture.counts().outbox == before.outbox)
    }

    @Test("without a session a reply is sent to /portal and adds nothing")
    func needsSession() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.get("/portal")
            let page = try await browser.post("/portal/tickets/\(ref)/reply", ["text": "Who am I?"])
            #expect(page.status == .seeOther)
            #expect(page.location == "/portal")
        }
        #expect(try await fixture.ticket(ref).messages.count == 1)
    }

    @Test("the same form sent twice adds one message and notices it once")
    func sentTwice() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        let noticesBefore = try await fixture.outbox(.agentNotice).count
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            let submission = try #require(page.inputValue("submission"))
            #expect(submission.count >= 16)
            for _ in 0..<2 {
                let sent = try await browser.post(
                    "/portal/tickets/\(ref)/reply", ["text": "Are you there?", "submission": submission])
                #expect(sent.status == .seeOther)
            }
            // A second form on a fresh page is a new message.
            let again = try await browser.get("/portal/tickets/\(ref)")
            let next = try #require(again.inputValue("submission"))
            #expect(next != submission)
            try await browser.post("/portal/tickets/\(ref)/reply", ["text": "Are you there?", "submission": next])
        }
        let texts = try await fixture.ticket(ref).messages.map(\.visibleText)
        #expect(texts.filter { $0 == "Are you there?" }.count == 2)
        let notices = try await fixture.outbox(.agentNotice)
        #expect(notices.count == noticesBefore, "gathered into the notice not yet sent")
        #expect(PortalFixture.context(try #require(notices.last))["more_messages"] == "2")
    }
}
