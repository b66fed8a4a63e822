import Foundation
import GRDB

/// A data folder's database, opened only when it is the folder's own: see `DatabaseFolderRule`.
///
/// Gathers the facts (the database file, the `database.id` marker, the folder's signs of use), asks
/// the rule, then creates, opens or refuses. A refusal, and a file SQLite cannot read, is a
/// `DatabaseFolderError` that names the path and says how to restore.
public struct DatabaseFolder: Sendable {
    public static let markerName = "database.id"

    public let databasePath: String
    public let markerPath: String
    /// Files whose presence shows the folder has been used (the signing key).
    public let keyFiles: [String]
    /// Folders whose files show the folder has been used (stored raw mail and attachments).
    public let blobFolders: [String]

    public init(databasePath: String, keyFiles: [String], blobFolders: [String]) {
        self.databasePath = databasePath
        markerPath = ((databasePath as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(Self.markerName)
        self.keyFiles = keyFiles
        self.blobFolders = blobFolders
    }

    /// What opening did, for the caller's log.
    public enum Opened: Equatable, Sendable {
        case created
        case opened
        /// The marker was missing (a database from before markers, or a marker lost) and was written.
        case marked
    }

    /// Opens the folder's database; with `create`, a first start creates it (and its marker).
    public func open(create: Bool) throws -> (database: AppDatabase, opened: Opened) {
        let facts = try self.facts()
        switch DatabaseFolderRule.decide(facts) {
        case .refuse(let refusal):
            throw DatabaseFolderError(refusal, folder: self)
        case .create:
            guard create else { throw DatabaseFolderError.noDatabase(databasePath) }
            let database = try openFile()
            try mark(database, id: nil)
            return (database, .created)
        case .open:
            return (try openFile(), .opened)
        case .openAndMark(let id):
            let database = try openFile()
            try mark(database, id: id)
            return (database, .marked)
        }
    }

    /// The facts the rule decides on.
    public func facts() throws -> DatabaseFolderRule.Facts {
        let marker = FileManager.default.contents(atPath: markerPath).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let signs =
            blobFolders.filter(Self.holdsFiles)
            + keyFiles.filter { FileManager.default.fileExists(atPath: $0) }
        return .init(database: try databaseState(), marker: marker, signsOfUse: signs)
    }

    private func databaseState() throws -> DatabaseFolderRule.DatabaseState {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: databasePath) else { return .missing }
        if (attributes[.size] as? NSNumber)?.intValue == 0 { return .empty }
        do {
            var config = Configuration()
            config.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: databasePath, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                if tables.isEmpty { return .noTables }
                guard tables.contains("grdb_migrations") else { return .foreign }
                guard tables.contains("databaseIdentity") else { return .stored(id: nil) }
                return .stored(id: try Self.storedID(db))
            }
        } catch {
            throw DatabaseFolderError.unreadable(databasePath, error)
        }
    }

    /// Opens the file through `AppDatabase.open`, which migrates it; an error names the path.
    private func openFile() throws -> AppDatabase {
        do { return try AppDatabase.open(path: databasePath) } catch {
            throw DatabaseFolderError.unreadable(databasePath, error)
        }
    }

    /// Writes the marker with the database's id, giving the database one first when `id` is nil.
    private func mark(_ database: AppDatabase, id: String?) throws {
        let value: String
        if let id {
            value = id
        } else {
            value = UUID().uuidString.lowercased()
            try database.transaction { tx in
                try tx.db.execute(
                    sql: "INSERT OR REPLACE INTO databaseIdentity (id, value, createdAt) VALUES (1, ?, ?)",
                    arguments: [value, Date()])
            }
        }
        try MarkerFile.write(value + "\n", to: markerPath)
    }

    static func storedID(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM databaseIdentity WHERE id = 1")
    }

    /// Whether a folder holds at least one file, at any depth (an empty blob store does not count).
    static func holdsFiles(_ folder: String) -> Bool {
        guard let walk = FileManager.default.enumerator(atPath: folder) else { return false }
        while walk.nextObject() != nil {
            if walk.fileAttributes?[.type] as? FileAttributeType == .typeRegular { return true }
        }
        return false
    }
}

extension StoreTransaction {
    /// The id kept in the database and in its folder's `database.id`.
    public func databaseID() throws -> String? {
        try DatabaseFolder.storedID(db)
    }
}
