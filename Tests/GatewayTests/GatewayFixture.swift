import Foundation
import Logging
import MailModel
import NIOPosix
import Store

@testable import Gateway

/// A database file, a blob store and an ingestor in a temporary folder.
struct GatewayFixture {
    let folder: URL
    let database: AppDatabase
    let blobs: BlobStore
    let ingestor: Ingestor

    static let key = Array("a test key of thirty-two bytes!!".utf8)

    init(settings: IngestSettings = IngestSettings(supportAddress: "support@example.test", secretKey: key)) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-gw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try AppDatabase.open(path: folder.appendingPathComponent("db.sqlite").path)
        blobs = try BlobStore(root: folder.appendingPathComponent("files"))
        ingestor = Ingestor(database: database, blobs: blobs, settings: settings, logger: Logger(label: "test"))
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func ingest(_ text: String, key: String = UUID().uuidString) async throws -> IngestResult {
        let raw = RawMail(locator: MailLocator(source: "test", uidValidity: 1, key: key), bytes: Array(text.utf8))
        guard let result = try await ingestor.ingest([raw]).first else { throw StoreError("no result") }
        return result
    }

    /// A stored file's bytes, read on NIO's thread pool.
    func blob(_ sha256: String, kind: BlobStore.Kind) async throws -> [UInt8] {
        let blobs = blobs
        return try await NIOThreadPool.singleton.runIfActive { try blobs.read(sha256, kind: kind) }
    }

    func counts() async throws -> (tickets: Int, messages: Int, inbound: Int, outbox: Int) {
        try await database.read { try $0.counts() }
    }
}

extension OutboxRecord {
    /// The stored payload's fields as text, as a test reads them.
    func fields() throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(context.utf8))
    }
}

/// A hand-written mail with CRLF line ends.
func testMail(
    from: String = "Ada Lovelace <ada@example.org>", subject: String = "Printer on fire", id: String = "m1@example.org",
    headers: [String] = [], body: String = "Hello, the printer is on fire.\nPlease help."
) -> String {
    (["From: \(from)", "To: support@example.test", "Subject: \(subject)", "Message-ID: <\(id)>",
        "Date: Tue, 01 Oct 2024 10:00:00 +0200"] + headers)
        .joined(separator: "\r\n") + "\r\n\r\n" + body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
}

/// A delivery status notification saying that the mail `originalID` to ada@example.org bounced (5.1.1).
func testBounce(of originalID: String, subject: String, id: String = "dsn@mx.example.org") -> String {
    let body = """
        --r
        Content-Type: text/plain

        Your message could not be delivered.
        --r
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.org

        Final-Recipient: rfc822; ada@example.org
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 user unknown
        --r
        Content-Type: message/rfc822

        From: support@example.test
        To: ada@example.org
        Message-ID: <\(originalID)>
        Subject: \(subject)

        We received your request.
        --r--
        """
    return testMail(
        from: "Mail Delivery System <MAILER-DAEMON@mx.example.org>", subject: "Undelivered Mail", id: id,
        headers: ["MIME-Version: 1.0", "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\""],
        body: body)
}
