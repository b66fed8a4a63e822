import CurlMail
import Foundation
import Gateway
import Logging
import MIME
import MailModel
import MailTemplates
import ServiceLifecycle
import Store

/// The one place that wires concrete adapters into services, for the daemon, the demo and tests.
struct PostdeskApp: Sendable {
    let config: PostdeskConfig
    let database: AppDatabase
    let ingestor: Ingestor
    let logger: Logger

    init(config: PostdeskConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        database = try AppDatabase.open(path: config.databasePath)
        let blobs = try BlobStore(root: config.blobRoot)
        let key = try config.helpdesk.secretKey.map { Array($0.utf8) } ?? SecretKeyFile.loadOrCreate(in: config.dataDir)
        ingestor = Ingestor(
            database: database, blobs: blobs,
            settings: IngestSettings(
                ticketPrefix: config.helpdesk.ticketPrefix, supportAddress: config.helpdesk.supportAddress,
                ownAddresses: Set(config.helpdesk.ownAddresses),
                sendConfirmations: config.helpdesk.sendConfirmations, secretKey: key,
                closedTicketPolicy: config.helpdesk.closedTicketReply,
                agents: AgentSettings(
                    addresses: Set(config.agents.addresses), teamAddress: config.agents.teamAddress,
                    authservID: config.agents.authservID)),
            logger: logger)
    }

    /// Signs and verifies the tokens of our Message-IDs and reply addresses (the ingestor's own).
    var tokens: ThreadTokens { ingestor.settings.tokens }

    /// The inbound sources the configuration names, each with its poll settings.
    func sources() throws -> [(source: any InboundSource, settings: InboxPoller<ContinuousClock>.Settings)] {
        var sources: [(any InboundSource, InboxPoller<ContinuousClock>.Settings)] = []
        for box in config.imap {
            let connection = CurlConnection(
                url: box.url, user: box.user, password: box.password, caFile: box.caFile, insecure: box.insecure,
                requireTLS: !box.allowPlaintext)
            let folders = IMAPSource.Folders(
                inbox: box.inbox, processed: box.processedFolder, quarantine: box.quarantineFolder)
            let source = try IMAPSource(connection: connection, folders: folders, logger: logger)
            sources.append((source, .init(interval: .seconds(box.pollInterval), batchSize: box.batchSize)))
        }
        for maildir in config.maildirs {
            let source = try MaildirSource(root: URL(fileURLWithPath: maildir.path))
            sources.append((source, .init(interval: .seconds(maildir.pollInterval), batchSize: maildir.batchSize)))
        }
        return sources
    }

    /// The daemon's services: one poller per inbound source, the outbox worker and the template reloader.
    func buildServices() throws -> [any Service] {
        var services: [any Service] = try sources().map { source, settings in
            InboxPoller(
                source: source, ingestor: ingestor, database: database, settings: settings, clock: ContinuousClock(),
                logger: logger)
        }
        if let worker = try outboxWorker() {
            services.append(worker.worker)
            services.append(TemplateReloader(library: worker.templates, logger: logger))
        } else {
            logger.warning("no [outbound] in the configuration: mail stays queued in the outbox")
        }
        return services
    }

    /// Loads the templates (refusing to start on a broken one) and builds the worker that sends the outbox.
    func outboxWorker() throws -> (worker: OutboxWorker<ContinuousClock>, templates: TemplateLibrary)? {
        guard let outbound = config.outbound else { return nil }
        let templates = try TemplateLibrary.load(from: config.helpdesk.templates)
        let sender: any MailSender
        if let folder = outbound.folder {
            sender = FileSender(folder: URL(fileURLWithPath: folder))
        } else {
            sender = try SMTPSender(
                connection: CurlConnection(
                    url: outbound.url ?? "", user: outbound.user, password: outbound.password, caFile: outbound.caFile,
                    insecure: outbound.insecure, requireTLS: !outbound.allowPlaintext),
                logger: logger)
        }
        let composer = composer(templates: templates)
        let worker = OutboxWorker(
            database: database, sender: sender, composer: composer, envelopeFrom: config.helpdesk.supportAddress,
            schedule: RetrySchedule(giveUpAfter: .seconds(outbound.retryHours * 3600)), clock: ContinuousClock(),
            logger: logger)
        return (worker, templates)
    }

    func composer(templates: TemplateLibrary) -> OutboundComposer {
        OutboundComposer(
            templates: templates,
            site: TemplateSite(
                productName: config.helpdesk.productName, supportAddress: config.helpdesk.supportAddress,
                portalURL: config.helpdesk.portalURL),
            tokens: tokens)
    }

    /// Takes in what waits in every source, then sends what is due, once: for `run --once` and the demo.
    func drainOnce() async throws -> (inbound: InboxPoller<ContinuousClock>.Report, outbound: OutboxWorker<ContinuousClock>.Report) {
        var total = InboxPoller<ContinuousClock>.Report()
        for (source, settings) in try sources() {
            let poller = InboxPoller(
                source: source, ingestor: ingestor, database: database, settings: settings, clock: ContinuousClock(),
                logger: logger)
            let report = try await poller.pollOnce()
            total.fetched += report.fetched
            total.acknowledged += report.acknowledged
            total.quarantined += report.quarantined
            total.reacknowledged += report.reacknowledged
        }
        var sent = OutboxWorker<ContinuousClock>.Report()
        if let worker = try outboxWorker()?.worker {
            while true {
                let report = try await worker.sendDue()
                sent.sent += report.sent
                sent.retried += report.retried
                sent.dead += report.dead
                if report.sent + report.dead == 0 { break }
            }
        }
        return (total, sent)
    }
}
