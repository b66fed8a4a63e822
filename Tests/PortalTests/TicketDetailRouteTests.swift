import Foundation
import Hummingbird
import Portal
import Store
import Testing

/// One ticket as its customer sees it, and its attachments.
@Suite("Portal routes: ticket detail and attachments")
struct TicketDetailRouteTests {
    static let pdf = "JVBERi0xLjQKJcfsj6IK"

    @Test("another customer's ticket gets the same 404 page as a reference that does not exist")
    func othersTicket() async throws {
        let fixture = try PortalFixture()
        try await fixture.openTicket()
        let bobs = try await fixture.openTicket(from: "Bob <bob@example.org>", subject: "Bob's router")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let theirs = try await browser.get("/portal/tickets/\(bobs)")
            let missing = try await browser.get("/portal/tickets/TKT-ZZZZZZ")
            #expect(theirs.status == .notFound)
            #expect(missing.status == .notFound)
            #expect(theirs.contains("Page not found"))
            #expect(theirs.text == missing.text)
            #expect(!theirs.contains("router"))
            // Writing to it is refused the same way, and changes nothing.
            let reply = try await browser.post("/portal/tickets/\(bobs)/reply", ["text": "Hijack"])
            #expect(reply.status == .notFound)
            #expect(reply.text == missing.text)
        }
        #expect(try await fixture.ticket(bobs).messages.count == 1)
    }

    @Test("the page shows the request, public answers, quoted history folded away, never internal notes")
    func conversation() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket(body: "Hello, the printer is on fire.\nPlease help.")
        try await fixture.answer(ref, body: "Please restart it.\n\nOn Tue, Ada wrote:\n> Hello, the printer is on fire.")
        try await fixture.addNote("SECRET NOTE: she called twice", on: ref)
        try await fixture.answer(ref, body: "#note\nINTERNAL ONLY: replace the fuser")
        try await fixture.answer(
            ref, from: "Ada Lovelace <ada@example.org>",
            body: "Thanks, that worked.\n\nOn Tue, Alice wrote:\n> Please restart it.")
        let stored = try await fixture.ticket(ref).messages
        #expect(stored.filter { $0.visibility == .internal }.count == 2)
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            #expect(page.status == .ok)
            #expect(page.contains("<h1><span class=\"ref\">\(ref)</span> Printer on fire</h1>"))
            #expect(page.contains("<h2 id=\"desc\">Your request</h2>"))
            #expect(page.contains("Hello, the printer is on fire.\nPlease help."))
            #expect(page.contains("<strong>Alice Agent (Postdesk)</strong>"))
            #expect(page.contains("<div class=\"body\">Please restart it.</div>"))
            #expect(page.contains("<div class=\"body\">Thanks, that worked.</div>"))
            // The quoted text is only inside <details>.
            let folded = page.text.components(separatedBy: "<details>").dropFirst()
                .map { $0.components(separatedBy: "</details>")[0] }
            #expect(folded.count == 1, "the agent's answer is shown as sent, without the quote it carried")
            #expect(!page.contains("On Tue, Ada wrote:"))
            #expect(folded.contains { $0.contains("&gt; Please restart it.") && $0.contains("Thanks, that worked.") })
            #expect(page.count("&gt; Please restart it.") == 1)
            #expect(!page.contains("SECRET NOTE"))
            #expect(!page.contains("INTERNAL ONLY"))
            #expect(!page.contains("replace the fuser"))
            #expect(page.postForm(to: "/portal/tickets/\(ref)/reply") != nil)
        }
        let views = try await fixture.events("portal.view")
        #expect(views.map(\.actor) == ["ada@example.org"])
        #expect(views.first?.detail == ref)
    }

    @Test("views are logged at most every ten minutes per session and ticket")
    func accessLog() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            for _ in 0..<3 { try await browser.get("/portal/tickets/\(ref)") }
            #expect(try await fixture.events("portal.view").count == 1)
            fixture.clock.advance(601)
            try await browser.get("/portal/tickets/\(ref)")
            #expect(try await fixture.events("portal.view").count == 2)
            let ticketID = try await fixture.ticket(ref).ticket.id
            #expect(try await fixture.events("portal.view").allSatisfy { $0.ticketId == ticketID })
        }
    }

    @Test("resolving and closing show in the conversation, with the resolution; a closed ticket takes no reply")
    func statusChanges() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket()
        try await fixture.answer(ref, body: "#resolve Replaced the fuser")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let resolved = try await browser.get("/portal/tickets/\(ref)")
            #expect(resolved.contains("The ticket was resolved."))
            #expect(resolved.contains("<h2 id=\"res\">Resolution</h2><div class=\"body\">Replaced the fuser</div>"))
            #expect(resolved.contains("<span class=\"status status-resolved\">Resolved</span>"))
            #expect(resolved.contains("A reply opens the ticket again."))
            #expect(resolved.contains("How did we do?"))
            try await fixture.answer(ref, body: "#close")
            let closed = try await browser.get("/portal/tickets/\(ref)")
            #expect(closed.contains("The ticket was resolved."))
            #expect(closed.contains("The ticket was closed."))
            #expect(closed.contains("<span class=\"status status-closed\">Closed</span>"))
            #expect(closed.contains("This ticket is closed."))
            #expect(!closed.contains("action=\"/portal/tickets/\(ref)/reply\""))
            try await fixture.answer(ref, body: "#reopen")
            #expect(try await browser.get("/portal/tickets/\(ref)").contains("The ticket was reopened."))
        }
    }

    @Test("markup in mail is shown as text, never run")
    func escaping() async throws {
        let fixture = try PortalFixture()
        let ref = try await fixture.openTicket(
            subject: "<b>Bold</b> \"quoted\"",
            body: "<script>alert(1)</script>\n<img src=x onerror=alert(2)>")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            #expect(!page.contains("<script>alert(1)"))
            #expect(!page.contains("<img src=x"))
            #expect(!page.contains("<b>Bold"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.contains("&lt;img src=x onerror=alert(2)&gt;"))
            #expect(page.contains("&lt;b&gt;Bold&lt;/b&gt; &quot;quoted&quot;"))
            let list = try await browser.get("/portal/tickets?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E")
            #expect(!list.contains("<script>alert(3)"))
            #expect(list.contains("&lt;script&gt;alert(3)&lt;/script&gt;"))
            let all = try await browser.get("/portal/tickets")
            #expect(!all.contains("<script>alert(1)"))
            #expect(all.contains("&lt;b&gt;Bold&lt;/b&gt;"))
        }
    }

    @Test("an own attachment downloads with its name and exact bytes")
    func download() async throws {
        let fixture = try PortalFixture()
        let mail = PortalFixture.withAttachment("See attached.", filename: "invoice.pdf", base64: Self.pdf)
        let ref = try await fixture.openTicket(body: mail.body, headers: mail.headers)
        let attachment = try await #require(fixture.ticket(ref).attachments.values.flatMap { $0 }.first)
        let id = try #require(attachment.id)
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            #expect(page.contains("<a href=\"/portal/attachments/\(id)\" download>invoice.pdf</a>"))
            let file = try await browser.get("/portal/attachments/\(id)")
            #expect(file.status == .ok)
            #expect(file.header("Content-Type") == "application/octet-stream")
            #expect(file.header("Content-Disposition") == "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf")
            #expect(file.header("Content-Disposition")?.hasPrefix("attachment; filename=") == true)
            #expect(file.header("Cache-Control") == "private, no-store")
            #expect(file.bytes == Array(try #require(Data(base64Encoded: Self.pdf))))
        }
        #expect(try await fixture.events("portal.download").map(\.detail) == ["attachment \(id)"])
    }

    @Test("a file name outside ASCII is kept in filename* and made safe in filename")
    func unicodeFilename() async throws {
        let fixture = try PortalFixture()
        var mail = PortalFixture.withAttachment("See attached.", filename: "x", base64: Self.pdf)
        mail.body = mail.body.replacingOccurrences(
            of: "Content-Disposition: attachment; filename=\"x\"",
            with: "Content-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%22final%22.pdf")
        let ref = try await fixture.openTicket(body: mail.body, headers: mail.headers)
        let attachment = try await #require(fixture.ticket(ref).attachments.values.flatMap { $0 }.first)
        #expect(attachment.filename == "Rechnung März \"final\".pdf")
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let file = try await browser.get("/portal/attachments/\(try #require(attachment.id))")
            #expect(file.status == .ok)
            #expect(
                file.header("Content-Disposition")
                    == "attachment; filename=\"Rechnung M_rz _final_.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%22final%22.pdf")
        }
    }

    @Test("another customer's attachment, an internal note's attachment and odd ids get 404")
    func refusedDownloads() async throws {
        let fixture = try PortalFixture()
        let adas = PortalFixture.withAttachment("See attached.", filename: "invoice.pdf", base64: Self.pdf)
        let ref = try await fixture.openTicket(body: adas.body, headers: adas.headers)
        let internalFile = PortalFixture.withAttachment("#note\nFor us only.", filename: "secret.pdf", base64: "c2VjcmV0")
        try await fixture.answer(ref, body: internalFile.body, headers: internalFile.headers)
        let files = try await fixture.ticket(ref).attachments.values.flatMap { $0 }
        let own = try #require(files.first { $0.filename == "invoice.pdf" }?.id)
        let secret = try #require(files.first { $0.filename == "secret.pdf" }?.id)
        let bobsMail = PortalFixture.withAttachment("Mine.", filename: "bob.pdf", base64: "Ym9i")
        let bobs = try await fixture.openTicket(from: "Bob <bob@example.org>", body: bobsMail.body, headers: bobsMail.headers)
        let bobsFile = try await #require(fixture.ticket(bobs).attachments.values.flatMap { $0 }.first?.id)
        try await fixture.run { browser in
            try await browser.signIn(as: "ada@example.org", in: fixture)
            let page = try await browser.get("/portal/tickets/\(ref)")
            #expect(!page.contains("secret.pdf"))
            #expect(!page.contains("/portal/attachments/\(secret)"))
            let missing = try await browser.get("/portal/attachments/999999")
            #expect(missing.status == .notFound)
            for id in [String(secret), String(bobsFile), "abc", "-1"] {
                let refused = try await browser.get("/portal/attachments/\(id)")
                #expect(refused.status == .notFound, "attachment \(id)")
                #expect(refused.text == missing.text)
                #expect(refused.header("Content-Disposition") == nil)
            }
            #expect(try await browser.get("/portal/attachments/\(own)").status == .ok)
            // Without a session: to the start page.
            let anonymous = browser.fresh()
            let redirected = try await anonymous.get("/portal/attachments/\(own)")
            #expect(redirected.status == .seeOther)
            #expect(redirected.location == "/portal")
            #expect(redirected.bytes.isEmpty)
        }
    }

    @Test("a session from a ticket link downloads only that ticket's attachments")
    func limitedSessionDownloads() async throws {
        let fixture = try PortalFixture()
        let first = PortalFixture.withAttachment("One.", filename: "one.pdf", base64: "b25l")
        let second = PortalFixture.withAttachment("Two.", filename: "two.pdf", base64: "dHdv")
        let one = try await fixture.openTicket(subject: "First", body: first.body, headers: first.headers)
        let two = try await fixture.openTicket(subject: "Second", body: second.body, headers: second.headers)
        let oneFile = try await #require(fixture.ticket(one).attachments.values.flatMap { $0 }.first?.id)
        let twoFile = try await #require(fixture.ticket(two).attachments.values.flatMap { $0 }.first?.id)
        let token = try await fixture.ticketToken(for: one)
        try await fixture.run { browser in
            try await browser.get("/portal/t/\(token)")
            try await browser.post("/portal/t/\(token)")
            #expect(try await browser.get("/portal/attachments/\(oneFile)").status == .ok)
            #expect(try await browser.get("/portal/attachments/\(twoFile)").status == .notFound)
        }
    }
}
