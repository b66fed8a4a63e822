import Foundation
import Store
import Synchronization

/// What the portal keeps in memory between requests: sessions with their customer, the rendered
/// rows of ticket lists, and when each page view was last logged. Every entry remembers the store's portal generation it was made at and is
/// used only while the generation is unchanged (any change to tickets, messages, customers or sessions,
/// by this process or another, moves it), so nothing stale is ever shown.
final class PortalCache: Sendable {
    struct SessionEntry: Sendable {
        var session: PortalSessionRecord
        var customer: Customer
        var generation: Int64
    }

    struct ListKey: Hashable, Sendable {
        var customerID: Int64
        var onlyTicketID: Int64?
        var filter: PortalTicketFilter
        var search: String
        var page: Int
    }

    struct ListEntry: Sendable {
        var generation: Int64
        /// Relative times ("5 minutes ago") are right only within the minute they were written.
        var minute: Int
        var total: Int
        var rows: HTML
    }

    private let sessions = Mutex<[String: SessionEntry]>([:])
    /// When each page was last written to the event log per session, so reloading a page does not
    /// write on every request.
    private let accessLogged = Mutex<[String: Date]>([:])
    private let lists = Mutex<[ListKey: ListEntry]>([:])
    static let limit = 10_000

    /// Session and list reads in progress, shared by the requests that need the same one.
    struct SessionRead: Hashable, Sendable {
        var token: String
        var generation: Int64
    }
    struct ListRead: Hashable, Sendable {
        var key: ListKey
        var generation: Int64
        var minute: Int
    }
    let sessionReads = SharedWork<SessionRead, SessionEntry?>()
    let listReads = SharedWork<ListRead, ListEntry>()

    /// Whether a view keyed `key` should go to the event log now: at most every ten minutes.
    func accessIsDue(_ key: String, at moment: Date) -> Bool {
        accessLogged.withLock { seen in
            if let last = seen[key], moment.timeIntervalSince(last) < 600 { return false }
            if seen.count >= Self.limit { seen.removeAll(keepingCapacity: true) }
            seen[key] = moment
            return true
        }
    }

    func session(_ token: String, generation: Int64) -> SessionEntry? {
        sessions.withLock { $0[token] }.flatMap { $0.generation == generation ? $0 : nil }
    }

    func remember(_ token: String, _ entry: SessionEntry) {
        sessions.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }

    func list(_ key: ListKey, generation: Int64, minute: Int) -> ListEntry? {
        lists.withLock { $0[key] }.flatMap { $0.generation == generation && $0.minute == minute ? $0 : nil }
    }

    func remember(_ key: ListKey, _ entry: ListEntry) {
        lists.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }
}
