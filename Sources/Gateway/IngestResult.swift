import MailModel
import Store

/// What became of one inbound mail, and where it goes on the server.
public struct IngestResult: Sendable {
    public var locator: MailLocator
    public var disposition: Disposition
    public var outcome: InboundMailRecord.Outcome
    public var ticketRef: String?
    public var reason: String?
    /// True when the mail had been taken in before: nothing changed this time.
    public var alreadyKnown: Bool
    /// Automated mail this one called for that the gate stopped (kind, recipient, reason).
    public var suppressed: [String] = []

    public init(
        locator: MailLocator, outcome: InboundMailRecord.Outcome, ticketRef: String? = nil, reason: String? = nil,
        alreadyKnown: Bool = false
    ) {
        self.locator = locator
        self.disposition = outcome == .quarantined ? .quarantined : .processed
        self.outcome = outcome
        self.ticketRef = ticketRef
        self.reason = reason
        self.alreadyKnown = alreadyKnown
    }
}

/// Settings of the inbound path that are policy, not plumbing.
public struct IngestSettings: Sendable {
    /// What a customer's reply to a closed ticket does.
    public enum ClosedTicketPolicy: String, Sendable, CaseIterable {
        /// The ticket opens again (the default).
        case reopen
        /// A new ticket opens, linked to the closed one.
        case newTicket = "new-ticket"
    }

    /// Prefix of ticket references (`TKT` gives `TKT-7F3KQ9`).
    public var ticketPrefix: String
    /// The support address customers write to; the domain of our Message-IDs.
    public var supportAddress: String
    /// Addresses that are ours: mail from them is our own coming back and is never taken in.
    public var ownAddresses: Set<String>
    /// Whether a new ticket from a person gets a confirmation mail.
    public var sendConfirmations: Bool
    /// Signs and verifies the tokens in our Message-IDs and reply addresses.
    public var tokens: ThreadTokens
    public var closedTicketPolicy: ClosedTicketPolicy
    /// How long automated mail to an address that bounced is suppressed.
    public var bounceSuppression: Duration
    /// The rules every automated mail passes before it is queued.
    public var gate: AutomatedMailGate
    /// Whether an agent's answer goes to the ticket's other participants in Cc as well.
    public var replyAll: Bool
    /// Who answers tickets by mail, and where their notices go.
    public var agents: AgentSettings

    public init(
        ticketPrefix: String = "TKT", supportAddress: String, ownAddresses: Set<String> = [],
        sendConfirmations: Bool = true, secretKey: [UInt8], closedTicketPolicy: ClosedTicketPolicy = .reopen,
        bounceSuppression: Duration = .seconds(60 * 86_400), agents: AgentSettings = AgentSettings(),
        replyAll: Bool = true
    ) {
        self.ticketPrefix = ticketPrefix
        self.supportAddress = supportAddress
        self.ownAddresses = Set((ownAddresses.union([supportAddress])).map { $0.lowercased() })
        self.sendConfirmations = sendConfirmations
        tokens = ThreadTokens(key: secretKey, ticketPrefix: ticketPrefix)
        self.closedTicketPolicy = closedTicketPolicy
        self.bounceSuppression = bounceSuppression
        // Notices to the team and the agents are not capped (they are gathered instead).
        gate = AutomatedMailGate(ownAddresses: self.ownAddresses, teamAddresses: Set(agents.noticeRecipients))
        self.agents = agents
        self.replyAll = replyAll
    }

    /// The domain part of the support address, for Message-IDs we create.
    public var domain: String {
        EmailAddress(address: supportAddress).domain ?? "localhost"
    }

    /// Our loop header: every mail we send carries it with `tokens.instanceID` as its value.
    public static let loopHeader = "X-Postdesk-Loop"
    /// Our control headers start so; arriving from outside they are removed before anything reads them.
    public static let controlHeaderPrefix = "x-postdesk-"
}

/// The agents who work by mail.
public struct AgentSettings: Sendable {
    /// Agents' addresses, lower-cased. Mail from anyone else is a customer's.
    public var addresses: Set<String>
    /// Where notices of new tickets and customer replies go (a team list), or nil for none.
    public var teamAddress: String?
    /// Our receiving server's authserv-id. When set, an agent's mail counts only with a pass aligned
    /// to its From domain in the topmost `Authentication-Results` field of this server, and a
    /// follow-up without a token whose From domain it found failing is a stranger's.
    public var authservID: String?
    /// On a busy ticket, at most one notice per recipient in this time, gathering the messages.
    public var noticeDigest: Duration

    public init(
        addresses: Set<String> = [], teamAddress: String? = nil, authservID: String? = nil,
        noticeDigest: Duration = .seconds(300)
    ) {
        self.addresses = Set(addresses.map { $0.lowercased() })
        self.teamAddress = teamAddress?.lowercased()
        self.authservID = authservID
        self.noticeDigest = noticeDigest
    }

    /// Who hears of new tickets and replies: the team address, or else each agent.
    public var noticeRecipients: [String] {
        if let teamAddress { return [teamAddress] }
        return addresses.sorted()
    }
}
