extension TemplateContext {
    /// The context as Mustache sees it: dictionaries keyed by the names in `TemplateVariable.catalog`.
    ///
    /// Absent optional values are left out, so that `{{#name}}…{{/name}}` shows only when there is one.
    var mustacheValues: [String: Any] {
        var values: [String: Any] = [
            "product_name": productName,
            "support_address": supportAddress,
            "portal_url": portalURL,
            "customer": Self.values(of: customer),
            "ratings": ratings.map { ["score": $0.score, "label": $0.label, "url": $0.url] as [String: Any] },
        ]
        if let ticket {
            values["ticket"] = ["ref": ticket.ref, "subject": ticket.subject, "status": ticket.status]
        }
        values["ticket_url"] = ticketURL
        values["response_time"] = responseTime.flatMap { $0.isEmpty ? nil : $0 }
        if let agent { values["agent"] = ["name": agent.name] }
        if let reply { values["reply"] = Self.values(of: reply) }
        if let resolution, !resolution.text.isEmpty { values["resolution"] = Self.values(of: resolution) }
        values["link_url"] = linkURL
        values["expires_in"] = expiresIn
        values["request_subject"] = requestSubject.flatMap { $0.isEmpty ? nil : $0 }
        if let event {
            values["event"] = event.rawValue
            values["new_ticket"] = event == .newTicket
            values["customer_reply"] = event == .customerReply
            values["mail_refused"] = event == .mailRefused
        }
        if let moreMessages, moreMessages > 0 { values["more_messages"] = moreMessages }
        if let message {
            var fields = Self.values(of: message.body)
            fields["from"] = message.from
            values["message"] = fields
        }
        return values
    }

    private static func values(of customer: Customer) -> [String: Any] {
        var values: [String: Any] = ["email": customer.email]
        if let name = customer.name, !name.isEmpty { values["name"] = name }
        return values
    }

    private static func values(of text: TemplateText) -> [String: Any] {
        ["text": text.text, "html": text.html]
    }
}
