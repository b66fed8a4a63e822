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
}
