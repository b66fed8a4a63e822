import Foundation
import HTTPTypes
import Hummingbird
import Portal
import Store
import Testing

/// The start page and asking for a sign-in link.
@Suite("Portal routes: start page and link requests")
struct LinkRequestRouteTests {
    @Test("GET /portal shows the email form with a CSRF token and sets the CSRF cookie")
    func startPage() async throws {
        let fixture = try PortalFixture()
        try await fixture.run { browser in
            let page = try await browser.get("/portal")
            #expect(page.status == .ok)
            #expect(page.postForm(to: "/portal/link") != nil)
            #expect(page.contains("name=\"email\" type=\"email\""))
            #expect(page.contains("mailto:support@example.test"))
            #expect(!(page.csrf ?? "").isEmpty)
            let cookie = try #require(page.setCookie("pd_csrf"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/portal"))
            // A second visit keeps the cookie and so the same token.
            let again = try await browser.get("/portal")
            #expect(again.setCookie("pd_csrf") == nil)
            #expect(again.csrf == page.csrf)
        }
    }

    @Test("GET / sends the visitor to /portal")
    func root() async throws {
        let fixture = try PortalFixture()
        try await fixture.run { browser in
            let page = try await browser.get("/")
            #expect(page.status == .seeOther)
            #expect(page.location == "/portal")
        }
    }

