import MailModel

/// How often the server refused to acknowledge each mail, for one poller's life.
///
/// A refused mail is committed already: the next poll only tries to acknowledge it again, never
/// re-ingests it. After `limit` refusals it is left alone (in the inbox) until the process restarts,
/// so a mail the server will not move costs nothing more and holds back no other. Keys count per
/// UIDVALIDITY: after a change the same UID is another mail.
actor AcknowledgeRefusals {
    struct Key: Hashable {
        var uidValidity: UInt32?
        var key: String
    }

    let limit: Int
    private var tries: [Key: Int] = [:]

    init(limit: Int) { self.limit = max(1, limit) }

    /// Counts one more refusal; returns the count so far.
    func record(_ key: String, uidValidity: UInt32?) -> Int {
        let id = Key(uidValidity: uidValidity, key: key)
        tries[id, default: 0] += 1
        return tries[id, default: 0]
    }

    /// The keys given up on.
    func skipped(uidValidity: UInt32?) -> Set<String> {
        Set(tries.filter { $0.key.uidValidity == uidValidity && $0.value >= limit }.map(\.key.key))
    }

}
