import Foundation
import MailModel
import Store
import Triage

/// What agents and operators do to a ticket, inside one store transaction: reply, note, resolve,
/// close, reopen, assign, prioritise; and the mail each of these calls for, queued in the same
/// transaction (automated mail through the gate). Mail from agents and the command line share it.
public struct TicketDesk {
    let tx: StoreTransaction
    let settings: IngestSettings
    let now: Date

    public init(tx: StoreTransaction, settings: IngestSettings, now: Date) {
        self.tx = tx
        self.settings = settings
        self.now = now
    }

    public enum NoticeEvent: String, Sendable { case newTicket = "new-ticket", customerReply = "customer-reply" }

    /// Records an agent's public reply written outside mail and queues it for the customer.
    public func reply(_ text: String, on ticket: Ticket, by agent: EmailAddress) throws -> Ticket {
        try addNote(text, on: ticket, by: agent, kind: .agent, visibility: .public)
        return try answered(ticket, text: text, by: agent)
    }

    /// Records an internal note: never sent, never shown to the customer.
    public func addNote(
        _ text: String, on ticket: Ticket, by author: EmailAddress, kind: MessageRecord.Kind = .note,
        visibility: MessageRecord.Visibility = .internal
    ) throws {
        guard let ticketID = ticket.id else { throw StoreError("ticket \(ticket.ref) has no id") }
        _ = try tx.addMessage(
            MessageRecord(
                ticketId: ticketID, kind: kind, visibility: visibility, authorEmail: author.address,
                authorName: author.name, text: text, visibleText: text, createdAt: now))
    }

    /// After an agent's public reply: the reply is queued and an active ticket waits on the customer.
    func answered(_ ticket: Ticket, text: String, by agent: EmailAddress) throws -> Ticket {
        try queueAgentReply(text, on: ticket, from: agent)
        return ticket.status.isFinished ? ticket : try tx.setStatus(.pending, of: ticket, at: now)
    }

    /// Carries out one command and logs it.
    public func apply(_ command: AgentCommand, to ticket: Ticket, by agent: EmailAddress) throws -> Ticket {
        var ticket = ticket
        let detail: String
        switch command {
        case .note:
            return ticket
        case .resolve(let text):
            ticket = try tx.setStatus(.resolved, of: ticket, at: now)
            ticket.resolution = text ?? ticket.resolution
            try tx.save(ticket)
            try queueResolution(of: ticket)
            detail = "resolved"
        case .close:
            ticket = try tx.setStatus(.closed, of: ticket, at: now)
            detail = "closed"
        case .reopen:
            ticket = try tx.setStatus(.open, of: ticket, at: now)
            ticket.resolvedAt = nil
            try tx.save(ticket)
            detail = "reopened"
        case .assign(let address):
            ticket.assignee = address ?? agent.normalized
            try tx.save(ticket)
            detail = "assigned to \(ticket.assignee ?? "")"
        case .priority(let level):
            ticket.priority = Ticket.Priority(rawValue: level) ?? ticket.priority
            try tx.save(ticket)
            detail = "priority \(ticket.priority.rawValue)"
        }
        try tx.log(EventRecord(at: now, actor: agent.normalized, action: "ticket.changed", ticketId: ticket.id, detail: detail))
        return ticket
    }

    /// An agent's public reply, sent to the customer as "Agent via Support".
    func queueAgentReply(_ text: String, on ticket: Ticket, from agent: EmailAddress) throws {
        guard let customer = try tx.customer(id: ticket.customerId) else { return }
        let thread = try tx.threadMessageIDs(of: ticket)
        try tx.enqueue(
            outbox(
                .agentReply, ticket: ticket, to: customer.email, inReplyTo: thread.last, references: thread,
                automated: false,
                context: [
                    "ticket_ref": ticket.ref, "ticket_subject": ticket.subject, "customer_email": customer.email,
                    "customer_name": customer.name ?? "", "agent_name": agent.name ?? agent.address,
                    "agent_email": agent.normalized, "reply_text": text,
                ]))
    }

