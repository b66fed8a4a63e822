import Foundation
import MIME
import MailModel
import Store
import Triage

/// Agents working by mail: an agent's answer to a notice becomes a public reply sent to the customer
/// from the support address; `#note` keeps it internal; `#resolve`, `#close`, `#reopen`, `#assign`,
/// `#priority`, `#cc` and `#uncc` act on the ticket.
///
/// Mail from an agent's address counts as the agent's only with a token signed for that agent (or
/// the team address) and, with `authserv_id` set, a pass of our receiving server aligned with the
/// From domain. Everything else from an agent's address is quarantined with its reason and the agent
/// is told: never relayed, never a command (DESIGN.md invariant 8).
extension InboundRecorder {
    func recordAgentAddressMail(
        _ mail: PreparedMail, _ parsed: ParsedMail, sender: EmailAddress, found: TicketLookup,
        verdict: AuthenticationResults.Verdict?
    ) throws -> IngestResult {
        let reason: String
        if case .joined(let ticket, .agentToken) = found {
            guard let verdict, !verdict.passed else {
                return try recordAgentMail(mail, parsed, sender: sender, ticket: ticket)
            }
            reason = "mail from agent \(sender.normalized) did not pass our receiving server's check (\(verdict))"
        } else if let ticket = found.ticket {
            reason = "mail from agent \(sender.normalized) on \(ticket.ref) carries no token signed for that agent"
        } else {
            reason = "mail from agent \(sender.normalized) carries no token signed for that agent and names no ticket"
        }
        if let ticket = found.ticket {
            try desk.tellAgentOfRefusal(sender, ticket: ticket, reason: reason, subject: parsed.subject)
        }
        return try finish(mail, outcome: .quarantined, ticket: found.ticket, reason: reason)
    }

    /// An agent's authenticated mail. The customer is sent, and shown, exactly the text that remains
    /// without commands, quoted history and signature; the whole mail and its files stay internal.
    func recordAgentMail(
        _ mail: PreparedMail, _ parsed: ParsedMail, sender: EmailAddress, ticket: Ticket
    ) throws -> IngestResult {
        let instructions = AgentCommandParser.parse(mail.analysis.reply.visibleText)
        var ticket = ticket
        // Who takes part is settled before the answer goes out, so `#cc` reaches this answer.
        for command in instructions.commands where command.changesParticipants {
            ticket = try desk.apply(command, to: ticket, by: sender)
        }
        if instructions.isNote {
            try addMessage(
                mail, parsed, sender: sender, to: ticket, kind: .note, visibility: .internal, visibleText: instructions.text)
        } else if !instructions.text.isEmpty {
            try addAgentAnswer(mail, parsed, sender: sender, to: ticket, text: instructions.text)
            ticket = try desk.answered(ticket, text: instructions.text, by: sender)
        }
        for command in instructions.commands where command != .note && !command.changesParticipants {
            ticket = try desk.apply(command, to: ticket, by: sender)
        }
        var reason = "agent \(sender.normalized)"
        if !instructions.unknown.isEmpty { reason += "; ignored: " + instructions.unknown.joined(separator: ", ") }
        return try finish(mail, outcome: .reply, ticket: ticket, reason: reason)
    }

    /// The public record of an agent's answer: the text sent, no HTML of the agent's own, the files
    /// marked internal (they were not sent), and the whole mail in `fullText`/`fullHtml` for agents.
    private func addAgentAnswer(
        _ mail: PreparedMail, _ parsed: ParsedMail, sender: EmailAddress, to ticket: Ticket, text: String
    ) throws {
        guard let ticketID = ticket.id else { throw StoreError("ticket \(ticket.ref) has no id") }
        let message = try tx.addMessage(
            MessageRecord(
                ticketId: ticketID, kind: .agent, visibility: .public, authorEmail: sender.address,
                authorName: sender.name, text: text, visibleText: text, messageId: parsed.messageID,
                inReplyTo: parsed.inReplyTo.first,
                references: parsed.references.isEmpty ? nil : parsed.references.joined(separator: " "), createdAt: now,
                fullText: parsed.text, fullHtml: parsed.html))
        try addAttachments(mail, parsed, to: message, isInternal: true)
    }
}
