import Foundation
import GRDB

/// A ticket asked for in the portal without signing in: it waits here until its author opens the
/// link mailed to the address they gave, which proves the address is theirs.
public struct PortalRequestRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "portalRequest"

    public var id: Int64?
    public var customerId: Int64
    public var subject: String
    public var text: String
    public var priority: Ticket.Priority
    public var createdAt: Date
    /// The ticket it became.
    public var ticketRef: String?

    public init(
        id: Int64? = nil, customerId: Int64, subject: String, text: String, priority: Ticket.Priority, createdAt: Date,
        ticketRef: String? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.subject = subject
        self.text = text
        self.priority = priority
        self.createdAt = createdAt
        self.ticketRef = ticketRef
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension StoreTransaction {
    public func addPortalRequest(_ request: PortalRequestRecord) throws -> PortalRequestRecord {
        var request = request
        try request.insert(db)
        return request
    }

    public func portalRequest(id: Int64) throws -> PortalRequestRecord? {
        try PortalRequestRecord.fetchOne(db, key: id)
    }

    public func save(_ request: PortalRequestRecord) throws {
        try request.update(db)
    }
}
