import Foundation
import Hummingbird
import Store

/// A ticket asked for without signing in (off unless `anonymous_tickets` is set): it is kept as a
/// request and opens only when its author uses the link mailed to the address they gave.
extension PortalController {
    func addRequestRoutes(to router: Router<PortalRequestContext>) {
        guard settings.anonymousTickets else { return }
        router.get("/portal/request") { request, context in
            html(requestPage(csrf: csrfToken(context), form: NewTicketForm(), errors: [:]))
        }
        router.post("/portal/request") { request, context in
            let form = try await form(NewTicketForm.self, request, context)
            let draft: (subject: String, text: String, priority: Ticket.Priority)
            switch Self.draft(form, anonymous: true) {
            case .success(let valid): draft = valid
            case .failure(let errors):
                return html(
                    requestPage(csrf: csrfToken(context), form: form, errors: errors.byField), status: .unprocessableContent)
            }
            let email = Self.normalized(form.email)
            try checkMailLimits(
                email: email, request, context,
                refusal: "Requests were sent too often. Please try again in an hour, or write to us by email.")
            let name = Self.normalized(form.name)
            try await desk.requestTicket(
                email: email, name: name.isEmpty ? nil : name, subject: draft.subject, text: draft.text,
                priority: draft.priority)
            return html(
                noticePage(
                    title: "Check your email",
                    message: "We sent a link to \(email). Open it to confirm your request: your ticket opens then, and you can follow it here."))
        }
    }

    func requestPage(csrf: String, form: NewTicketForm, errors: [String: String]) -> HTML {
        let summary: HTML = errors.isEmpty ? .empty : "<p class=\"notice bad\" role=\"alert\">Please correct the fields marked below.</p>"
        return layout.page(
            .init(title: "Ask us"),
            """
            <h1>Ask us something</h1>
            <p>Already wrote to us? <a href="/portal">Sign in with your email</a> to follow your tickets.</p>\(summary)
            \(newTicketForm(action: "/portal/request", csrf: csrf, form: form, errors: errors, anonymous: true))
            """)
    }
}
