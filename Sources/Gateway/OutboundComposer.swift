import Foundation
import MIME
import MailModel
import MailTemplates
import Store

/// Turns an outbox row into the mail a person receives: the admin's templates rendered with the
/// ticket's current state, and the headers that thread it, route answers back and keep robots quiet.
public struct OutboundComposer: Sendable {
    /// References kept at most: the first few (the thread's root) and the last ones (RT's rule).
    static let referencesHead = 4
    static let referencesTail = 6

    let templates: TemplateLibrary
    /// The product's name, the support address and the portal's public address (links start there).
    let settings: TemplateSite
    let tokens: ThreadTokens

    public init(templates: TemplateLibrary, site: TemplateSite, tokens: ThreadTokens) {
        self.templates = templates
        var site = site
        if site.portalURL.hasSuffix("/") { site.portalURL.removeLast() }
        settings = site
        self.tokens = tokens
    }

    /// The mail for `row`, given the ticket and customer it is about (nil for mail about no ticket).
    /// `links` holds the portal links made for this sending (`ticket_url`, `link_url`, `expires_in`).
    public func compose(
        _ row: OutboxRecord, ticket: Ticket?, customer: Customer?, links: [String: String] = [:], at now: Date
    ) throws -> OutgoingMail {
        let stored = try row.fields()
        let fields = stored.merging(links) { _, link in link }
        let rendered = try templates.render(
            templateKind(row.kind), context: context(row, fields: fields, ticket: ticket, customer: customer))
        // Answers in a conversation say Re:; a confirmation or a notice opens one.
        let answering = row.inReplyTo != nil && (row.kind == .agentReply || row.kind == .resolution)
        let fromName =
            row.kind == .agentReply
            ? "\(fields["agent_name"] ?? settings.productName) via \(settings.productName)" : settings.productName
        var headers: [OutgoingMail.Field] = [OutgoingMail.Field(IngestSettings.loopHeader, tokens.instanceID)]
        if row.automated {
            // RFC 3834: a confirmation answers the customer's mail; the rest are notifications.
            headers += [
                OutgoingMail.Field("Auto-Submitted", row.kind == .confirmation ? "auto-replied" : "auto-generated"),
                OutgoingMail.Field("X-Auto-Response-Suppress", "All"),
                OutgoingMail.Field("Precedence", "bulk"),
            ]
        }
        let recipientName = row.recipient.caseInsensitiveCompare(customer?.email ?? "") == .orderedSame ? customer?.name : nil
        // Answers from agents come back with a token bound to the notice's recipient; everyone
        // else's with the ticket's customer token.
        let replyAddress = ticket.map { ticket in
            row.kind.isForAgents
                ? tokens.agentReplyAddress(ref: ticket.ref, supportAddress: settings.supportAddress, recipient: row.recipient)
                : tokens.replyAddress(ref: ticket.ref, supportAddress: settings.supportAddress)
        }
        return OutgoingMail(
            from: EmailAddress(name: fromName, address: settings.supportAddress),
            to: [EmailAddress(name: recipientName, address: row.recipient)],
            cc: row.ccAddresses.map { EmailAddress(address: $0) },
            replyTo: replyAddress.map { EmailAddress(name: settings.productName, address: $0) },
            subject: Self.subject(rendered.subject, answering: answering), messageID: row.messageId,
            inReplyTo: row.inReplyTo, references: Self.trimmedReferences(row), date: now, text: rendered.text,
            html: rendered.html, fields: headers)
    }

    /// `Re: ` once for an answer, whatever the template or an earlier answer put in front.
    static func subject(_ subject: String, answering: Bool) -> String {
        var text = Substring(subject)
        while let prefix = ["re:", "aw:", "sv:", "antw:"].first(where: { text.lowercased().hasPrefix($0) }) {
            text = text.dropFirst(prefix.count).drop(while: \.isWhitespace)
        }
        return answering ? "Re: " + text : String(text)
    }

    /// The References of a row, trimmed to the first and last few, with the answered id last.
    static func trimmedReferences(_ row: OutboxRecord) -> [String] {
        var ids = (row.references ?? "").split(separator: " ").map(String.init)
        if let parent = row.inReplyTo, ids.last != parent {
            ids.removeAll { $0 == parent }
            ids.append(parent)
        }
        guard ids.count > referencesHead + referencesTail else { return ids }
        return Array(ids.prefix(referencesHead) + ids.suffix(referencesTail))
    }

    func templateKind(_ kind: OutboxRecord.Kind) -> TemplateKind {
        switch kind {
        case .confirmation: .confirmation
        case .agentReply: .agentReply
        case .resolution: .resolution
        case .magicLink: .magicLink
        case .agentNotice, .agentRefusal: .agentNotice
        }
    }

    func context(
        _ row: OutboxRecord, fields: [String: String], ticket: Ticket?, customer: Customer?
    ) throws -> TemplateContext {
        let site = settings
        let person = TemplateContext.Customer(
            name: customer?.name ?? fields["customer_name"].flatMap { $0.isEmpty ? nil : $0 },
            email: customer?.email ?? fields["customer_email"] ?? row.recipient)
        guard let ticket else {
            return .magicLink(
                site: site, customer: person, linkURL: fields["link_url"] ?? settings.portalURL + "/portal",
                expiresIn: fields["expires_in"] ?? "", requestSubject: fields["request_subject"])
        }
        let summary = TemplateContext.Ticket(ref: ticket.ref, subject: ticket.subject, status: ticket.status.rawValue)
        let ticketURL = fields["ticket_url"] ?? settings.portalURL + "/portal/tickets/" + ticket.ref
        switch row.kind {
        case .confirmation:
            return .confirmation(site: site, customer: person, ticket: summary, ticketURL: ticketURL)
        case .agentReply:
            return .agentReply(
                site: site, customer: person, ticket: summary, agent: .init(name: fields["agent_name"] ?? "Support"),
                reply: TemplateText(fields["reply_text"] ?? ""), ticketURL: ticketURL)
        case .resolution:
            let text = fields["resolution_text"].flatMap { $0.isEmpty ? nil : TemplateText($0) }
            return .resolution(
                site: site, customer: person, ticket: summary, ticketURL: ticketURL, resolution: text,
                ratings: TemplateContext.Rating.scale { "\(ticketURL)/rate/\($0)" })
        case .agentNotice, .agentRefusal:
            let event =
                row.kind == .agentRefusal ? .mailRefused : TemplateContext.Event(rawValue: fields["event"] ?? "") ?? .newTicket
            return .agentNotice(
                site: site, customer: person, ticket: summary, event: event,
                message: .init(from: fields["message_from"] ?? person.email, text: fields["message_text"] ?? ""),
                ticketURL: ticketURL, moreMessages: fields["more_messages"].flatMap { Int($0) })
        case .magicLink:
            return .magicLink(
                site: site, customer: person, linkURL: fields["link_url"] ?? settings.portalURL + "/portal",
                expiresIn: fields["expires_in"] ?? "", ticket: summary)
        }
    }
}
