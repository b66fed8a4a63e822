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
            let fields = try? row.fields()
            let token = try tx.issueToken(
                customerID: customerID, ticketID: row.ticketId, purpose: .login, lifetime: loginLifetime.timeInterval, at: now,
                requestID: fields?["request_id"].flatMap { Int64($0) })
            return ["link_url": "\(portalURL)/portal/login/\(token)", "expires_in": loginLifetime.inWords]
        case .confirmation, .agentReply, .resolution:
            // A link that signs in goes to the customer only: mail that others get in Cc shows the
            // ticket's address, where the customer signs in by mail.
            guard let ticketID = row.ticketId, row.ccAddresses.isEmpty else { return [:] }
            let token = try tx.issueToken(
                customerID: customerID, ticketID: ticketID, purpose: .ticketLink, lifetime: ticketLinkLifetime.timeInterval,
                at: now)
            return ["ticket_url": "\(portalURL)/portal/t/\(token)"]
        case .agentNotice, .agentRefusal:
            return [:]
        }
    }
}
