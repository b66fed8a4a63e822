import Foundation
import Logging
import MailModel
import ServiceLifecycle
import Store

/// Polls one inbound source and feeds its mail to the ingestor in batches: fetch a batch, commit it in
/// one transaction, then acknowledge the whole batch on the server.
///
/// Failures (server down, network gone, disk full) back off exponentially and retry; nothing is
/// acknowledged that was not committed, so nothing is lost. A mail the server refuses to acknowledge
/// (`AcknowledgementRefused`) fails nothing: it is tried again on the next polls and after
/// `maxAcknowledgeTries` refusals left in the inbox until the process restarts, with a warning. On graceful shutdown the current batch
/// is finished and acknowledged before `run()` returns.
public struct InboxPoller<C: Clock>: Service where C.Duration == Duration {
    public struct Settings: Sendable {
        public var interval: Duration
        public var batchSize: Int
        public var maxBackoff: Duration
        /// A batch closes early once its mails hold this many bytes, so a run of large mails does not
        /// all sit in memory at once.
        public var maxBatchBytes: Int
        /// Refusals of one mail's acknowledgement before the poller leaves it in the inbox.
        public var maxAcknowledgeTries: Int

        public init(
            interval: Duration = .seconds(30), batchSize: Int = 50, maxBackoff: Duration = .seconds(60),
            maxBatchBytes: Int = 32 << 20, maxAcknowledgeTries: Int = 3
        ) {
            self.interval = interval
            self.batchSize = max(1, batchSize)
            self.maxBackoff = maxBackoff
            self.maxBatchBytes = maxBatchBytes
            self.maxAcknowledgeTries = max(1, maxAcknowledgeTries)
        }
    }

    /// What one poll did.
    public struct Report: Sendable, Equatable {
        public var fetched = 0
        public var acknowledged = 0
        public var quarantined = 0
        /// Mails committed earlier whose acknowledgement had not reached the server.
        public var reacknowledged = 0
        public var remaining = 0
        /// Acknowledgements the server refused in this poll.
        public var refused = 0
        /// Mails left in the inbox because their acknowledgement was refused too often.
        public var skipped = 0

        public init() {}
    }

    let source: any InboundSource
    let ingestor: Ingestor
    let database: AppDatabase
    let settings: Settings
    let clock: C
    let logger: Logger
    let refusals: AcknowledgeRefusals

    public init(
        source: any InboundSource, ingestor: Ingestor, database: AppDatabase, settings: Settings, clock: C,
        logger: Logger
    ) {
        self.source = source
        self.ingestor = ingestor
        self.database = database
        self.settings = settings
        self.clock = clock
        refusals = AcknowledgeRefusals(limit: settings.maxAcknowledgeTries)
        var logger = logger
        logger[metadataKey: "mail.source"] = "\(source.sourceID)"
        self.logger = logger
    }

