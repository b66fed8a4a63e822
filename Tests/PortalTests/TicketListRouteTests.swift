import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// The list of the customer's tickets: tabs, search, pages, and what each row shows.
@Suite("Portal routes: ticket list")
struct TicketListRouteTests {
    /// Ada's four tickets in each state (and one of Bob's that she must never see).
    struct Seeded {
        var new, pending, resolved, closed, bobs: String
    }

    func seed(_ fixture: PortalFixture) async throws -> Seeded {
        let new = try await fixture.openTicket(subject: "Printer on fire")
        let pending = try await fixture.openTicket(subject: "Scanner jammed", body: "The scanner ate my paper.")
        try await fixture.answer(pending, body: "Please restart it.")
        try await fixture.answer(pending, body: "#assign me")
        try await fixture.addNote("SECRET NOTE about the scanner", on: pending)
        try await fixture.answer(pending, body: "#note\nCustomer sounds upset, INTERNAL ONLY.")
        let resolved = try await fixture.openTicket(subject: "Invoice missing")
        try await fixture.answer(resolved, body: "#resolve Sent it again")
        let closed = try await fixture.openTicket(subject: "Old laptop")
        try await fixture.answer(closed, body: "#close")
        let bobs = try await fixture.openTicket(from: "Bob <bob@example.org>", subject: "Bob's router")
        return Seeded(new: new, pending: pending, resolved: resolved, closed: closed, bobs: bobs)
    }

    /// The list's rows, each as its HTML.
    func rows(_ page: Page) -> [String] {
        page.text.components(separatedBy: "<li class=\"ticket\">").dropFirst().map {
            $0.components(separatedBy: "</li>").first ?? $0
        }
    }

    func row(_ page: Page, _ ref: String) async throws -> String {
        try #require(rows(page).first { $0.contains(ref) }, "no row for \(ref)")
    }

    @Test("the list needs a session: without one it redirects to /portal")
    func needsSession() async throws {
        let fixture = try PortalFixture()
        try await fixture.run { browser in
            let page = try await browser.get("/portal/tickets")
            #expect(page.status == .seeOther)
            #expect(page.location == "/portal")
            let forged = browser.fresh(cookies: ["pd_session": "forged"])
            #expect(try await forged.get("/portal/tickets").location == "/portal")
        }
    }

