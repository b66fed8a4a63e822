import Foundation
import Logging
import MIME
import MailModel
import MailTemplates
import ServiceLifecycle
import Store

/// Sends what the outbox holds: picks due rows, composes and sends each over one reused connection,
/// then records the batch in one transaction. A temporary failure is retried on the schedule (about
/// 1 min, 5 min, 15 min, 1 h, then hourly, for 2 days); a permanent one (5xx, a malformed address, a
/// template that cannot render) becomes a dead letter at once, with its reason.
///
/// Rows carry fixed Message-IDs: a crash between the server's accept and our commit sends the mail
/// once more at worst, and mail clients fold the two together.
public struct OutboxWorker<C: Clock>: Service where C.Duration == Duration {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var retried = 0
        public var dead = 0
        public init() {}
    }

    let database: AppDatabase
    let sender: any MailSender
    let composer: OutboundComposer
    let envelopeFrom: String
    let schedule: RetrySchedule
    let interval: Duration
    let batchSize: Int
    let clock: C
    let logger: Logger
    let now: @Sendable () -> Date
    let links: PortalLinks

    public init(
        database: AppDatabase, sender: any MailSender, composer: OutboundComposer, envelopeFrom: String,
        schedule: RetrySchedule = RetrySchedule(), links: PortalLinks = PortalLinks(), interval: Duration = .seconds(1),
        batchSize: Int = 100, clock: C, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.links = links
        self.database = database
        self.sender = sender
        self.composer = composer
        self.envelopeFrom = envelopeFrom
        self.schedule = schedule
        self.interval = interval
        self.batchSize = max(1, batchSize)
        self.clock = clock
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        logger.info("outbox worker started")
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            var pause = interval
            do {
                let report = try await sendDue()
                if report.sent + report.retried + report.dead == batchSize { pause = .zero }
            } catch {
                logger.error("outbox pass failed, retrying", metadata: ["error": "\(error)"])
            }
            await clock.pause(for: pause)
        }
        logger.info("outbox worker stopped")
    }

    /// One pass over the due rows.
    @discardableResult
    public func sendDue() async throws -> Report {
        let due = try database.read { try $0.dueOutboxMails(at: now(), limit: batchSize) }
        var outcomes: [(row: OutboxRecord, failure: SendFailure?)] = []
        for row in due {
            if Task.isShuttingDownGracefully { break }
            outcomes.append((row, await deliver(row)))
        }
        var report = Report()
        let moment = now()
        try database.transaction { tx in
            for (row, failure) in outcomes {
                guard let id = row.id else { continue }
                guard let failure else {
                    try tx.markSent(id, at: moment)
                    report.sent += 1
                    continue
                }
                let next =
                    failure.permanent
                    ? nil : schedule.nextAttempt(afterAttempts: row.attempts + 1, queuedAt: row.createdAt, now: moment)
                if let next {
                    try tx.markRetry(id, next: next, error: failure.description)
                    report.retried += 1
                } else {
                    try tx.markDead(id, error: failure.description)
                    report.dead += 1
                }
            }
        }
        for (row, failure) in outcomes { log(row, failure) }
        return report
    }

    /// Composes and sends one row; nil when the server accepted it.
    private func deliver(_ row: OutboxRecord) async -> SendFailure? {
        let bytes: [UInt8]
        do {
            let moment = now()
            let (ticket, customer, made) = try database.transaction { tx -> (Ticket?, Customer?, [String: String]) in
                let ticket = try row.ticketId.flatMap { try tx.ticket(id: $0) }
                let customer = try ticket.flatMap { try tx.customer(id: $0.customerId) } ?? tx.customer(email: row.recipient)
                let made = try links.make(
                    for: row, customer: customer, portalURL: composer.settings.portalURL, tx: tx, at: moment)
                return (ticket, customer, made)
            }
            bytes = try MessageWriter.render(
                composer.compose(row, ticket: ticket, customer: customer, links: made, at: moment))
        } catch {
            return SendFailure(permanent: true, reason: "cannot compose: \(error)")
        }
        do {
            try await sender.send(bytes, envelopeFrom: envelopeFrom, recipients: [row.recipient] + row.ccAddresses)
            return nil
        } catch let failure as SendFailure {
            return failure
        } catch {
            return SendFailure(permanent: false, reason: "\(error)")
        }
    }

    private func log(_ row: OutboxRecord, _ failure: SendFailure?) {
        var metadata: Logger.Metadata = [
            "outbox.id": "\(row.id ?? 0)", "outbox.kind": "\(row.kind.rawValue)", "mail.to": "\(row.recipient)",
            "mail.message_id": "\(row.messageId)",
        ]
        guard let failure else {
            logger.info("mail sent", metadata: metadata)
            return
        }
        metadata["error"] = "\(failure)"
        logger.warning(failure.permanent ? "mail failed for good" : "mail will be retried", metadata: metadata)
    }
}
