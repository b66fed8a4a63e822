extension TemplateContext {
    /// A context with the site's fields and a customer, and no section yet.
    public init(site: TemplateSite, customer: Customer) {
        self.init(
            productName: site.productName, supportAddress: site.supportAddress, portalURL: site.portalURL,
            customer: customer)
    }

    /// For `confirmation`: a ticket was opened.
    public static func confirmation(
        site: TemplateSite, customer: Customer, ticket: Ticket, ticketURL: String, responseTime: String? = nil
    ) -> TemplateContext {
        var context = TemplateContext(site: site, customer: customer)
        context.ticket = ticket
        context.ticketURL = ticketURL
        context.responseTime = responseTime
        return context
    }

    /// For `agent-reply`: an agent answered.
    public static func agentReply(
        site: TemplateSite, customer: Customer, ticket: Ticket, agent: Agent, reply: TemplateText,
        ticketURL: String? = nil
    ) -> TemplateContext {
        var context = TemplateContext(site: site, customer: customer)
        context.ticket = ticket
        context.agent = agent
        context.reply = reply
        context.ticketURL = ticketURL
        return context
    }

    /// For `resolution`: the ticket was resolved; `ratings` empty when ratings are off.
    public static func resolution(
        site: TemplateSite, customer: Customer, ticket: Ticket, ticketURL: String, resolution: TemplateText? = nil,
        ratings: [Rating] = []
    ) -> TemplateContext {
        var context = TemplateContext(site: site, customer: customer)
        context.ticket = ticket
        context.ticketURL = ticketURL
        context.resolution = resolution
        context.ratings = ratings
        return context
    }

    /// For `magic-link`: a sign-in link, optionally for one ticket or confirming a new request.
    public static func magicLink(
        site: TemplateSite, customer: Customer, linkURL: String, expiresIn: String, ticket: Ticket? = nil,
        requestSubject: String? = nil
    ) -> TemplateContext {
        var context = TemplateContext(site: site, customer: customer)
        context.linkURL = linkURL
        context.expiresIn = expiresIn
        context.ticket = ticket
        context.requestSubject = requestSubject
        return context
    }

    /// For `agent-notice`: a new ticket or a customer's reply, told to agents.
    public static func agentNotice(
        site: TemplateSite, customer: Customer, ticket: Ticket, event: Event, message: Message,
        ticketURL: String? = nil, moreMessages: Int? = nil
    ) -> TemplateContext {
        var context = TemplateContext(site: site, customer: customer)
        context.ticket = ticket
        context.event = event
        context.message = message
        context.ticketURL = ticketURL
        context.moreMessages = moreMessages
        return context
    }
}
