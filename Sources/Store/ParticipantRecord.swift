import Foundation
import GRDB

/// Someone taking part in a ticket. Mail from a participant that cites the ticket (a stored
/// Message-ID or the subject tag) joins it; mail from anyone else without a signed token opens a
/// ticket of its own. An agent's public answer goes to the customer with the `cc` participants in Cc.
public struct ParticipantRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "participant"

    public enum Role: String, Codable, Sendable {
        /// The ticket's customer: the one who gets confirmations, links and notices.
        case customer
        /// A colleague of the customer's: on the first mail's To/Cc, or added later.
        case cc
        /// One of our agents who worked on the ticket.
        case agent
    }

    public var id: Int64?
    public var ticketId: Int64
    public var email: String
    public var name: String?
    public var role: Role
    /// Who added them: `first-mail`, or the address of the customer or agent who did.
    public var addedBy: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, ticketId: Int64, email: String, name: String? = nil, role: Role, addedBy: String? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.ticketId = ticketId
        self.email = email
        self.name = name
        self.role = role
        self.addedBy = addedBy
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension StoreTransaction {
    /// At most this many participants on one ticket: a mail with thousands of Cc adds no more.
    public static let participantLimit = 50

    /// Adds `email` to the ticket's participants unless it is there already (a name fills a gap).
    /// Returns false when it was there, or the ticket is full.
    @discardableResult
    public func addParticipant(
        _ email: String, name: String?, role: ParticipantRecord.Role, to ticketID: Int64, addedBy: String?,
        at now: Date
    ) throws -> Bool {
        let name = name.flatMap { $0.isEmpty ? nil : $0 }
        if var existing = try participant(email, in: ticketID) {
            if existing.name == nil, let name {
                existing.name = name
                try existing.update(db)
            }
            return false
        }
        let count = try Int.fetchOne(
            db, SQLRequest(sql: "SELECT COUNT(*) FROM participant WHERE ticketId = ?", arguments: [ticketID], cached: true))
        guard (count ?? 0) < Self.participantLimit else { return false }
        var record = ParticipantRecord(ticketId: ticketID, email: email, name: name, role: role, addedBy: addedBy, createdAt: now)
        try record.insert(db)
        return true
    }

    /// Removes a `cc` participant; the customer and agents stay. Returns whether one was removed.
    @discardableResult
    public func removeParticipant(_ email: String, from ticketID: Int64) throws -> Bool {
        try db.execute(
            sql: "DELETE FROM participant WHERE ticketId = ? AND email = ? COLLATE NOCASE AND role = 'cc'",
            arguments: [ticketID, email])
        return db.changesCount > 0
    }

    public func participant(_ email: String, in ticketID: Int64) throws -> ParticipantRecord? {
        try ParticipantRecord.fetchOne(
            db,
            SQLRequest(
                sql: "SELECT * FROM participant WHERE ticketId = ? AND email = ? COLLATE NOCASE",
                arguments: [ticketID, email], cached: true))
    }

    /// The ticket's participants in the order they joined.
    public func participants(of ticketID: Int64) throws -> [ParticipantRecord] {
        try ParticipantRecord.filter(Column("ticketId") == ticketID).order(Column("id")).fetchAll(db)
    }
}
