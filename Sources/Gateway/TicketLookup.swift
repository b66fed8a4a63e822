import Store

/// What threading found for a mail, and on what grounds (DESIGN.md invariant 8).
enum TicketLookup {
    /// The mail joins `ticket`.
    case joined(Ticket, by: Basis)
    /// The mail cites `ticket`, but its sender may not write into it: it opens a ticket of its own,
    /// linked to the cited one for agents to see.
    case stranger(cited: Ticket, reason: String)
    /// The mail cites no ticket we know.
    case none

    enum Basis: Equatable, CustomStringConvertible {
        /// A customer token of ours verified (in the ids it answers or the address it was sent to).
        case customerToken
        /// An agent token verified for the sender or the team address.
        case agentToken
        /// A stored Message-ID or the subject tag, from a participant.
        case participant

        var description: String {
            switch self {
            case .customerToken: "by a signed token"
            case .agentToken: "by an agent's signed token"
            case .participant: "from a participant"
            }
        }
    }

    var ticket: Ticket? {
        switch self {
        case .joined(let ticket, _): ticket
        case .stranger(let ticket, _): ticket
        case .none: nil
        }
    }

    /// The ticket the mail may write into.
    var joinedTicket: Ticket? {
        if case .joined(let ticket, _) = self { ticket } else { nil }
    }
}
