import Foundation
import GRDB

/// Every mail the gateway received, whatever became of it: the key of idempotent ingest.
public struct InboundMailRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "inboundMail"

    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// Opened a new ticket.
        case ticket
        /// Added a message to an existing ticket.
        case reply
        /// An automatic reply: recorded as a system event, nothing answered.
        case autoReply = "auto-reply"
        /// A delivery failure report.
        case bounce
        /// The same mail (same Message-ID and sender) was already received.
        case duplicate
        /// Deliberately not taken in (our own mail coming back, for example).
        case rejected
        /// Could not be read; kept with its reason.
        case quarantined
    }

    public var id: Int64?
    public var source: String
    public var uidValidity: Int64?
    public var sourceKey: String
    public var sha256: String
    public var messageId: String?
    public var outcome: Outcome
    public var reason: String?
    public var ticketId: Int64?
    public var rawPath: String
    public var size: Int
    public var receivedAt: Date
    /// When housekeeping removed the raw file at `rawPath` (`[storage] keep_raw_days`); nil while it is kept.
    public var rawPrunedAt: Date?

    public enum Columns {
        static let source = Column(CodingKeys.source)
        static let uidValidity = Column(CodingKeys.uidValidity)
        static let sourceKey = Column(CodingKeys.sourceKey)
        static let sha256 = Column(CodingKeys.sha256)
        static let messageId = Column(CodingKeys.messageId)
    }


    public init(
        id: Int64? = nil, source: String, uidValidity: Int64? = nil, sourceKey: String, sha256: String,
        messageId: String? = nil, outcome: Outcome, reason: String? = nil, ticketId: Int64? = nil, rawPath: String,
        size: Int, receivedAt: Date, rawPrunedAt: Date? = nil
    ) {
        self.id = id
        self.source = source
        self.uidValidity = uidValidity
        self.sourceKey = sourceKey
        self.sha256 = sha256
        self.messageId = messageId
        self.outcome = outcome
        self.reason = reason
        self.ticketId = ticketId
        self.rawPath = rawPath
        self.size = size
        self.receivedAt = receivedAt
        self.rawPrunedAt = rawPrunedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
