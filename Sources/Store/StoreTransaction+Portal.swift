import Foundation
import GRDB

/// A ticket as the customer's list shows it: public messages only.
public struct PortalTicketRow: Codable, Sendable, FetchableRecord, Hashable {
    public var ref: String
    public var subject: String
    public var status: Ticket.Status
    public var assignee: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var publicMessageCount: Int
    public var lastAuthorName: String?
    public var lastAuthorEmail: String?
    public var lastKind: MessageRecord.Kind?
    /// The start of the last public message's visible text.
    public var lastPreview: String?
}

/// Which of a customer's tickets a list shows.
public enum PortalTicketFilter: String, Sendable, CaseIterable {
    case all, open, resolved

    var statuses: [Ticket.Status] {
        switch self {
        case .all: Ticket.Status.allCases
        case .open: [.new, .open, .pending]
        case .resolved: [.resolved, .closed]
        }
    }
}

/// One page of a customer's tickets and how many match in all.
public struct PortalTicketPage: Sendable {
    public var rows: [PortalTicketRow]
    public var total: Int
}

/// A ticket as its customer sees it: public messages only, their attachments, and public status changes.
public struct PortalTicketView: Sendable {
    public var ticket: Ticket
    public var messages: [MessageRecord]
    public var attachments: [Int64: [AttachmentRecord]]
    public var statusChanges: [EventRecord]
}

extension StoreTransaction {
    /// A page of the customer's tickets (or the one ticket a limited session may see), most recently
    /// updated first, matching `search` in the subject or the reference.
    public func portalTickets(
        customerID: Int64, onlyTicketID: Int64? = nil, filter: PortalTicketFilter, search: String, limit: Int,
        offset: Int
    ) throws -> PortalTicketPage {
        var conditions = ["t.customerId = ?"]
        var arguments: StatementArguments = [customerID]
        if let onlyTicketID {
            conditions.append("t.id = ?")
            arguments += [onlyTicketID]
        }
        if filter != .all {
            conditions.append("t.status IN (" + filter.statuses.map { _ in "?" }.joined(separator: ",") + ")")
            arguments += StatementArguments(filter.statuses.map(\.rawValue))
        }
        let query = search.trimmingCharacters(in: .whitespaces)
        if !query.isEmpty {
            let pattern = "%" + Self.likeEscaped(query) + "%"
            conditions.append("(t.subject LIKE ? ESCAPE '\\' OR t.ref LIKE ? ESCAPE '\\')")
            arguments += [pattern, pattern]
        }
        let whereClause = conditions.joined(separator: " AND ")
        let total =
            try Int.fetchOne(
                db, SQLRequest(sql: "SELECT COUNT(*) FROM ticket t WHERE \(whereClause)", arguments: arguments, cached: true))
            ?? 0
        let sql = """
            SELECT t.ref, t.subject, t.status, t.assignee, t.createdAt, t.updatedAt,
                   (SELECT COUNT(*) FROM message m WHERE m.ticketId = t.id AND m.visibility = 'public')
                       AS publicMessageCount,
                   l.authorName AS lastAuthorName, l.authorEmail AS lastAuthorEmail, l.kind AS lastKind,
                   substr(l.visibleText, 1, 200) AS lastPreview
            FROM ticket t
            LEFT JOIN message l ON l.id = (
                SELECT m.id FROM message m WHERE m.ticketId = t.id AND m.visibility = 'public' ORDER BY m.id DESC LIMIT 1)
            WHERE \(whereClause)
            ORDER BY t.updatedAt DESC, t.id DESC LIMIT ? OFFSET ?
            """
        let rows = try PortalTicketRow.fetchAll(
            db, SQLRequest(sql: sql, arguments: arguments + [limit, offset], cached: true))
        return PortalTicketPage(rows: rows, total: total)
    }

    /// The customer's ticket with this reference, as the customer may see it; nil when it is not theirs.
    public func portalTicket(ref: String, customerID: Int64) throws -> PortalTicketView? {
        guard let ticket = try ticket(ref: ref), ticket.customerId == customerID, let ticketID = ticket.id else {
            return nil
        }
        let (messages, attachments) = try conversation(ofTicket: ticketID, publicOnly: true)
        let changes = try EventRecord.fetchAll(
            db,
            sql: """
                SELECT * FROM event WHERE ticketId = ? AND action = 'ticket.changed'
                AND detail IN ('resolved', 'closed', 'reopened') ORDER BY at, id
                """,
            arguments: [ticketID])
        return PortalTicketView(
            ticket: ticket, messages: messages,
            // Nameless inline parts (signature logos and the like) are not offered for download.
            attachments: attachments.mapValues { $0.filter { !$0.isInline || $0.filename != nil } }, statusChanges: changes)
    }

    /// An attachment of a public message on one of the customer's tickets (and on `ticketID` when
    /// given); nil for anything else.
    public func portalAttachment(id: Int64, customerID: Int64, ticketID: Int64? = nil) throws -> AttachmentRecord? {
        let sql = """
            SELECT a.* FROM attachment a JOIN message m ON m.id = a.messageId JOIN ticket t ON t.id = m.ticketId
            WHERE a.id = ? AND m.visibility = 'public' AND NOT a.isInternal AND t.customerId = ? AND (? IS NULL OR t.id = ?)
            """
        return try AttachmentRecord.fetchOne(
            db, SQLRequest(sql: sql, arguments: [id, customerID, ticketID, ticketID], cached: true))
    }

    /// Stores the customer's satisfaction rating (1 to 5) and comment on a finished ticket.
    public func rate(_ ticket: Ticket, rating: Int, comment: String?, at now: Date) throws -> Ticket {
        guard (1...5).contains(rating) else { throw StoreError("a rating is 1 to 5, not \(rating)") }
        guard ticket.status.isFinished else { throw StoreError("ticket \(ticket.ref) is not resolved") }
        var ticket = ticket
        ticket.csatRating = rating
        ticket.csatComment = comment
        try ticket.update(db)
        return ticket
    }

    /// `text` with LIKE's wildcards escaped by a backslash.
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
