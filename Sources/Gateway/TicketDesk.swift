import Foundation
import MailModel
import MailTemplates
import Store
import Triage

/// What agents and operators do to a ticket, inside one store transaction: reply, note, resolve,
/// close, reopen, assign, prioritise; and the mail each of these calls for, queued in the same
/// transaction (automated mail through the gate). Mail from agents and the command line share it.
public struct TicketDesk {
    let tx: StoreTransaction
    let settings: IngestSettings
    let now: Date
    let journal: DeskJournal

    public init(tx: StoreTransaction, settings: IngestSettings, now: Date) {
        self.init(tx: tx, settings: settings, now: now, journal: DeskJournal())
    }

    init(tx: StoreTransaction, settings: IngestSettings, now: Date, journal: DeskJournal) {
        self.tx = tx
        self.settings = settings
        self.now = now
        self.journal = journal
    }

    /// Automated mail the gate stopped in this desk's work, one line each (kind, recipient, reason).
    public var suppressed: [String] { journal.suppressed }

    public enum NoticeEvent: String, Sendable {
        case newTicket = "new-ticket", customerReply = "customer-reply"

        var templateEvent: TemplateContext.Event { self == .newTicket ? .newTicket : .customerReply }
    }

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
        case .addParticipant(let address):
            guard let ticketID = ticket.id else { return ticket }
            let added = try tx.addParticipant(
                address, name: nil, role: .cc, to: ticketID, addedBy: agent.normalized, at: now)
            detail = added ? "\(address) takes part" : "\(address) not added (already there, or the ticket is full)"
        case .removeParticipant(let address):
            guard let ticketID = ticket.id else { return ticket }
            let removed = try tx.removeParticipant(address, from: ticketID)
            detail = removed ? "\(address) no longer takes part" : "\(address) was not a colleague on the ticket"
        }
        try tx.log(EventRecord(at: now, actor: agent.normalized, action: "ticket.changed", ticketId: ticket.id, detail: detail))
        return ticket
    }

    /// An agent's public reply, sent to the customer as "Agent via Support", with the ticket's other
    /// participants in Cc when `reply_all` is on (never an address that bounced or a robot's).
    func queueAgentReply(_ text: String, on ticket: Ticket, from agent: EmailAddress) throws {
        guard let customer = try tx.customer(id: ticket.customerId), let ticketID = ticket.id else { return }
        let thread = try tx.threadMessageIDs(of: ticket)
        var cc: [String] = []
        if settings.replyAll {
            for person in try tx.participants(of: ticketID) where person.role == .cc {
                let address = person.email.lowercased()
                guard address != customer.email.lowercased(), !settings.gate.ownAddresses.contains(address),
                    !AutomatedMailGate.isRobotAddress(address), try tx.suppression(of: address, at: now) == nil
                else { continue }
                cc.append(person.email)
            }
        }
        try tx.addParticipant(agent.address, name: agent.name, role: .agent, to: ticketID, addedBy: nil, at: now)
        try tx.enqueue(
            outbox(
                .agentReply(.init(agentName: agent.name ?? agent.address, agentEmail: agent.normalized, replyText: text)),
                ticket: ticket, to: customer.email, inReplyTo: thread.last, references: thread, automated: false,
                cc: cc))
    }

    /// The resolution notice with its rating links, through the gate like every automated mail.
    public func queueResolution(of ticket: Ticket) throws {
        guard let customer = try tx.customer(id: ticket.customerId) else { return }
        let thread = try tx.threadMessageIDs(of: ticket)
        try enqueueAutomated(
            outbox(
                .resolution(.init(resolutionText: ticket.resolution ?? "")), ticket: ticket, to: customer.email,
                inReplyTo: thread.last, references: thread))
    }

    /// Tells the agents of a new ticket or a customer's reply: the team address, or each agent when
    /// there is none. Each notice carries tokens signed for its recipient, the only way to answer as
    /// an agent. On a busy ticket notices are gathered: at most one per ticket and recipient every
    /// `noticeDigest`, with the count and the messages since the last one.
    public func noticeAgents(_ event: NoticeEvent, ticket: Ticket, from sender: EmailAddress, text: String) throws {
        guard let ticketID = ticket.id else { return }
        for recipient in settings.agents.noticeRecipients {
            if var pending = try tx.pendingNotice(ticketID: ticketID, to: recipient),
                case .agentNotice(var notice) = try? OutboxPayload(pending)
            {
                notice.moreMessages = (notice.moreMessages ?? 0) + 1
                notice.event = event.templateEvent
                let more = "\n\n--- \(sender.display) wrote:\n\(text)"
                if notice.messageText.count + more.count <= Self.digestTextLimit {
                    notice.messageText += more
                } else if !notice.messageText.hasSuffix(Self.digestCut) {
                    notice.messageText += Self.digestCut
                }
                pending.context = try OutboxPayload.agentNotice(notice).json()
                try tx.save(pending)
                continue
            }
            var row = try outbox(
                .agentNotice(.init(event: event.templateEvent, messageFrom: sender.display, messageText: text)),
                ticket: ticket, to: recipient)
            if let last = try tx.lastNoticeTime(ticketID: ticketID, to: recipient) {
                row.nextAttemptAt = max(now, last.addingTimeInterval(settings.agents.noticeDigest.timeInterval))
            }
            try enqueueAutomated(row)
        }
    }

    /// A gathered notice's text stops growing here; the rest is in the ticket.
    static let digestTextLimit = 20_000
    static let digestCut = "\n\n[... more messages: see the ticket]"

    /// Tells an agent that mail from their address was quarantined, and why: at most one such mail
    /// per agent every 10 minutes, so a forger cannot flood them. Nothing of it reaches the customer.
    func tellAgentOfRefusal(_ agent: EmailAddress, ticket: Ticket, reason: String, subject: String?) throws {
        let recent = try tx.outboxTimes(kind: .agentRefusal, to: agent.normalized, since: now.addingTimeInterval(-600))
        guard recent.isEmpty else {
            journal.suppressed.append("\(OutboxRecord.Kind.agentRefusal.rawValue) to \(agent.normalized): one sent in the last 10 min")
            return
        }
        let row = try outbox(
            .agentRefusal(
                .init(
                    event: .mailRefused, messageFrom: agent.display,
                    messageText: "Subject: \(subject ?? "(none)")\nWhy: \(reason)")),
            ticket: ticket, to: agent.normalized)
        try enqueueAutomated(row)
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
        let link = OutboxPayload.SignInLink(
            customerEmail: customer.email, customerName: customer.name, requestID: request?.id,
            requestSubject: request?.subject)
        let row = OutboxRecord(
            kind: .magicLink, ticketId: ticket?.id, recipient: customer.email,
            messageId: ticket.map { settings.tokens.messageID(ref: $0.ref, domain: settings.domain) }
                ?? "\(UUID().uuidString.lowercased())@\(settings.domain)",
            context: try OutboxPayload.magicLink(link).json(), state: .queued, nextAttemptAt: now, createdAt: now)
        return try enqueueAutomated(row)
    }

    /// Queues an automated mail unless the gate refuses it. A refused one is kept in the outbox as
    /// `suppressed` with the reason (never sent), logged on the ticket's events and in the journal.
    /// Returns the gate's reason when it stopped the mail.
    @discardableResult
    public func enqueueAutomated(_ mail: OutboxRecord) throws -> String? {
        guard let refusal = try settings.gate.refusal(to: mail.recipient, ticketID: mail.ticketId, tx: tx, at: now) else {
            try tx.enqueue(mail)
            return nil
        }
        var row = mail
        row.state = .suppressed
        row.lastError = refusal
        try tx.enqueue(row)
        let line = "\(mail.kind.rawValue) to \(mail.recipient): \(refusal)"
        try tx.log(EventRecord(at: now, actor: "postdesk", action: "mail.suppressed", ticketId: mail.ticketId, detail: line))
        journal.suppressed.append(line)
        return refusal
    }


    /// An outbox row about `ticket`, with a fresh signed Message-ID and its payload as JSON. Mail to
    /// agents carries agent tokens bound to its recipient; everyone else's, customer tokens.
    func outbox(
        _ payload: OutboxPayload, ticket: Ticket, to recipient: String, inReplyTo: String? = nil,
        references: [String] = [], automated: Bool = true, cc: [String] = []
    ) throws -> OutboxRecord {
        let kind = payload.kind
        let messageID =
            kind.isForAgents
            ? settings.tokens.agentMessageID(ref: ticket.ref, domain: settings.domain, recipient: recipient)
            : settings.tokens.messageID(ref: ticket.ref, domain: settings.domain)
        return OutboxRecord(
            kind: kind, ticketId: ticket.id, recipient: recipient, messageId: messageID, inReplyTo: inReplyTo,
            context: try payload.json(), state: .queued, nextAttemptAt: now, createdAt: now,
            references: references.isEmpty ? nil : references.joined(separator: " "), automated: automated, cc: cc)
    }
}