    /// The resolution notice with its rating links, through the gate like every automated mail.
    public func queueResolution(of ticket: Ticket) throws {
        guard let customer = try tx.customer(id: ticket.customerId) else { return }
        let thread = try tx.threadMessageIDs(of: ticket)
        try enqueueAutomated(
            outbox(
                .resolution, ticket: ticket, to: customer.email, inReplyTo: thread.last, references: thread,
                context: [
                    "ticket_ref": ticket.ref, "ticket_subject": ticket.subject, "customer_email": customer.email,
                    "customer_name": customer.name ?? "", "resolution_text": ticket.resolution ?? "",
                ]))
    }

    /// Tells the agents' team address of a new ticket or a customer's reply.
    public func noticeAgents(_ event: NoticeEvent, ticket: Ticket, from sender: EmailAddress, text: String) throws {
        guard let team = settings.agents.teamAddress else { return }
        try enqueueAutomated(
            outbox(
                .agentNotice, ticket: ticket, to: team,
                context: [
                    "event": event.rawValue, "ticket_ref": ticket.ref, "ticket_subject": ticket.subject,
                    "message_from": sender.display, "message_text": text,
                ]))
    }

    /// Queues a sign-in link for the customer with this address (to one ticket when given): the link
    /// itself is made when the mail is sent. Returns why not, when the gate refuses it; throws when the
    /// address or the ticket is unknown.
    /// A link that confirms a request made without signing in carries the request's id and subject.
    @discardableResult
    public func queuePortalLink(
        to email: String, ticket: Ticket? = nil, request: (id: Int64, subject: String)? = nil
    ) throws -> String? {
        guard let customer = try tx.customer(email: email) else { throw StoreError("no customer with address \(email)") }
        if let ticket, ticket.customerId != customer.id {
            throw StoreError("ticket \(ticket.ref) is not \(email)'s")
        }
        var context = ["customer_email": customer.email, "customer_name": customer.name ?? ""]
        if let request {
            context["request_id"] = String(request.id)
            context["request_subject"] = request.subject
        }
        let row = OutboxRecord(
            kind: .magicLink, ticketId: ticket?.id, recipient: customer.email,
            messageId: ticket.map { settings.tokens.messageID(ref: $0.ref, domain: settings.domain) }
                ?? "\(UUID().uuidString.lowercased())@\(settings.domain)",
            context: String(decoding: try JSONEncoder().encode(context), as: UTF8.self),
            state: .queued, nextAttemptAt: now, createdAt: now)
        if let refusal = try settings.gate.refusal(to: row.recipient, ticketID: row.ticketId, tx: tx, at: now) {
            return refusal
        }
        try tx.enqueue(row)
        return nil
    }

    /// Queues an automated mail unless the gate refuses it; a refusal is logged on the ticket's events.
    public func enqueueAutomated(_ mail: OutboxRecord) throws {
        if let refusal = try settings.gate.refusal(to: mail.recipient, ticketID: mail.ticketId, tx: tx, at: now) {
            try tx.log(
                EventRecord(
                    at: now, actor: "postdesk", action: "mail.suppressed", ticketId: mail.ticketId,
                    detail: "\(mail.kind.rawValue) to \(mail.recipient): \(refusal)"))
            return
        }
        try tx.enqueue(mail)
    }

    /// An outbox row about `ticket`, with a fresh signed Message-ID and its context as JSON.
    func outbox(
        _ kind: OutboxRecord.Kind, ticket: Ticket, to recipient: String, inReplyTo: String? = nil,
        references: [String] = [], automated: Bool = true, context: [String: String]
    ) throws -> OutboxRecord {
        OutboxRecord(
            kind: kind, ticketId: ticket.id, recipient: recipient,
            messageId: settings.tokens.messageID(ref: ticket.ref, domain: settings.domain), inReplyTo: inReplyTo,
            context: String(decoding: try JSONEncoder().encode(context), as: UTF8.self), state: .queued,
            nextAttemptAt: now, createdAt: now, references: references.isEmpty ? nil : references.joined(separator: " "),
            automated: automated)
    }
}
