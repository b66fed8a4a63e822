import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// Who wrote each message of a ticket, as its customer sees it.
@Suite("Portal routes: message authors")
struct MessageAuthorRouteTests {
    @Test("the signed-in customer's own messages say You, whatever the case of the address")
    func ownMessages() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "Please restart it.")
        try await fixture.answer(ref, from: "Ada Lovelace <ADA@Example.org>", body: "Restarted, it works now.")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            #expect(page.status == .ok)
            #expect(page.count("<strong>You</strong>") == 2)
            #expect(page.contains("<strong>Alice Agent (Postdesk)</strong>"))
            #expect(!page.contains("<strong>Ada Lovelace</strong>"))
        }
    }

    @Test("a colleague copied on the ticket shows by their name, or their address when the mail gave none")
    func colleague() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket(headers: ["Cc: Grace Hopper <grace@example.org>, bob@example.org"])
        try await fixture.answer(ref, from: "Grace Hopper <grace@example.org>", body: "Same here on the third floor.")
        try await fixture.answer(ref, from: "bob@example.org", body: "And in the basement.")
        let kinds = try await fixture.ticket(ref).messages.map(\.kind)
        #expect(kinds == [.customer, .customer, .customer])
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            #expect(page.status == .ok)
            #expect(page.count("<strong>You</strong>") == 1)
            #expect(page.contains("<strong>Grace Hopper</strong>"))
            #expect(page.contains("<strong>bob@example.org</strong>"))
            // Colleagues' messages are customers' messages: not styled as the support team's.
            #expect(page.count("class=\"entry agent\"") == 0)
            // The list names the last writer the same way.
            let list = try await browser.get("/portal/tickets")
            #expect(list.contains("<strong>bob@example.org:</strong>"))
            #expect(!list.contains("<strong>You:</strong>"))
        }
    }
}
