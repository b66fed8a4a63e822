import Foundation
import GRDB

/// An address that automated mail must not go to until `until`: it bounced (a permanent delivery
/// failure), so writing to it again would only feed more bounces.
public struct SuppressionRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "suppression"
    public var address: String
    public var reason: String
    public var createdAt: Date
    public var until: Date

    public init(address: String, reason: String, createdAt: Date, until: Date) {
        self.address = address
        self.reason = reason
        self.createdAt = createdAt
        self.until = until
    }
}

extension StoreTransaction {
    /// Suppresses automated mail to `address` until `until`; a later bounce extends the period.
    public func markUndeliverable(_ address: String, reason: String, until: Date, at now: Date) throws {
        try SuppressionRecord(address: address.lowercased(), reason: reason, createdAt: now, until: until)
            .upsert(db)
    }

    /// The suppression in force for `address` at `now`, if any.
    public func suppression(of address: String, at now: Date) throws -> SuppressionRecord? {
        try SuppressionRecord.fetchOne(
            db,
            SQLRequest(
                sql: "SELECT * FROM suppression WHERE address = ? COLLATE NOCASE AND until > ?",
                arguments: [address, now], cached: true))
    }
}
