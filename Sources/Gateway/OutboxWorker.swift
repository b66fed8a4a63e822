import Foundation
import Logging
import MIME
import MailModel
import MailTemplates
import ServiceLifecycle
import Store

/// Sends what the outbox holds, each mail at most twice and twice only across a crash.
///
/// A pass claims a few due rows (state `sending`, with a lease) in a committed transaction, then for
/// each in turn composes it, hands it to the server and records the outcome in a transaction of its
/// own right after the server's answer. A crash can thus leave at most the one mail in flight
/// unrecorded: the next start finds it `sending`, and sends it again with the same Message-ID
/// (receivers and threads fold the two). The data folder's lock makes this worker the only one.
///
/// Failures are the message's or the sender's (see `SendFailure`). The message's: permanent (a 5xx,
/// an unreadable payload, a template that cannot render) becomes a dead letter with its reason;
/// temporary is tried again on `schedule`. The sender's (no connection, a refused login, a full
/// disk) charges no mail: the claims go back, and the worker pauses, probing the server with backoff
/// up to `maxProbeInterval`; when the server answers, the due mail goes at once.
public struct OutboxWorker<C: Clock>: Service where C.Duration == Duration {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var retried = 0
        public var dead = 0
        /// Why the pass stopped and the sender waits for the server, when it did.
        public var pausedBy: String?
        public init() {}
    }

    let database: AppDatabase
    let sender: any MailSender
    let composer: OutboundComposer
    let envelopeFrom: String
    let schedule: RetrySchedule
    let interval: Duration
    let claimSize: Int
    let lease: Duration
    let maxProbeInterval: Duration
    let clock: C
    let logger: Logger
    let now: @Sendable () -> Date
    let links: PortalLinks

    public init(
        database: AppDatabase, sender: any MailSender, composer: OutboundComposer, envelopeFrom: String,
        schedule: RetrySchedule = RetrySchedule(), links: PortalLinks = PortalLinks(), interval: Duration = .seconds(1),
        claimSize: Int = 10, lease: Duration = .seconds(600), maxProbeInterval: Duration = .seconds(5), clock: C,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.links = links
        self.database = database
        self.sender = sender
        self.composer = composer
        self.envelopeFrom = envelopeFrom
        self.schedule = schedule
        self.interval = interval
        self.claimSize = max(1, claimSize)
        self.lease = lease
        self.maxProbeInterval = maxProbeInterval
        self.clock = clock
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        logger.info("outbox worker started")
        var failures = 0
        var recovered = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            var pause = interval
            do {
                if !recovered {
                    try await recoverInterrupted()
                    recovered = true
                }
                let report = try await sendDue()
                failures = 0
                if let reason = report.pausedBy {
                    await waitForServer(reason)
                    pause = .zero
                } else if report.sent + report.retried + report.dead > 0 {
                    pause = .zero
                }
            } catch {
                failures += 1
                pause = Self.backoff(after: failures, limit: maxProbeInterval)
                logger.error(
                    "outbox pass failed, retrying",
                    metadata: ["error": "\(error)", "outbox.failures": "\(failures)", "outbox.retry_in": "\(pause)"])
            }
            await clock.pause(for: pause)
        }
        logger.info("outbox worker stopped")
    }

    /// At start: rows left `sending` by a worker that stopped mid-delivery go out again.
    public func recoverInterrupted() async throws {
        let moment = now()
        let ids = try await database.write { tx in try tx.recoverInterruptedSends(expiredBy: nil, at: moment) }
        guard !ids.isEmpty else { return }
        logger.warning(
            "mail interrupted while sending goes again with the same Message-ID",
            metadata: ["outbox.ids": "\(ids.map(String.init).joined(separator: ","))"])
    }

    /// One pass: claims of up to `claimSize` due rows, each sent and recorded in turn, until the queue
    /// is empty, a graceful shutdown begins or the sender fails (`Report.pausedBy`).
    @discardableResult
    public func sendDue() async throws -> Report {
        var report = Report()
        while !Task.isShuttingDownGracefully {
            let claimed = try await claim()
            if claimed.isEmpty { break }
            for (position, item) in claimed.enumerated() {
                if report.pausedBy != nil || Task.isShuttingDownGracefully {
                    let rest = claimed[position...].compactMap(\.row.id)
                    try await database.write { tx in try tx.releaseClaims(rest, note: nil) }
                    return report
                }
                try await deliver(item, into: &report)
            }
            if report.pausedBy != nil { break }
        }
        return report
    }

    /// One claimed row and what composing it needs, read in the claiming transaction.
    struct Claimed: Sendable {
        var row: OutboxRecord
        var content: Result<Content, OutboxPayloadError>

        struct Content: Sendable {
            var payload: OutboxPayload
            var ticket: Ticket?
            var customer: Customer?
            var links: PortalLinks.Made
        }
    }

    /// Claims due rows and reads their tickets and customers, and makes their links, in one commit.
    private func claim() async throws -> [Claimed] {
        let moment = now()
        let until = moment.addingTimeInterval(lease.timeInterval)
        let (limit, links, portalURL) = (claimSize, links, composer.settings.portalURL)
        let stale = try await database.write { tx -> [Int64] in try tx.recoverInterruptedSends(expiredBy: moment, at: moment) }
        if !stale.isEmpty {
            logger.warning("outbox claims expired and were released", metadata: ["outbox.ids": "\(stale)"])
        }
        return try await database.write { tx in
            try tx.claimDueOutboxMails(at: moment, limit: limit, leaseUntil: until).map { row in
                let decoded = Result { () throws(OutboxPayloadError) in try OutboxPayload(row) }
                let payload: OutboxPayload
                switch decoded {
                case .success(let value): payload = value
                case .failure(let error): return Claimed(row: row, content: .failure(error))
                }
                let ticket = try row.ticketId.flatMap { try tx.ticket(id: $0) }
                let customer = try ticket.flatMap { try tx.customer(id: $0.customerId) } ?? tx.customer(email: row.recipient)
                let made = try links.make(
                    for: row, payload: payload, customer: customer, portalURL: portalURL, tx: tx, at: moment)
                return Claimed(
                    row: row, content: .success(.init(payload: payload, ticket: ticket, customer: customer, links: made)))
            }
        }
    }

    /// Composes, sends and records one claimed row.
    private func deliver(_ item: Claimed, into report: inout Report) async throws {
        let row = item.row
        guard let id = row.id else { return }
        let bytes: [UInt8]
        do {
            let content = try item.content.get()
            bytes = try MessageWriter.render(
                composer.compose(
                    row, payload: content.payload, ticket: content.ticket, customer: content.customer,
                    links: content.links, at: now()))
        } catch {
            try await record(row, .dead("cannot compose: \(error)"), into: &report)
            return
        }
        do {
            try await sender.send(bytes, envelopeFrom: envelopeFrom, recipients: [row.recipient] + row.ccAddresses)
        } catch {
            let failure =
                error as? SendFailure ?? SendFailure(permanent: false, scope: .sender, reason: "\(error)")
            switch (failure.scope, failure.permanent) {
            case (.sender, _):
                try await database.write { tx in try tx.releaseClaims([id], note: failure.description) }
                report.pausedBy = failure.description
            case (.message, true):
                try await record(row, .dead(failure.description), into: &report)
            case (.message, false):
                let moment = now()
                if let next = schedule.nextAttempt(afterAttempts: row.attempts + 1, queuedAt: row.createdAt, now: moment) {
                    try await record(row, .retry(next, failure.description), into: &report)
                } else {
                    try await record(row, .dead("gave up after \(schedule.giveUpAfter.inWords): \(failure)"), into: &report)
                }
            }
            return
        }
        await recordSent(row)
        report.sent += 1
    }

    private enum Outcome {
        case retry(Date, String)
        case dead(String)
    }

    private func record(_ row: OutboxRecord, _ outcome: Outcome, into report: inout Report) async throws {
        guard let id = row.id else { return }
        var metadata = metadata(row)
        switch outcome {
        case .retry(let next, let reason):
            try await database.write { tx in try tx.markRetry(id, next: next, error: reason) }
            report.retried += 1
            metadata["error"] = "\(reason)"
            logger.warning("mail will be retried", metadata: metadata)
        case .dead(let reason):
            try await database.write { tx in try tx.markDead(id, error: reason) }
            report.dead += 1
            metadata["error"] = "\(reason)"
            logger.warning("mail failed for good", metadata: metadata)
        }
    }

    /// Records that the server accepted `row`. The mail is gone: until the record holds it must not
    /// be sent again, so a failing database is retried (with backoff) rather than given up; only a
    /// shutdown that cannot wait leaves it `sending`, for the next start.
    private func recordSent(_ row: OutboxRecord) async {
        guard let id = row.id else { return }
        var failures = 0
        while true {
            let moment = now()
            do {
                try await database.write { tx in try tx.markSent(id, at: moment) }
                logger.info("mail sent", metadata: metadata(row))
                return
            } catch {
                failures += 1
                logger.error(
                    "mail sent but not recorded yet, retrying",
                    metadata: metadata(row).merging(["error": "\(error)"]) { $1 })
                if Task.isCancelled || (Task.isShuttingDownGracefully && failures >= 5) { return }
                try? await clock.sleep(for: Self.backoff(after: failures, limit: maxProbeInterval))
            }
        }
    }

    /// Pauses sending until the server takes mail again: probes after 1, 2, 4... seconds, then every
    /// `maxProbeInterval`, until one succeeds or the daemon stops.
    func waitForServer(_ reason: String) async {
        logger.warning("sending paused: the server does not take mail", metadata: ["error": "\(reason)"])
        let started = clock.now
        var probes = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            probes += 1
            await clock.pause(for: Self.backoff(after: probes, limit: maxProbeInterval))
            if Task.isShuttingDownGracefully { return }
            do {
                try await sender.probe()
                logger.info(
                    "sending resumed",
                    metadata: ["outbox.paused": "\(started.duration(to: clock.now))", "outbox.probes": "\(probes)"])
                return
            } catch {
                if probes % 60 == 0 {
                    logger.warning("sending still paused", metadata: ["error": "\(error)", "outbox.probes": "\(probes)"])
                }
            }
        }
    }

    /// 1, 2, 4... seconds, at most `limit`.
    static func backoff(after failures: Int, limit: Duration) -> Duration {
        min(.seconds(1 << min(max(failures - 1, 0), 16)), max(limit, .seconds(1)))
    }

    private func metadata(_ row: OutboxRecord) -> Logger.Metadata {
        [
            "outbox.id": "\(row.id ?? 0)", "outbox.kind": "\(row.kind.rawValue)", "mail.to": "\(row.recipient)",
            "mail.message_id": "\(row.messageId)",
        ]
    }
}
