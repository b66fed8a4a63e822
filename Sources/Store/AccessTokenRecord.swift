import Crypto
import Foundation
import GRDB
import MailModel

/// A link that lets a customer into the portal without a password: a sign-in link (single use) or a
/// link to one ticket (reusable until it expires). Only the SHA-256 of the token is stored.
public struct AccessTokenRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "accessToken"

    public enum Purpose: String, Codable, Sendable { case login, ticketLink = "ticket-link" }

    public var id: Int64?
    public var tokenHash: String
    public var customerId: Int64
    public var ticketId: Int64?
    public var purpose: Purpose
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    /// The request made without signing in that this link confirms, if any.
    public var requestId: Int64?

    /// Whether the token still opens the portal at `now`: not expired, and a sign-in link not yet used.
    public func state(at now: Date) -> State {
        if expiresAt <= now { return .expired }
        if purpose == .login, usedAt != nil { return .spent }
        return .valid
    }

    public enum State: String, Sendable { case valid, expired, spent }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// A fresh token: 256 random bits, URL-safe base64 without padding (43 characters).
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return Base64Encoding.urlSafe.encode(bytes)
    }

    /// The stored form of a token.
    public static func hash(_ token: String) -> String {
        BlobStore.sha256(Array(token.utf8))
    }
}

extension StoreTransaction {
    /// Creates a token for `customer` (and `ticket`), valid for `lifetime`, and returns it: the only
    /// time the token itself is seen; the database keeps its hash.
    public func issueToken(
        customerID: Int64, ticketID: Int64?, purpose: AccessTokenRecord.Purpose, lifetime: TimeInterval, at now: Date,
        requestID: Int64? = nil
    ) throws -> String {
        let token = AccessTokenRecord.makeToken()
        var record = AccessTokenRecord(
            tokenHash: AccessTokenRecord.hash(token), customerId: customerID, ticketId: ticketID, purpose: purpose,
            createdAt: now, expiresAt: now.addingTimeInterval(lifetime), requestId: requestID)
        try record.insert(db)
        return token
    }

    /// The record of a token, by the token itself.
    public func accessToken(_ token: String) throws -> AccessTokenRecord? {
        try AccessTokenRecord.fetchOne(
            db,
            SQLRequest(
                sql: "SELECT * FROM accessToken WHERE tokenHash = ?", arguments: [AccessTokenRecord.hash(token)],
                cached: true))
    }

    /// The customer with this address, if known.
    public func customer(email: String) throws -> Customer? {
        try Customer.fetchOne(
            db, SQLRequest(sql: "SELECT * FROM customer WHERE email = ? COLLATE NOCASE", arguments: [email], cached: true))
    }
}
