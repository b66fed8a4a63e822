import Foundation
import HTTPTypes
import Hummingbird
import Portal
import Store
import Synchronization
import Testing

/// What holds for every answer: security headers, CSRF tokens in every form, redirects that stay in
/// the portal, readable error pages. (`Browser` checks headers, forms and `Location` on every answer
/// of every suite; these tests visit each kind of answer on purpose.)
@Suite("Portal routes: security")
struct SecurityRouteTests {
    static let policy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func expectHeaders(_ page: Page, html: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.header("Content-Security-Policy") == Self.policy, sourceLocation: sourceLocation)
        #expect(page.header("Referrer-Policy") == "no-referrer", sourceLocation: sourceLocation)
        #expect(page.header("X-Content-Type-Options") == "nosniff", sourceLocation: sourceLocation)
        #expect(page.header("X-Frame-Options") == "DENY", sourceLocation: sourceLocation)
        if html {
            #expect(page.isHTML, sourceLocation: sourceLocation)
            #expect(page.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
        }
    }

    @Test("every kind of answer carries the security headers; pages are not cached, the stylesheet is")
    func headers() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.run { browser in
            let start = try await browser.get("/portal")
            expectHeaders(start, html: true)
            #expect(!Self.policy.contains("unsafe-inline") && !Self.policy.contains("script-src"))
            expectHeaders(try await browser.get("/"), html: false)
            expectHeaders(try await browser.get("/portal/tickets"), html: true)  // 303 to /portal
            expectHeaders(try await browser.get("/portal/nothing-here"), html: true)
            expectHeaders(try await browser.get("/portal/login/forged"), html: true)
            expectHeaders(try await browser.post("/portal/link", ["email": "x@example.org"], csrf: .none), html: true)
            let href = try #require(
                start.text.components(separatedBy: "<link rel=\"stylesheet\" href=\"").dropFirst().first?
                    .components(separatedBy: "\"").first)
            #expect(href.hasPrefix("/portal/static/portal-") && href.hasSuffix(".css"))
            let css = try await browser.get(href)
            #expect(css.status == .ok)
            expectHeaders(css, html: false)
            #expect(css.header("Content-Type") == "text/css; charset=utf-8")
            #expect(css.header("Cache-Control") == "public, max-age=31536000, immutable")
            #expect(css.contains("--primary:#1d4ed8"))
            let icon = try await browser.get("/favicon.ico")
            #expect(icon.status == .noContent)
            expectHeaders(icon, html: false)
            try await browser.signIn(as: "ada@example.org", in: fixture)
            expectHeaders(try await browser.get("/portal/tickets"), html: true)
            expectHeaders(try await browser.get("/portal/tickets/\(ref)"), html: true)
            expectHeaders(try await browser.get("/portal/new"), html: true)
        }
        let tooMany = try PortalFixture { $0.linkRequestsPerAddress = 0 }
        try await tooMany.run { browser in
            try await browser.get("/portal")
            let refused = try await browser.post("/portal/link", ["email": "ada@example.org"])
            #expect(refused.status == .tooManyRequests)
            expectHeaders(refused, html: true)
        }
    }

    @Test("the brand's logo and colour are served; publicly cached files set no cookie; the first page sets the CSRF cookie, once")
    func brandingAndCookies() async throws {
        let fixture = try PortalFixture {
            $0.productName = "Acme Help"
            $0.logo = PortalSettings.Logo(bytes: [0x89, 0x50, 0x4E, 0x47], contentType: "image/png")
            $0.primaryColor = BrandColor(hex: "#7c2d12") ?? .default
        }
        let href = Mutex("")
        try await fixture.run { browser in
            let page = try await browser.get("/portal")
            #expect(page.contains("<img src=\"/portal/static/logo\" alt=\"Acme Help\""))
            #expect(page.contains("<title>Sign in · Acme Help</title>"))
            href.withLock {
                $0 = page.text.components(separatedBy: "<link rel=\"stylesheet\" href=\"").dropFirst().first?
                    .components(separatedBy: "\"").first ?? ""
            }
        }
        try await fixture.run { browser in
            // A fresh browser: a cached stylesheet or logo carrying Set-Cookie would hand every
            // visitor behind the same cache one CSRF cookie.
            let css = try await browser.get(href.withLock { $0 })
            #expect(css.status == .ok)
            #expect(css.contains("--primary:#7c2d12"))
            #expect(css.setCookies.isEmpty)
            let logo = try await browser.get("/portal/static/logo")
            #expect(logo.status == .ok && logo.header("Content-Type") == "image/png")
            #expect(logo.bytes == [0x89, 0x50, 0x4E, 0x47])
            // HEAD answers like GET, without the body.
            let head = try await browser.send(.head, href.withLock { $0 }, body: nil)
            #expect(head.status == .ok && head.bytes.isEmpty)
            #expect(head.header("Content-Type") == "text/css; charset=utf-8")
            #expect(logo.setCookies.isEmpty)
            #expect(try await browser.get("/favicon.ico").setCookies.isEmpty)
            let first = try await browser.get("/portal")
            #expect(first.setCookies.count == 1 && first.setCookies[0].hasPrefix("pd_csrf="))
            #expect(try await browser.get("/portal").setCookies.isEmpty)
        }
    }

    @Test("every POST form on every page carries the visitor's CSRF token")
    func formsCarryTokens() async throws {
        let fixture = try PortalFixture { $0.anonymousTickets = true }
        let open = try await fixture.openTicket()
        let resolved = try await fixture.openTicket(subject: "Second")
        try await fixture.answer(resolved, body: "#resolve Done")
        let rateToken = try await fixture.ticketToken(for: resolved)
        let loginToken = try await fixture.loginToken(for: "ada@example.org")
        try await fixture.run { browser in
            var pages: [String: Page] = [:]
            for path in [
                "/portal", "/portal/request", "/portal/login/\(loginToken)", "/portal/t/\(rateToken)",
                "/portal/t/\(rateToken)/rate/4", "/portal/login/forged",
            ] {
                pages[path] = try await browser.get(path)
            }
            try await browser.signIn(as: "ada@example.org", in: fixture)
            for path in ["/portal/tickets", "/portal/tickets/\(open)", "/portal/tickets/\(resolved)", "/portal/new"] {
                pages[path] = try await browser.get(path)
            }
            pages["422 new ticket"] = try await browser.post("/portal/new", ["subject": "x"])
            pages["422 reply"] = try await browser.post("/portal/tickets/\(open)/reply", ["text": ""])
            pages["signed out"] = try await browser.post("/portal/logout")
            let token = try #require(browser.csrf)
            var total = 0
            for (path, page) in pages {
                let posts = page.forms.filter { $0.contains("method=\"post\"") }
                total += posts.count
                for form in posts {
                    #expect(form.contains("<input type=\"hidden\" name=\"csrf\" value=\"\(token)\">"), "\(path)")
                }
            }
            // Sign-in, request, landings, rating link, 410 page, list (sign-out), detail (reply, rating, sign-out), ...
            #expect(total >= 16)
            #expect(pages["/portal/tickets/\(resolved)"]?.forms.filter { $0.contains("method=\"post\"") }.count == 3)
        }
    }

    @Test("redirects never leave the portal, whatever the request asks for")
    func openRedirects() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#resolve Done")
        try await fixture.run { browser in
            let token = try await fixture.loginToken(for: "ada@example.org")
            try await browser.get("/portal/login/\(token)?next=https://evil.example")
            let login = try await browser.post("/portal/login/\(token)?next=https://evil.example&redirect=//evil.example")
            #expect(login.location == "/portal/tickets")
            let link = try await fixture.ticketToken(for: ref)
            let other = browser.fresh()
            try await other.get("/portal/t/\(link)?next=//evil.example")
            #expect(try await other.post("/portal/t/\(link)?next=//evil.example").location == "/portal/tickets/\(ref)")
            #expect(try await other.get("/portal/t/\(link)?return=http://evil.example").location == "/portal/tickets/\(ref)")
            let rated = try await other.post("/portal/t/\(link)/rate?next=https://evil.example", ["rating": "5"])
            #expect(rated.location == "/portal/tickets/\(ref)?rated=1#rt")
            for path in [
                "/portal/tickets/%2F%2Fevil.example", "/portal/tickets/%2F%2Fevil.example/reply",
                "/portal/t/%2F%2Fevil.example", "/portal/login/..%2F..%2Fevil.example",
            ] {
                let page = try await browser.post(path, ["text": "hello"])
                #expect(page.status == .notFound, "\(path)")
                #expect(page.location == nil)
                #expect(try await browser.get(path).location == nil)
            }
            for path in ["//evil.example", "//evil.example/portal", "/\\evil.example", "/portal/../evil"] {
                let page = try await browser.get(path)
                #expect(page.status == .notFound, "\(path)")
                #expect(page.location == nil, "\(path)")
            }
            #expect(try await browser.get("/?next=https://evil.example").location == "/portal")
            #expect(try await browser.post("/portal/logout?next=https://evil.example").location == nil)
            #expect(try await browser.get("/portal/tickets?next=https://evil.example").location == "/portal")
        }
    }

    @Test("an unknown route gets a readable 404 page, whatever the method", arguments: [
        ("GET", "/nothing"), ("GET", "/portal/nothing/deeper"), ("POST", "/portal/nothing"), ("DELETE", "/portal"),
        ("PUT", "/portal/tickets"), ("GET", "/portal/static/other.css"), ("GET", "/portal/static/logo"),
    ])
    func notFound(_ method: String, _ path: String) async throws {
        let fixture = try PortalFixture()
        try await fixture.run { browser in
            let page = try await browser.send(try #require(HTTPRequest.Method(method)), path, body: nil)
            #expect(page.status == .notFound)
            #expect(page.isHTML)
            #expect(page.contains("<!doctype html>"))
            #expect(page.contains("<h1>Page not found</h1>"))
            #expect(page.contains("<a href=\"/portal\">Go to the start page</a>"))
            expectHeaders(page, html: true)
        }
    }

    @Test("a form larger than the portal takes is refused with a readable 413 page")
    func tooLarge() async throws {
        let fixture = try PortalFixture()
        try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.get("/portal")
            let page = try await browser.post("/portal/link", ["email": String(repeating: "a", count: 70_000) + "@example.org"])
            #expect(page.status.code >= 400 && page.status.code < 500)
            expectHeaders(page, html: true)
            // The body limit gets its own page, not "this form could not be read".
            #expect(page.status == .contentTooLarge)
            #expect(page.contains("That was too much"))
        }
        #expect(try await fixture.outbox(.magicLink).isEmpty)
    }

    @Test("the session's token never shows in a page, and a forged session cookie is worth nothing")
    func sessionSecrecy() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.run { browser in
            let session = try await browser.signIn(as: "ada@example.org", in: fixture)
            for path in ["/portal/tickets", "/portal/tickets/\(ref)", "/portal/new"] {
                #expect(!(try await browser.get(path)).contains(session))
            }
            let forged = String(session.dropLast()) + (session.hasSuffix("A") ? "B" : "A")
            let forger = browser.fresh(cookies: ["pd_session": forged])
            #expect(try await forger.get("/portal/tickets").location == "/portal")
            #expect(try await forger.get("/portal/tickets/\(ref)").location == "/portal")
        }
    }
}
