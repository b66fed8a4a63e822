import Foundation
import GRDB

/// A ticket as a list shows it.
public struct TicketSummary: Codable, Sendable, FetchableRecord {
    public var ref: String
    public var subject: String
    public var status: Ticket.Status
    public var priority: Ticket.Priority
    public var customerEmail: String
    public var messageCount: Int
    public var createdAt: Date
    public var updatedAt: Date
}

/// A ticket with everything on it, as agents see it.
public struct TicketDetail: Sendable {
    public var ticket: Ticket
    public var customer: Customer
    public var messages: [MessageRecord]
    public var attachments: [Int64: [AttachmentRecord]]
    /// Who takes part, in the order they joined.
    public var participants: [ParticipantRecord]
    /// The mail about the ticket, sent, waiting, dead or suppressed, oldest first.
    public var outbox: [OutboxRecord]

    public init(
        ticket: Ticket, customer: Customer, messages: [MessageRecord], attachments: [Int64: [AttachmentRecord]],
        participants: [ParticipantRecord], outbox: [OutboxRecord]
    ) {
        self.ticket = ticket
        self.customer = customer
        self.messages = messages
        self.attachments = attachments
        self.participants = participants
        self.outbox = outbox
    }
}

extension StoreTransaction {
    /// Tickets, most recently updated first.
    public func ticketSummaries(limit: Int = 100, status: Ticket.Status? = nil) throws -> [TicketSummary] {
        var sql = """
            SELECT t.ref, t.subject, t.status, t.priority, c.email AS customerEmail,
                   (SELECT COUNT(*) FROM message m WHERE m.ticketId = t.id) AS messageCount,
                   t.createdAt, t.updatedAt
            FROM ticket t JOIN customer c ON c.id = t.customerId
            """
        var arguments: StatementArguments = []
        if let status {
            sql += " WHERE t.status = ?"
            arguments += [status.rawValue]
        }
        sql += " ORDER BY t.updatedAt DESC, t.id DESC LIMIT ?"
        arguments += [limit]
        return try TicketSummary.fetchAll(db, sql: sql, arguments: arguments)
    }

    public func ticketDetail(ref: String) throws -> TicketDetail? {
        guard let ticket = try ticket(ref: ref), let ticketID = ticket.id,
            let customer = try customer(id: ticket.customerId)
        else { return nil }
        let (messages, attachments) = try conversation(ofTicket: ticketID, publicOnly: false)
        return TicketDetail(
            ticket: ticket, customer: customer, messages: messages, attachments: attachments,
            participants: try participants(of: ticketID),
            outbox: try OutboxRecord.filter(OutboxRecord.Columns.ticketId == ticketID).order(Column("id")).fetchAll(db))
    }

    /// A ticket's messages in order (only the public ones, for customers) and their attachments by message.
    func conversation(
        ofTicket ticketID: Int64, publicOnly: Bool
    ) throws -> (messages: [MessageRecord], attachments: [Int64: [AttachmentRecord]]) {
        var request = MessageRecord.filter(MessageRecord.Columns.ticketId == ticketID)
        if publicOnly { request = request.filter(Column("visibility") == MessageRecord.Visibility.public.rawValue) }
        let messages = try request.order(MessageRecord.Columns.createdAt, Column("id")).fetchAll(db)
        let ids = messages.compactMap(\.id)
        var attachments = AttachmentRecord.filter(ids.contains(AttachmentRecord.Columns.messageId))
        if publicOnly { attachments = attachments.filter(AttachmentRecord.Columns.isInternal == false) }
        let found = try attachments.fetchAll(db)
        return (messages, Dictionary(grouping: found, by: \.messageId))
    }

    /// The customer with the most tickets (the newest such, on a tie).
    public func customerWithMostTickets() throws -> Customer? {
        try Customer.fetchOne(
            db,
            sql: """
                SELECT c.* FROM customer c JOIN ticket t ON t.customerId = c.id
                GROUP BY c.id ORDER BY COUNT(*) DESC, MAX(t.updatedAt) DESC LIMIT 1
                """)
    }

    /// Mails in the outbox, oldest first, optionally only those in one state.
    public func outboxMails(state: OutboxRecord.State? = nil) throws -> [OutboxRecord] {
        var request = OutboxRecord.order(Column("id"))
        if let state { request = request.filter(OutboxRecord.Columns.state == state.rawValue) }
        return try request.fetchAll(db)
    }

    /// The record of every inbound mail, in the order received.
    public func inboundMailRecords() throws -> [InboundMailRecord] {
        try InboundMailRecord.order(Column("id")).fetchAll(db)
    }

    /// How many inbound mails ended in each outcome.
    public func inboundOutcomeCounts() throws -> [InboundMailRecord.Outcome: Int] {
        var counts: [InboundMailRecord.Outcome: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT outcome, COUNT(*) AS n FROM inboundMail GROUP BY outcome") {
            if let outcome = InboundMailRecord.Outcome(rawValue: row["outcome"]) { counts[outcome] = row["n"] }
        }
        return counts
    }

    public func counts() throws -> (tickets: Int, messages: Int, inbound: Int, outbox: Int) {
        (
            try Ticket.fetchCount(db), try MessageRecord.fetchCount(db),
            try InboundMailRecord.fetchCount(db), try OutboxRecord.fetchCount(db)
        )
    }
}

extension StoreTransaction {
    /// When automated mails to `recipient` were queued since `since`, for one ticket or across all:
    /// one query serves every sliding window of the gate.
    public func automatedMailTimes(to recipient: String, ticketID: Int64?, since: Date) throws -> [Date] {
        var sql = """
            SELECT createdAt FROM outbox
            WHERE recipient = ? COLLATE NOCASE AND createdAt >= ? AND automated AND state != 'suppressed'
            """
        var arguments: StatementArguments = [recipient, since]
        if let ticketID {
            sql += " AND ticketId = ?"
            arguments += [ticketID]
        }
        return try Date.fetchAll(db, SQLRequest(sql: sql, arguments: arguments, cached: true))
    }
}
