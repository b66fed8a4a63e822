import Foundation
import MIME
import MailModel
import Store

/// What the portal asks of the gateway. A customer's reply or new ticket written in the portal is
/// turned into a mail from the customer to the support address and taken in by the ingestor, so it
/// follows exactly the path of mail: the same ticket rules, confirmations and agents' notices.
public struct PortalIntake: Sendable {
    let ingestor: Ingestor
    let now: @Sendable () -> Date

    public init(ingestor: Ingestor, now: @escaping @Sendable () -> Date = { Date() }) {
        self.ingestor = ingestor
        self.now = now
    }

    var settings: IngestSettings { ingestor.settings }

    /// The customer's reply on their ticket. `submissionID` (random, from the form) makes the
    /// Message-ID, so the same form sent twice adds one message.
    public func reply(from customer: Customer, on ticket: Ticket, text: String, submissionID: String) async throws -> String? {
        let mail = OutgoingMail(
            from: EmailAddress(name: customer.name, address: customer.email),
            to: [EmailAddress(address: settings.supportAddress)],
            subject: "Re: [\(ticket.ref)] \(ticket.subject)", messageID: messageID(submissionID),
            inReplyTo: settings.tokens.messageID(ref: ticket.ref, domain: settings.domain), date: now(), text: text)
        return try await take(mail, submissionID: submissionID, priority: ticket.priority).ticketRef
    }

    /// A new ticket opened by a signed-in customer.
    public func openTicket(
        from customer: Customer, subject: String, text: String, priority: Ticket.Priority, submissionID: String
    ) async throws -> String? {
        let mail = OutgoingMail(
            from: EmailAddress(name: customer.name, address: customer.email),
            to: [EmailAddress(address: settings.supportAddress)], subject: subject,
            messageID: messageID(submissionID), date: now(), text: text)
        return try await take(mail, submissionID: submissionID, priority: priority).ticketRef
    }

    /// Queues a sign-in link when the address belongs to a customer; an unknown address gets nothing,
    /// and the caller answers the same either way. Returns whether a link was queued.
    @discardableResult
    public func requestSignInLink(email: String) async throws -> Bool {
        let settings = settings
        let now = now
        return try await ingestor.database.write { tx in
            guard try tx.customer(email: email) != nil else { return false }
            return try TicketDesk(tx: tx, settings: settings, now: now()).queuePortalLink(to: email) == nil
        }
    }

    /// A ticket asked for without signing in: kept as a request, and a link mailed to the address; the
    /// ticket opens when that link is used (`confirmRequest`).
    public func requestTicket(
        email: String, name: String?, subject: String, text: String, priority: Ticket.Priority
    ) async throws {
        let settings = settings
        let now = now
        try await ingestor.database.write { tx in
            let at = now()
            let customer = try tx.customer(email: email, name: name, at: at)
            guard let customerID = customer.id else { throw StoreError("customer has no id") }
            let request = try tx.addPortalRequest(
                PortalRequestRecord(customerId: customerID, subject: subject, text: text, priority: priority, createdAt: at))
            guard let requestID = request.id else { throw StoreError("request has no id") }
            try TicketDesk(tx: tx, settings: settings, now: at)
                .queuePortalLink(to: email, request: (requestID, subject))
        }
    }

    /// Opens the ticket of a request whose address was just proven; returns its reference. A request
    /// confirmed twice opens one ticket.
    public func confirmRequest(id: Int64) async throws -> String? {
        let found = try await ingestor.database.read { tx -> (PortalRequestRecord, Customer)? in
            guard let request = try tx.portalRequest(id: id), let customer = try tx.customer(id: request.customerId)
            else { return nil }
            return (request, customer)
        }
        guard let found else { return nil }
        var request = found.0
        let customer = found.1
        if let ref = request.ticketRef { return ref }
        guard
            let ref = try await openTicket(
                from: customer, subject: request.subject, text: request.text, priority: request.priority,
                submissionID: "request-\(id)")
        else { return nil }
        request.ticketRef = ref
        let confirmed = request
        try await ingestor.database.write { tx in try tx.save(confirmed) }
        return ref
    }

    private func messageID(_ submissionID: String) -> String {
        "portal.\(submissionID)@\(settings.domain)"
    }

    private func take(_ mail: OutgoingMail, submissionID: String, priority: Ticket.Priority) async throws -> IngestResult {
        let bytes = try MessageWriter.render(mail)
        let raw = RawMail(locator: MailLocator(source: "portal", uidValidity: nil, key: submissionID), bytes: bytes)
        guard let result = try await ingestor.ingest([raw], origin: .portal(priority: priority)).first else {
            throw StoreError("the portal message was not taken in")
        }
        return result
    }
}
