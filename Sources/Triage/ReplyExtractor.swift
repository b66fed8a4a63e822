import MIME

/// The new part of a reply and its signature, cut from the whole text.
public struct ExtractedReply: Sendable, Hashable {
    /// What the author just wrote.
    public var visibleText: String
    /// The signature block, or nil.
    public var signature: String?

    public init(visibleText: String, signature: String?) {
        self.visibleText = visibleText
        self.signature = signature
    }
}

/// Finds what the author of a reply wrote, without quoted history, forwarded history and signature.
///
/// With HTML, the body is first cut at the quote container of the sending client (see
/// `HTMLText.htmlBeforeQuotedHistory`) and the rest turned into text; otherwise, or when that leaves
/// nothing, the text rules of `ReplyScanner` apply to the whole text. When the rules would leave no
/// text at all (a mail that is only a quote, a forward without comment), the whole text is the
/// message and is kept. Pure and linear in the size of the mail.
public enum ReplyExtractor {
    /// The line Postdesk puts above the history in its mails; a reply is cut where it appears.
    /// Translations and the usual variants of other systems are recognised too.
    public static let replyAboveMarker = "-- reply above this line --"

    public static func extract(text: String, html: String? = nil) -> ExtractedReply {
        if let html, let before = HTMLText.htmlBeforeQuotedHistory(html) {
            let reply = applyTextRules(to: HTMLText.plainText(fromHTML: before))
            if !reply.visibleText.isEmpty { return reply }
        }
        let reply = applyTextRules(to: text)
        if !reply.visibleText.isEmpty { return reply }
        return ExtractedReply(visibleText: ReplyScanner.trimmedText(text), signature: nil)
    }

    /// The text rules alone; the visible text may come out empty.
    static func applyTextRules(to text: String) -> ExtractedReply {
        let result = ReplyScanner.scan(text)
        return ExtractedReply(visibleText: result.visible, signature: result.signature)
    }
}
