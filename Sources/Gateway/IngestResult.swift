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
    /// Prefix of ticket references (`TKT` gives `TKT-7F3KQ9`).
    public var ticketPrefix: String
    /// The support address customers write to; the domain of our Message-IDs.
    public var supportAddress: String
    /// Addresses that are ours: mail from them is our own coming back and is never taken in.
    public var ownAddresses: Set<String>
    /// Whether a new ticket from a person gets a confirmation mail.
    public var sendConfirmations: Bool

    public init(
        ticketPrefix: String = "TKT", supportAddress: String, ownAddresses: Set<String> = [],
        sendConfirmations: Bool = true
    ) {
        self.ticketPrefix = ticketPrefix
        self.supportAddress = supportAddress
        self.ownAddresses = Set((ownAddresses.union([supportAddress])).map { $0.lowercased() })
        self.sendConfirmations = sendConfirmations
    }

    /// The domain part of the support address, for Message-IDs we create.
    public var domain: String {
        EmailAddress(address: supportAddress).domain ?? "localhost"
    }
}
