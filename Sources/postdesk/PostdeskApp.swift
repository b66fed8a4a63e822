import CurlMail
import Foundation
import Gateway
import Logging
import MIME
import MailModel
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

    /// The daemon's services: one poller per inbound source.
    func buildServices() throws -> [any Service] {
        try sources().map { source, settings in
            InboxPoller(
                source: source, ingestor: ingestor, database: database, settings: settings, clock: ContinuousClock(),
                logger: logger)
        }
    }

    /// Polls every source until it is empty, once: for `run --once` and the demo.
    func drainOnce() async throws -> InboxPoller<ContinuousClock>.Report {
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
        return total
    }
}
