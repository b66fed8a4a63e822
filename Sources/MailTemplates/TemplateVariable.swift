/// One variable a template may use, with the kinds of mail that have it and what it means.
///
/// `catalog` is the single list that `check()` validates templates against and that
/// `mail-templates/README.md` documents; the tests hold the sample contexts and the README to it.
public struct TemplateVariable: Sendable, Hashable {
    /// What a variable holds, which decides how a template may use it.
    public enum Shape: String, Sendable, Hashable {
        /// Plain text: `{{name}}` (escaped in HTML), or a section that shows when it is present.
        case text
        /// A whole number.
        case number
        /// HTML built by Postdesk from escaped text: `{{{name}}}` in HTML templates only.
        case html
        /// True or false: `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}`.
        case flag
        /// A list: `{{#name}}…{{/name}}` repeats for each item; its fields are listed as `name.field`.
        case list
    }

    /// The name as templates write it, e.g. `ticket.ref`; a list's item fields are `list.field`.
    public let name: String
    public let shape: Shape
    /// True when the variable can be absent, so templates should guard it with a section.
    public let optional: Bool
    /// The kinds of mail that have this variable.
    public let kinds: Set<TemplateKind>
    /// What it means, for the README and for admins.
    public let meaning: String

    public init(_ name: String, _ shape: Shape, optional: Bool = false, kinds: Set<TemplateKind>, _ meaning: String) {
        self.name = name
        self.shape = shape
        self.optional = optional
        self.kinds = kinds
        self.meaning = meaning
    }

    /// The variables of one kind of mail, in catalog order.
    public static func variables(for kind: TemplateKind) -> [TemplateVariable] {
        catalog.filter { $0.kinds.contains(kind) }
    }

    /// Every variable of every kind.
    public static let catalog: [TemplateVariable] = {
        let all = Set(TemplateKind.allCases)
        // Every kind has the ticket's fields; for magic-link the ticket itself is optional.
        let anyTicket = all
        return [
            .init("product_name", .text, kinds: all, "Name of the helpdesk or product, e.g. \"Acme Support\"."),
            .init("support_address", .text, kinds: all, "The address customers write to."),
            .init("portal_url", .text, kinds: all, "Start page of the customer portal."),
            .init("customer.name", .text, optional: true, kinds: all, "The customer's name; absent when unknown."),
            .init("customer.email", .text, kinds: all, "The customer's email address."),
            .init(
                "ticket", .text, optional: true, kinds: [.magicLink],
                "Present when the link opens one ticket; holds ticket.ref, ticket.subject, ticket.status."),
            .init("ticket.ref", .text, kinds: anyTicket, "The ticket's reference, e.g. TKT-7F3KQ9."),
            .init("ticket.subject", .text, kinds: anyTicket, "The ticket's subject, as the customer wrote it."),
            .init(
                "ticket.status", .text, kinds: anyTicket, "The ticket's status: new, open, pending, resolved or closed."
            ),
            .init(
                "ticket_url", .text, kinds: [.confirmation, .resolution], "The ticket's page in the portal."),
            .init(
                "ticket_url", .text, optional: true, kinds: [.agentReply, .agentNotice],
                "The ticket's page in the portal, when there is one."),
            .init(
                "response_time", .text, optional: true, kinds: [.confirmation],
                "How soon the team usually answers, e.g. \"one business day\"; absent when not configured."),
            .init("agent.name", .text, kinds: [.agentReply], "The name of the agent who wrote the reply."),
            .init("reply.text", .text, kinds: [.agentReply], "The agent's reply, as plain text."),
            .init("reply.html", .html, kinds: [.agentReply], "The agent's reply as safe HTML paragraphs."),
            .init(
                "resolution", .text, optional: true, kinds: [.resolution],
                "Present when the agent wrote a closing note; holds resolution.text and resolution.html."),
            .init("resolution.text", .text, kinds: [.resolution], "The agent's closing note, as plain text."),
            .init("resolution.html", .html, kinds: [.resolution], "The closing note as safe HTML paragraphs."),
            .init(
                "ratings", .list, kinds: [.resolution],
                "The one-click rating links, score 1 to 5; empty when ratings are turned off."),
            .init("ratings.score", .number, kinds: [.resolution], "The score this link gives, 1 (worst) to 5 (best)."),
            .init("ratings.label", .text, kinds: [.resolution], "The score in words, e.g. \"Excellent\"."),
            .init("ratings.url", .text, kinds: [.resolution], "Opening this link records the score."),
            .init("link_url", .text, kinds: [.magicLink], "The link that signs the customer in."),
            .init("expires_in", .text, kinds: [.magicLink], "How long the link works, e.g. \"30 minutes\"."),
            .init(
                "request_subject", .text, optional: true, kinds: [.magicLink],
                "Present when the link confirms a ticket asked for without signing in: its subject."),
            .init("event", .text, kinds: [.agentNotice], "What happened: new-ticket, customer-reply or mail-refused."),
            .init("new_ticket", .flag, kinds: [.agentNotice], "True when a customer opened a new ticket."),
            .init("customer_reply", .flag, kinds: [.agentNotice], "True when a customer replied on a ticket."),
            .init(
                "mail_refused", .flag, kinds: [.agentNotice],
                "True when mail from this agent's address was quarantined; message.text says why."),
            .init(
                "more_messages", .number, optional: true, kinds: [.agentNotice],
                "In a notice that gathers a busy ticket's messages: how many came before the one shown."),
            .init("message.from", .text, kinds: [.agentNotice], "Who wrote the message, e.g. Dana <dana@example.com>."),
            .init("message.text", .text, kinds: [.agentNotice], "The new part of the customer's message, as text."),
            .init("message.html", .html, kinds: [.agentNotice], "The same message as safe HTML paragraphs."),
        ]
    }()
}
