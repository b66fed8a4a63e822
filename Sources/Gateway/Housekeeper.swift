import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Store

/// Removes what has expired, once at start and then every `interval`: portal sessions, old sign-in and
/// ticket links, requests never confirmed, suppressions whose period is over, and, only when
/// `[storage] keep_raw_days` is set, the raw files of mail older than that. Attachments are kept.
///
/// Rows go in one transaction per pass (`prune`); raw files are first marked pruned in that
/// transaction and deleted after it commits, off the cooperative pool, in batches. A crash in between
/// leaves a file that is no longer referenced, never a record pointing at a missing file.
public struct Housekeeper<C: Clock>: Service where C.Duration == Duration {
    public struct Report: Sendable, Equatable {
        public var sessions = 0
        public var accessTokens = 0
        public var portalRequests = 0
        public var suppressions = 0
        public var rawMails = 0
        /// The blob paths of the raw mails marked pruned, still to delete.
        public var rawPaths: [String] = []

        public init() {}

        public var isEmpty: Bool { sessions + accessTokens + portalRequests + suppressions + rawMails == 0 }
    }

    let database: AppDatabase
    let blobs: BlobStore
    let policy: HousekeepingPolicy
    let interval: Duration
    let rawBatch: Int
    let clock: C
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        database: AppDatabase, blobs: BlobStore, policy: HousekeepingPolicy = HousekeepingPolicy(),
        interval: Duration = .seconds(600), rawBatch: Int = 500, clock: C, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.blobs = blobs
        self.policy = policy
        self.interval = interval
        self.rawBatch = max(1, rawBatch)
        self.clock = clock
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        logger.info(
            "housekeeper started",
            metadata: [
                "housekeeping.interval": "\(interval)",
                "housekeeping.keep_raw_days": "\(policy.keepRawDays.map(String.init) ?? "forever")",
            ])
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await passOnce()
            } catch {
                logger.error("housekeeping pass failed, trying again next time", metadata: ["error": "\(error)"])
            }
            await clock.pause(for: interval)
        }
        logger.info("housekeeper stopped")
    }

    /// One pass: rows, then raw files batch by batch until none is due. Logs one line when it removed anything.
    @discardableResult
    public func passOnce() async throws -> Report {
        let moment = now()
        var total = Report()
        while true {
            let pass = try await database.write { tx in try prune(tx, at: moment) }
            try await delete(pass.rawPaths)
            total.add(pass)
            if pass.rawPaths.count < rawBatch || Task.isShuttingDownGracefully { break }
        }
        if !total.isEmpty {
            logger.info(
                "housekeeping removed expired data",
                metadata: [
                    "housekeeping.sessions": "\(total.sessions)", "housekeeping.access_tokens": "\(total.accessTokens)",
                    "housekeeping.portal_requests": "\(total.portalRequests)",
                    "housekeeping.suppressions": "\(total.suppressions)", "housekeeping.raw_mails": "\(total.rawMails)",
                ])
        }
        return total
    }

    /// Everything one transaction removes at `now`; raw mails are marked, their files left for the caller.
    public func prune(_ tx: StoreTransaction, at now: Date) throws -> Report {
        let cutoffs = policy.cutoffs(at: now)
        var report = Report()
        report.sessions = try tx.pruneSessions(expiredBy: cutoffs.ended)
        report.accessTokens = try tx.pruneAccessTokens(expiredBy: cutoffs.links)
        report.portalRequests = try tx.prunePortalRequests(madeBy: cutoffs.links)
        report.suppressions = try tx.pruneSuppressions(endedBy: cutoffs.ended)
        if let raw = cutoffs.raw {
            report.rawPaths = try tx.pruneRawMail(receivedBefore: raw, at: now, limit: rawBatch)
            report.rawMails = report.rawPaths.count
        }
        return report
    }

    /// Deletes raw files on NIO's thread pool: unlink is blocking I/O.
    private func delete(_ paths: [String]) async throws {
        guard !paths.isEmpty else { return }
        let blobs = blobs
        let failures = try await NIOThreadPool.singleton.runIfActive { () -> [String] in
            var failures: [String] = []
            for path in paths {
                do { try blobs.remove(relativePath: path) } catch { failures.append("\(error)") }
            }
            return failures
        }
        if let first = failures.first {
            logger.warning(
                "housekeeping could not remove some raw files",
                metadata: ["housekeeping.failures": "\(failures.count)", "error": "\(first)"])
        }
    }
}

extension Housekeeper.Report {
    mutating func add(_ other: Self) {
        sessions += other.sessions
        accessTokens += other.accessTokens
        portalRequests += other.portalRequests
        suppressions += other.suppressions
        rawMails += other.rawMails
    }
}
