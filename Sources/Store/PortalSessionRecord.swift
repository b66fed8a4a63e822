import Foundation
import GRDB

/// A customer signed in to the portal. The cookie holds a random id; the database keeps its SHA-256.
/// A session opened from a ticket link is limited to that ticket.
public struct PortalSessionRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "portalSession"

    public var id: Int64?
    public var tokenHash: String
    public var customerId: Int64
    public var ticketId: Int64?
    public var createdAt: Date
    public var expiresAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension StoreTransaction {
    /// Starts a session and returns the id for the cookie: the only time it is seen.
    public func startSession(customerID: Int64, ticketID: Int64?, lifetime: TimeInterval, at now: Date) throws -> String {
        let token = AccessTokenRecord.makeToken()
        var record = PortalSessionRecord(
            tokenHash: AccessTokenRecord.hash(token), customerId: customerID, ticketId: ticketID, createdAt: now,
            expiresAt: now.addingTimeInterval(lifetime))
        try record.insert(db)
        return token
    }

    /// The live session with this cookie id, or nil when it is unknown, ended or expired.
    public func session(_ token: String, at now: Date) throws -> PortalSessionRecord? {
        try PortalSessionRecord.fetchOne(
            db,
            SQLRequest(
                sql: "SELECT * FROM portalSession WHERE tokenHash = ? AND expiresAt > ?",
                arguments: [AccessTokenRecord.hash(token), now], cached: true))
    }

    /// The portal generation: it moves whenever a ticket, a message, a customer or a session changes.
    public func portalGeneration() throws -> Int64 {
        try Int64.fetchOne(db, SQLRequest(sql: Self.portalGenerationSQL, cached: true)) ?? 0
    }

    static let portalGenerationSQL = "SELECT n FROM portalGeneration WHERE id = 1"

    /// Moves a session's expiry forward (sessions slide while they are used).
    public func extendSession(id: Int64, until expiry: Date) throws {
        try db.execute(
            sql: "UPDATE portalSession SET expiresAt = ? WHERE id = ? AND expiresAt < ?", arguments: [expiry, id, expiry])
    }

    /// Ends the session with this cookie id (sign-out).
    public func endSession(_ token: String) throws {
        try db.execute(sql: "DELETE FROM portalSession WHERE tokenHash = ?", arguments: [AccessTokenRecord.hash(token)])
    }

    /// Uses a token from a link made for `purpose`: a sign-in link is spent at most once. Returns the
    /// token's record and its state before this use (nil for an unknown token or another purpose's);
    /// a valid sign-in link is marked used.
    public func useToken(
        _ token: String, purpose: AccessTokenRecord.Purpose, at now: Date
    ) throws -> (record: AccessTokenRecord, state: AccessTokenRecord.State)? {
        guard var record = try accessToken(token), record.purpose == purpose else { return nil }
        let state = record.state(at: now)
        if state == .valid, record.purpose == .login {
            record.usedAt = now
            try record.update(db)
        }
        return (record, state)
    }

    /// Ends every session of a customer and voids every link mailed to them.
    public func revokePortalAccess(customerID: Int64) throws -> (sessions: Int, links: Int) {
        try db.execute(sql: "DELETE FROM portalSession WHERE customerId = ?", arguments: [customerID])
        let sessions = db.changesCount
        try db.execute(sql: "DELETE FROM accessToken WHERE customerId = ?", arguments: [customerID])
        return (sessions, db.changesCount)
    }
}
