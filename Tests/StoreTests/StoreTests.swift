import Foundation
import GRDB
import MailModel
import Testing

@testable import Store

@Suite("Store")
struct StoreTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("a file database is WAL with every table of the schema")
    func fileDatabaseIsWAL() throws {
        let folder = try TemporaryFolder()
        let database = try AppDatabase.open(path: folder.path("db.sqlite"))
        let (mode, tables) = try database.reader.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            )
        }
        #expect(mode == "wal")
        for table in ["attachment", "customer", "event", "inboundMail", "mailboxState", "message", "outbox", "ticket"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        // Opening again runs no migration twice.
        _ = try AppDatabase.open(path: folder.path("db.sqlite"))
    }

    @Test("customers are one per address, whatever its case, and learn their name")
    func customerUpsert() throws {
        let database = try AppDatabase.inMemory()
        let (first, second) = try database.transaction { tx in
            (
                try tx.customer(email: "Ada@Example.org", name: nil, at: now),
                try tx.customer(email: "ada@example.org", name: "Ada Lovelace", at: now)
            )
        }
        #expect(first.id == second.id)
        #expect(second.name == "Ada Lovelace")
    }

    @Test("tickets get distinct references in the configured prefix")
    func ticketReferences() throws {
        let database = try AppDatabase.inMemory()
        let refs = try database.transaction { tx in
            let customer = try tx.customer(email: "ada@example.org", name: nil, at: now)
            return try (0..<200).map { _ in
                try tx.openTicket(customer: customer, subject: "s", source: .email, prefix: "HELP", at: now).ref
            }
        }
        #expect(Set(refs).count == 200)
        for ref in refs { #expect(TicketReference(ref, prefix: "HELP")?.rawValue == ref) }
    }

    @Test("a follow-up finds its ticket by a stored Message-ID or by one of our outbox Message-IDs")
    func ticketAnswering() throws {
        let database = try AppDatabase.inMemory()
        let ticket = try database.transaction { tx in
            let customer = try tx.customer(email: "ada@example.org", name: nil, at: now)
            let ticket = try tx.openTicket(customer: customer, subject: "s", source: .email, prefix: "TKT", at: now)
            _ = try tx.addMessage(
                MessageRecord(
                    ticketId: ticket.id ?? 0, kind: .customer, visibility: .public, text: "t", visibleText: "t",
                    messageId: "first@example.org", createdAt: now))
            try tx.enqueue(
                OutboxRecord(
                    kind: .confirmation, ticketId: ticket.id, recipient: "ada@example.org",
                    messageId: "\(ticket.ref).abc@example.test", context: "{}", state: .queued, nextAttemptAt: now,
                    createdAt: now))
            return ticket
        }
        try database.read { (tx: StoreTransaction) throws in
            #expect(try tx.ticket(answering: ["unknown@x", "first@example.org"])?.ref == ticket.ref)
            #expect(try tx.ticket(answering: ["\(ticket.ref).abc@example.test"])?.ref == ticket.ref)
            #expect(try tx.ticket(answering: ["unknown@x"]) == nil)
            #expect(try tx.hasMessage(messageID: "first@example.org", from: "ADA@example.org") == false)
        }
    }

    @Test("inbound mail is found by exact bytes and by its place in a mailbox")
    func inboundLookups() throws {
        let database = try AppDatabase.inMemory()
        try database.transaction { tx in
            for uid in 1...3 {
                _ = try tx.recordInboundMail(
                    InboundMailRecord(
                        source: "imap:a", uidValidity: 7, sourceKey: "\(uid)", sha256: "hash\(uid)",
                        outcome: .ticket, rawPath: "raw/x", size: 10, receivedAt: now))
            }
        }
        try database.read { (tx: StoreTransaction) throws in
            #expect(try tx.inboundMail(sha256: "hash2")?.sourceKey == "2")
            #expect(try tx.inboundMails(source: "imap:a", uidValidity: 7, keys: ["1", "3", "9"]).count == 2)
            #expect(try tx.inboundMails(source: "imap:a", uidValidity: 8, keys: ["1"]).isEmpty)
        }
        let keys = (1...1_200).map(String.init)
        #expect(try database.read { try $0.inboundMails(source: "imap:a", uidValidity: 7, keys: keys) }.count == 3)
    }

    @Test("UIDVALIDITY is remembered per mailbox")
    func uidValidity() throws {
        let database = try AppDatabase.inMemory()
        #expect(try database.read { try $0.uidValidity(source: "imap:a") } == .none)
        try database.transaction { try $0.setUIDValidity(42, source: "imap:a", at: now) }
        #expect(try database.read { try $0.uidValidity(source: "imap:a") } == .some(42))
        try database.transaction { try $0.setUIDValidity(43, source: "imap:a", at: now) }
        #expect(try database.read { try $0.uidValidity(source: "imap:a") } == .some(43))
    }

    @Test("blobs are stored by content, once, and read back")
    func blobStore() throws {
        let folder = try TemporaryFolder()
        let blobs = try BlobStore(root: URL(fileURLWithPath: folder.path("files")))
        let bytes = Array("hello".utf8)
        let hash = BlobStore.sha256(bytes)
        #expect(hash == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        let path = try blobs.put(bytes, sha256: hash, kind: .raw)
        #expect(path == "raw/2c/\(hash)")
        #expect(try blobs.put(bytes, sha256: hash, kind: .raw) == path)
        #expect(try blobs.read(hash, kind: .raw) == bytes)
        try blobs.sync()
    }
}

/// A folder under the system's temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
