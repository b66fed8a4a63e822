import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// Tickets asked for without signing in (`anonymous_tickets`): kept as a request until the link mailed
/// to the address is used.
@Suite("Portal routes: requests without signing in")
struct RequestRouteTests {
    static let valid = [
        "name": "Eve Example", "email": "eve@example.org", "subject": "Where is my order?",
        "message": "Order 1234 has not arrived yet.", "priority": "urgent",
    ]

    /// Sends a valid request; returns its id, read from the magic-link mail it queued.
    func request(_ fixture: PortalFixture, _ browser: Browser) async throws -> Int64 {
        try await browser.get("/portal/request")
        let page = try await browser.post("/portal/request", Self.valid)
        #expect(page.status == .ok)
        let link = try #require(try await fixture.outbox(.magicLink).last)
        return try #require(PortalFixture.context(link)["request_id"].flatMap { Int64($0) })
    }

    @Test("with anonymous tickets off, /portal/request does not exist")
    func disabled() async throws {
        let fixture = try PortalFixture()
        try await fixture.run { browser in
            let start = try await browser.get("/portal")
            #expect(!start.contains("/portal/request"))
            let page = try await browser.get("/portal/request")
            #expect(page.status == .notFound)
            #expect(page.contains("Page not found"))
            #expect(try await browser.post("/portal/request", Self.valid).status == .notFound)
        }
        #expect(try await fixture.counts().outbox == 0)
        #expect(try await fixture.database.read { try $0.customer(email: "eve@example.org") } == nil)
    }

    @Test("with anonymous tickets on, the start page links to the request form")
    func form() async throws {
        let fixture = try PortalFixture { $0.anonymousTickets = true }
        try await fixture.run { browser in
            let start = try await browser.get("/portal")
            #expect(start.contains("<a href=\"/portal/request\">"))
            let page = try await browser.get("/portal/request")
            #expect(page.status == .ok)
            #expect(page.postForm(to: "/portal/request") != nil)
            for name in ["name", "email", "subject", "message", "description", "priority"] {
                #expect(page.contains("name=\"\(name)\""), "field \(name)")
            }
        }
    }

