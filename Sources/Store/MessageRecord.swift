import Foundation
import GRDB

/// One entry of a ticket's conversation: a customer's or an agent's mail, an internal note, or a
/// system event such as an auto-reply that was received.
public struct MessageRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "message"

    public enum Kind: String, Codable, Sendable { case customer, agent, note, system }
    public enum Visibility: String, Codable, Sendable { case `public`, `internal` }

    public var id: Int64?
    public var ticketId: Int64
    public var kind: Kind
    public var visibility: Visibility
    public var authorEmail: String?
    public var authorName: String?
    /// The whole decoded text.
    public var text: String
    /// What the author just wrote: quoted history and signature removed.
    public var visibleText: String
    public var html: String?
    /// The mail's Message-ID, without angle brackets.
    public var messageId: String?
    public var inReplyTo: String?
    /// The References ids, space-separated.
    public var references: String?
    public var inboundMailId: Int64?
    public var createdAt: Date
    /// The author's whole mail (text and HTML) when it differs from what the customer was sent, as
    /// for an agent's answer with its commands, quoted notice and signature: for agents only.
    public var fullText: String?
    public var fullHtml: String?

    public enum Columns {
        static let ticketId = Column(CodingKeys.ticketId)
        static let messageId = Column(CodingKeys.messageId)
        static let authorEmail = Column(CodingKeys.authorEmail)
        static let createdAt = Column(CodingKeys.createdAt)
    }


    public init(
        id: Int64? = nil, ticketId: Int64, kind: Kind, visibility: Visibility, authorEmail: String? = nil,
        authorName: String? = nil, text: String, visibleText: String, html: String? = nil, messageId: String? = nil,
        inReplyTo: String? = nil, references: String? = nil, inboundMailId: Int64? = nil, createdAt: Date,
        fullText: String? = nil, fullHtml: String? = nil
    ) {
        self.id = id
        self.ticketId = ticketId
        self.kind = kind
        self.visibility = visibility
        self.authorEmail = authorEmail
        self.authorName = authorName
        self.text = text
        self.visibleText = visibleText
        self.html = html
        self.messageId = messageId
        self.inReplyTo = inReplyTo
        self.references = references
        self.inboundMailId = inboundMailId
        self.createdAt = createdAt
        self.fullText = fullText
        self.fullHtml = fullHtml
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
