import Foundation
import GRDB

/// What expires: portal sessions and links, sign-in requests never confirmed, suppressions whose
/// period is over, and (when the operator chose to keep them for a while only) the raw bytes of old mail.
/// The cutoffs are the caller's (see the gateway's `HousekeepingPolicy`); each operation says how
/// many rows it removed.
extension StoreTransaction {
    /// Drops portal sessions that expired at or before `cutoff`.
    public func pruneSessions(expiredBy cutoff: Date) throws -> Int {
        try db.execute(sql: "DELETE FROM portalSession WHERE expiresAt <= ?", arguments: [cutoff])
        return db.changesCount
    }

    /// Drops sign-in and ticket links that expired at or before `cutoff`.
    public func pruneAccessTokens(expiredBy cutoff: Date) throws -> Int {
        try db.execute(sql: "DELETE FROM accessToken WHERE expiresAt <= ?", arguments: [cutoff])
        return db.changesCount
    }

    /// Drops tickets asked for without signing in, made at or before `cutoff`, that no link refers to
    /// any more: the link that would confirm them is gone, and a confirmed one lives on as its ticket.
    public func prunePortalRequests(madeBy cutoff: Date) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM portalRequest WHERE createdAt <= ?
                AND NOT EXISTS (SELECT 1 FROM accessToken WHERE accessToken.requestId = portalRequest.id)
                """,
            arguments: [cutoff])
        return db.changesCount
    }

    /// Drops suppressions of addresses whose period ended at or before `now`.
    public func pruneSuppressions(endedBy now: Date) throws -> Int {
        try db.execute(sql: "DELETE FROM suppression WHERE until <= ?", arguments: [now])
        return db.changesCount
    }

    /// Marks up to `limit` raw mails received before `cutoff` as pruned at `now` and returns their blob
    /// paths (relative to the blob store), for the caller to delete once this transaction has committed.
    /// Quarantined mail keeps its raw bytes: they are all there is of it. The records stay, so the same
    /// mail fetched again is still known by its hash.
    public func pruneRawMail(receivedBefore cutoff: Date, at now: Date, limit: Int) throws -> [String] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, rawPath FROM inboundMail
                WHERE rawPrunedAt IS NULL AND receivedAt < ? AND outcome != ?
                ORDER BY receivedAt LIMIT ?
                """,
            arguments: [cutoff, InboundMailRecord.Outcome.quarantined.rawValue, limit])
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = rows.map { $0["id"] }
        try db.execute(
            sql: "UPDATE inboundMail SET rawPrunedAt = ? WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
            arguments: StatementArguments([now] as [any DatabaseValueConvertible]) + StatementArguments(ids))
        return rows.map { $0["rawPath"] }
    }
}
