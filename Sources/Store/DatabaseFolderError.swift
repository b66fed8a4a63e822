import Foundation

/// Why a data folder's database is not opened: what is wrong, the path, and how to put it right.
public struct DatabaseFolderError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }

    /// No database, and the command does not create one.
    static func noDatabase(_ path: String) -> DatabaseFolderError {
        DatabaseFolderError("no database at \(path)")
    }

    /// SQLite cannot read the file (not a database, damaged, no permission).
    static func unreadable(_ path: String, _ error: any Error) -> DatabaseFolderError {
        DatabaseFolderError(
            "cannot open the database \(path): \(Self.oneLine(error)). If the file is damaged, stop postdesk, "
                + "copy the last backup of postdesk.sqlite to \(path) and start again.")
    }

    init(_ refusal: DatabaseFolderRule.Refusal, folder: DatabaseFolder) {
        let path = folder.databasePath
        let marker = folder.markerPath
        let restore =
            "To restore: stop postdesk, copy the last backup of postdesk.sqlite to \(path)"
            + " (with its -wal file, if the backup has one) and start again."
        switch refusal {
        case .lost(let state, let markerPresent, let signsOfUse):
            let what =
                switch state {
                case .empty: "is empty (0 bytes)"
                case .noTables: "holds no tables"
                default: "is missing"
                }
            var evidence: [String] = []
            if markerPresent { evidence.append("\(marker) records that a database was created here") }
            evidence += signsOfUse.map { "\($0) exists" }
            let blocking = (markerPresent ? [marker] : []) + signsOfUse
            self.init(
                "refusing to open the database \(path): it \(what), but this data folder has been in use ("
                    + evidence.joined(separator: "; ") + "). Opening it would start an empty helpdesk and hide"
                    + " every ticket. " + restore + " To start afresh with an empty database instead, move "
                    + blocking.joined(separator: ", ") + " out of the folder"
                    + (signsOfUse.isEmpty ? "." : " (keep them: they hold the raw mails and the signing key)."))
        case .swapped(let found, let expected):
            self.init(
                "refusing to open the database \(path): it belongs to another data folder (its id is \(found),"
                    + " \(marker) says this folder's is \(expected)). " + restore
                    + " To use this database here all the same, remove \(marker) and start again.")
        case .unidentified(let expected):
            self.init(
                "refusing to open the database \(path): it carries no database id, while \(marker) says this"
                    + " folder's database is \(expected); it is a backup made before databases carried ids, or"
                    + " another folder's database. If it is this folder's, remove \(marker) and start again."
                    + " Otherwise: " + restore)
        case .foreign:
            self.init(
                "refusing to open the database \(path): it holds tables but is not a Postdesk database"
                    + " (no migration history). Check [storage] data_dir. " + restore)
        }
    }

    /// An error's text on one line.
    static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
