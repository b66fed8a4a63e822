/// The kinds of mail Postdesk sends, each a folder of templates under `mail-templates/`.
public enum TemplateKind: String, Sendable, CaseIterable, Codable {
    /// To the customer, when a new ticket is opened from their mail or a portal form.
    case confirmation
    /// To the customer: an agent's answer.
    case agentReply = "agent-reply"
    /// To the customer, when the ticket is resolved; carries the one-click rating links.
    case resolution
    /// To the customer: a link that signs them in to the portal.
    case magicLink = "magic-link"
    /// To agents: a new ticket, or a customer's reply on a ticket.
    case agentNotice = "agent-notice"

    /// The folder under `mail-templates/` that holds this kind's templates.
    public var folder: String { rawValue }
}
