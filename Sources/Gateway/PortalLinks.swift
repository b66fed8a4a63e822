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

    /// The links made for one sending of a mail.
    public struct Made: Sendable, Equatable {
        /// A sign-in link and how long it works.
        public var signIn: (url: String, expiresIn: String)?
        /// A link that opens the ticket.
        public var ticketURL: String?

        public init(signIn: (url: String, expiresIn: String)? = nil, ticketURL: String? = nil) {
            self.signIn = signIn
            self.ticketURL = ticketURL
        }

        public static func == (a: Made, b: Made) -> Bool {
            a.signIn?.url == b.signIn?.url && a.signIn?.expiresIn == b.signIn?.expiresIn && a.ticketURL == b.ticketURL
        }
    }

    /// The links `row` needs.
    func make(
        for row: OutboxRecord, payload: OutboxPayload, customer: Customer?, portalURL: String, tx: StoreTransaction,
        at now: Date
    ) throws -> Made {
        guard let customer, let customerID = customer.id,
            customer.email.caseInsensitiveCompare(row.recipient) == .orderedSame
        else { return Made() }
        switch payload {
        case .magicLink(let link):
            let token = try tx.issueToken(
                customerID: customerID, ticketID: row.ticketId, purpose: .login, lifetime: loginLifetime.timeInterval, at: now,
                requestID: link.requestID)
            return Made(signIn: ("\(portalURL)/portal/login/\(token)", loginLifetime.inWords))
        case .confirmation, .agentReply, .resolution:
            // A link that signs in goes to the customer only: mail that others get in Cc shows the
            // ticket's address, where the customer signs in by mail.
            guard let ticketID = row.ticketId, row.ccAddresses.isEmpty else { return Made() }
            let token = try tx.issueToken(
                customerID: customerID, ticketID: ticketID, purpose: .ticketLink, lifetime: ticketLinkLifetime.timeInterval,
                at: now)
            return Made(ticketURL: "\(portalURL)/portal/t/\(token)")
        case .agentNotice, .agentRefusal:
            return Made()
        }
    }
}
