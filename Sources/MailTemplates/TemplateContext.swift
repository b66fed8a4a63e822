/// Everything a template may show, for every kind of mail.
///
/// One value type with optional sections: the common fields are always there, and each kind needs
/// some of the sections (`TemplateLibrary.render` checks, see `missingSections(for:)`). The static
/// builders (`confirmation(…)`, `agentReply(…)`, …) take exactly what each kind needs.
///
/// Templates see the fields under the names in `TemplateVariable.catalog` (snake case, e.g.
/// `ticket.ref`, `link_url`). The `Codable` form uses the same names (without the derived ones:
/// `*.html`, `new_ticket`, `customer_reply`), so an outbox row can keep a context as JSON.
public struct TemplateContext: Sendable, Hashable, Codable {
    /// `product_name`: the helpdesk's or product's name, e.g. "Acme Support".
    public var productName: String
    /// `support_address`: the address customers write to.
    public var supportAddress: String
    /// `portal_url`: the start page of the customer portal.
    public var portalURL: String
    /// `customer.*`: the customer the ticket belongs to (for a magic link: who asked for it).
    public var customer: Customer
    /// `ticket.*`: the ticket; every kind but `magic-link` needs it.
    public var ticket: Ticket?
    /// `ticket_url`: the ticket's page in the portal.
    public var ticketURL: String?
    /// `response_time`: how soon the team usually answers, e.g. "one business day" (confirmation).
    public var responseTime: String?
    /// `agent.*`: the agent who wrote the reply (agent-reply).
    public var agent: Agent?
    /// `reply.*`: the agent's words (agent-reply).
    public var reply: TemplateText?
    /// `resolution.*`: the agent's closing note, when there is one (resolution).
    public var resolution: TemplateText?
    /// `ratings`: the one-click rating links, worst first (resolution); empty when ratings are off.
    public var ratings: [Rating]
    /// `link_url`: the landing page that signs the customer in (magic-link).
    public var linkURL: String?
    /// `expires_in`: how long the link works, in words, e.g. "30 minutes" (magic-link).
    public var expiresIn: String?
    /// `request_subject`: the subject of the request the link confirms, when it confirms one (magic-link).
    public var requestSubject: String?
    /// `event`, and the flags `new_ticket` and `customer_reply` (agent-notice).
    public var event: Event?
    /// `message.*`: the customer's message that the notice is about (agent-notice).
    public var message: Message?
    /// `more_messages`: in a notice that gathers several, how many came before the one shown (agent-notice).
    public var moreMessages: Int?

    public init(
        productName: String, supportAddress: String, portalURL: String, customer: Customer,
        ticket: Ticket? = nil, ticketURL: String? = nil, responseTime: String? = nil, agent: Agent? = nil,
        reply: TemplateText? = nil, resolution: TemplateText? = nil, ratings: [Rating] = [],
        linkURL: String? = nil, expiresIn: String? = nil, event: Event? = nil, message: Message? = nil
    ) {
        self.productName = productName
        self.supportAddress = supportAddress
        self.portalURL = portalURL
        self.customer = customer
        self.ticket = ticket
        self.ticketURL = ticketURL
        self.responseTime = responseTime
        self.agent = agent
        self.reply = reply
        self.resolution = resolution
        self.ratings = ratings
        self.linkURL = linkURL
        self.expiresIn = expiresIn
        self.event = event
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case productName = "product_name"
        case supportAddress = "support_address"
        case portalURL = "portal_url"
        case customer, ticket
        case ticketURL = "ticket_url"
        case responseTime = "response_time"
        case agent, reply, resolution, ratings
        case linkURL = "link_url"
        case expiresIn = "expires_in"
        case requestSubject = "request_subject"
        case event, message
        case moreMessages = "more_messages"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productName = try container.decode(String.self, forKey: .productName)
        supportAddress = try container.decode(String.self, forKey: .supportAddress)
        portalURL = try container.decode(String.self, forKey: .portalURL)
        customer = try container.decode(Customer.self, forKey: .customer)
        ticket = try container.decodeIfPresent(Ticket.self, forKey: .ticket)
        ticketURL = try container.decodeIfPresent(String.self, forKey: .ticketURL)
        responseTime = try container.decodeIfPresent(String.self, forKey: .responseTime)
        agent = try container.decodeIfPresent(Agent.self, forKey: .agent)
        reply = try container.decodeIfPresent(TemplateText.self, forKey: .reply)
        resolution = try container.decodeIfPresent(TemplateText.self, forKey: .resolution)
        ratings = try container.decodeIfPresent([Rating].self, forKey: .ratings) ?? []
        linkURL = try container.decodeIfPresent(String.self, forKey: .linkURL)
        expiresIn = try container.decodeIfPresent(String.self, forKey: .expiresIn)
        requestSubject = try container.decodeIfPresent(String.self, forKey: .requestSubject)
        event = try container.decodeIfPresent(Event.self, forKey: .event)
        message = try container.decodeIfPresent(Message.self, forKey: .message)
        moreMessages = try container.decodeIfPresent(Int.self, forKey: .moreMessages)
    }

    /// The sections `kind` needs that this context lacks, by their template names (empty when complete).
    public func missingSections(for kind: TemplateKind) -> [String] {
        var missing: [String] = []
        func need(_ present: Bool, _ name: String) { if !present { missing.append(name) } }
        switch kind {
        case .confirmation:
            need(ticket != nil, "ticket")
            need(ticketURL != nil, "ticket_url")
        case .agentReply:
            need(ticket != nil, "ticket")
            need(agent != nil, "agent")
            need(reply != nil, "reply")
        case .resolution:
            need(ticket != nil, "ticket")
            need(ticketURL != nil, "ticket_url")
        case .magicLink:
            need(linkURL != nil, "link_url")
            need(expiresIn != nil, "expires_in")
        case .agentNotice:
            need(ticket != nil, "ticket")
            need(event != nil, "event")
            need(message != nil, "message")
        }
        return missing
    }
}
