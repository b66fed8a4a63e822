/// One recipient of a delivery status notification (RFC 3464 section 2.3).
///
/// ```
/// Final-Recipient: rfc822; nobody@example.org
/// Action: failed
/// Status: 5.1.1
/// Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: User unknown
/// ```
public struct BounceRecipient: Sendable, Hashable, Codable {
    /// The address that could not be reached (Original-Recipient, else Final-Recipient), lower-cased.
    public var address: String
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded` (RFC 3464 section 2.3.3).
    public var action: String
    /// The enhanced status code (RFC 3463), e.g. `5.1.1`, or nil when the report gives none and
    /// none can be inferred from its words.
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

/// What a delivery report says happened to the mail as a whole.
public enum BounceOutcome: String, Sendable, Hashable, Codable {
    /// At least one recipient could not be reached: a bounce.
    case failed
    /// Delivery is late but still being tried: a warning (RFC 3464 `Action: delayed`).
    case delayed
    /// Every recipient was reached (`delivered`, `relayed`, `expanded`): no problem at all.
    case delivered
}

/// What a bounce says: who could not be reached, and which mail of ours it returns.
public struct BounceReport: Sendable, Hashable, Codable {
    public var recipients: [BounceRecipient]
    /// The Message-ID (without angle brackets) of the mail that bounced, from the returned
    /// `message/rfc822` or `text/rfc822-headers` part, or from the non-standard formats' quoted headers.
    public var originalMessageID: String?
    /// Failure, delay warning, or success report.
    public var outcome: BounceOutcome
    /// How the report was recognised (`RFC 3464 report`, `X-Failed-Recipients`, `bounce text`, ...).
    public var detection: String

    public init(
        recipients: [BounceRecipient], originalMessageID: String?, outcome: BounceOutcome? = nil,
        detection: String = "delivery report"
    ) {
        self.recipients = recipients
        self.originalMessageID = originalMessageID
        self.outcome = outcome ?? BounceReport.outcome(of: recipients)
        self.detection = detection
    }

    /// Only delays: the mail may still arrive.
    public var isDelayOnly: Bool { outcome == .delayed }

    /// The outcome the recipients' actions imply: any failure fails the report, else any delay
    /// makes it a warning; a report with no recipient at all counts as a failure.
    public static func outcome(of recipients: [BounceRecipient]) -> BounceOutcome {
        if recipients.isEmpty || recipients.contains(where: { $0.action == "failed" }) { return .failed }
        if recipients.contains(where: { $0.action == "delayed" }) { return .delayed }
        return .delivered
    }
}
