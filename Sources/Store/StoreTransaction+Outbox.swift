import Foundation
import GRDB

extension StoreTransaction {
    /// Queued mails whose time has come, oldest first.
    public func dueOutboxMails(at now: Date, limit: Int) throws -> [OutboxRecord] {
        try OutboxRecord.fetchAll(
            db,
            SQLRequest(
                sql: "SELECT * FROM outbox WHERE state = 'queued' AND nextAttemptAt <= ? ORDER BY nextAttemptAt, id LIMIT ?",
                arguments: [now, limit], cached: true))
    }

    public func outboxMail(id: Int64) throws -> OutboxRecord? {
        try OutboxRecord.fetchOne(db, key: id)
    }

    /// The mail we sent (or queued) with this Message-ID.
    public func outboxMail(messageID: String) throws -> OutboxRecord? {
        try OutboxRecord.fetchOne(
            db, SQLRequest(sql: "SELECT * FROM outbox WHERE messageId = ?", arguments: [messageID], cached: true))
    }

    /// Claims up to `limit` due rows for one delivery each: they turn `sending` until `leaseUntil`,
    /// committed before any of them is handed to the server.
    public func claimDueOutboxMails(at now: Date, limit: Int, leaseUntil: Date) throws -> [OutboxRecord] {
        let rows = try dueOutboxMails(at: now, limit: limit)
        for row in rows {
            try db.execute(
                sql: "UPDATE outbox SET state = 'sending', leaseUntil = ? WHERE id = ? AND state = 'queued'",
                arguments: [leaseUntil, row.id])
        }
        return rows.map { row in
            var claimed = row
            claimed.state = .sending
            claimed.leaseUntil = leaseUntil
            return claimed
        }
    }

    /// Rows a worker claimed and never finished (it was killed while talking to the server), all of
    /// them or those whose lease ran out by `expiredBy`: each may have been sent. They go back into the
    /// queue, due now, with their Message-ID, and say so. Returns their ids. Only the data folder's one
    /// running worker may call this.
    public func recoverInterruptedSends(expiredBy: Date?, at now: Date) throws -> [Int64] {
        let filter = "state = 'sending' AND (? IS NULL OR leaseUntil IS NULL OR leaseUntil <= ?)"
        let ids = try Int64.fetchAll(
            db, sql: "SELECT id FROM outbox WHERE \(filter) ORDER BY id", arguments: [expiredBy, expiredBy])
        guard !ids.isEmpty else { return [] }
        try db.execute(
            sql: """
                UPDATE outbox SET state = 'queued', leaseUntil = NULL, nextAttemptAt = ?,
                lastError = 'interrupted while sending: may have been sent; sent again with the same Message-ID'
                WHERE \(filter)
                """,
            arguments: [now, expiredBy, expiredBy])
        return ids
    }

    /// The server accepted the mail.
    public func markSent(_ id: Int64, at now: Date) throws {
        try db.execute(
            sql: """
                UPDATE outbox SET state = 'sent', sentAt = ?, attempts = attempts + 1, lastError = NULL, leaseUntil = NULL
                WHERE id = ?
                """,
            arguments: [now, id])
    }

    /// Hands claimed rows back untouched, due as before: the sender paused before or while trying them.
    public func releaseClaims(_ ids: [Int64], note: String?) throws {
        for id in ids {
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'queued', leaseUntil = NULL, lastError = coalesce(?, lastError)
                    WHERE id = ? AND state = 'sending'
                    """,
                arguments: [note, id])
        }
    }

    /// A temporary failure of this one mail (a 4xx for its recipient or content): try again at `next`.
    public func markRetry(_ id: Int64, next: Date, error: String) throws {
        try db.execute(
            sql: """
                UPDATE outbox SET state = 'queued', leaseUntil = NULL, attempts = attempts + 1, nextAttemptAt = ?,
                lastError = ? WHERE id = ?
                """,
            arguments: [next, error, id])
    }

    /// A permanent failure, or one that lasted too long: a dead letter with its reason.
    public func markDead(_ id: Int64, error: String) throws {
        try db.execute(
            sql: "UPDATE outbox SET state = 'dead', leaseUntil = NULL, attempts = attempts + 1, lastError = ? WHERE id = ?",
            arguments: [error, id])
    }

    /// Puts a dead letter back in the queue, due now, keeping its Message-ID.
    @discardableResult
    public func requeue(_ id: Int64, at now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE outbox SET state = 'queued', nextAttemptAt = ?, createdAt = ? WHERE id = ? AND state = 'dead'",
            arguments: [now, now, id])
        return db.changesCount > 0
    }

    /// Saves an outbox row changed by the caller (a gathered notice's context).
    public func save(_ row: OutboxRecord) throws {
        try row.update(db)
    }

    /// The agent notice on a ticket to `recipient` that is still waiting to be sent, if any.
    public func pendingNotice(ticketID: Int64, to recipient: String) throws -> OutboxRecord? {
        try OutboxRecord.fetchOne(
            db,
            SQLRequest(
                sql: """
                    SELECT * FROM outbox WHERE ticketId = ? AND kind = 'agent-notice' AND state = 'queued'
                    AND recipient = ? COLLATE NOCASE ORDER BY id DESC LIMIT 1
                    """,
                arguments: [ticketID, recipient], cached: true))
    }

    /// When the last agent notice on a ticket to `recipient` was due (sent, or about to be).
    public func lastNoticeTime(ticketID: Int64, to recipient: String) throws -> Date? {
        try Date.fetchOne(
            db,
            SQLRequest(
                sql: """
                    SELECT max(coalesce(sentAt, nextAttemptAt)) FROM outbox
                    WHERE ticketId = ? AND kind = 'agent-notice' AND state IN ('queued', 'sending', 'sent')
                    AND recipient = ? COLLATE NOCASE
                    """,
                arguments: [ticketID, recipient], cached: true))
    }

    /// When mails of `kind` to `recipient` were queued since `since` (suppressed ones left out).
    public func outboxTimes(kind: OutboxRecord.Kind, to recipient: String, since: Date) throws -> [Date] {
        try Date.fetchAll(
            db,
            SQLRequest(
                sql: """
                    SELECT createdAt FROM outbox WHERE recipient = ? COLLATE NOCASE AND createdAt >= ? AND kind = ?
                    AND state != 'suppressed'
                    """,
                arguments: [recipient, since, kind.rawValue], cached: true))
    }
}
