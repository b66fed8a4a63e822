import MIME
import MailModel

/// Rules that tie an incoming mail to a ticket it follows up. Pure: the gateway looks the candidates
/// up in the database, in the order given here.
public enum ThreadMatcher {
    /// Ids this mail answers, most specific first: In-Reply-To, then References from the newest back.
    public static func referencedIDs(_ mail: ParsedMail) -> [String] {
        var seen = Set<String>()
        var ids: [String] = []
        for id in mail.inReplyTo + mail.references.reversed() where !id.isEmpty && seen.insert(id).inserted {
            ids.append(id)
        }
        return ids
    }

    /// Ticket references tagged in a subject as `[TKT-7F3KQ9]` (any case), in order of appearance.
    public static func subjectReferences(_ subject: String, prefix: String) -> [TicketReference] {
        var refs: [TicketReference] = []
        var rest = Substring(subject)
        while let open = rest.firstIndex(of: "[") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "]") else { break }
            let inside = rest[afterOpen..<close].trimmingWhitespace()
            if let ref = TicketReference(String(inside), prefix: prefix), !refs.contains(ref) { refs.append(ref) }
            rest = rest[rest.index(after: open)...]
        }
        return refs
    }

    /// A subject for a new ticket: reply and forward prefixes and our own tags removed, never empty.
    public static func ticketSubject(_ subject: String?, prefix: String) -> String {
        var text = Substring(subject ?? "")
        var changed = true
        while changed {
            changed = false
            text = text.trimmingWhitespace()
            let lower = text.lowercased()
            for marker in ["re:", "fw:", "fwd:", "aw:", "wg:", "sv:", "vs:", "tr:", "rv:", "antw:", "odp:"]
            where lower.hasPrefix(marker) {
                text = text.dropFirst(marker.count)
                changed = true
                break
            }
            if text.first == "[", let close = text.firstIndex(of: "]"),
                TicketReference(String(text[text.index(after: text.startIndex)..<close]), prefix: prefix) != nil
            {
                text = text[text.index(after: close)...]
                changed = true
            }
        }
        let result = String(text.trimmingWhitespace())
        return result.isEmpty ? "(no subject)" : String(result.prefix(250))
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}
