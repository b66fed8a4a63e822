import Foundation
import MIME
import MailModel
import Store
import Triage

/// Agents working by mail: an agent's answer to a ticket's mail becomes a public reply sent to the
/// customer from the support address; `#note` keeps it internal; `#resolve`, `#close`, `#reopen`,
/// `#assign` and `#priority` act on the ticket. Agents hear of new tickets and customers' replies.
extension InboundRecorder {
    enum NoticeEvent: String { case newTicket = "new-ticket", customerReply = "customer-reply" }

    /// Whether the sender is one of our agents: a configured address and, when required, a passing
    /// DKIM, SPF or DMARC verdict from our receiving server. Anyone else is a customer.
    func isAgent(_ sender: EmailAddress, _ parsed: ParsedMail) -> Bool {
        guard settings.agents.addresses.contains(sender.normalized) else { return false }
        guard let authservID = settings.agents.authservID else { return true }
        return AuthenticationResults.passes(parsed.headers, authservID: authservID)
    }

    func recordAgentMail(
        _ mail: PreparedMail, _ parsed: ParsedMail, sender: EmailAddress, ticket: Ticket
    ) throws -> IngestResult {
        let instructions = AgentCommandParser.parse(mail.analysis.reply.visibleText)
        var ticket = ticket
        if instructions.isNote {
            try addMessage(
                mail, parsed, sender: sender, to: ticket, kind: .note, visibility: .internal, visibleText: instructions.text)
        } else if !instructions.text.isEmpty {
            try addMessage(
                mail, parsed, sender: sender, to: ticket, kind: .agent, visibility: .public, visibleText: instructions.text)
            try queueAgentReply(instructions.text, on: ticket, from: sender)
            if !ticket.status.isFinished { ticket = try tx.setStatus(.pending, of: ticket, at: now) }
        }
        for command in instructions.commands where command != .note {
            ticket = try apply(command, to: ticket, by: sender)
        }
        var reason = "agent \(sender.normalized)"
        if !instructions.unknown.isEmpty { reason += "; ignored: " + instructions.unknown.joined(separator: ", ") }
        return try finish(mail, outcome: .reply, ticket: ticket, reason: reason)
    }

    private func apply(_ command: AgentCommand, to ticket: Ticket, by agent: EmailAddress) throws -> Ticket {
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
    private func queueAgentReply(_ text: String, on ticket: Ticket, from agent: EmailAddress) throws {
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
    func queueResolution(of ticket: Ticket) throws {
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
    func noticeAgents(_ event: NoticeEvent, ticket: Ticket, from sender: EmailAddress, text: String) throws {
        guard let team = settings.agents.teamAddress else { return }
        try enqueueAutomated(
            outbox(
                .agentNotice, ticket: ticket, to: team,
                context: [
                    "event": event.rawValue, "ticket_ref": ticket.ref, "ticket_subject": ticket.subject,
                    "message_from": sender.display, "message_text": text,
                ]))
    }
}
