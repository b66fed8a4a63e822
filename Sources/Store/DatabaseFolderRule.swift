/// Whether a data folder's database may be opened, created, or must not be touched: the rule alone,
/// on facts gathered by `DatabaseFolder`, so every hostile case is a plain value in a test.
///
/// The folder's `database.id` marker records that a database was made there, and which one (the same
/// random id is kept inside the database). A missing or empty database is created afresh only in a
/// folder that shows no sign of use: no marker, no stored mail, no signing key. Anything else would
/// silently replace a helpdesk's history with an empty one.
public enum DatabaseFolderRule {
    /// What the database file holds, as far as opening it is concerned.
    public enum DatabaseState: Equatable, Sendable {
        case missing
        /// A file of 0 bytes.
        case empty
        /// An SQLite file without a single table.
        case noTables
        /// An SQLite file with tables but no migration history: not a Postdesk database.
        case foreign
        /// A Postdesk database, with its id (nil when it was made before databases carried one).
        case stored(id: String?)
    }

    /// What is in the folder beside the database.
    public struct Facts: Equatable, Sendable {
        public var database: DatabaseState
        /// The id in the marker file: nil when there is no marker, "" when it is empty.
        public var marker: String?
        /// Paths whose presence shows the folder has been used: stored mail, the signing key.
        public var signsOfUse: [String]

        public init(database: DatabaseState, marker: String?, signsOfUse: [String]) {
            self.database = database
            self.marker = marker
            self.signsOfUse = signsOfUse
        }
    }

    public enum Decision: Equatable, Sendable {
        /// A first start: create the database, give it an id and write the marker.
        case create
        /// The folder's own database.
        case open
        /// A database without a marker (one made before markers, or a marker lost): open it and write
        /// the marker with its id, giving it a new id first when it has none.
        case openAndMark(id: String?)
        case refuse(Refusal)
    }

    public enum Refusal: Equatable, Sendable {
        /// The database is missing, empty or without tables in a folder that has been used.
        case lost(DatabaseState, markerPresent: Bool, signsOfUse: [String])
        /// The database carries another id than the marker: another folder's database.
        case swapped(found: String, expected: String)
        /// The database carries no id while the marker names one: an old backup or another folder's.
        case unidentified(expected: String)
        /// Tables, but not Postdesk's.
        case foreign
    }

    public static func decide(_ facts: Facts) -> Decision {
        switch facts.database {
        case .missing, .empty, .noTables:
            if facts.marker != nil || !facts.signsOfUse.isEmpty {
                return .refuse(
                    .lost(facts.database, markerPresent: facts.marker != nil, signsOfUse: facts.signsOfUse))
            }
            return .create
        case .foreign:
            return .refuse(.foreign)
        case .stored(let id):
            guard let expected = facts.marker, !expected.isEmpty else { return .openAndMark(id: id) }
            guard let id else { return .refuse(.unidentified(expected: expected)) }
            return id == expected ? .open : .refuse(.swapped(found: id, expected: expected))
        }
    }
}
