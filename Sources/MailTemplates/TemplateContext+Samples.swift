extension TemplateContext {
    /// The site used by the samples.
    public static let sampleSite = TemplateSite(
        productName: "Acme Support", supportAddress: "support@acme.example", portalURL: "https://help.acme.example/")

    /// A realistic context for `kind`, with every optional field filled: `check()` renders each
    /// template against it, and previews show it.
    public static func sample(for kind: TemplateKind) -> TemplateContext {
        let site = sampleSite
        let customer = Customer(name: "Dana Fischer", email: "dana.fischer@example.com")
        let ref = "TKT-7F3KQ9"
        let ticketURL = "https://help.acme.example/tickets/\(ref)"
        func ticket(_ status: String) -> Ticket {
            Ticket(ref: ref, subject: "Invoice download fails with an error", status: status)
        }
        switch kind {
        case .confirmation:
            return .confirmation(
                site: site, customer: customer, ticket: ticket("new"), ticketURL: ticketURL,
                responseTime: "one business day")
        case .agentReply:
            let reply = TemplateText(
                """
                Hi Dana,

                Thanks for the screenshot. The download failed because the invoice was still being \
                generated. It is ready now: please try again from the Billing page.

                If it still fails, tell me which browser you use and I will look into it.
                """)
            return .agentReply(
                site: site, customer: customer, ticket: ticket("pending"), agent: Agent(name: "Sam Lee"),
                reply: reply, ticketURL: ticketURL)
        case .resolution:
            let note = TemplateText("We fixed the invoice export. Your March invoice now downloads as a PDF.")
            let ratings = Rating.scale { "https://help.acme.example/rate/\(ref)/\($0)?t=sample" }
            return .resolution(
                site: site, customer: customer, ticket: ticket("resolved"), ticketURL: ticketURL, resolution: note,
                ratings: ratings)
        case .magicLink:
            return .magicLink(
                site: site, customer: customer, linkURL: "https://help.acme.example/sign-in/q8Zr2xVbN4kTfW1s",
                expiresIn: "30 minutes", ticket: ticket("open"), requestSubject: "Invoice export fails")
        case .agentNotice:
            let message = Message(
                from: "Dana Fischer <dana.fischer@example.com>",
                text: """
                    Hello,

                    when I click "Download" on my March invoice I get "Error 500".
                    Could you send it to me by email?

                    Thanks, Dana
                    """)
            return .agentNotice(
                site: site, customer: customer, ticket: ticket("new"), event: .newTicket, message: message,
                ticketURL: ticketURL, moreMessages: 2)
        }
    }
}
