import Foundation
import GRDB

/// The audit log: who did what, when (sign-ins, portal access, template edits, status changes).
public struct EventRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "event"
    public var id: Int64?
    public var at: Date
    public var actor: String
    public var action: String
    public var ticketId: Int64?
    public var detail: String?


    public init(
        id: Int64? = nil, at: Date, actor: String, action: String, ticketId: Int64? = nil, detail: String? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.ticketId = ticketId
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
