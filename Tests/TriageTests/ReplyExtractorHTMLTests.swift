import MIME
import Testing

@testable import Triage

/// One HTML reply body: the quote container of a client, cut before it is turned into text.
struct HTMLReplyFixture: Sendable, CustomTestStringConvertible {
    var name: String
    var html: String
    var testDescription: String { name }
}

@Suite("Reply extraction from HTML")
struct ReplyExtractorHTMLTests {
    static let reply: String = "<div dir=\"ltr\">Thanks, that works.</div>"
    static let history: String = "<p>Could you send the invoice again?</p>"

    static let containers: [HTMLReplyFixture] = wrap([
        (
            "Gmail",
            "<div class=\"gmail_quote\"><div class=\"gmail_attr\">On Mon, Ada wrote:<br></div>"
                + "<blockquote class=\"gmail_quote\">\(history)</blockquote></div>"
        ),
        ("Gmail 2024", "<div class=\"gmail_quote gmail_quote_container\">\(history)</div>"),
        (
            "Apple Mail",
            "<div><br><blockquote type=\"cite\"><div>On 5 Mar 2018, Ada wrote:</div>\(history)</blockquote></div>"
        ),
        (
            "Apple Mail attribution outside",
            "<div>On 5 Mar 2018, at 10:12, Ada &lt;ada@example.org&gt; wrote:</div>"
                + "<br class=\"Apple-interchange-newline\"><blockquote type=\"cite\">\(history)</blockquote>"
        ),
        (
            "Thunderbird",
            "<div class=\"moz-cite-prefix\">On 05.03.2018 10:12, Ada wrote:<br></div>"
                + "<blockquote type=\"cite\" cite=\"mid:1@example.org\">\(history)</blockquote>"
        ),
        (
            "Outlook web",
            "<div id=\"appendonsend\"></div><hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">"
                + "<div id=\"divRplyFwdMsg\" dir=\"ltr\"><b>From:</b> Ada<br><b>Sent:</b> Monday</div>\(history)"
        ),
        ("Outlook web reply of reply", "<hr><div id=\"x_divRplyFwdMsg\"><b>From:</b> Ada</div>\(history)"),
        (
            "Outlook desktop",
            "<div><div style=\"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm\">"
                + "<p class=\"MsoNormal\"><b>From:</b> Ada<br><b>Sent:</b> Monday</p></div></div>\(history)"
        ),
        (
            "Outlook 2010",
            "<div style='border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm'>"
                + "<p><b>Von:</b> Ada</p></div>\(history)"
        ),
        ("Outlook for Mac", "<div id=\"OLK_SRC_BODY_SECTION\"><b>From: </b>Ada</div>\(history)"),
        ("Outlook for iOS", "<div id=\"mail-editor-reference-message-container\"><b>From:</b> Ada</div>\(history)"),
        ("Windows Live", "<hr id=\"stopSpelling\">Date: Mon, 5 Mar 2018\(history)"),
        (
            "Yahoo",
            "<div id=\"yahoo_quoted_1234\" class=\"yahoo_quoted\"><div>On Monday, Ada wrote:</div>\(history)</div>"
        ),
        (
            "Proton Mail",
            "<div class=\"protonmail_quote\">On Monday, Ada wrote:<blockquote>\(history)</blockquote></div>"
        ),
        ("Zoho", "<div class=\"zmail_extra\"><div>---- On Mon, 05 Mar 2018 Ada wrote ----</div>\(history)</div>"),
    ])

    static func wrap(_ pairs: [(String, String)]) -> [HTMLReplyFixture] {
        pairs.map { HTMLReplyFixture(name: $0.0, html: "<html><body>\(reply)\($0.1)</body></html>") }
    }

    @Test(arguments: containers)
    func quoteContainers(_ fixture: HTMLReplyFixture) {
        let text = HTMLText.plainText(fromHTML: fixture.html)
        let reply = ReplyExtractor.extract(text: text, html: fixture.html)
        #expect(reply.visibleText == "Thanks, that works.")
    }

    @Test func signatureInsideHTMLReply() {
        let html = "<div>Thanks, that works.<br><br>-- <br>Ada</div><div class=\"gmail_quote\">\(Self.history)</div>"
        let reply = ReplyExtractor.extract(text: HTMLText.plainText(fromHTML: html), html: html)
        #expect(reply.visibleText == "Thanks, that works.")
        #expect(reply.signature == "--\nAda")
    }

    @Test func htmlWithoutContainerUsesTextRules() {
        let html = "<p>Thanks, that works.</p><p>From: Ada<br>Sent: Monday<br>To: Support<br>Subject: Invoice</p>"
        let reply = ReplyExtractor.extract(text: HTMLText.plainText(fromHTML: html), html: html)
        #expect(reply.visibleText == "Thanks, that works.")
    }

    @Test func bareHTMLForwardKeepsTheForward() {
        let html =
            "<div class=\"gmail_quote\">---------- Forwarded message ---------<br>From: Ada<br>"
            + "Date: Mon<br>Subject: Invoice<br><br>Could you send the invoice again?</div>"
        let text = HTMLText.plainText(fromHTML: html)
        let reply = ReplyExtractor.extract(text: text, html: html)
        #expect(reply.visibleText.contains("Could you send the invoice again?"))
    }

    @Test func markersInStylesAreNoContainers() {
        let html = "<style>.gmail_quote { color: grey }</style><p>Thanks, that works.</p>"
        #expect(HTMLText.htmlBeforeQuotedHistory(html) == nil)
    }

    @Test func quotePlainBlockquoteIsContent() {
        let html = "<p>You said:</p><blockquote>it is broken</blockquote><p>It is fixed now.</p>"
        #expect(HTMLText.htmlBeforeQuotedHistory(html) == nil)
    }
}
