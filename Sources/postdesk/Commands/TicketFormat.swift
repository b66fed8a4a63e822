import Foundation
import Store

/// How `postdesk ticket` prints: an aligned table or readable text for people, JSON for scripts.
enum TicketFormat {
    static func table(_ tickets: [TicketSummary]) -> String {
        guard !tickets.isEmpty else { return "no tickets" }
        let header = ["REF", "STATUS", "PRIORITY", "MSGS", "UPDATED", "CUSTOMER", "SUBJECT"]
        let rows = tickets.map { ticket in
            [
                ticket.ref, ticket.status.rawValue, ticket.priority.rawValue, "\(ticket.messageCount)",
                stamp(ticket.updatedAt), clip(ticket.customerEmail, 32), clip(ticket.subject, 60),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n\(tickets.count) ticket(s)"
    }

    static func text(_ detail: TicketDetail, full: Bool = false) -> String {
        let ticket = detail.ticket
        var out = [
            "\(ticket.ref)  \(ticket.subject)",
            "status: \(ticket.status.rawValue)   priority: \(ticket.priority.rawValue)   assignee: \(ticket.assignee ?? "-")",
            "customer: \(detail.customer.name.map { "\($0) <\(detail.customer.email)>" } ?? detail.customer.email)",
            "created: \(stamp(ticket.createdAt))   updated: \(stamp(ticket.updatedAt))   source: \(ticket.source.rawValue)",
        ]
        if let resolution = ticket.resolution { out.append("resolution: \(resolution)") }
        if let rating = ticket.csatRating { out.append("rating: \(rating)/5 \(ticket.csatComment ?? "")") }
        if let previous = ticket.followUpOf { out.append("follow-up of: \(previous)") }
        if let cited = ticket.relatedTo { out.append("refers to: \(cited) (its sender takes no part there)") }
        if !detail.participants.isEmpty {
            out.append("participants: " + detail.participants.map { person in
                "\(person.name.map { "\($0) <\(person.email)>" } ?? person.email) (\(person.role.rawValue))"
            }.joined(separator: ", "))
        }
        for message in detail.messages {
            out.append("")
            let who = message.authorName.map { "\($0) <\(message.authorEmail ?? "")>" } ?? message.authorEmail ?? "-"
            out.append("--- \(stamp(message.createdAt))  \(message.kind.rawValue) (\(message.visibility.rawValue))  \(who)")
            // --full: the author's whole mail; for an agent's answer that is more than the customer got.
            out.append(full ? message.fullText ?? message.text : message.visibleText)
            for attachment in detail.attachments[message.id ?? -1] ?? [] {
                let note = attachment.isInternal ? "  (internal: not sent to the customer)" : ""
                out.append(
                    "  [attachment] \(attachment.filename ?? "(unnamed)")  \(attachment.contentType)  \(attachment.size) bytes\(note)")
            }
        }
        if !detail.outbox.isEmpty {
            out.append("")
            out.append("--- mail")
            for row in detail.outbox {
                let cc = row.ccAddresses.isEmpty ? "" : " (cc \(row.ccAddresses.joined(separator: ", ")))"
                let why = row.state == .sent || row.state == .queued ? "" : ": \(row.lastError ?? "")"
                out.append("  \(stamp(row.createdAt))  \(row.state.rawValue)  \(row.kind.rawValue) to \(row.recipient)\(cc)\(why)")
            }
        }
        return out.joined(separator: "\n")
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func json(_ detail: TicketDetail) throws -> String {
        struct Shape: Encodable {
            var ticket: Ticket
            var customer: Customer
            var participants: [ParticipantRecord]
            var messages: [Message]
            var outbox: [OutboxRecord]
        }
        struct Message: Encodable {
            var message: MessageRecord
            var attachments: [AttachmentRecord]
        }
        return try json(
            Shape(
                ticket: detail.ticket, customer: detail.customer, participants: detail.participants,
                messages: detail.messages.map { Message(message: $0, attachments: detail.attachments[$0.id ?? -1] ?? []) },
                outbox: detail.outbox))
    }

    private static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: date) + "Z"
    }

    private static func clip(_ text: String, _ length: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= length ? flat : String(flat.prefix(length - 1)) + "…"
    }
}
