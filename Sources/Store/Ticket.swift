import Foundation
import GRDB

/// A customer's request and its whole conversation.
public struct Ticket: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "ticket"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case new, open, pending, resolved, closed
        /// Resolved and closed tickets are finished; a customer's reply reopens them.
        public var isFinished: Bool { self == .resolved || self == .closed }
    }
    public enum Priority: String, Codable, Sendable, CaseIterable { case low, normal, high, urgent }
    public enum Source: String, Codable, Sendable { case email, portal }

    public var id: Int64?
    public var ref: String
    public var customerId: Int64
    public var subject: String
    public var status: Status
    public var priority: Priority
    public var assignee: String?
    public var source: Source
    public var createdAt: Date
    public var updatedAt: Date
    public var resolvedAt: Date?
    public var resolution: String?
    public var csatRating: Int?
    public var csatComment: String?
    /// The closed ticket that a reply reached, when that reply opened this one instead of reopening it.
    public var followUpOf: String?
    /// The ticket a stranger's mail referred to, when that mail opened this one (for agents to see).
    public var relatedTo: String?

    public enum Columns {
        static let ref = Column(CodingKeys.ref)
        static let updatedAt = Column(CodingKeys.updatedAt)
        static let status = Column(CodingKeys.status)
    }


    public init(
        id: Int64? = nil, ref: String, customerId: Int64, subject: String, status: Status, priority: Priority,
        assignee: String? = nil, source: Source, createdAt: Date, updatedAt: Date, resolvedAt: Date? = nil,
        resolution: String? = nil, csatRating: Int? = nil, csatComment: String? = nil, followUpOf: String? = nil,
        relatedTo: String? = nil
    ) {
        self.id = id
        self.ref = ref
        self.customerId = customerId
        self.subject = subject
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
        self.csatRating = csatRating
        self.csatComment = csatComment
        self.followUpOf = followUpOf
        self.relatedTo = relatedTo
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
