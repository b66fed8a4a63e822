import Foundation

/// A mail Postdesk sends, before it is written out as RFC 5322 bytes.
///
/// Every text here may come from users (names, subjects, bodies): the writer encodes it (RFC 2047 for
/// headers, quoted-printable for bodies) and never lets a CR or LF reach a header.
public struct OutgoingMail: Sendable, Hashable {
    /// One extra header field, e.g. `Auto-Submitted: auto-replied`.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The author as the recipient sees it, e.g. `"Alice via Support" <support@example.test>`.
    public var from: EmailAddress
    public var to: [EmailAddress]
    public var cc: [EmailAddress]
    public var replyTo: EmailAddress?
    public var subject: String
    /// Without angle brackets.
    public var messageID: String
    /// Without angle brackets.
    public var inReplyTo: String?
    /// Without angle brackets, oldest first.
    public var references: [String]
    public var date: Date
    public var text: String
    /// With `html`, the mail is multipart/alternative (text, then HTML).
    public var html: String?
    /// Further fields, written after the standard ones in this order.
    public var fields: [Field]

    public init(
        from: EmailAddress, to: [EmailAddress], cc: [EmailAddress] = [], replyTo: EmailAddress? = nil,
        subject: String, messageID: String, inReplyTo: String? = nil, references: [String] = [], date: Date,
        text: String, html: String? = nil, fields: [Field] = []
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.text = text
        self.html = html
        self.fields = fields
    }
}

/// Why a mail could not be sent, whose problem it is, and whether trying again may help.
///
/// A failure of the *message* (the server's 4xx or 5xx to its sender, recipients or content, an
/// address that cannot work) is that mail's alone: permanent, it becomes a dead letter; temporary, that
/// mail is tried again later. A failure of the *sender* (no connection, TLS, a refused login, the
/// server closing, a full disk) says nothing about the mail: every mail would fail the same way, so
/// the whole sender pauses until the server answers again, and no mail is charged with it.
public struct SendFailure: Error, Sendable, CustomStringConvertible {
    public enum Scope: String, Sendable { case message, sender }

    /// A permanent failure (5xx, a malformed address): retrying this mail cannot help.
    public var permanent: Bool
    public var scope: Scope
    /// The server's reply code, when there was one (e.g. 550).
    public var code: Int?
    /// What went wrong, on one line.
    public var reason: String

    /// `scope` defaults to the message for a permanent failure and to the sender for a temporary one.
    public init(permanent: Bool, scope: Scope? = nil, code: Int? = nil, reason: String) {
        self.permanent = permanent
        self.scope = scope ?? (permanent ? .message : .sender)
        self.code = code
        self.reason = reason
    }

    public var description: String {
        let kind = scope == .sender ? "sender" : permanent ? "permanent" : "temporary"
        return "\(kind) failure\(code.map { " \($0)" } ?? ""): \(reason)"
    }
}

/// Where outgoing mail goes: SMTP through libcurl, a folder of `.eml` files for the demo, or a test
/// double. The network edge of the outbound path.
public protocol MailSender: Sendable {
    /// Sends one rendered message (RFC 5322 bytes with CRLF line ends) to the envelope recipients.
    /// `envelopeFrom` empty means the null sender `<>`. Throws `SendFailure`.
    func send(_ message: [UInt8], envelopeFrom: String, recipients: [String]) async throws

    /// Whether the server takes mail again after a failure of the sender, without sending any: for
    /// SMTP a connection, the login and `NOOP`. Throws `SendFailure` when it does not.
    func probe() async throws
}

extension MailSender {
    /// Senders with nothing to ask (a folder, a test double) are ready whenever they are asked.
    public func probe() async throws {}
}
