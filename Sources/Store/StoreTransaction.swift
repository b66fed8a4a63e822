import Foundation
import GRDB
import MailModel

/// The store's operations, run inside one transaction opened by `AppDatabase.transaction` (or
/// `read`, for the lookups). The gateway composes them; SQL stays here.
public struct StoreTransaction {
    let db: Database

    // MARK: Inbound mail

    /// The record of a mail with exactly these raw bytes, if it was seen before.
    public func inboundMail(sha256: String) throws -> InboundMailRecord? {
        try InboundMailRecord.fetchOne(
            db, SQLRequest(sql: "SELECT * FROM inboundMail WHERE sha256 = ?", arguments: [sha256], cached: true))
    }

    /// Records of mails already taken from `source` under `uidValidity`, among `keys`.
    public func inboundMails(source: String, uidValidity: UInt32?, keys: [String]) throws -> [InboundMailRecord] {
        guard !keys.isEmpty else { return [] }
        var found: [InboundMailRecord] = []
        // Chunked so a large mailbox stays under SQLite's limit on bound variables.
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            found += try InboundMailRecord
                .filter(InboundMailRecord.Columns.source == source)
                .filter(InboundMailRecord.Columns.uidValidity == uidValidity.map { Int64($0) })
                .filter(chunk.contains(InboundMailRecord.Columns.sourceKey))
                .fetchAll(db)
        }
        return found
    }

    /// Whether a message with this Message-ID from this sender is already on a ticket.
    public func hasMessage(messageID: String, from address: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            SQLRequest(
                sql: "SELECT EXISTS (SELECT 1 FROM message WHERE messageId = ? AND authorEmail = ? COLLATE NOCASE)",
                arguments: [messageID, address], cached: true)) ?? false
    }

    public func recordInboundMail(_ record: InboundMailRecord) throws -> InboundMailRecord {
        var record = record
        try record.insert(db)
        return record
    }

    // MARK: Mailbox state

    public func uidValidity(source: String) throws -> UInt32?? {
        guard let row = try Row.fetchOne(db, sql: "SELECT uidValidity FROM mailboxState WHERE source = ?", arguments: [source])
        else { return .none }
        let value: Int64? = row["uidValidity"]
        return .some(value.map { UInt32(truncatingIfNeeded: $0) })
    }

    public func setUIDValidity(_ uidValidity: UInt32?, source: String, at now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO mailboxState (source, uidValidity, updatedAt) VALUES (?, ?, ?)
                ON CONFLICT(source) DO UPDATE SET uidValidity = excluded.uidValidity, updatedAt = excluded.updatedAt
                """,
            arguments: [source, uidValidity.map { Int64($0) }, now])
    }

    // MARK: Threading lookups

    /// The ticket that a mail with one of these ids (In-Reply-To and References, newest first) answers:
    /// a stored inbound message or a mail we sent.
    public func ticket(answering messageIDs: [String]) throws -> Ticket? {
        for id in messageIDs {
            let inbound = SQLRequest<Int64>(
                sql: "SELECT ticketId FROM message WHERE messageId = ? ORDER BY id LIMIT 1", arguments: [id], cached: true)
            let outbound = SQLRequest<Int64>(
                sql: "SELECT ticketId FROM outbox WHERE messageId = ? AND ticketId IS NOT NULL", arguments: [id],
                cached: true)
            if let ticketID = try inbound.fetchOne(db) ?? outbound.fetchOne(db) {
                return try Ticket.fetchOne(db, key: ticketID)
            }
        }
        return nil
    }

    public func ticket(id: Int64) throws -> Ticket? {
        try Ticket.fetchOne(db, key: id)
    }

    public func ticket(ref: String) throws -> Ticket? {
        try Ticket.fetchOne(db, SQLRequest(sql: "SELECT * FROM ticket WHERE ref = ?", arguments: [ref], cached: true))
    }

    /// Whether `address` takes part in the ticket (see `ParticipantRecord`).
    public func isParticipant(_ address: String, in ticket: Ticket) throws -> Bool {
        guard let ticketID = ticket.id else { return false }
        return try participant(address, in: ticketID) != nil
    }

    public func customer(id: Int64) throws -> Customer? {
        try Customer.fetchOne(db, key: id)
    }

    // MARK: Tickets and messages

    /// The customer with this address, created on first contact; a name learnt later fills a gap.
    public func customer(email: String, name: String?, at now: Date) throws -> Customer {
        let lookup = SQLRequest<Customer>(
            sql: "SELECT * FROM customer WHERE email = ? COLLATE NOCASE", arguments: [email], cached: true)
        if var existing = try lookup.fetchOne(db) {
            if existing.name == nil, let name, !name.isEmpty {
                existing.name = name
                try existing.update(db)
            }
            return existing
        }
        var customer = Customer(id: nil, email: email, name: name, createdAt: now)
        try customer.insert(db)
        return customer
    }

    /// Opens a ticket with a fresh random reference.
    public func openTicket(
        customer: Customer, subject: String, source: Ticket.Source, prefix: String, followUpOf: String? = nil,
        at now: Date
    ) throws -> Ticket {
        guard let customerID = customer.id else { throw StoreError("customer has no id") }
        for _ in 0..<20 {
            let ref = TicketReference.random(prefix: prefix).rawValue
            guard try self.ticket(ref: ref) == nil else { continue }
            var ticket = Ticket(
                id: nil, ref: ref, customerId: customerID, subject: subject, status: .new, priority: .normal,
                assignee: nil, source: source, createdAt: now, updatedAt: now, followUpOf: followUpOf)
            try ticket.insert(db)
            return ticket
        }
        throw StoreError("no free ticket reference after 20 tries")
    }

    /// Marks a ticket as changed; a customer's new message reopens a finished one.
    public func touch(_ ticket: Ticket, reopen: Bool, at now: Date) throws -> Ticket {
        var ticket = ticket
        ticket.updatedAt = now
        if reopen, ticket.status.isFinished || ticket.status == .pending {
            ticket.status = .open
        }
        try ticket.update(db)
        return ticket
    }

    /// Sets a ticket's status (and the time it was resolved, for resolved and closed).
    public func setStatus(_ status: Ticket.Status, of ticket: Ticket, at now: Date) throws -> Ticket {
        var ticket = ticket
        ticket.status = status
        ticket.updatedAt = now
        if status.isFinished, ticket.resolvedAt == nil { ticket.resolvedAt = now }
        try ticket.update(db)
        return ticket
    }

    /// Saves a ticket changed by the caller (assignee, priority, resolution).
    public func save(_ ticket: Ticket) throws {
        try ticket.update(db)
    }

    /// Message-IDs of the customer's messages on the ticket and of the mail we sent them, oldest first: what a
    /// new mail on the ticket refers to.
    public func threadMessageIDs(of ticket: Ticket) throws -> [String] {
        guard let ticketID = ticket.id else { return [] }
        let sql = """
            SELECT messageId, createdAt FROM message WHERE ticketId = ? AND kind = 'customer' AND messageId IS NOT NULL
            UNION ALL
            SELECT o.messageId, o.createdAt FROM outbox o JOIN customer c ON c.id = ?
            WHERE o.ticketId = ? AND o.state = 'sent' AND o.recipient = c.email COLLATE NOCASE
            ORDER BY createdAt
            """
        return try String.fetchAll(
            db, SQLRequest(sql: sql, arguments: [ticketID, ticket.customerId, ticketID], cached: true))
    }

    public func addMessage(_ message: MessageRecord) throws -> MessageRecord {
        var message = message
        try message.insert(db)
        return message
    }

    public func addAttachment(_ attachment: AttachmentRecord) throws {
        var attachment = attachment
        try attachment.insert(db)
    }

    public func enqueue(_ mail: OutboxRecord) throws {
        var mail = mail
        try mail.insert(db)
    }

    public func log(_ event: EventRecord) throws {
        var event = event
        try event.insert(db)
    }
}

/// A store failure that is not SQLite's own: a broken expectation about the data.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
