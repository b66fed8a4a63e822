import CurlMail
import Foundation
import Gateway
import Hummingbird
import Logging
import MIME
import MailModel
import MailTemplates
import Portal
import ServiceLifecycle
import UnixSignals
import Store

/// The one place that wires concrete adapters into services, for the daemon, the demo and tests.
struct PostdeskApp: Sendable {
    let config: PostdeskConfig
    let database: AppDatabase
    let ingestor: Ingestor
    let blobs: BlobStore
    let secretKey: [UInt8]
    let logger: Logger

    init(config: PostdeskConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        database = try DataFolder.open(dataDir: config.dataDir, create: true, logger: logger)
        blobs = try BlobStore(root: config.blobRoot)
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
                    authservID: config.agents.authservID,
                    noticeDigest: .seconds(config.agents.noticeDigestMinutes * 60)),
                replyAll: config.helpdesk.replyAll),
            logger: logger)
        secretKey = key
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
            let source = try IMAPSource(
                connection: connection, folders: folders, maxMailBytes: box.maxMailMB << 20, logger: logger)
            sources.append((source, .init(interval: .seconds(box.pollInterval), batchSize: box.batchSize)))
        }
        for maildir in config.maildirs {
            let source = try MaildirSource(root: URL(fileURLWithPath: maildir.path))
            sources.append((source, .init(interval: .seconds(maildir.pollInterval), batchSize: maildir.batchSize)))
        }
        return sources
    }

    /// The daemon's services: one poller per inbound source, the outbox worker and the template reloader,
    /// the portal, and the housekeeper.
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
        if config.portal.enabled { services += try portal() }
        services.append(
            Housekeeper(
                database: database, blobs: blobs, policy: HousekeepingPolicy(keepRawDays: config.keepRawDays),
                clock: ContinuousClock(), logger: logger))
        return services
    }

    /// A service's name in the service group's log: its type's, without generic arguments.
    static func serviceName(_ service: any Service) -> String {
        String("\(type(of: service))".prefix { $0 != "<" })
    }

    /// Runs the daemon's services until SIGTERM or SIGINT.
    func runServices() async throws {
        let services = try buildServices()
        let group = ServiceGroup(
            configuration: .init(
                // Named by type: ServiceLifecycle would otherwise describe each service, stored
                // properties and all, in its debug log.
                services: services.map { .init(service: $0, serviceName: Self.serviceName($0)) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info(
            "postdesk running",
            metadata: [
                "services": "\(services.count)", "data_dir": "\(config.dataDir)",
                "portal": "\(config.portal.enabled ? "\(config.portal.host):\(config.portal.port)" : "off")",
            ])
        try await group.run()
    }

    /// The customer portal's services: its server and the mailer of the sign-in links it is asked for.
    /// Its writes go through the ingestor, like mail.
    func portal() throws -> [any Service] {
        let portal = config.portal
        let settings = PortalSettings(
            productName: config.helpdesk.productName, supportAddress: config.helpdesk.supportAddress,
            publicURL: config.helpdesk.portalURL, primaryColor: BrandColor(hex: portal.primaryColor) ?? .default,
            logo: try PortalLogo.load(portal.logo), sessionLifetime: .seconds(portal.sessionDays * 86_400),
            loginLinkLifetime: .seconds(portal.loginLinkMinutes * 60), anonymousTickets: portal.anonymousTickets,
            linkRequestsPerAddress: portal.linkRequestsPerAddress, linkRequestsPerClient: portal.linkRequestsPerClient,
            trustedProxies: Set(portal.trustedProxies), writesPerWindow: portal.writesPerCustomer,
            writeWindow: .seconds(portal.writeWindowMinutes * 60), secretKey: secretKey)
        let controller = PortalController(
            database: database, blobs: blobs, desk: PortalIntake(ingestor: ingestor), settings: settings,
            logger: Logger(label: "postdesk.portal"))
        let limits = connectionLimits()
        let server = Application(
            router: controller.buildRouter(), server: limits.server,
            configuration: .init(
                address: .hostname(portal.host, port: portal.port), serverName: nil,
                availableConnectionsDelegate: limits.connectionCap(logger: logger)),
            logger: Logger(label: "postdesk.portal"))
        return [
            // The mailer first: a service group stops its services in reverse, so the server stops
            // taking requests before the mailer handles the last of them.
            controller.linkRequestMailer,
            PortalServer(server: server, address: "\(portal.host):\(portal.port)", logger: logger),
        ]
    }

    /// The configured connection limits, the cap lowered so that the portal's connections always
    /// leave file descriptors for the mailboxes, SMTP and SQLite; logged, as it may differ from the file.
    func connectionLimits() -> PortalConnectionLimits {
        let portal = config.portal
        let configured = PortalConnectionLimits(
            headerTimeout: .seconds(portal.headerTimeoutSeconds), idleTimeout: .seconds(portal.idleTimeoutSeconds),
            maxConnections: portal.maxConnections)
        let descriptors = PortalConnectionLimits.descriptorLimit()
        let limits = descriptors.map { configured.capped(descriptorLimit: $0) } ?? configured
        var metadata: Logger.Metadata = [
            "portal.max_connections": "\(limits.maxConnections)",
            "portal.header_timeout": "\(limits.headerTimeout)", "portal.idle_timeout": "\(limits.idleTimeout)",
        ]
        if let descriptors { metadata["portal.descriptor_limit"] = "\(descriptors)" }
        if limits.maxConnections < configured.maxConnections {
            logger.warning(
                "the portal takes fewer connections than max_connections, to keep file descriptors for mail",
                metadata: metadata.merging(["portal.configured_max_connections": "\(configured.maxConnections)"]) { $1 })
        } else {
            logger.info("portal connection limits", metadata: metadata)
        }
        return limits
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
            schedule: RetrySchedule(giveUpAfter: .seconds(outbound.retryHours * 3600)),
            links: PortalLinks(
                loginLifetime: .seconds(config.portal.loginLinkMinutes * 60),
                ticketLinkLifetime: .seconds(config.portal.ticketLinkDays * 86_400)),
            clock: ContinuousClock(), logger: logger)
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
            try await worker.recoverInterrupted()
            sent = try await worker.sendDue()
        }
        return (total, sent)
    }
}

extension PortalIntake: PortalDesk {}
