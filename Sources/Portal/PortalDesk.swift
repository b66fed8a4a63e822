import Store

/// What the portal asks of the gateway: the writes that must take the same path as mail (the gateway
/// turns them into mail from the customer and ingests it) and the links it mails. The executable
/// wires the gateway's `PortalIntake` in; the portal knows only this.
public protocol PortalDesk: Sendable {
    /// The customer's reply on their ticket; returns the ticket's reference.
    func reply(from customer: Customer, on ticket: Ticket, text: String, submissionID: String) async throws -> String?
    /// A new ticket; returns its reference.
    func openTicket(
        from customer: Customer, subject: String, text: String, priority: Ticket.Priority, submissionID: String
    ) async throws -> String?
    /// Queues a sign-in link when the address belongs to a customer; returns whether one was queued.
    @discardableResult func requestSignInLink(email: String) async throws -> Bool
    /// Keeps a ticket asked for without signing in and mails a link that confirms it.
    func requestTicket(email: String, name: String?, subject: String, text: String, priority: Ticket.Priority) async throws
    /// Opens the ticket of a confirmed request; returns its reference.
    func confirmRequest(id: Int64) async throws -> String?
}