    public func run() async throws {
        logger.info("poller started", metadata: ["poll.interval": "\(settings.interval)"])
        var failures = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            var delay = settings.interval
            do {
                let report = try await pollOnce()
                if failures > 0 { logger.info("mailbox reachable again", metadata: ["poll.failures": "\(failures)"]) }
                failures = 0
                if report.remaining > 0 { delay = .zero }
            } catch {
                failures += 1
                delay = backoff(after: failures)
                logger.error(
                    "poll failed, retrying",
                    metadata: ["error": "\(error)", "poll.failures": "\(failures)", "poll.retry_in": "\(delay)"])
            }
            await clock.pause(for: delay)
        }
        logger.info("poller stopped")
    }

    /// One pass: list, re-acknowledge what was committed before, then fetch, ingest and acknowledge
    /// batches until the mailbox is empty or a graceful shutdown begins.
    @discardableResult
    public func pollOnce() async throws -> Report {
        var report = Report()
        let pending = try await source.pending()
        try await noteUIDValidity(pending.uidValidity)
        let validity = pending.uidValidity
        let skipped = await refusals.skipped(uidValidity: validity)
        let listed = skipped.isEmpty ? pending.keys : pending.keys.filter { !skipped.contains($0) }
        report.skipped = pending.keys.count - listed.count
        let sourceID = source.sourceID
        let committed = try await database.read { tx in
            try tx.inboundMails(source: sourceID, uidValidity: validity, keys: listed)
        }
        if !committed.isEmpty {
            let byKey = Dictionary(committed.map { ($0.sourceKey, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            report.refused += try await acknowledge(
                byKey.filter { $0.value != .quarantined }.map(\.key), as: .processed, uidValidity: validity)
            report.refused += try await acknowledge(
                byKey.filter { $0.value == .quarantined }.map(\.key), as: .quarantined, uidValidity: validity)
            report.reacknowledged = byKey.count
        }
        let done = Set(committed.map(\.sourceKey))
        let waiting = listed.filter { !done.contains($0) }
        // Batch N+1 is fetched while batch N is ingested: the server's work and ours overlap.
        var position = 0
        var keys = nextKeys(waiting, from: position)
        var mails = try await fetch(keys)
        position += consumed(keys, mails)
        while !keys.isEmpty {
            let upcoming = Task.isShuttingDownGracefully ? [] : nextKeys(waiting, from: position)
            async let prefetched = fetch(upcoming)
            try await process(mails, into: &report)
            mails = try await prefetched
            keys = upcoming
            position += consumed(keys, mails)
        }
        report.remaining = waiting.count - position
        return report
    }

    private func nextKeys(_ waiting: [String], from position: Int) -> [String] {
        Array(waiting[min(position, waiting.count)..<min(position + settings.batchSize, waiting.count)])
    }

    private func fetch(_ keys: [String]) async throws -> [RawMail] {
        keys.isEmpty ? [] : try await source.fetch(keys, byteLimit: settings.maxBatchBytes)
    }

    /// How many keys a fetch used up: the source stops early on size, so up to its last mail.
    private func consumed(_ keys: [String], _ mails: [RawMail]) -> Int {
        guard let last = mails.last?.locator.key, let index = keys.firstIndex(of: last) else {
            return keys.count  // every key vanished
        }
        return index + 1
    }

    /// Commits one batch, then acknowledges it on the server.
    private func process(_ mails: [RawMail], into report: inout Report) async throws {
        guard !mails.isEmpty else { return }
        let started = clock.now
        let results = try await ingestor.ingest(mails)
        let committed = clock.now
        let processed = results.filter { $0.disposition == .processed }.map(\.locator.key)
        let quarantined = results.filter { $0.disposition == .quarantined }.map(\.locator.key)
        let validity = mails.first?.locator.uidValidity
        let refused =
            try await acknowledge(processed, as: .processed, uidValidity: validity)
            + acknowledge(quarantined, as: .quarantined, uidValidity: validity)
        logger.debug(
            "batch done",
            metadata: [
                "batch.mails": "\(mails.count)", "batch.bytes": "\(mails.reduce(0) { $0 + $1.bytes.count })",
                "batch.ingest": "\(started.duration(to: committed))", "batch.ack": "\(committed.duration(to: clock.now))",
            ])
        report.fetched += mails.count
        report.acknowledged += processed.count
        report.quarantined += quarantined.count
        report.refused += refused
    }

    /// Acknowledges `keys`; returns how many the server refused. A refusal is counted and logged, and
    /// fails nothing: the mails are committed, the next poll tries again. Any other error is thrown.
    private func acknowledge(_ keys: [String], as disposition: Disposition, uidValidity: UInt32?) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        do {
            try await source.acknowledge(keys, as: disposition)
            return 0
        } catch let refused as AcknowledgementRefused {
            for refusal in refused.refusals {
                let tries = await refusals.record(refusal.key, uidValidity: uidValidity)
                let metadata: Logger.Metadata = [
                    "imap.uid": "\(refusal.key)", "imap.folder": "\(refusal.folder)", "imap.reason": "\(refusal.reason)",
                    "ack.tries": "\(tries)",
                ]
                if tries >= refusals.limit {
                    logger.warning("server keeps refusing to acknowledge a mail: left in the inbox until restart", metadata: metadata)
                } else {
                    logger.warning("server refused to acknowledge a mail: trying again on the next poll", metadata: metadata)
                }
            }
            return refused.refusals.count
        }
    }

    /// Records the mailbox's UIDVALIDITY; a change means every UID is new again, which is safe because
    /// ingest recognises mail by the hash of its bytes.
    private func noteUIDValidity(_ uidValidity: UInt32?) async throws {
        let now = Date()
        let sourceID = source.sourceID
        let logger = logger
        try await database.write { tx in
            let stored = try tx.uidValidity(source: sourceID)
            if case .some(let previous) = stored, previous == uidValidity { return }
            if case .some(let previous) = stored {
                logger.warning(
                    "UIDVALIDITY changed: rescanning the mailbox",
                    metadata: ["imap.uidvalidity.old": "\(previous.map(String.init) ?? "none")",
                        "imap.uidvalidity": "\(uidValidity.map(String.init) ?? "none")"])
            }
            try tx.setUIDValidity(uidValidity, source: sourceID, at: now)
        }
    }

    private func backoff(after failures: Int) -> Duration {
        let seconds = min(Double(1 << min(failures - 1, 16)), Double(settings.maxBackoff.components.seconds))
        return .seconds(max(seconds, 1))
    }
}
