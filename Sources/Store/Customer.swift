import Foundation
import GRDB

/// Someone who writes to the helpdesk, known by address.
public struct Customer: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "customer"
    public var id: Int64?
    public var email: String
    public var name: String?
    public var createdAt: Date

    public enum Columns {
        static let email = Column(CodingKeys.email)
    }


    public init(
        id: Int64? = nil, email: String, name: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
