import MIME
import MailModel
import Triage

/// One line of `postdesk parse --json`: the fields DESIGN.md lists, every one present (null when
/// empty), so other tools can rely on the shape.
struct ParseReport: Encodable {
    struct Address: Encodable {
        var name: String?
        var address: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(address, forKey: .address)
        }
        enum CodingKeys: String, CodingKey { case name, address }
    }

    struct File: Encodable {
        var filename: String?
        var contentType: String
        var size: Int
        var isInline: Bool
        var contentID: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(filename, forKey: .filename)
            try container.encode(contentType, forKey: .contentType)
            try container.encode(size, forKey: .size)
            try container.encode(isInline, forKey: .isInline)
            try container.encode(contentID, forKey: .contentID)
        }
        enum CodingKeys: String, CodingKey {
            case filename, contentType = "content_type", size, isInline = "inline", contentID = "content_id"
        }
    }

    /// `bounce`: the failed recipients and the Message-ID of the mail that bounced.
    struct Bounce: Encodable {
        struct Recipient: Encodable {
            var address: String
            var action: String
            var status: String?
            var diagnostic: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(address, forKey: .address)
                try container.encode(action, forKey: .action)
                try container.encode(status, forKey: .status)
                try container.encode(diagnostic, forKey: .diagnostic)
            }
            enum CodingKeys: String, CodingKey { case address, action, status, diagnostic }
        }
        var recipients: [Recipient]
        var originalMessageID: String?

        init(_ report: BounceReport) {
            recipients = report.recipients.map {
                Recipient(address: $0.address, action: $0.action, status: $0.status, diagnostic: $0.diagnostic)
            }
            originalMessageID = report.originalMessageID
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(recipients, forKey: .recipients)
            try container.encode(originalMessageID, forKey: .originalMessageID)
        }
        enum CodingKeys: String, CodingKey { case recipients, originalMessageID = "original_message_id" }
    }

    var file: String
    var error: String?
    var mail: ParsedMail?
    var analysis: MailAnalysis?

    init(file: String, error: String) {
        self.file = file
        self.error = error
    }

    init(file: String, mail: ParsedMail) {
        self.file = file
        self.mail = mail
        analysis = MailAnalysis.analyze(mail)
    }

    enum CodingKeys: String, CodingKey {
        case file, error, messageID = "message_id", inReplyTo = "in_reply_to", references, from, to, cc
        case replyTo = "reply_to", subject, date, text, html, visibleText = "visible_text", signature, kind
        case answerable, bounce, attachments
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(error, forKey: .error)
        let addresses = { (list: [EmailAddress]?) in (list ?? []).map { Address(name: $0.name, address: $0.address) } }
        try container.encode(mail?.messageID, forKey: .messageID)
        try container.encode(mail?.inReplyTo ?? [], forKey: .inReplyTo)
        try container.encode(mail?.references ?? [], forKey: .references)
        try container.encode(addresses(mail?.from), forKey: .from)
        try container.encode(addresses(mail?.to), forKey: .to)
        try container.encode(addresses(mail?.cc), forKey: .cc)
        try container.encode(addresses(mail?.replyTo), forKey: .replyTo)
        try container.encode(mail?.subject, forKey: .subject)
        try container.encode(mail?.date?.iso8601, forKey: .date)
        try container.encode(mail?.text, forKey: .text)
        try container.encode(mail?.html, forKey: .html)
        try container.encode(analysis?.reply.visibleText, forKey: .visibleText)
        try container.encode(analysis?.reply.signature, forKey: .signature)
        try container.encode(analysis?.classification.kind.rawValue, forKey: .kind)
        try container.encode(analysis?.classification.answerable, forKey: .answerable)
        try container.encode(analysis?.bounce.map(Bounce.init), forKey: .bounce)
        let files = (mail?.attachments ?? []).map {
            File(filename: $0.filename, contentType: $0.contentType, size: $0.size, isInline: $0.isInline, contentID: $0.contentID)
        }
        try container.encode(files, forKey: .attachments)
    }
}
