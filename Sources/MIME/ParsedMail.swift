public import MailModel

/// A parsed mail: the top-level header fields read into values, the bodies and the attachments,
/// and the whole MIME tree for code that needs more (delivery reports, signatures).
public struct ParsedMail: Sendable {
    public var headers: HeaderFields
    /// Message-ID (RFC 5322 section 3.6.4) without angle brackets.
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    public var from: [EmailAddress]
    public var to: [EmailAddress]
    public var cc: [EmailAddress]
    public var replyTo: [EmailAddress]
    /// Unfolded and RFC 2047 decoded.
    public var subject: String?
    public var date: MailDate?
    /// The whole text body with `\n` line ends; derived from the HTML when there is only HTML;
    /// empty when there is no text at all.
    public var text: String
    /// The HTML body, or nil.
    public var html: String?
    public var attachments: [Attachment]
    public var root: MIMEPart
    /// What was repaired while parsing, for logs.
    public var defects: [String]

    /// Reads a parsed MIME tree; `root` is the top-level entity with the message header fields.
    public init(root: MIMEPart, defects: [String] = []) {
        let headers = root.headers
        self.root = root
        self.headers = headers
        messageID = headers.unfolded("message-id").flatMap { MessageIDs.parse($0).first }
        inReplyTo = headers.unfolded("in-reply-to").map(MessageIDs.parse) ?? []
        references = headers.unfolded("references").map(MessageIDs.parse) ?? []
        from = headers.unfolded("from").map(AddressParser.parse) ?? []
        to = headers.unfolded("to").map(AddressParser.parse) ?? []
        cc = headers.unfolded("cc").map(AddressParser.parse) ?? []
        replyTo = headers.unfolded("reply-to").map(AddressParser.parse) ?? []
        subject = headers["subject"]
        date = headers.unfolded("date").flatMap(DateParser.parse)
        let selection = BodySelector.select(root)
        text = selection.text
        html = selection.html
        attachments = selection.attachments
        self.defects = defects
    }

    /// The mail inside a message/rfc822 part, read like a top-level mail.
    public static func embedded(in part: MIMEPart) -> ParsedMail? {
        part.message.map { ParsedMail(root: $0) }
    }
}
