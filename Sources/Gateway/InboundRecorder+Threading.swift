import Foundation
import MIME
import MailModel
import Store
import Triage

/// Which ticket a mail may write into (DESIGN.md invariant 8), in this order: a signed token of
/// ours names the ticket; then a stored Message-ID or the `[TKT-...]` subject tag, which count only
/// from a participant whose mail our receiving server did not find failing. Anyone else who cites a
/// ticket gets one of their own, linked to the cited one.
extension InboundRecorder {
    func lookup(
        _ parsed: ParsedMail, sender: EmailAddress, verdict: AuthenticationResults.Verdict?
    ) throws -> TicketLookup {
        let ids = ThreadMatcher.referencedIDs(parsed)
        let tokens = settings.tokens
        let recipients = Self.recipientAddresses(parsed)
        if settings.agents.addresses.contains(sender.normalized) {
            let bound = [sender.normalized] + [settings.agents.teamAddress].compactMap { $0 }
            let refs =
                ids.compactMap { tokens.ticketRef(fromAgentMessageID: $0, recipients: bound) }
                + recipients.compactMap { tokens.ticketRef(fromAgentAddress: $0, recipients: bound) }
            for ref in refs { if let ticket = try tx.ticket(ref: ref) { return .joined(ticket, by: .agentToken) } }
        }
        let refs = ids.compactMap(tokens.ticketRef(fromMessageID:)) + recipients.compactMap(tokens.ticketRef(fromAddress:))
        for ref in refs { if let ticket = try tx.ticket(ref: ref) { return .joined(ticket, by: .customerToken) } }

        var cited: [(ticket: Ticket, how: String)] = []
        if let ticket = try tx.ticket(answering: ids) { cited.append((ticket, "a Message-ID stored on it")) }
        for ref in ThreadMatcher.subjectReferences(parsed.subject ?? "", prefix: settings.ticketPrefix) {
            if let ticket = try tx.ticket(ref: ref.rawValue) { cited.append((ticket, "its subject tag")) }
        }
        guard let first = cited.first else { return .none }
        if let verdict, verdict.failed {
            return .stranger(cited: first.ticket, reason: "cites \(first.ticket.ref) by \(first.how), but \(verdict)")
        }
        for candidate in cited where try tx.isParticipant(sender.address, in: candidate.ticket) {
            return .joined(candidate.ticket, by: .participant)
        }
        return .stranger(
            cited: first.ticket,
            reason: "\(sender.normalized) takes no part in \(first.ticket.ref) (cited by \(first.how)): new ticket")
    }

    /// The addresses a mail was sent to, including what the receiving server recorded.
    static func recipientAddresses(_ parsed: ParsedMail) -> [String] {
        (parsed.to + parsed.cc).map(\.address)
            + ["delivered-to", "x-original-to", "envelope-to"].flatMap { parsed.headers.all($0) }
    }

    /// Our receiving server's verdict on the mail's From domain, when `authserv_id` is configured.
    func verdict(_ parsed: ParsedMail, sender: EmailAddress) -> AuthenticationResults.Verdict? {
        guard let authservID = settings.agents.authservID else { return nil }
        return AuthenticationResults.verdict(parsed.headers, authservID: authservID, fromDomain: sender.domain)
    }

    /// Whether an address is ours: a configured own address, the support address with any `+tag`,
    /// the team address or an agent's.
    func isOurs(_ address: String) -> Bool {
        let lower = address.lowercased()
        if settings.ownAddresses.contains(lower) || settings.agents.addresses.contains(lower) { return true }
        if let team = settings.agents.teamAddress, team.lowercased() == lower { return true }
        guard let at = lower.lastIndex(of: "@"), let plus = lower[..<at].firstIndex(of: "+") else { return false }
        return settings.ownAddresses.contains(String(lower[..<plus] + lower[at...]))
    }

    /// Adds the people a mail was also sent to (To and Cc, less our own addresses and robots) to the
    /// ticket's participants, as colleagues of the customer's.
    func addCopiedPeople(_ parsed: ParsedMail, sender: EmailAddress, to ticket: Ticket, addedBy: String) throws {
        guard let ticketID = ticket.id else { return }
        // A hostile mail may copy thousands: stop asking once the ticket is full.
        var room = StoreTransaction.participantLimit - (try tx.participants(of: ticketID).count)
        for person in parsed.to + parsed.cc where room > 0 && EmailAddress.isPlausible(person.address) {
            let address = person.normalized
            guard address != sender.normalized, !isOurs(address), !AutomatedMailGate.isRobotAddress(address) else {
                continue
            }
            if try tx.addParticipant(person.address, name: person.name, role: .cc, to: ticketID, addedBy: addedBy, at: now) {
                room -= 1
            }
        }
    }
}
