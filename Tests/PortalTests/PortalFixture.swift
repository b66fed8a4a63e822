import Foundation
import GRDB
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import MailModel
import Portal
import Store
import Synchronization

// The executable declares the same conformance; the tests cannot import it.
extension PortalIntake: PortalDesk {}

/// A clock the tests can move forward: real time plus an offset.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// The portal over a real store: a database file and blobs in a temporary folder, the real ingestor
/// and `PortalIntake`, one clock for all of them. Removes its folder when it goes away.
final class PortalFixture: Sendable {
    static let key = Array("a test key of thirty-two bytes!!".utf8)
    static let agent = "Alice Agent <alice@example.test>"

    let folder: URL
    let database: AppDatabase
    let blobs: BlobStore
    let ingestor: Ingestor
    let intake: PortalIntake
    let clock = TestClock()
    let settings: PortalSettings
    let controller: PortalController

    init(_ configure: (inout PortalSettings) -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-portal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try AppDatabase.open(path: folder.appendingPathComponent("db.sqlite").path)
        blobs = try BlobStore(root: folder.appendingPathComponent("files"))
        let clock = clock
        var logger = Logger(label: "postdesk.test")
        logger.logLevel = .warning
        let ingest = IngestSettings(
            supportAddress: "support@example.test", secretKey: Self.key,
            agents: AgentSettings(addresses: ["alice@example.test"], teamAddress: "team@example.test"))
        ingestor = Ingestor(
            database: database, blobs: blobs, settings: ingest, logger: logger, now: { clock.now() })
        intake = PortalIntake(ingestor: ingestor, now: { clock.now() })
        var settings = PortalSettings(supportAddress: "support@example.test", secretKey: Self.key)
        configure(&settings)
        self.settings = settings
        controller = PortalController(
            database: database, blobs: blobs, desk: intake, settings: settings, logger: logger,
            now: { clock.now() })
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Runs `body` with a browser on the portal's router.
    func run(_ body: @Sendable (Browser) async throws -> Void) async throws {
        let app = Application(router: controller.buildRouter(), services: [controller.linkRequestMailer])
        try await app.test(.router) { client in try await body(Browser(client)) }
    }

    /// Runs `body` with a browser talking HTTP to the portal on a loopback port, so requests have a
    /// real peer address (127.0.0.1).
    func runLive(_ body: @Sendable (Browser) async throws -> Void) async throws {
        let app = Application(
            router: controller.buildRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            services: [controller.linkRequestMailer])
        try await app.test(.live) { client in try await body(Browser(client)) }
    }

    /// Waits until the sign-in links asked for so far have been looked up and queued (after the
    /// answers, by the link request mailer the browser's application runs).
    func linkRequestsHandled() async {
        await controller.linkRequests.settled()
    }

    // MARK: Mail in

    /// A hand-written RFC 5322 mail with CRLF line ends.
    static func mail(
        from: String = "Ada Lovelace <ada@example.org>", subject: String = "Printer on fire",
        id: String = "\(UUID().uuidString)@example.org", headers: [String] = [],
        body: String = "Hello, the printer is on fire.\nPlease help."
    ) -> String {
        (["From: \(from)", "To: support@example.test", "Subject: \(subject)", "Message-ID: <\(id)>",
            "Date: Tue, 01 Oct 2024 10:00:00 +0200"] + headers)
            .joined(separator: "\r\n") + "\r\n\r\n" + body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
    }

    /// A multipart mail body with `text` and one attached file.
    static func withAttachment(_ text: String, filename: String, base64: String) -> (headers: [String], body: String) {
        let body = """
            --b
            Content-Type: text/plain

            \(text)
            --b
            Content-Type: application/pdf; name="\(filename)"
            Content-Disposition: attachment; filename="\(filename)"
            Content-Transfer-Encoding: base64

            \(base64)
            --b--
            """
        return (["MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\""], body)
    }

    @discardableResult
    func ingest(_ text: String) async throws -> IngestResult {
        let raw = RawMail(locator: MailLocator(source: "test", uidValidity: 1, key: UUID().uuidString), bytes: Array(text.utf8))
        guard let result = try await ingestor.ingest([raw]).first else { throw StoreError("no result") }
        return result
    }

    /// A new ticket by mail; returns its reference.
    @discardableResult
    func openTicket(
        from: String = "Ada Lovelace <ada@example.org>", subject: String = "Printer on fire",
        body: String = "Hello, the printer is on fire.\nPlease help.", headers: [String] = []
    ) async throws -> String {
        let result = try await ingest(Self.mail(from: from, subject: subject, headers: headers, body: body))
        guard let ref = result.ticketRef, result.outcome == .ticket else { throw StoreError("no ticket: \(result)") }
        return ref
    }

    /// Many tickets in one batch, as a mailbox poll would bring them.
    func openTickets(_ count: Int, from: String = "Ada Lovelace <ada@example.org>", subject: (Int) -> String) async throws {
        let raws = (0..<count).map { index in
            RawMail(
                locator: MailLocator(source: "test", uidValidity: 1, key: "batch-\(index)"),
                bytes: Array(Self.mail(from: from, subject: subject(index), body: "Ticket number \(index).").utf8))
        }
        _ = try await ingestor.ingest(raws)
    }

    /// A mail from a participant answering ticket `ref`: it refers to one of our signed Message-IDs,
    /// an agent's notice for agents, the customer's mail for everyone else.
    @discardableResult
    func answer(_ ref: String, from: String = agent, body: String, headers: [String] = []) async throws -> IngestResult {
        let tokens = ingestor.settings.tokens
        let domain = ingestor.settings.domain
        let ours =
            from == Self.agent
            ? tokens.agentMessageID(ref: ref, domain: domain, recipient: "team@example.test")
            : tokens.messageID(ref: ref, domain: domain)
        return try await ingest(
            Self.mail(from: from, subject: "Re: [\(ref)] Printer on fire", headers: ["In-Reply-To: <\(ours)>"] + headers, body: body))
    }

    /// An internal note, as the command line writes it.
    func addNote(_ text: String, on ref: String) async throws {
        try await database.write { tx in
            guard let ticket = try tx.ticket(ref: ref) else { throw StoreError("no ticket \(ref)") }
            try TicketDesk(tx: tx, settings: ingestor.settings, now: clock.now())
                .addNote(text, on: ticket, by: EmailAddress(name: "Alice Agent", address: "alice@example.test"))
        }
    }

    // MARK: Links

    func customer(_ email: String) async throws -> Customer {
        guard let customer = try await database.read({ try $0.customer(email: email) }) else {
            throw StoreError("no customer \(email)")
        }
        return customer
    }

    /// A sign-in link's token, as the outbox worker makes it when the magic-link mail is sent.
    func loginToken(for email: String, lifetime: TimeInterval = 1800, requestID: Int64? = nil) async throws -> String {
        let customerID = try await customer(email).id ?? -1
        return try await database.write { tx in
            try tx.issueToken(
                customerID: customerID, ticketID: nil, purpose: .login, lifetime: lifetime, at: clock.now(),
                requestID: requestID)
        }
    }

    /// A ticket link's token, as confirmations, replies and resolution notices carry it.
    func ticketToken(for ref: String, lifetime: TimeInterval = 30 * 86_400) async throws -> String {
        try await database.write { tx in
            guard let ticket = try tx.ticket(ref: ref), let id = ticket.id else { throw StoreError("no ticket \(ref)") }
            return try tx.issueToken(
                customerID: ticket.customerId, ticketID: id, purpose: .ticketLink, lifetime: lifetime, at: clock.now())
        }
    }

    // MARK: Reading the store

    func ticket(_ ref: String) async throws -> TicketDetail {
        guard let detail = try await database.read({ try $0.ticketDetail(ref: ref) }) else { throw StoreError("no ticket \(ref)") }
        return detail
    }

    func outbox(_ kind: OutboxRecord.Kind? = nil) async throws -> [OutboxRecord] {
        try await database.read { try $0.outboxMails() }.filter { kind == nil || $0.kind == kind }
    }

    func counts() async throws -> (tickets: Int, messages: Int, inbound: Int, outbox: Int) {
        try await database.read { try $0.counts() }
    }

    func events(_ action: String) async throws -> [EventRecord] {
        try await database.reader.read { db in
            try EventRecord.fetchAll(db, sql: "SELECT * FROM event WHERE action = ? ORDER BY id", arguments: [action])
        }
    }

    func sessionCount() async throws -> Int {
        try await database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM portalSession") ?? 0 }
    }

    /// The live session behind a cookie value, if any.
    func session(_ cookie: String) async throws -> PortalSessionRecord? {
        let moment = clock.now()
        return try await database.read { try $0.session(cookie, at: moment) }
    }

    /// An outbox row's JSON context.
    static func context(_ row: OutboxRecord) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(row.context.utf8))) ?? [:]
    }
}
