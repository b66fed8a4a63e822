import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// New tickets and ratings.
@Suite("Portal routes: new tickets and ratings")
struct FormRouteTests {
    static let valid = [
        "subject": "Cannot log in", "message": "My password reset mail never arrives.",
        "description": "Tried twice today.", "priority": "high",
    ]

    @Test("GET /portal/new shows the form, Normal preselected; without a session it redirects")
    func form() async throws {
        let fixture = try PortalFixture()
        try await fixture.openTicket()
        try await fixture.run { browser in
            #expect(try await browser.get("/portal/new").location == "/portal")
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/new")
            #expect(page.status == .ok)
            #expect(page.postForm(to: "/portal/new") != nil)
            #expect(page.contains("<option value=\"normal\" selected>Normal</option>"))
            for name in ["subject", "message", "description", "priority", "submission"] {
                #expect(page.contains("name=\"\(name)\""), "field \(name)")
            }
        }
    }

    @Test("an invalid new ticket is refused with 422, the error by its field and the typed values kept", arguments: [
        ("subject", "ab", "f-subject-error", "The subject needs at least 3 characters."),
        ("subject", String(repeating: "s", count: 201), "f-subject-error", "The subject can have up to 200 characters."),
        ("message", "Too short", "f-message-error", "Tell us a little more: at least 10 characters."),
        ("priority", "critical", "f-priority-error", "Choose one of the priorities listed."),
    ])
    func invalid(_ field: String, _ value: String, _ errorID: String, _ error: String) async throws {
        let fixture = try PortalFixture()
        try await fixture.openTicket()
        let before = try await fixture.counts()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/new")
            var form = Self.valid
            form[field] = value
            let page = try await browser.post("/portal/new", form)
            #expect(page.status == .unprocessableContent)
            #expect(page.element(id: errorID) == error)
            #expect(page.contains("Please correct the fields marked below."))
            #expect(page.count("class=\"error\"") == 1)
            if field != "subject" { #expect(page.inputValue("subject") == "Cannot log in") }
            if field != "message" { #expect(page.contains(">My password reset mail never arrives.</textarea>")) }
            if field == "message" { #expect(page.contains(">Too short</textarea>")) }
            #expect(page.contains(">Tried twice today.</textarea>"))
            if field != "priority" { #expect(page.contains("<option value=\"high\" selected>High</option>")) }
        }
        #expect(try await fixture.counts().tickets == before.tickets)
        #expect(try await fixture.counts().outbox == before.outbox)
    }

    @Test("a valid new ticket opens through the ingestor: source portal, its priority, confirmation and notice queued")
    func open() async throws {
        let fixture = try PortalFixture()
        try await fixture.openTicket()
        let before = try await fixture.outbox()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/new")
            var form = Self.valid
            let submission: String = try #require(page.inputValue("submission"))
            form["submission"] = submission
            let done = try await browser.post("/portal/new", form)
            #expect(done.status == .seeOther)
            let location = try #require(done.location)
            #expect(location.hasPrefix("/portal/tickets/TKT-") && location.hasSuffix("?opened=1"))
            let ref = String(location.dropFirst("/portal/tickets/".count).dropLast("?opened=1".count))
            let shown = try await browser.get(location)
            #expect(shown.contains("Your ticket is open."))
            #expect(shown.contains("Cannot log in"))
            let detail = try await fixture.ticket(ref)
            #expect(detail.ticket.source == .portal)
            #expect(detail.ticket.priority == .high)
            #expect(detail.ticket.subject == "Cannot log in")
            #expect(detail.customer.email == "ada@example.org")
            #expect(detail.messages.count == 1)
            #expect(detail.messages.first?.visibleText.contains("My password reset mail never arrives.") == true)
            #expect(detail.messages.first?.visibleText.contains("Details:\nTried twice today.") == true)
            let queued = try await fixture.outbox().filter { row in !before.contains { $0.id == row.id } }
            let confirmation = try #require(queued.first { $0.kind == .confirmation })
            #expect(confirmation.recipient == "ada@example.org")
            #expect(confirmation.ticketId == detail.ticket.id)
            let notice = try #require(queued.first { $0.kind == .agentNotice })
            #expect(notice.recipient == "team@example.test")
            #expect(PortalFixture.context(notice)["event"] == "new-ticket")
            #expect(queued.count == 2)
            // The same form sent again opens nothing more.
            let again = try await browser.post("/portal/new", form)
            #expect(again.status == .seeOther)
            #expect(try await fixture.counts().tickets == 2)
        }
    }

    @Test("a new ticket without the CSRF token is refused with 403")
    func newTicketCSRF() async throws {
        let fixture = try PortalFixture()
        try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            #expect(try await browser.post("/portal/new", Self.valid, csrf: .none).status == .forbidden)
        }
        #expect(try await fixture.counts().tickets == 1)
    }

    @Test("a resolved ticket takes a rating and a comment")
    func rate() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#resolve Replaced the fuser")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            #expect(page.postForm(to: "/portal/tickets/\(ref)/rate") != nil)
            #expect(try await browser.post("/portal/tickets/\(ref)/rate", ["rating": "4"], csrf: .none).status == .forbidden)
            let long = try await browser.post(
                "/portal/tickets/\(ref)/rate", ["rating": "4", "comment": String(repeating: "c", count: 2_001)])
            #expect(long.status == .unprocessableContent)
            #expect(long.element(id: "rating-error") == "The comment can have up to 2,000 characters.")
            #expect(try await fixture.ticket(ref).ticket.csatRating == nil)
            let done = try await browser.post("/portal/tickets/\(ref)/rate", ["rating": "4", "comment": "Quick fix, thanks"])
            #expect(done.status == .seeOther)
            #expect(done.location == "/portal/tickets/\(ref)?rated=1#rt")
            let after = try await browser.get("/portal/tickets/\(ref)?rated=1")
            #expect(after.contains("Thank you for your rating."))
            #expect(after.contains("You rated this 4 of 5."))
            #expect(after.contains("value=\"4\" checked"))
        }
        let ticket = try await fixture.ticket(ref).ticket
        #expect(ticket.csatRating == 4)
        #expect(ticket.csatComment == "Quick fix, thanks")
        let rated = try await fixture.events("ticket.rated")
        #expect(rated.map(\.detail) == ["4 of 5"])
        #expect(rated.first?.actor == "ada@example.org")
    }

    @Test("an open ticket takes no rating, and a rating outside 1 to 5 is refused", arguments: [
        (false, "4", "You can rate a ticket once it is resolved."),
        (true, "7", "Choose a rating from 1 to 5."),
        (true, "0", "Choose a rating from 1 to 5."),
        (true, "", "Choose a rating from 1 to 5."),
        (true, "four", "Choose a rating from 1 to 5."),
    ])
    func refusedRating(_ resolved: Bool, _ rating: String, _ error: String) async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        if resolved { try await fixture.answer(ref, body: "#resolve Done") }
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/tickets/\(ref)")
            let page = try await browser.post("/portal/tickets/\(ref)/rate", ["rating": rating, "comment": "Hmm"])
            #expect(page.status == .unprocessableContent)
            if resolved {
                #expect(page.element(id: "rating-error") == error)
                #expect(page.contains(">Hmm</textarea>"))
            } else {
                // The ticket has no rating form while open, but the refusal still says why.
                #expect(page.contains(error))
            }
        }
        #expect(try await fixture.ticket(ref).ticket.csatRating == nil)
        #expect(try await fixture.events("ticket.rated").isEmpty)
    }

    @Test("a one-click rating link shows the choice preselected and stores nothing; its POST stores it")
    func ratingLink() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#resolve Replaced the fuser")
        let token = try await fixture.ticketToken(for: ref)
        try await fixture.run { browser in
            for _ in 0..<2 {
                let page = try await browser.get("/portal/t/\(token)/rate/5")
                #expect(page.status == .ok)
                #expect(page.contains("<input type=\"radio\" name=\"rating\" value=\"5\" checked required>"))
                #expect(page.count(" checked") == 1)
                #expect(page.postForm(to: "/portal/t/\(token)/rate") != nil)
            }
            #expect(try await fixture.ticket(ref).ticket.csatRating == nil)
            #expect(browser.session == nil)
            let odd = try await browser.get("/portal/t/\(token)/rate/9")
            #expect(odd.status == .ok)
            #expect(!odd.contains(" checked"))
            #expect(try await browser.post("/portal/t/\(token)/rate", ["rating": "9"]).status == .unprocessableContent)
            let done = try await browser.post("/portal/t/\(token)/rate", ["rating": "5"])
            #expect(done.status == .seeOther)
            #expect(done.location == "/portal/tickets/\(ref)?rated=1#rt")
            #expect(browser.session != nil)
            #expect(try await browser.get("/portal/tickets/\(ref)").contains("You rated this 5 of 5."))
        }
        #expect(try await fixture.ticket(ref).ticket.csatRating == 5)
        #expect(try await fixture.ticket(ref).ticket.csatComment == nil)
    }

    @Test("a rating link for a ticket reopened since stores nothing")
    func ratingLinkReopened() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#resolve Done")
        let token = try await fixture.ticketToken(for: ref)
        try await fixture.answer(ref, body: "#reopen")
        try await fixture.run { browser in
            let page = try await browser.get("/portal/t/\(token)/rate/5")
            #expect(page.postForm(to: "/portal/t/\(token)/rate") == nil)
            #expect(!page.contains("press Save"))
            #expect(page.contains("Not ready for a rating"))
            try await browser.get("/portal")
            #expect(try await browser.post("/portal/t/\(token)/rate", ["rating": "5"]).status == .unprocessableContent)
        }
        #expect(try await fixture.ticket(ref).ticket.csatRating == nil)
    }

    @Test("an expired or unknown rating link gets 410 and stores nothing")
    func expiredRatingLink() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#resolve Done")
        let token = try await fixture.ticketToken(for: ref, lifetime: 60)
        fixture.clock.advance(61)
        try await fixture.run { browser in
            #expect(try await browser.get("/portal/t/\(token)/rate/5").status == .gone)
            #expect(try await browser.get("/portal/t/forged/rate/5").status == .gone)
            try await browser.get("/portal")
            #expect(try await browser.post("/portal/t/\(token)/rate", ["rating": "5"]).status == .gone)
            #expect(browser.session == nil)
        }
        #expect(try await fixture.ticket(ref).ticket.csatRating == nil)
    }
}
