import Foundation
import GRDB
import Testing

@testable import Store

/// A data folder laid out like the daemon's: `postdesk.sqlite`, `database.id`, `secret.key`, `files/`.
private struct Layout {
    let folder = try! TemporaryFolder()
    var database: String { folder.path("postdesk.sqlite") }
    var marker: String { folder.path("database.id") }
    var key: String { folder.path("secret.key") }
    var files: String { folder.path("files") }
    var guarded: DatabaseFolder { DatabaseFolder(databasePath: database, keyFiles: [key], blobFolders: [files]) }

    /// A first start with one customer recorded, as a daemon that has been running leaves it.
    func started() throws {
        let (database, opened) = try guarded.open(create: true)
        #expect(opened == .created)
        try database.transaction { tx in _ = try tx.customer(email: "ada@example.org", name: nil, at: Date()) }
        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: key))
        let blob = try BlobStore(root: URL(fileURLWithPath: files))
        try blob.put(Array("raw mail".utf8), sha256: BlobStore.sha256(Array("raw mail".utf8)), kind: .raw)
    }

    func removeDatabase() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    func refusal(create: Bool = true) -> String? {
        do {
            _ = try guarded.open(create: create)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

@Suite("The data folder's database")
struct DatabaseFolderTests {
    @Test("a first start on an empty folder creates the database and a marker holding the id inside it")
    func firstStart() throws {
        let layout = Layout()
        let (database, opened) = try layout.guarded.open(create: true)
        #expect(opened == .created)
        let id = try #require(try database.read { try $0.databaseID() })
        let marker = try String(contentsOfFile: layout.marker, encoding: .utf8)
        #expect(marker == id + "\n")
        #expect(try layout.guarded.open(create: true).opened == .opened)
    }

    @Test("a command that does not create says there is no database")
    func noCreate() {
        let layout = Layout()
        #expect(layout.refusal(create: false) == "no database at \(layout.database)")
        #expect(!FileManager.default.fileExists(atPath: layout.database))
    }

    @Test("a 0-byte database in a used folder is refused, naming the path and how to restore")
    func zeroBytes() throws {
        let layout = Layout()
        try layout.started()
        try layout.removeDatabase()
        #expect(FileManager.default.createFile(atPath: layout.database, contents: Data()))
        let message = try #require(layout.refusal())
        #expect(message.contains("refusing to open the database \(layout.database): it is empty (0 bytes)"))
        #expect(message.contains("copy the last backup of postdesk.sqlite to \(layout.database)"))
        #expect(message.contains("move \(layout.marker), \(layout.files), \(layout.key) out of the folder"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: layout.database)).isEmpty, "the file is left alone")
    }

    @Test("a missing database while the marker exists is refused")
    func missingWithMarker() throws {
        let layout = Layout()
        _ = try layout.guarded.open(create: true)
        try layout.removeDatabase()
        let message = try #require(layout.refusal())
        #expect(message.contains("it is missing"))
        #expect(message.contains("\(layout.marker) records that a database was created here"))
        #expect(message.hasSuffix("move \(layout.marker) out of the folder."), "only the marker to move")
        #expect(!FileManager.default.fileExists(atPath: layout.database))
        // Not for the read-only commands either.
        #expect(layout.refusal(create: false)?.contains("it is missing") == true)
    }

    @Test("a missing database in a folder with stored mail but no marker (made before markers) is refused")
    func missingWithBlobsNoMarker() throws {
        let layout = Layout()
        try layout.started()
        try layout.removeDatabase()
        try FileManager.default.removeItem(atPath: layout.marker)
        try FileManager.default.removeItem(atPath: layout.key)
        let message = try #require(layout.refusal())
        #expect(message.contains("it is missing"))
        #expect(message.contains("\(layout.files) exists"))
        #expect(!message.contains("records that a database"))
    }

    @Test("a missing database beside a signing key alone is refused")
    func missingWithKey() throws {
        let layout = Layout()
        try Data(repeating: 1, count: 32).write(to: URL(fileURLWithPath: layout.key))
        #expect(layout.refusal()?.contains("\(layout.key) exists") == true)
    }

    @Test("an empty blob folder is no sign of use")
    func emptyBlobFolder() throws {
        let layout = Layout()
        _ = try BlobStore(root: URL(fileURLWithPath: layout.files))
        try FileManager.default.createDirectory(atPath: layout.files + "/raw/ab", withIntermediateDirectories: true)
        #expect(try layout.guarded.open(create: true).opened == .created)
    }

    @Test("an SQLite file without tables in a used folder is refused")
    func noTables() throws {
        let layout = Layout()
        try layout.started()
        try layout.removeDatabase()
        let queue = try DatabaseQueue(path: layout.database)
        try queue.write { db in try db.execute(sql: "PRAGMA user_version = 1") }
        try queue.close()
        #expect(layout.refusal()?.contains("it holds no tables") == true)
    }

    @Test("a text file named postdesk.sqlite is an error naming the path", arguments: [true, false])
    func textFile(started: Bool) throws {
        let layout = Layout()
        if started { try layout.started() }
        try layout.removeDatabase()
        try "not a database, just some notes\n".write(toFile: layout.database, atomically: true, encoding: .utf8)
        let message = try #require(layout.refusal())
        #expect(message.hasPrefix("cannot open the database \(layout.database): "))
        #expect(message.contains("not a database"))
        #expect(message.contains("restore") || message.contains("backup"))
        #expect(!message.contains("\n"))
        #expect(try String(contentsOfFile: layout.database, encoding: .utf8).hasPrefix("not a database"))
    }

    @Test("a database from another data folder is refused; removing the marker adopts it")
    func swapped() throws {
        let layout = Layout()
        let other = Layout()
        try layout.started()
        try other.started()
        try layout.removeDatabase()
        // As an operator would copy it: the file and its write-ahead log.
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: other.database + suffix) {
            try FileManager.default.copyItem(atPath: other.database + suffix, toPath: layout.database + suffix)
        }
        let otherID = try String(contentsOfFile: other.marker, encoding: .utf8).trimmingCharacters(in: .newlines)
        let message = try #require(layout.refusal())
        #expect(message.contains("it belongs to another data folder (its id is \(otherID)"))
        #expect(message.contains("remove \(layout.marker)"))
        try FileManager.default.removeItem(atPath: layout.marker)
        #expect(try layout.guarded.open(create: true).opened == .marked)
        #expect(try String(contentsOfFile: layout.marker, encoding: .utf8) == otherID + "\n")
    }

    @Test("a database made before ids gets one and a marker; under a marker it is refused")
    func beforeIDs() throws {
        let layout = Layout()
        do {
            let (database, _) = try layout.guarded.open(create: true)
            try database.transaction { tx in try tx.db.execute(sql: "DELETE FROM databaseIdentity") }
        }
        #expect(layout.refusal()?.contains("it carries no database id") == true)
        try FileManager.default.removeItem(atPath: layout.marker)
        let (database, opened) = try layout.guarded.open(create: true)
        #expect(opened == .marked)
        let id = try #require(try database.read { try $0.databaseID() })
        #expect(try String(contentsOfFile: layout.marker, encoding: .utf8) == id + "\n")
    }

    @Test("a lost marker beside the folder's own database is written again")
    func lostMarker() throws {
        let layout = Layout()
        try layout.started()
        let id = try String(contentsOfFile: layout.marker, encoding: .utf8)
        try FileManager.default.removeItem(atPath: layout.marker)
        #expect(try layout.guarded.open(create: true).opened == .marked)
        #expect(try String(contentsOfFile: layout.marker, encoding: .utf8) == id)
    }

    @Test("an SQLite database of another program is refused")
    func foreign() throws {
        let layout = Layout()
        let queue = try DatabaseQueue(path: layout.database)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try queue.close()
        #expect(layout.refusal()?.contains("is not a Postdesk database") == true)
    }

    @Test("the rule, case by case", arguments: [
        (DatabaseFolderRule.Facts(database: .missing, marker: nil, signsOfUse: []), DatabaseFolderRule.Decision.create),
        (.init(database: .empty, marker: nil, signsOfUse: []), .create),
        (.init(database: .noTables, marker: nil, signsOfUse: []), .create),
        (.init(database: .missing, marker: "a", signsOfUse: []),
            .refuse(.lost(.missing, markerPresent: true, signsOfUse: []))),
        (.init(database: .empty, marker: "", signsOfUse: []), .refuse(.lost(.empty, markerPresent: true, signsOfUse: []))),
        (.init(database: .missing, marker: nil, signsOfUse: ["k"]),
            .refuse(.lost(.missing, markerPresent: false, signsOfUse: ["k"]))),
        (.init(database: .stored(id: "a"), marker: "a", signsOfUse: ["k"]), .open),
        (.init(database: .stored(id: "b"), marker: "a", signsOfUse: []), .refuse(.swapped(found: "b", expected: "a"))),
        (.init(database: .stored(id: nil), marker: "a", signsOfUse: []), .refuse(.unidentified(expected: "a"))),
        (.init(database: .stored(id: nil), marker: nil, signsOfUse: ["k"]), .openAndMark(id: nil)),
        (.init(database: .stored(id: "a"), marker: "", signsOfUse: []), .openAndMark(id: "a")),
        (.init(database: .foreign, marker: nil, signsOfUse: []), .refuse(.foreign)),
    ])
    func rule(facts: DatabaseFolderRule.Facts, decision: DatabaseFolderRule.Decision) {
        #expect(DatabaseFolderRule.decide(facts) == decision)
    }
}
