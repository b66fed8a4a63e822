import GRDBSQLite
import Synchronization

/// The portal generation without a transaction on every page: a read-only SQLite connection of its own
/// asks `PRAGMA data_version`, which moves whenever another connection (the gateway's writer, or
/// another process such as `postdesk portal revoke`) commits, and reads the counter again only then.
/// The connection is SQLite's own, not a GRDB queue: the check runs on every portal request and costs
/// a mutex and one pragma step.
final class GenerationWatch: Sendable {
    private struct Connection: ~Copyable {
        let handle: OpaquePointer
        let dataVersion: OpaquePointer
        let generation: OpaquePointer
        /// The last `data_version` seen and the generation read after it.
        var known: (dataVersion: Int64, generation: Int64)?
    }

    private let connection: Mutex<Connection>

    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw StoreError("cannot open \(path) to watch for changes: \(message)")
        }
        sqlite3_busy_timeout(handle, 10_000)
        do {
            let dataVersion = try Self.prepare("PRAGMA data_version", on: handle)
            guard let generation = try? Self.prepare(StoreTransaction.portalGenerationSQL, on: handle) else {
                sqlite3_finalize(dataVersion)
                throw StoreError("cannot read the portal generation: \(String(cString: sqlite3_errmsg(handle)))")
            }
            connection = Mutex(Connection(handle: handle, dataVersion: dataVersion, generation: generation))
        } catch {
            sqlite3_close(handle)
            throw error
        }
    }

    deinit {
        connection.withLock { connection in
            sqlite3_finalize(connection.dataVersion)
            sqlite3_finalize(connection.generation)
            sqlite3_close(connection.handle)
        }
    }

    func portalGeneration() throws -> Int64 {
        try connection.withLock { connection in
            // `data_version` first: a commit landing between the two reads moves it again, so the
            // generation kept is never older than the version it is filed under.
            let version = try Self.integer(connection.dataVersion, on: connection.handle)
            if let known = connection.known, known.dataVersion == version { return known.generation }
            let generation = try Self.integer(connection.generation, on: connection.handle)
            connection.known = (version, generation)
            return generation
        }
    }

    private static func prepare(_ sql: String, on handle: OpaquePointer) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError("cannot prepare \(sql): \(String(cString: sqlite3_errmsg(handle)))")
        }
        return statement
    }

    /// The first column of the statement's one row.
    private static func integer(_ statement: OpaquePointer, on handle: OpaquePointer) throws -> Int64 {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else {
            throw StoreError("cannot read the portal generation: \(String(cString: sqlite3_errmsg(handle)))")
        }
        return sqlite3_column_int64(statement, 0)
    }
}