    @Test("an invalid request is refused with 422, errors by the fields and values kept; nothing stored")
    func invalid() async throws {
        let fixture = try PortalFixture { $0.anonymousTickets = true }
        try await fixture.run { browser in
            try await browser.get("/portal/request")
            let page = try await browser.post(
                "/portal/request",
                ["name": "Eve", "email": "not-an-address", "subject": "Hi", "message": "Short", "priority": "asap"])
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("Please correct the fields marked below."))
            #expect(page.element(id: "f-email-error") == "Enter an email address, like name@example.com.")
            #expect(page.element(id: "f-subject-error") == "The subject needs at least 3 characters.")
            #expect(page.element(id: "f-message-error") == "Tell us a little more: at least 10 characters.")
            #expect(page.element(id: "f-priority-error") == "Choose one of the priorities listed.")
            #expect(page.inputValue("name") == "Eve")
            #expect(page.inputValue("email") == "not-an-address")
            #expect(page.inputValue("subject") == "Hi")
            #expect(page.contains(">Short</textarea>"))
        }
        #expect(try await fixture.counts().outbox == 0)
        #expect(try await fixture.database.read { try $0.customer(email: "not-an-address") } == nil)
    }

    @Test("a valid request opens no ticket yet; it queues a link that carries the request")
    func valid() async throws {
        let fixture = try PortalFixture { $0.anonymousTickets = true }
        try await fixture.run { browser in
            try await browser.get("/portal/request")
            let page = try await browser.post("/portal/request", Self.valid)
            #expect(page.status == .ok)
            #expect(page.contains("Check your email"))
            #expect(page.contains("We sent a link to eve@example.org."))
            #expect(browser.session == nil)
        }
        #expect(try await fixture.counts().tickets == 0)
        let links = try await fixture.outbox(.magicLink)
        #expect(links.count == 1)
        let link = try #require(links.first)
        #expect(link.recipient == "eve@example.org")
        #expect(link.ticketId == nil)
        let context = PortalFixture.context(link)
        #expect(context["request_subject"] == "Where is my order?")
        let id = try #require(context["request_id"].flatMap { Int64($0) })
        let stored = try #require(try await fixture.database.read { try $0.portalRequest(id: id) })
        #expect(stored.subject == "Where is my order?")
        #expect(stored.priority == .urgent)
        #expect(stored.ticketRef == nil)
        #expect(try await fixture.customer("eve@example.org").name == "Eve Example")
    }

    @Test("the request's link, used, opens the ticket from the portal and signs its author in")
    func confirm() async throws {
        let fixture = try PortalFixture { $0.anonymousTickets = true }
        try await fixture.run { browser in
            let id = try await request(fixture, browser)
            let token = try await fixture.loginToken(for: "eve@example.org", requestID: id)
            let visitor = browser.fresh()
            let landing = try await visitor.get("/portal/login/\(token)")
            #expect(landing.status == .ok)
            #expect(landing.contains("confirm your request and open it"))
            #expect(try await fixture.counts().tickets == 0)
            let done = try await visitor.post("/portal/login/\(token)")
            #expect(done.status == .seeOther)
            let location = try #require(done.location)
            #expect(location.hasPrefix("/portal/tickets/TKT-") && location.hasSuffix("?opened=1"))
            let ref = String(location.dropFirst("/portal/tickets/".count).dropLast("?opened=1".count))
            let detail = try await fixture.ticket(ref)
            #expect(detail.ticket.source == .portal)
            #expect(detail.ticket.priority == .urgent)
            #expect(detail.ticket.subject == "Where is my order?")
            #expect(detail.customer.email == "eve@example.org")
            #expect(detail.messages.first?.visibleText == "Order 1234 has not arrived yet.")
            #expect(try await fixture.database.read { try $0.portalRequest(id: id) }?.ticketRef == ref)
            let queued = try await fixture.outbox().filter { $0.ticketId == detail.ticket.id }
            #expect(queued.contains { $0.kind == .confirmation && $0.recipient == "eve@example.org" })
            #expect(queued.contains { $0.kind == .agentNotice && $0.recipient == "team@example.test" })
            // Signed in, with all of the customer's tickets.
            let session = try #require(visitor.session)
            #expect(try await fixture.session(session)?.ticketId == nil)
            let list = try await visitor.get("/portal/tickets")
            #expect(list.status == .ok)
            #expect(list.contains(ref))
            #expect(try await fixture.events("portal.sign-in").map(\.detail) == ["request confirmed"])
        }
    }

    @Test("a request confirmed twice opens one ticket")
    func confirmTwice() async throws {
        let fixture = try PortalFixture { $0.anonymousTickets = true }
        try await fixture.run { browser in
            let id = try await request(fixture, browser)
            var locations: [String?] = []
            for _ in 0..<2 {
                let token = try await fixture.loginToken(for: "eve@example.org", requestID: id)
                let visitor = browser.fresh()
                try await visitor.get("/portal/login/\(token)")
                locations.append(try await visitor.post("/portal/login/\(token)").location)
            }
            #expect(locations[0] != nil)
            #expect(locations[0] == locations[1])
        }
        #expect(try await fixture.counts().tickets == 1)
    }

    @Test("requests are held to the link limits and need the CSRF token")
    func limits() async throws {
        let fixture = try PortalFixture {
            $0.anonymousTickets = true
            $0.linkRequestsPerAddress = 1
        }
        try await fixture.run { browser in
            try await browser.get("/portal/request")
            #expect(try await browser.post("/portal/request", Self.valid, csrf: .none).status == .forbidden)
            #expect(try await browser.post("/portal/request", Self.valid).status == .ok)
            let refused = try await browser.post("/portal/request", Self.valid)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.header("Retry-After") == "3600")
        }
        #expect(try await fixture.outbox(.magicLink).count == 1)
    }
}
