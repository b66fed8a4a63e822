/// A rendered mail: what the outbox writes into an `OutgoingMail`.
public struct RenderedTemplate: Sendable, Hashable {
    /// One line, trimmed, without CR, LF or other control characters; never `Re:`-prefixed by the
    /// templates (the sender adds that when answering).
    public var subject: String
    /// The text body with `\n` line ends, ending in one newline.
    public var text: String
    /// The HTML body, or nil when the kind has no `html.mustache` (text-only mail).
    public var html: String?

    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}
