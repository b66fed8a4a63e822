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

    /// The mail for `row`, given the ticket and customer it is about (nil for mail about no ticket)
    /// and the portal links made for this sending. Throws when the row's payload cannot be read or a
    /// template cannot render it: retrying cannot help either.
    public func compose(
        _ row: OutboxRecord, ticket: Ticket?, customer: Customer?, links: PortalLinks.Made = PortalLinks.Made(),
        at now: Date
    ) throws -> OutgoingMail {
        try compose(row, payload: OutboxPayload(row), ticket: ticket, customer: customer, links: links, at: now)
    }

    public func compose(
        _ row: OutboxRecord, payload: OutboxPayload, ticket: Ticket?, customer: Customer?, links: PortalLinks.Made,
        at now: Date
    ) throws -> OutgoingMail {
        let rendered = try templates.render(
            templateKind(row.kind), context: context(row, payload: payload, links: links, ticket: ticket, customer: customer))
        // Answers in a conversation say Re:; a confirmation or a notice opens one.
        let answering = row.inReplyTo != nil && (row.kind == .agentReply || row.kind == .resolution)
        let fromName: String
        if case .agentReply(let reply) = payload {
            fromName = "\(reply.agentName) via \(settings.productName)"
        } else {
            fromName = settings.productName
        }
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
        _ row: OutboxRecord, payload: OutboxPayload, links: PortalLinks.Made, ticket: Ticket?, customer: Customer?
    ) throws -> TemplateContext {
        let site = settings
        let stored: OutboxPayload.Person? =
            switch payload {
            case .confirmation(let person): person
            case .magicLink(let link): .init(customerEmail: link.customerEmail, customerName: link.customerName)
            default: nil
            }
        let person = TemplateContext.Customer(
            name: customer?.name ?? stored?.customerName.flatMap { $0.isEmpty ? nil : $0 },
            email: customer?.email ?? stored?.customerEmail ?? row.recipient)
        let signIn = links.signIn ?? (settings.portalURL + "/portal", "")
        guard let ticket else {
            guard case .magicLink(let link) = payload else { throw OutboxPayloadError.noTicket(row.kind) }
            return .magicLink(
                site: site, customer: person, linkURL: signIn.url, expiresIn: signIn.expiresIn,
                requestSubject: link.requestSubject)
        }
        let summary = TemplateContext.Ticket(ref: ticket.ref, subject: ticket.subject, status: ticket.status.rawValue)
        let ticketURL = links.ticketURL ?? settings.portalURL + "/portal/tickets/" + ticket.ref
        switch payload {
        case .confirmation:
            return .confirmation(site: site, customer: person, ticket: summary, ticketURL: ticketURL)
        case .agentReply(let reply):
            return .agentReply(
                site: site, customer: person, ticket: summary, agent: .init(name: reply.agentName),
                reply: TemplateText(reply.replyText), ticketURL: ticketURL)
        case .resolution(let resolution):
            let text = resolution.resolutionText.isEmpty ? nil : TemplateText(resolution.resolutionText)
            return .resolution(
                site: site, customer: person, ticket: summary, ticketURL: ticketURL, resolution: text,
                ratings: TemplateContext.Rating.scale { "\(ticketURL)/rate/\($0)" })
        case .agentNotice(let notice), .agentRefusal(let notice):
            return .agentNotice(
                site: site, customer: person, ticket: summary,
                event: row.kind == .agentRefusal ? .mailRefused : notice.event,
                message: .init(from: notice.messageFrom, text: notice.messageText), ticketURL: ticketURL,
                moreMessages: notice.moreMessages)
        case .magicLink:
            return .magicLink(
                site: site, customer: person, linkURL: signIn.url, expiresIn: signIn.expiresIn, ticket: summary)
        }
    }
}
