import Foundation
import Logging
import Store

/// The one place where commands open the data folder's database: the daemon, the demo, `deliver`,
/// `ticket`, `outbox` and `portal` all come here, so all of them refuse a missing, empty or swapped
/// database in a folder that has been in use (see `DatabaseFolderRule`).
enum DataFolder {
    /// The database, its marker and the folder's signs of use: stored files and the signing key.
    static func database(dataDir: String) -> DatabaseFolder {
        DatabaseFolder(
            databasePath: PostdeskConfig.databasePath(dataDir: dataDir),
            keyFiles: [(dataDir as NSString).appendingPathComponent(SecretKeyFile.name)],
            blobFolders: [(dataDir as NSString).appendingPathComponent("files")])
    }

    /// Opens the folder's database; `create` lets a first start make it. A logger, when given, hears
    /// what was done.
    static func open(dataDir: String, create: Bool, logger: Logger? = nil) throws -> AppDatabase {
        let folder = database(dataDir: dataDir)
        let (database, opened) = try folder.open(create: create)
        switch opened {
        case .created:
            logger?.info("created a new database", metadata: ["db.path": "\(folder.databasePath)"])
        case .marked:
            logger?.notice(
                "the data folder had no database marker: wrote it",
                metadata: ["db.path": "\(folder.databasePath)", "db.marker": "\(folder.markerPath)"])
        case .opened:
            break
        }
        return database
    }
}
