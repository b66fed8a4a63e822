import Foundation
import Store

extension PortalController {
    /// The new-ticket form; `anonymous` adds name and email for someone not signed in.
    func newTicketForm(
        action: String, csrf: String, form: NewTicketForm, errors: [String: String], anonymous: Bool
    ) -> HTML {
        let chosen = form.priority.flatMap(Ticket.Priority.init(rawValue:)) ?? .normal
        let options = HTML.join(
            Ticket.Priority.allCases.map { priority in
                let selected: HTML = priority == chosen ? " selected" : .empty
                return "<option value=\"\(priority.rawValue)\"\(selected)>\(priority.rawValue.capitalized)</option>"
            })
        let priorityError: HTML = errors["priority"].map { "<p class=\"error\" id=\"f-priority-error\">\($0)</p>" } ?? .empty
        let identity: HTML =
            anonymous
            ? """
            \(field("name", label: "Your name (optional)", value: form.name ?? "", error: errors["name"], attributes: " autocomplete=\"name\""))
            \(field("email", label: "Your email address", value: form.email ?? "", type: "email", error: errors["email"], hint: "We send a link there; your ticket opens when you use it.", attributes: " autocomplete=\"email\" required"))
            """ : .empty
        return """
            <form method="post" action="\(action)" class="card" novalidate>\(csrfField(csrf))
            <input type="hidden" name="submission" value="\(form.submission ?? AccessTokenRecord.makeToken())">\(identity)
            \(field("subject", label: "Subject", value: form.subject ?? "", error: errors["subject"], hint: "At least 3 characters.", attributes: " maxlength=\"200\" required"))
            \(field("message", label: "Message", value: form.message ?? "", type: "textarea", error: errors["message"], hint: "What happened, and what do you need? At least 10 characters.", attributes: " required"))
            \(field("description", label: "Details (optional)", value: form.description ?? "", type: "textarea", hint: "Steps to reproduce, order numbers, versions."))
            <div class="field"><label for="f-priority">Priority</label><select id="f-priority" name="priority">\(options)</select>\(priorityError)</div>
            <button type="submit">\(anonymous ? "Send request" : "Open ticket")</button></form>
            """
    }

    /// The new-ticket page; `notice` says why a valid form was not taken (a limit), above the form.
    func newTicketPage(
        visitor: Visitor, csrf: String, form: NewTicketForm, errors: [String: String], notice: String? = nil
    ) -> HTML {
        let summary: HTML =
            if let notice { "<p class=\"notice bad\" role=\"alert\">\(notice)</p>" } else if errors.isEmpty { .empty } else {
                "<p class=\"notice bad\" role=\"alert\">Please correct the fields marked below.</p>"
            }
        return layout.page(
            .init(title: "New ticket", customerEmail: visitor.customer.email, csrf: csrf),
            "<h1>New ticket</h1>\(summary)\(newTicketForm(action: "/portal/new", csrf: csrf, form: form, errors: errors, anonymous: false))")
    }
}
