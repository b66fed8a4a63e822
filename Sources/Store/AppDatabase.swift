import Foundation
import GRDB

/// The one door to Postdesk's SQLite database.
///
/// Writes are named after what they do and run in one transaction each; reads go through `reader`.
/// Migrations run when the value is created. A file database is a WAL `DatabasePool` with
/// `synchronous = FULL`, so a committed transaction survives a crash or a power cut: the gateway
/// acknowledges mail on the server only after such a commit.
public struct AppDatabase: Sendable {
    private let dbWriter: any DatabaseWriter
    /// For a file database: the portal generation, read without a transaction while nothing changed.
    private var generationWatch: GenerationWatch?

    /// Reads that need no transaction of their own (synchronous callers only).
    public var reader: any DatabaseReader { dbWriter }

    public init(_ dbWriter: any DatabaseWriter) throws {
        self.dbWriter = dbWriter
        try Self.migrator.migrate(dbWriter)
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String) throws -> AppDatabase {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        var database = try AppDatabase(DatabasePool(path: path, configuration: config))
        database.generationWatch = try GenerationWatch(path: path)
        return database
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }

    /// Runs `body` in one write transaction with the store's intention-named operations, on GRDB's
    /// writer queue: the calling task waits without holding a thread of the cooperative pool.
    public func write<T: Sendable>(_ body: @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await dbWriter.write { db in try body(StoreTransaction(db: db)) }
    }

    /// Runs `body` with read access, on one of GRDB's reader queues.
    public func read<T: Sendable>(_ body: @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await dbWriter.read { db in try body(StoreTransaction(db: db)) }
    }

    /// `write` for synchronous callers: command-line tools, tests and work already moved off the
    /// cooperative pool. It blocks its thread (for up to the busy timeout), so async code cannot call it.
    @available(*, noasync, message: "blocks its thread: use `try await write`")
    public func transaction<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try dbWriter.write { db in try body(StoreTransaction(db: db)) }
    }

    /// `read` for synchronous callers (see `transaction`).
    @available(*, noasync, message: "blocks its thread: use `try await read`")
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try dbWriter.read { db in try body(StoreTransaction(db: db)) }
    }

    /// The portal generation (see `StoreTransaction.portalGeneration()`), cheaply: a file database
    /// asks SQLite whether anything was committed since the last call before reading the counter.
    public func portalGeneration() throws -> Int64 {
        if let generationWatch { return try generationWatch.portalGeneration() }
        return try dbWriter.read { db in try StoreTransaction(db: db).portalGeneration() }
    }
}
