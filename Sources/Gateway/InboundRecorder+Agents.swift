import Foundation
import MIME
import MailModel
import Store
import Triage

/// Agents working by mail: an agent's answer to a ticket's mail becomes a public reply sent to the
/// customer from the support address; `#note` keeps it internal; `#resolve`, `#close`, `#reopen`,
/// `#assign` and `#priority` act on the ticket. Agents hear of new tickets and customers' replies.
extension InboundRecorder {
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
            ticket = try desk.answered(ticket, text: instructions.text, by: sender)
        }
        for command in instructions.commands where command != .note {
            ticket = try desk.apply(command, to: ticket, by: sender)
        }
        var reason = "agent \(sender.normalized)"
        if !instructions.unknown.isEmpty { reason += "; ignored: " + instructions.unknown.joined(separator: ", ") }
        return try finish(mail, outcome: .reply, ticket: ticket, reason: reason)
    }
}
