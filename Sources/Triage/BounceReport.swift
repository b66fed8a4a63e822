/// One recipient of a delivery status notification (RFC 3464 section 2.3).
public struct BounceRecipient: Sendable, Hashable, Codable {
    /// The address that could not be reached (Final-Recipient, else Original-Recipient), lower-cased.
    public var address: String
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded` (RFC 3464 section 2.3.3).
    public var action: String
    /// The enhanced status code (RFC 3463), e.g. `5.1.1`, or nil when the report gives none.
    public var status: String?
    /// The remote server's words (Diagnostic-Code without its type), or nil.
    public var diagnostic: String?

    public init(address: String, action: String, status: String?, diagnostic: String?) {
        self.address = address
        self.action = action
        self.status = status
        self.diagnostic = diagnostic
    }

    /// A permanent failure: `Action: failed` or a 5.x.x status.
    public var isPermanentFailure: Bool { action == "failed" || status?.hasPrefix("5") == true }
}

/// What a bounce says: who could not be reached, and which mail of ours it returns.
public struct BounceReport: Sendable, Hashable, Codable {
    public var recipients: [BounceRecipient]
    /// The Message-ID (without angle brackets) of the mail that bounced, from the returned
    /// `message/rfc822` or `text/rfc822-headers` part, or from the non-standard formats' quoted headers.
    public var originalMessageID: String?

    public init(recipients: [BounceRecipient], originalMessageID: String?) {
        self.recipients = recipients
        self.originalMessageID = originalMessageID
    }

    /// Only delays: the mail may still arrive.
    public var isDelayOnly: Bool { !recipients.isEmpty && recipients.allSatisfy { $0.action == "delayed" } }
}