    @Test("a signed-in visitor of /portal is sent to /portal/tickets")
    func signedInStartPage() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal")
            #expect(page.status == .seeOther)
            #expect(page.location == "/portal/tickets")
        }
    }

    @Test("a known and an unknown address get the same answer; only the known one gets a link")
    func sameAnswer() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        let before = try await fixture.outbox(.magicLink).count
        try await fixture.run { browser in
            try await browser.get("/portal")
            let known = try await browser.post("/portal/link", ["email": "ada@example.org"])
            let unknown = try await browser.post("/portal/link", ["email": "eve@example.org"])
            #expect(known.status == .ok)
            #expect(unknown.status == .ok)
            #expect(known.contains("Check your email"))
            #expect(known.contains("ada@example.org"))
            #expect(unknown.contains("eve@example.org"))
            let knownText = known.text.replacingOccurrences(of: "ada@example.org", with: "")
            let unknownText = unknown.text.replacingOccurrences(of: "eve@example.org", with: "")
            #expect(knownText == unknownText)
            // The lookup and the mail come after the answer; the mailer queues the known one only.
            await fixture.linkRequestsHandled()
            #expect(try await fixture.outbox(.magicLink).count == before + 1)
        }
        let links = try await fixture.outbox(.magicLink)
        #expect(links.count == before + 1)
        #expect(links.last?.recipient == "ada@example.org")
        #expect(links.allSatisfy { $0.recipient != "eve@example.org" })
        #expect(try await fixture.database.read { try $0.customer(email: "eve@example.org") } == nil)
    }

    @Test("an address is matched without regard to case")
    func caseInsensitive() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.get("/portal")
            let page = try await browser.post("/portal/link", ["email": "  ADA@Example.org "])
            #expect(page.status == .ok)
        }
        #expect(try await fixture.outbox(.magicLink).map(\.recipient) == ["ada@example.org"])
    }

    @Test("an invalid address is refused with 422, the error next to the field and the typed value kept", arguments: [
        "", "ada", "ada@example", "ada @example.org", "<ada@example.org>", "a,b@example.org",
    ])
    func invalidAddress(_ email: String) async throws {
        let fixture = try PortalFixture()
        try await fixture.run { browser in
            try await browser.get("/portal")
            let page = try await browser.post("/portal/link", ["email": email])
            #expect(page.status == .unprocessableContent)
            #expect(page.element(id: "f-email-error") == "Enter an email address, like name@example.com.")
            #expect(page.contains("aria-invalid=\"true\" aria-describedby=\"f-email-error\""))
            let escaped = email.trimmingCharacters(in: .whitespaces)
                .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            #expect(page.inputValue("email") == escaped)
        }
        #expect(try await fixture.outbox(.magicLink).isEmpty)
    }

    @Test("links asked too often for one address are refused with 429 and Retry-After")
    func perAddressLimit() async throws {
        let fixture = try PortalFixture { $0.linkRequestsPerAddress = 2 }
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.get("/portal")
            for _ in 0..<2 {
                #expect(try await browser.post("/portal/link", ["email": "ada@example.org"]).status == .ok)
            }
            let refused = try await browser.post("/portal/link", ["email": "Ada@Example.org"])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.header("Retry-After") == "3600")
            #expect(refused.contains("Please wait a little"))
            // Another address is still served.
            #expect(try await browser.post("/portal/link", ["email": "bob@example.org"]).status == .ok)
        }
        #expect(try await fixture.outbox(.magicLink).count == 2)
    }

    @Test("links asked too often from one client are refused with 429 and Retry-After")
    func perClientLimit() async throws {
        let fixture = try PortalFixture { $0.linkRequestsPerClient = 3 }
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.get("/portal")
            for name in ["one", "two", "three"] {
                #expect(try await browser.post("/portal/link", ["email": "\(name)@example.org"]).status == .ok)
            }
            let refused = try await browser.post("/portal/link", ["email": "ada@example.org"])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.header("Retry-After") == "3600")
            // The limit is per client, not per cookie: a fresh browser from the same address is refused too.
            let other = browser.fresh()
            try await other.get("/portal")
            #expect(try await other.post("/portal/link", ["email": "ada@example.org"]).status == .tooManyRequests)
        }
        #expect(try await fixture.outbox(.magicLink).isEmpty)
    }

    @Test("behind a trusted proxy the client is the one X-Forwarded-For names; from anyone else the header is ignored")
    func trustedProxies() async throws {
        let forwarded = HTTPField.Name("X-Forwarded-For")!
        let behindProxy = try PortalFixture {
            $0.linkRequestsPerClient = 2
            $0.trustedProxies = ["127.0.0.1"]
        }
        try await behindProxy.runLive { browser in
            browser.extraHeaders[forwarded] = "198.51.100.9, 203.0.113.5"
            try await browser.get("/portal")
            for name in ["one", "two"] {
                #expect(try await browser.post("/portal/link", ["email": "\(name)@example.org"]).status == .ok)
            }
            #expect(try await browser.post("/portal/link", ["email": "three@example.org"]).status == .tooManyRequests)
            // Another client behind the same proxy has its own count.
            browser.extraHeaders[forwarded] = "203.0.113.6"
            #expect(try await browser.post("/portal/link", ["email": "three@example.org"]).status == .ok)
        }
        let direct = try PortalFixture { $0.linkRequestsPerClient = 2 }
        try await direct.runLive { browser in
            // Not from a trusted proxy: a client cannot dodge its limit by naming other addresses.
            try await browser.get("/portal")
            for (index, name) in ["one", "two", "three"].enumerated() {
                browser.extraHeaders[forwarded] = "203.0.113.\(index)"
                let status = try await browser.post("/portal/link", ["email": "\(name)@example.org"]).status
                #expect(status == (index < 2 ? .ok : .tooManyRequests))
            }
        }
    }

    @Test("the limits count an hour: after it, links can be asked for again")
    func limitWindow() async throws {
        let fixture = try PortalFixture { $0.linkRequestsPerAddress = 1 }
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.get("/portal")
            #expect(try await browser.post("/portal/link", ["email": "ada@example.org"]).status == .ok)
            #expect(try await browser.post("/portal/link", ["email": "ada@example.org"]).status == .tooManyRequests)
            fixture.clock.advance(3601)
            #expect(try await browser.post("/portal/link", ["email": "ada@example.org"]).status == .ok)
        }
        #expect(try await fixture.outbox(.magicLink).count == 2)
    }

    @Test("a link request without a valid CSRF token is refused with 403 and queues nothing")
    func csrf() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.get("/portal")
            let missing = try await browser.post("/portal/link", ["email": "ada@example.org"], csrf: .none)
            #expect(missing.status == .forbidden)
            #expect(missing.contains("This form has expired"))
            let wrong = try await browser.post("/portal/link", ["email": "ada@example.org"], csrf: .value("forged"))
            #expect(wrong.status == .forbidden)
            // A token that was valid for another browser's cookie does not work with ours.
            let other = browser.fresh()
            let otherToken = try #require(try await other.get("/portal").csrf)
            #expect(otherToken != browser.csrf)
            let stolen = try await browser.post("/portal/link", ["email": "ada@example.org"], csrf: .value(otherToken))
            #expect(stolen.status == .forbidden)
            // A token without the cookie it belongs to does not work either.
            let cookieless = browser.fresh()
            let noCookie = try await cookieless.post(
                "/portal/link", ["email": "ada@example.org"], csrf: .value(try #require(browser.csrf)))
            #expect(noCookie.status == .forbidden)
        }
        #expect(try await fixture.outbox(.magicLink).isEmpty)
    }
}
