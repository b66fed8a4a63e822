import Foundation
import MailModel
import Store

/// The portal links in our mail, made when the mail is sent, never stored: a sign-in link (single use,
/// 30 minutes by default) for magic-link mail, and a link to the ticket (reusable, 30 days) for the
/// customer's confirmation, replies and resolution notice. The database keeps only their hashes.
public struct PortalLinks: Sendable {
    public var loginLifetime: Duration
    public var ticketLinkLifetime: Duration

    public init(loginLifetime: Duration = .seconds(30 * 60), ticketLinkLifetime: Duration = .seconds(30 * 86_400)) {
        self.loginLifetime = loginLifetime
        self.ticketLinkLifetime = ticketLinkLifetime
    }

    /// The links `row` needs, as template fields (`link_url`, `expires_in`, `ticket_url`).
    func make(
        for row: OutboxRecord, customer: Customer?, portalURL: String, tx: StoreTransaction, at now: Date
    ) throws -> [String: String] {
        guard let customer, let customerID = customer.id,
            customer.email.caseInsensitiveCompare(row.recipient) == .orderedSame
        else { return [:] }
        switch row.kind {
        case .magicLink:
            let token = try tx.issueToken(
                customerID: customerID, ticketID: row.ticketId, purpose: .login, lifetime: loginLifetime.seconds, at: now)
            return ["link_url": "\(portalURL)/portal/login/\(token)", "expires_in": Self.describe(loginLifetime)]
        case .confirmation, .agentReply, .resolution:
            guard let ticketID = row.ticketId else { return [:] }
            let token = try tx.issueToken(
                customerID: customerID, ticketID: ticketID, purpose: .ticketLink, lifetime: ticketLinkLifetime.seconds,
                at: now)
            return ["ticket_url": "\(portalURL)/portal/t/\(token)"]
        case .agentNotice:
            return [:]
        }
    }

    /// "30 minutes", "2 hours", "30 days".
    static func describe(_ duration: Duration) -> String {
        let minutes = Int(duration.seconds / 60)
        if minutes < 120 { return "\(minutes) minute\(minutes == 1 ? "" : "s")" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours) hours" }
        return "\(hours / 24) days"
    }
}
