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

    public func markSent(_ id: Int64, at now: Date) throws {
        try db.execute(
            sql: "UPDATE outbox SET state = 'sent', sentAt = ?, attempts = attempts + 1, lastError = NULL WHERE id = ?",
            arguments: [now, id])
    }

    /// A temporary failure: try again at `next`.
    public func markRetry(_ id: Int64, next: Date, error: String) throws {
        try db.execute(
            sql: "UPDATE outbox SET attempts = attempts + 1, nextAttemptAt = ?, lastError = ? WHERE id = ?",
            arguments: [next, error, id])
    }

    /// A permanent failure, or one that lasted too long: a dead letter with its reason.
    public func markDead(_ id: Int64, error: String) throws {
        try db.execute(
            sql: "UPDATE outbox SET state = 'dead', attempts = attempts + 1, lastError = ? WHERE id = ?",
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
                    WHERE ticketId = ? AND kind = 'agent-notice' AND state IN ('queued', 'sent')
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
