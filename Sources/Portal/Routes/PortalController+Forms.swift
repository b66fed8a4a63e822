import Foundation
import Hummingbird
import MailModel
import Store

/// What customers write: replies, new tickets, ratings. Replies and new tickets go to the desk, which
/// takes them in like mail; a refused form comes back with what was typed and what is wrong.
extension PortalController {
    struct ReplyForm: Decodable, CSRFProtected {
        var csrf: String?
        var text: String?
        var submission: String?
    }

    struct RatingForm: Decodable, CSRFProtected {
        var csrf: String?
        var rating: String?
        var comment: String?
    }

    struct NewTicketForm: Decodable, CSRFProtected {
        var csrf: String?
        var subject: String?
        var message: String?
        var description: String?
        var priority: String?
        var submission: String?
        // Only when asking without signing in.
        var name: String?
        var email: String?
    }

    func addFormRoutes(to router: Router<PortalRequestContext>) {
        router.post("/portal/tickets/:ref/reply") { request, context in
            let visitor = try await requireVisitor(request)
            let form = try await form(ReplyForm.self, request, context)
            let view = try await ticketView(context.parameters.get("ref") ?? "", for: visitor)
            let text = Self.normalized(form.text)
            var forms = TicketForms(replyText: text)
            if view.ticket.status == .closed {
                forms.replyError = "This ticket is closed and takes no more replies. Please open a new ticket."
            } else if text.isEmpty {
                forms.replyError = "Write your message first."
            } else if text.count > PortalSettings.maxReplyLength {
                forms.replyError = "That is \(text.count) characters; a reply can have up to 2,000. Please shorten it or send it by email."
            }
            if forms.replyError != nil {
                return html(
                    ticketDetailPage(
                        view, visitor: visitor, csrf: csrfToken(context), flash: TicketFlash(Parameters()), forms: forms),
                    status: .unprocessableContent)
            }
            if let refusal = writeRefusal(visitor) {
                forms.replyError = refusal
                return tooManyWrites(
                    ticketDetailPage(
                        view, visitor: visitor, csrf: csrfToken(context), flash: TicketFlash(Parameters()), forms: forms))
            }
            _ = try await desk.reply(
                from: visitor.customer, on: view.ticket, text: text, submissionID: Self.submissionID(form.submission))
            return redirect("/portal/tickets/\(view.ticket.ref)?sent=1#rp")
        }
        router.post("/portal/tickets/:ref/rate") { request, context in
            let visitor = try await requireVisitor(request)
            let form = try await form(RatingForm.self, request, context)
            let view = try await ticketView(context.parameters.get("ref") ?? "", for: visitor)
            if let refusal = try await rate(view.ticket, form, actor: visitor.customer.email) {
                return html(
                    ticketDetailPage(
                        view, visitor: visitor, csrf: csrfToken(context), flash: TicketFlash(Parameters()), forms: refusal),
                    status: .unprocessableContent)
            }
            return redirect("/portal/tickets/\(view.ticket.ref)?rated=1#rt")
        }
        router.get("/portal/new") { request, context in
            let visitor = try await requireVisitor(request)
            guard visitor.onlyTicketID == nil else { return html(fullSignInNeeded(context)) }
            return html(newTicketPage(visitor: visitor, csrf: csrfToken(context), form: NewTicketForm(), errors: [:]))
        }
        router.post("/portal/new") { request, context in
            let visitor = try await requireVisitor(request)
            guard visitor.onlyTicketID == nil else { return html(fullSignInNeeded(context), status: .forbidden) }
            let form = try await form(NewTicketForm.self, request, context)
            let draft: (subject: String, text: String, priority: Ticket.Priority)
            switch Self.draft(form, anonymous: false) {
            case .success(let valid): draft = valid
            case .failure(let errors):
                return html(
                    newTicketPage(visitor: visitor, csrf: csrfToken(context), form: form, errors: errors.byField),
                    status: .unprocessableContent)
            }
            if let refusal = writeRefusal(visitor) {
                return tooManyWrites(
                    newTicketPage(visitor: visitor, csrf: csrfToken(context), form: form, errors: [:], notice: refusal))
            }
            let ref = try await desk.openTicket(
                from: visitor.customer, subject: draft.subject, text: draft.text, priority: draft.priority,
                submissionID: Self.submissionID(form.submission))
            return redirect(ref.map { "/portal/tickets/\($0)?opened=1" } ?? "/portal/tickets")
        }
        // One-click rating links in the resolution mail open a confirmation page; the POST records it.
        router.get("/portal/t/:token/rate/:score") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard let ticket = try await ratableTicket(token) else {
                return html(linkNotWorking(.expired, context: context), status: .gone)
            }
            let score = context.parameters.get("score").flatMap { Int($0) }.flatMap { (1...5).contains($0) ? $0 : nil }
            guard ticket.status.isFinished else {
                return html(
                    noticePage(
                        title: "Not ready for a rating",
                        message: "\(ticket.ref) is open again, so there is nothing to rate yet. You can rate it once it is resolved.",
                        extra: "<p><a href=\"/portal\">Go to your tickets</a></p>"))
            }
            return html(ratingLinkPage(ticket, token: token, csrf: csrfToken(context), forms: TicketForms(rating: score)))
        }
        router.post("/portal/t/:token/rate") { request, context in
            let token = context.parameters.get("token") ?? ""
            let form = try await form(RatingForm.self, request, context)
            guard let ticket = try await ratableTicket(token), let ticketID = ticket.id else {
                return html(linkNotWorking(.expired, context: context), status: .gone)
            }
            if let refusal = try await rate(ticket, form, actor: "customer:\(ticket.customerId)") {
                return html(
                    ratingLinkPage(ticket, token: token, csrf: csrfToken(context), forms: refusal),
                    status: .unprocessableContent)
            }
            if let visitor = try await visitor(request), visitor.customerID == ticket.customerId {
                return redirect("/portal/tickets/\(ticket.ref)?rated=1#rt")
            }
            return try await signIn(
                customerID: ticket.customerId, ticketID: ticketID, how: "rating link",
                to: "/portal/tickets/\(ticket.ref)?rated=1#rt")
        }
    }

    /// For a session opened from a link to one ticket: new tickets need a sign-in with the address.
    func fullSignInNeeded(_ context: PortalRequestContext) -> HTML {
        layout.page(
            .init(title: "Sign in"),
            """
            <div class="card narrow"><h1>Sign in to open a ticket</h1>
            <p>You came in through a link to one ticket. To open a new one, ask for a sign-in link, or simply write to <a href="mailto:\(settings.supportAddress)">\(settings.supportAddress)</a>.</p>
            \(linkRequestForm(csrf: csrfToken(context)))</div>
            """)
    }

    /// The finished ticket a valid ticket link opens, for rating.
    func ratableTicket(_ token: String) async throws -> Ticket? {
        let moment = now()
        return try await database.read { tx in
            guard let record = try tx.accessToken(token), record.purpose == .ticketLink,
                record.state(at: moment) == .valid, let ticketID = record.ticketId,
                let ticket = try tx.ticket(id: ticketID), ticket.customerId == record.customerId
            else { return nil }
            return ticket
        }
    }

    /// Stores a rating; returns the form to show again when it is refused.
    func rate(_ ticket: Ticket, _ form: RatingForm, actor: String) async throws -> TicketForms? {
        let comment = Self.normalized(form.comment)
        var forms = TicketForms(rating: form.rating.flatMap { Int($0) }, comment: comment)
        guard ticket.status.isFinished else {
            forms.ratingError = "You can rate a ticket once it is resolved."
            return forms
        }
        guard let rating = forms.rating, (1...5).contains(rating) else {
            forms.ratingError = "Choose a rating from 1 to 5."
            return forms
        }
        guard comment.count <= PortalSettings.maxReplyLength else {
            forms.ratingError = "The comment can have up to 2,000 characters."
            return forms
        }
        let moment = now()
        try await database.write { tx in
            _ = try tx.rate(ticket, rating: rating, comment: comment.isEmpty ? nil : comment, at: moment)
            try tx.log(
                EventRecord(at: moment, actor: actor, action: "ticket.rated", ticketId: ticket.id, detail: "\(rating) of 5"))
        }
        return nil
    }

    func ratingLinkPage(_ ticket: Ticket, token: String, csrf: String, forms: TicketForms) -> HTML {
        layout.page(
            .init(title: "Rate \(ticket.ref)"),
            """
            <h1><span class="ref">\(ticket.ref)</span> \(ticket.subject)</h1>
            <p>How did we do? Check the rating and press Save rating; a comment helps us most.</p>
            \(ratingSection(ticket, csrf: csrf, forms: forms, action: "/portal/t/\(token)/rate"))
            """)
    }

    /// The ticket a new-ticket form asks for (subject, text of message and details, priority), or
    /// the field errors, by field name, that keep it from being opened.
    static func draft(
        _ form: NewTicketForm, anonymous: Bool
    ) -> Result<(subject: String, text: String, priority: Ticket.Priority), FieldErrors> {
        var errors: [String: String] = [:]
        let subject = normalized(form.subject).split(whereSeparator: \.isNewline).joined(separator: " ")
        let message = normalized(form.message)
        let description = normalized(form.description)
        if subject.count < 3 { errors["subject"] = "The subject needs at least 3 characters." }
        if subject.count > 200 { errors["subject"] = "The subject can have up to 200 characters." }
        if message.count < 10 { errors["message"] = "Tell us a little more: at least 10 characters." }
        if message.count + description.count > PortalSettings.maxReplyLength * 5 {
            errors["message"] = "That is too long for the form; please send it by email."
        }
        var priority = Ticket.Priority.normal
        if let given = form.priority, !given.isEmpty {
            if let known = Ticket.Priority(rawValue: given) { priority = known } else {
                errors["priority"] = "Choose one of the priorities listed."
            }
        }
        if anonymous {
            if !EmailAddress.isPlausible(normalized(form.email)) {
                errors["email"] = "Enter an email address, like name@example.com."
            }
            if normalized(form.name).count > 200 { errors["name"] = "The name can have up to 200 characters." }
        }
        guard errors.isEmpty else { return .failure(FieldErrors(byField: errors)) }
        return .success((subject, description.isEmpty ? message : message + "\n\nDetails:\n" + description, priority))
    }

    /// What is wrong with a form, by field name.
    struct FieldErrors: Error {
        var byField: [String: String]
    }

    /// Form text with line breaks as `\n` and surrounding space trimmed.
    static func normalized(_ text: String?) -> String {
        (text ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The form's one-time id (it makes a form sent twice count once), or a fresh one if it is missing or odd.
    static func submissionID(_ given: String?) -> String {
        guard let given, (16...64).contains(given.utf8.count),
            given.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x2d || $0 == 0x5f })
        else { return AccessTokenRecord.makeToken() }
        return given
    }
}
