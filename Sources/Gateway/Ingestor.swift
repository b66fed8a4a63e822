import Foundation
import Logging
import MIME
import MailModel
import NIOPosix
import Store
import Triage

/// Turns fetched mail into tickets and messages, exactly once.
///
/// A batch costs one disk flush for the raw files and one SQLite transaction: hash and parse every
/// mail, store raw bytes and attachments by content, `syncfs` once, then record every mail in one
/// transaction. Only after `ingest` returns may the caller acknowledge the mails on the server.
/// A mail whose raw bytes were recorded before changes nothing the second time.
///
/// None of it holds a thread of the cooperative pool. A mailbox's batch runs on `BackgroundThread.ingest`,
/// a thread at lower CPU priority, transaction included; a portal message, which a customer waits
/// for, runs its file work on NIO's thread pool and its transaction on GRDB's writer queue.
public struct Ingestor: Sendable {
    let database: AppDatabase
    let blobs: BlobStore
    let parser: MIMEParser
    public let settings: IngestSettings
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        database: AppDatabase, blobs: BlobStore, parser: MIMEParser = MIMEParser(), settings: IngestSettings,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.blobs = blobs
        self.parser = parser
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    public func ingest(_ mails: [RawMail], origin: MailOrigin = .mailbox) async throws -> [IngestResult] {
        guard !mails.isEmpty else { return [] }
        if case .portal = origin {
            // One typed message, for a customer waiting on the page: no queue, full priority.
            let staged = try await NIOThreadPool.singleton.runIfActive { try self.stage(mails, origin: origin) }
            let settings = settings
            let now = now
            let recorded = try await database.write { tx in try Self.record(staged, tx: tx, settings: settings, now: now) }
            return finish(staged, recorded)
        }
        // A mailbox's batch: all of it on the low-priority thread, so the portal keeps the CPU.
        return try await BackgroundThread.ingest.run {
            let staged = try self.stage(mails, origin: origin)
            let recorded = try self.database.transaction { tx in
                try Self.record(staged, tx: tx, settings: self.settings, now: self.now)
            }
            return self.finish(staged, recorded)
        }
    }

    /// Step 3: the batch's one transaction.
    private static func record(
        _ staged: Staged, tx: StoreTransaction, settings: IngestSettings, now: @Sendable () -> Date
    ) throws -> [IngestResult] {
        try staged.fresh.map { item in try InboundRecorder(tx: tx, settings: settings, now: now()).record(item.mail) }
    }

    private func finish(_ staged: Staged, _ recorded: [IngestResult]) -> [IngestResult] {
        var results = staged.results
        for (item, result) in zip(staged.fresh, recorded) {
            results[item.index] = result
            log(item.mail, result)
        }
        return results.compactMap { $0 }
    }

    /// Steps 1 and 2 of a batch, blocking: what is known already, the parse of the rest, and their
    /// files on disk, flushed.
    private func stage(_ mails: [RawMail], origin: MailOrigin) throws -> Staged {
        // 1. What is known already (by exact bytes) changes nothing.
        let hashes = mails.map { BlobStore.sha256($0.bytes) }
        let known: [String: InboundMailRecord] = try database.read { tx in
            var found: [String: InboundMailRecord] = [:]
            for hash in Set(hashes) { if let record = try tx.inboundMail(sha256: hash) { found[hash] = record } }
            return found
        }
        var results: [IngestResult?] = Array(repeating: nil, count: mails.count)
        var fresh: [(index: Int, mail: PreparedMail)] = []
        var seen = Set<String>()
        for (index, raw) in mails.enumerated() {
            if let record = known[hashes[index]] {
                results[index] = IngestResult(
                    locator: raw.locator, outcome: record.outcome, reason: record.reason, alreadyKnown: true)
            } else if seen.insert(hashes[index]).inserted {
                fresh.append((index, PreparedMail(raw: raw, sha256: hashes[index], parser: parser, origin: origin)))
            } else {
                results[index] = IngestResult(locator: raw.locator, outcome: .duplicate, reason: "same bytes in batch")
            }
        }
        // 2. Raw bytes and attachments to disk, flushed once, before anything refers to them.
        for position in fresh.indices { try store(&fresh[position].mail) }
        if !fresh.isEmpty { try blobs.sync() }
        // 3. (the caller) One transaction for the whole batch.
        return Staged(results: results, fresh: fresh)
    }

    /// A batch between its files and its transaction: results known already, mails still to record.
    private struct Staged: Sendable {
        var results: [IngestResult?]
        var fresh: [(index: Int, mail: PreparedMail)]
    }

    private func store(_ mail: inout PreparedMail) throws {
        mail.rawPath = try blobs.put(mail.raw.bytes, sha256: mail.sha256, kind: .raw)
        guard let attachments = mail.parsed?.attachments else { return }
        mail.attachmentHashes = try attachments.map { attachment in
            let hash = BlobStore.sha256(attachment.data)
            try blobs.put(attachment.data, sha256: hash, kind: .attachment)
            return hash
        }
    }

    private func log(_ mail: PreparedMail, _ result: IngestResult) {
        var metadata: Logger.Metadata = [
            "mail.source": "\(mail.raw.locator.source)", "mail.key": "\(mail.raw.locator.key)",
            "mail.outcome": "\(result.outcome.rawValue)", "mail.size": "\(mail.raw.bytes.count)",
        ]
        if let id = mail.parsed?.messageID { metadata["mail.message_id"] = "\(id)" }
        if let ref = result.ticketRef { metadata["ticket.ref"] = "\(ref)" }
        if let reason = result.reason { metadata["mail.reason"] = "\(reason)" }
        if result.outcome == .quarantined {
            logger.warning("mail quarantined", metadata: metadata)
        } else {
            logger.info("mail ingested", metadata: metadata)
        }
        for line in result.suppressed {
            logger.info("automated mail suppressed", metadata: ["ticket.ref": "\(result.ticketRef ?? "-")", "mail.suppressed": "\(line)"])
        }
    }
}
