import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// Sign-in links, ticket links and signing out.
@Suite("Portal routes: sign-in links, ticket links, sign-out")
struct SignInRouteTests {
    @Test("the landing page does not spend a sign-in link; its POST does, with a safe session cookie")
    func loginLink() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        let token = try await fixture.loginToken(for: "ada@example.org")
        try await fixture.run { browser in
            for _ in 0..<2 {
                let landing = try await browser.get("/portal/login/\(token)")
                #expect(landing.status == .ok)
                #expect(landing.contains("Continue as <strong>ada@example.org</strong> to see your tickets"))
                #expect(landing.postForm(to: "/portal/login/\(token)") != nil)
                #expect(landing.setCookie("pd_session") == nil)
            }
            #expect(try await fixture.sessionCount() == 0)
            let done = try await browser.post("/portal/login/\(token)")
            #expect(done.status == .seeOther)
            #expect(done.location == "/portal/tickets")
            #expect(!(done.location ?? "").contains(token))
            let cookie = try #require(done.setCookie("pd_session"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/portal"))
            #expect(!cookie.contains("Secure"))
            #expect(cookie.contains("Max-Age=\(14 * 86_400)"))
            let session = try #require(browser.session)
            #expect(!session.contains(token))
            #expect(try await fixture.session(session)?.ticketId == nil)
            let list = try await browser.get("/portal/tickets")
            #expect(list.status == .ok)
            #expect(list.contains("Printer on fire"))
        }
        let signIns = try await fixture.events("portal.sign-in")
        #expect(signIns.count == 1)
        #expect(signIns.first?.actor == "ada@example.org")
        #expect(signIns.first?.detail == "sign-in link")
    }

    @Test("cookies are Secure when the portal's public address is https")
    func secureCookies() async throws {
        let fixture = try PortalFixture { $0.publicURL = "https://help.example.test/" }
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            let start = try await browser.get("/portal")
            #expect(start.setCookie("pd_csrf")?.contains("; Secure") == true)
            let token = try await fixture.loginToken(for: "ada@example.org")
            try await browser.get("/portal/login/\(token)")
            let done = try await browser.post("/portal/login/\(token)")
            let cookie = try #require(done.setCookie("pd_session"))
            #expect(cookie.contains("; Secure"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
        }
    }

    @Test("a sign-in link works once: the second POST gets 410 and a form to ask for a new link")
    func spentLink() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        let token = try await fixture.loginToken(for: "ada@example.org")
        try await fixture.run { browser in
            try await browser.get("/portal/login/\(token)")
            #expect(try await browser.post("/portal/login/\(token)").status == .seeOther)
            let again = browser.fresh()
            try await again.get("/portal/login/\(token)")
            let second = try await again.post("/portal/login/\(token)")
            #expect(second.status == .gone)
            #expect(second.contains("This sign-in link was already used"))
            #expect(second.postForm(to: "/portal/link") != nil)
            #expect(second.setCookie("pd_session") == nil)
            #expect(again.session == nil)
            // The landing page says so too.
            let landing = try await again.get("/portal/login/\(token)")
            #expect(landing.status == .gone)
        }
        #expect(try await fixture.sessionCount() == 1)
        #expect(try await fixture.events("portal.sign-in").count == 1)
    }

    @Test("an expired sign-in link gets 410 on its landing page and its POST")
    func expiredLink() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        let token = try await fixture.loginToken(for: "ada@example.org", lifetime: 1800)
        try await fixture.run { browser in
            #expect(try await browser.get("/portal/login/\(token)").status == .ok)
            fixture.clock.advance(1801)
            let landing = try await browser.get("/portal/login/\(token)")
            #expect(landing.status == .gone)
            #expect(landing.contains("This link has expired or is not valid any more"))
            #expect(landing.contains("action=\"/portal/link\""))
            let post = try await browser.post("/portal/login/\(token)")
            #expect(post.status == .gone)
            #expect(browser.session == nil)
        }
        #expect(try await fixture.sessionCount() == 0)
    }

    @Test("an unknown or forged token gets 404 with the form to ask for a link", arguments: [
        "forged", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func forgedLink(_ token: String) async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            for path in ["/portal/login/\(token)", "/portal/t/\(token)"] {
                let landing = try await browser.get(path)
                #expect(landing.status == .notFound)
                #expect(landing.contains("This link no longer works"))
                #expect(landing.postForm(to: "/portal/link") != nil)
                let post = try await browser.post(path)
                #expect(post.status == .notFound)
                #expect(post.contains("action=\"/portal/link\""))
            }
            #expect(browser.session == nil)
        }
        #expect(try await fixture.sessionCount() == 0)
    }

    @Test("a sign-in link's POST needs the CSRF token")
    func loginNeedsCSRF() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        let token = try await fixture.loginToken(for: "ada@example.org")
        try await fixture.run { browser in
            try await browser.get("/portal/login/\(token)")
            #expect(try await browser.post("/portal/login/\(token)", csrf: .none).status == .forbidden)
            #expect(browser.session == nil)
            // Refused, it was not spent.
            #expect(try await browser.post("/portal/login/\(token)").status == .seeOther)
        }
    }

    @Test("a sign-in link posted to the ticket-link route is refused without being spent")
    func loginTokenOnTicketRoute() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        let token = try await fixture.loginToken(for: "ada@example.org")
        try await fixture.run { browser in
            try await browser.get("/portal/login/\(token)")
            #expect(try await browser.post("/portal/t/\(token)").status == .notFound)
            #expect(browser.session == nil)
            // Posting it to the wrong route did not spend it.
            let status = try await browser.post("/portal/login/\(token)").status
            #expect(status == .seeOther)
        }
    }

    @Test("a ticket link opens a session limited to its ticket, and works more than once")
    func ticketLink() async throws {
        let fixture = try PortalFixture()
        let first = try await fixture.openTicket(subject: "Printer on fire")
        let second = try await fixture.openTicket(subject: "Scanner jammed")
        let token = try await fixture.ticketToken(for: first)
        try await fixture.run { browser in
            let landing = try await browser.get("/portal/t/\(token)")
            #expect(landing.status == .ok)
            #expect(landing.contains("to see your ticket <span class=\"ref\">\(first)</span>"))
            let done = try await browser.post("/portal/t/\(token)")
            #expect(done.status == .seeOther)
            #expect(done.location == "/portal/tickets/\(first)")
            let session = try #require(browser.session)
            #expect(try await fixture.session(session)?.ticketId == fixture.ticket(first).ticket.id)
            let list = try await browser.get("/portal/tickets")
            #expect(list.contains(first))
            #expect(!list.contains(second))
            #expect(!list.contains("Scanner jammed"))
            #expect(list.contains("only that ticket is shown"))
            #expect(list.contains("Page 1 of 1 · 1 ticket"))
            #expect(try await browser.get("/portal/tickets/\(first)").status == .ok)
            let other = try await browser.get("/portal/tickets/\(second)")
            #expect(other.status == .notFound)
            #expect(!other.contains("Scanner jammed"))
            // A limited session opens no new ticket: that needs a sign-in with the address.
            let before = try await fixture.counts().tickets
            let form = try await browser.get("/portal/new")
            #expect(form.contains("Sign in to open a ticket"))
            #expect(form.contains("action=\"/portal/link\""))
            #expect(!form.contains("action=\"/portal/new\""))
            let new = try await browser.post("/portal/new", ["subject": "Another one", "message": "A long enough message."])
            #expect(new.status == .forbidden)
            #expect(try await fixture.counts().tickets == before)
            // Signed in with this ticket, the link goes straight to it.
            let again = try await browser.get("/portal/t/\(token)")
            #expect(again.status == .seeOther)
            #expect(again.location == "/portal/tickets/\(first)")
            // The link is reusable: another browser signs in with it too.
            let other2 = browser.fresh()
            try await other2.get("/portal/t/\(token)")
            #expect(try await other2.post("/portal/t/\(token)").status == .seeOther)
            #expect(other2.session != nil)
        }
        #expect(try await fixture.sessionCount() == 2)
        #expect(try await fixture.events("portal.sign-in").map(\.detail) == ["ticket link", "ticket link"])
    }

    @Test("an expired ticket link gets 410")
    func expiredTicketLink() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        let token = try await fixture.ticketToken(for: ref, lifetime: 3600)
        fixture.clock.advance(3601)
        try await fixture.run { browser in
            let landing = try await browser.get("/portal/t/\(token)")
            #expect(landing.status == .gone)
            #expect(landing.contains("This link has expired"))
            #expect(try await browser.post("/portal/t/\(token)").status == .gone)
            #expect(browser.session == nil)
        }
    }

    @Test("signing out ends the session, needs the CSRF token, and the old cookie no longer works")
    func signOut() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            let session = try await browser.signIn(as: "ada@example.org", in: fixture)
            let list = try await browser.get("/portal/tickets")
            #expect(list.contains("action=\"/portal/logout\""))
            let refused = try await browser.post("/portal/logout", csrf: .none)
            #expect(refused.status == .forbidden)
            #expect(try await fixture.session(session) != nil)
            let out = try await browser.post("/portal/logout")
            #expect(out.status == .ok)
            #expect(out.contains("You are signed out"))
            let cleared = try #require(out.setCookie("pd_session"))
            #expect(cleared.hasPrefix("pd_session=;"))
            #expect(cleared.contains("Max-Age=0"))
            #expect(browser.session == nil)
            #expect(try await fixture.session(session) == nil)
            #expect(try await fixture.sessionCount() == 0)
            // A browser that kept the old cookie is signed out as well.
            let stale = browser.fresh(cookies: ["pd_session": session])
            let page = try await stale.get("/portal/tickets")
            #expect(page.status == .seeOther)
            #expect(page.location == "/portal")
            #expect(try await stale.get("/portal").status == .ok)
        }
        #expect(try await fixture.events("portal.sign-out").map(\.actor) == ["ada@example.org"])
    }

    @Test("a session slides while it is used and ends when it is not used for its lifetime")
    func sessionExpires() async throws {
        let fixture = try PortalFixture { $0.sessionLifetime = .seconds(7200) }
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            fixture.clock.advance(3700)
            #expect(try await browser.get("/portal/tickets").status == .ok)
            // 2 h 58 min after signing in, but only 1 h 57 min after the last use.
            fixture.clock.advance(7000)
            #expect(try await browser.get("/portal/tickets").status == .ok)
            fixture.clock.advance(7201)
            let page = try await browser.get("/portal/tickets")
            #expect(page.status == .seeOther)
            #expect(page.location == "/portal")
        }
    }
}