    @Test("tabs All, Open and Resolved show the customer's tickets in those states, and no one else's")
    func tabs() async throws {
        let fixture = try PortalFixture()
        let seeded = try await seed(fixture)
        #expect(try await fixture.ticket(seeded.pending).ticket.status == .pending)
        #expect(try await fixture.ticket(seeded.resolved).ticket.status == .resolved)
        #expect(try await fixture.ticket(seeded.closed).ticket.status == .closed)
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let all = try await browser.get("/portal/tickets")
            #expect(all.status == .ok)
            #expect(rows(all).count == 4)
            for ref in [seeded.new, seeded.pending, seeded.resolved, seeded.closed] {
                #expect(rows(all).contains { $0.contains(ref) }, "\(ref) listed")
            }
            #expect(!all.contains(seeded.bobs))
            #expect(!all.contains("Bob&#39;s router"))
            #expect(all.contains("<a href=\"/portal/tickets\" aria-current=\"page\">All</a>"))
            #expect(all.contains("Page 1 of 1 · 4 tickets"))

            let open = try await browser.get("/portal/tickets?tab=open")
            #expect(rows(open).count == 2)
            #expect(open.contains(seeded.new) && open.contains(seeded.pending))
            #expect(!open.contains(seeded.resolved) && !open.contains(seeded.closed))
            #expect(open.contains("<a href=\"/portal/tickets?tab=open\" aria-current=\"page\">Open</a>"))
            #expect(open.contains("<input type=\"hidden\" name=\"tab\" value=\"open\">"))

            let resolved = try await browser.get("/portal/tickets?tab=resolved")
            #expect(rows(resolved).count == 2)
            #expect(resolved.contains(seeded.resolved) && resolved.contains(seeded.closed))
            #expect(!resolved.contains(seeded.new) && !resolved.contains(seeded.pending))

            // An unknown tab is read as All.
            #expect(rows(try await browser.get("/portal/tickets?tab=bogus")).count == 4)
        }
    }

    @Test("search finds tickets by subject and by reference, within the tab")
    func search() async throws {
        let fixture = try PortalFixture()
        let seeded = try await seed(fixture)
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let bySubject = try await browser.get("/portal/tickets?q=scanner")
            #expect(rows(bySubject).count == 1)
            #expect(bySubject.contains(seeded.pending))
            #expect(bySubject.inputValue("q") == "scanner")

            let byRef = try await browser.get("/portal/tickets?q=\(seeded.resolved)")
            #expect(rows(byRef).count == 1)
            #expect(byRef.contains(seeded.resolved))
            let byPartialRef = try await browser.get("/portal/tickets?q=\(seeded.closed.dropFirst(4).lowercased())")
            #expect(rows(byPartialRef).count == 1)
            #expect(byPartialRef.contains(seeded.closed))

            let inTab = try await browser.get("/portal/tickets?tab=open&q=invoice")
            #expect(rows(inTab).isEmpty)
            #expect(inTab.contains("No ticket matches “invoice”."))
            #expect(inTab.contains("Page 1 of 1 · 0 tickets"))

            // Wildcards are searched as text; other customers' tickets are never found.
            #expect(rows(try await browser.get("/portal/tickets?q=%25")).isEmpty)
            #expect(rows(try await browser.get("/portal/tickets?q=router")).isEmpty)
            #expect(rows(try await browser.get("/portal/tickets?q=\(seeded.bobs)")).isEmpty)
        }
    }

    @Test("each row shows reference, subject, status, assignee, last public message with sender, message count")
    func rowContent() async throws {
        let fixture = try PortalFixture()
        let seeded = try await seed(fixture)
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets")
            let pending = try await row(page, seeded.pending)
            #expect(pending.contains("<span class=\"ref\">\(seeded.pending)</span>"))
            #expect(pending.contains("<a href=\"/portal/tickets/\(seeded.pending)\">Scanner jammed</a>"))
            #expect(pending.contains("<span class=\"status status-pending\">Awaiting your reply</span>"))
            #expect(pending.contains("Handled by alice@example.test"))
            #expect(pending.contains("<p class=\"preview\"><strong>Alice Agent:</strong> Please restart it.</p>"))
            // Ada's mail and Alice's reply; the internal notes are neither counted nor previewed.
            #expect(pending.contains("2 messages"))
            #expect(!page.contains("SECRET NOTE"))
            #expect(!page.contains("INTERNAL ONLY"))

            let new = try await row(page, seeded.new)
            #expect(new.contains("<span class=\"status status-new\">New</span>"))
            #expect(new.contains("Not assigned yet"))
            #expect(new.contains("<strong>You:</strong> Hello, the printer is on fire. Please help."))
            #expect(new.contains("1 message ·"))

            #expect(try await row(page, seeded.resolved).contains("<span class=\"status status-resolved\">Resolved</span>"))
            #expect(try await row(page, seeded.closed).contains("<span class=\"status status-closed\">Closed</span>"))
            // Most recently updated first.
            #expect(rows(page).first?.contains(seeded.closed) == true)
        }
    }

    @Test("pages of 20 with the total count, and links that keep the tab and the search")
    func pagination() async throws {
        let fixture = try PortalFixture()
        try await fixture.openTickets(45) { "Billing question \($0)" }
        try await fixture.openTicket(subject: "Not about money")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            var seen = Set<String>()
            let first = try await browser.get("/portal/tickets?q=billing")
            #expect(rows(first).count == 20)
            #expect(first.contains("Page 1 of 3 · 45 tickets"))
            #expect(first.contains("<a href=\"/portal/tickets?q=billing&amp;page=2\" rel=\"next\">Next</a>"))
            #expect(!first.contains("rel=\"prev\""))
            let second = try await browser.get("/portal/tickets?q=billing&page=2")
            #expect(rows(second).count == 20)
            #expect(second.contains("Page 2 of 3 · 45 tickets"))
            #expect(second.contains("<a href=\"/portal/tickets?q=billing\" rel=\"prev\">Previous</a>"))
            #expect(second.contains("<a href=\"/portal/tickets?q=billing&amp;page=3\" rel=\"next\">Next</a>"))
            let third = try await browser.get("/portal/tickets?q=billing&page=3")
            #expect(rows(third).count == 5)
            #expect(third.contains("Page 3 of 3 · 45 tickets"))
            #expect(!third.contains("rel=\"next\""))
            for page in [first, second, third] {
                for row in rows(page) {
                    let ref = row.components(separatedBy: "<span class=\"ref\">")[1].components(separatedBy: "<")[0]
                    seen.insert(ref)
                }
            }
            #expect(seen.count == 45)
            // Without a search, all 46; the tab links start again at page 1.
            let all = try await browser.get("/portal/tickets?page=3")
            #expect(all.contains("Page 3 of 3 · 46 tickets"))
            #expect(rows(all).count == 6)
            #expect(all.contains("<a href=\"/portal/tickets?tab=open\">Open</a>"))
            let open = try await browser.get("/portal/tickets?tab=open&page=2")
            #expect(open.contains("<a href=\"/portal/tickets?tab=open&amp;page=3\" rel=\"next\">Next</a>"))
            // A page past the end sends the visitor to the last page.
            let past = try await browser.get("/portal/tickets?page=9")
            #expect(past.status == .seeOther)
            #expect(past.location == "/portal/tickets?page=3")
            // Odd page numbers are read leniently.
            #expect(try await browser.get("/portal/tickets?page=-4").contains("Page 1 of 3"))
            #expect(try await browser.get("/portal/tickets?page=abc").contains("Page 1 of 3"))
        }
    }
}
