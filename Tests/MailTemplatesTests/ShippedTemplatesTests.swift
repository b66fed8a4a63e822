import Foundation
import Testing

@testable import MailTemplates

@Suite struct ShippedTemplatesTests {
    let library: TemplateLibrary

    init() throws {
        library = try TemplateLibrary.load(from: TemplateFixtures.shippedFolder)
    }

    @Test func shippedTemplatesPassCheck() {
        #expect(TemplateLibrary.check(folder: TemplateFixtures.shippedFolder) == [])
        #expect(library.check() == [])
    }

    @Test(arguments: TemplateKind.allCases)
    func rendersSample(_ kind: TemplateKind) throws {
        let mail = try library.preview(kind)
        #expect(!mail.subject.isEmpty)
        #expect(!mail.subject.contains("\n") && !mail.subject.contains("\r"))
        #expect(!mail.subject.lowercased().hasPrefix("re:"))
        #expect(mail.text.hasSuffix("\n") && !mail.text.contains("{{") && !mail.text.contains("\r"))
        let html = try #require(mail.html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("name=\"viewport\""))
        #expect(!html.contains("{{") && !html.lowercased().contains("<script"))
        #expect(!html.contains("<style") && !html.contains("<link") && !html.contains("<img"))
        #expect(!html.contains("&amp;lt;"), "double escaping")
        // Only the text, never a variable, is written into the HTML of a sample without markup.
        #expect(mail.text.contains("Acme Support"))
    }

    @Test(arguments: TemplateKind.allCases.filter { $0 != .magicLink })
    func subjectCarriesTicketTag(_ kind: TemplateKind) throws {
        let mail = try library.preview(kind)
        #expect(mail.subject.hasPrefix("[TKT-7F3KQ9] "))
        #expect(mail.subject.contains("Invoice download fails with an error"))
    }

    @Test(arguments: TemplateFixtures.answeredKinds)
    func answeredMailStartsWithMarker(_ kind: TemplateKind) throws {
        let mail = try library.preview(kind)
        #expect(mail.text.split(separator: "\n").first == Substring(TemplateFixtures.marker))
        let html = try #require(mail.html)
        let body = try #require(html.range(of: "<body"))
        let afterBody = html[body.upperBound...]
        let marker = try #require(afterBody.range(of: TemplateFixtures.marker))
        #expect(!afterBody[..<marker.lowerBound].contains("<table"), "the marker comes before the content")
    }

    @Test(arguments: [TemplateKind.magicLink, .agentNotice])
    func mailNobodyAnswersHasNoMarker(_ kind: TemplateKind) throws {
        let mail = try library.preview(kind)
        #expect(!mail.text.contains(TemplateFixtures.marker))
        #expect(!(mail.html ?? "").contains(TemplateFixtures.marker))
    }

    @Test(arguments: TemplateKind.allCases)
    func customerNameIsInertInHTMLAndUnchangedInText(_ kind: TemplateKind) throws {
        var context = TemplateContext.sample(for: kind)
        let hostile = "<script>alert('x')</script> & Co {{portal_url}}"
        context.customer.name = hostile
        context.ticket?.subject = hostile
        context.reply = context.reply.map { _ in TemplateText("<b>bold</b>\n<script>alert(1)</script>") }
        context.message = context.message.map { _ in .init(from: hostile, text: "<img src=x onerror=alert(1)>") }
        let mail = try library.render(kind, context: context)
        let html = try #require(mail.html)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(mail.text.contains(hostile) || mail.subject.contains(hostile))
        if kind != .agentReply { #expect(mail.text.contains(hostile)) }
        if kind == .agentReply { #expect(mail.text.contains("<b>bold</b>\n<script>alert(1)</script>")) }
    }

    @Test func subjectIsOneTrimmedLine() throws {
        var context = TemplateContext.sample(for: .confirmation)
        context.ticket?.subject = "  Broken\r\nBcc: victim@example.com\tnow  "
        let mail = try library.render(.confirmation, context: context)
        #expect(mail.subject == "[TKT-7F3KQ9] Broken Bcc: victim@example.com now")
    }

    @Test func unknownNameGetsAFriendlyGreeting() throws {
        var context = TemplateContext.sample(for: .confirmation)
        context.customer.name = nil
        let mail = try library.render(.confirmation, context: context)
        #expect(mail.text.contains("Hello there,"))
        context.customer.name = ""
        #expect(try library.render(.confirmation, context: context).text.contains("Hello there,"))
    }

    @Test func optionalSectionsDisappear() throws {
        var context = TemplateContext.sample(for: .resolution)
        context.ratings = []
        context.resolution = nil
        let mail = try library.render(.resolution, context: context)
        #expect(!mail.text.contains("How did we do"))
        #expect(!(mail.html ?? "").contains("How did we do"))
        #expect(!mail.text.contains("\n\n\n"))
        let rated = try library.preview(.resolution)
        #expect(rated.text.contains("5 (Excellent): https://help.acme.example/rate/TKT-7F3KQ9/5?t=sample"))
        #expect(rated.html?.contains("aria-label=\"5 of 5: Excellent\"") == true)
    }

    @Test func agentNoticeTellsTheEvent() throws {
        var context = TemplateContext.sample(for: .agentNotice)
        #expect(try library.render(.agentNotice, context: context).subject.contains("New ticket"))
        context.event = .customerReply
        let reply = try library.render(.agentNotice, context: context)
        #expect(reply.subject.contains("Customer reply"))
        #expect(reply.text.contains("replied on ticket TKT-7F3KQ9"))
    }

    @Test func missingContextIsRefused() {
        let context = TemplateContext(
            site: TemplateContext.sampleSite, customer: .init(name: nil, email: "a@b.example"))
        #expect(throws: TemplateRenderError.missingContext(kind: .agentReply, sections: ["ticket", "agent", "reply"])) {
            try library.render(.agentReply, context: context)
        }
    }
}
