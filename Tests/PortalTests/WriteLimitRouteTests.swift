import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// The portal's flood guard: how many replies and new tickets one customer may send per window.
@Suite("Portal routes: write limits")
struct WriteLimitRouteTests {
    static let newTicket = [
        "subject": "Cannot log in", "message": "My password reset mail never arrives.", "priority": "high",
    ]

    @Test("past the limit a reply is refused with 429 and Retry-After, the typed text kept; after the window it goes")
    func replies() async throws {
        let fixture = try PortalFixture {
            $0.writesPerWindow = 2
            $0.writeWindow = .seconds(600)
        }
        let ref = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/tickets/\(ref)")
            for index in 0..<2 {
                let sent = try await browser.post("/portal/tickets/\(ref)/reply", ["text": "Reply number \(index)."])
                #expect(sent.status == .seeOther)
            }
            let refused = try await browser.post("/portal/tickets/\(ref)/reply", ["text": "One more <thing>."])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.header("Retry-After") == "600")
            #expect(refused.contains("You have sent 2 messages from the portal in the last 10 minutes"))
            #expect(refused.contains(">One more &lt;thing&gt;.</textarea>"))
            #expect(refused.isHTML)
            fixture.clock.advance(601)
            let later = try await browser.post("/portal/tickets/\(ref)/reply", ["text": "One more <thing>."])
            #expect(later.status == .seeOther)
        }
        #expect(try await fixture.ticket(ref).messages.count == 4)
    }

    @Test("replies and new tickets share the limit, per customer; a refused new ticket keeps its fields")
    func newTickets() async throws {
        let fixture = try PortalFixture { $0.writesPerWindow = 2 }
        let ref = try await fixture.openTicket()
        try await fixture.openTicket(from: "Bob <bob@example.org>", subject: "Bob's router")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/new")
            #expect(try await browser.post("/portal/tickets/\(ref)/reply", ["text": "A reply."]).status == .seeOther)
            #expect(try await browser.post("/portal/new", Self.newTicket).status == .seeOther)
            let refused = try await browser.post("/portal/new", Self.newTicket)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.header("Retry-After") == "600")
            #expect(refused.contains("You have sent 2 messages"))
            #expect(refused.inputValue("subject") == "Cannot log in")
            #expect(refused.contains(">My password reset mail never arrives.</textarea>"))
            #expect(refused.contains("<option value=\"high\" selected>High</option>"))
            // Another customer has a count of their own.
            let bob = browser.fresh()
            try await bob.signIn(as: "bob@example.org", in: fixture)
            try await bob.get("/portal/new")
            #expect(try await bob.post("/portal/new", Self.newTicket).status == .seeOther)
        }
        #expect(try await fixture.counts().tickets == 4)
    }

    @Test("a refused form does not count against the limit")
    func invalidFormsDoNotCount() async throws {
        let fixture = try PortalFixture { $0.writesPerWindow = 1 }
        let ref = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            try await browser.get("/portal/tickets/\(ref)")
            for _ in 0..<3 {
                #expect(try await browser.post("/portal/tickets/\(ref)/reply", ["text": " "]).status == .unprocessableContent)
            }
            #expect(try await browser.post("/portal/tickets/\(ref)/reply", ["text": "Now for real."]).status == .seeOther)
        }
    }
}
