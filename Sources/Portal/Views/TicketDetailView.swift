import Foundation
import Store

extension PortalController {
    /// What the reply and rating forms show again after a refusal.
    struct TicketForms: Sendable {
        var replyText = ""
        var replyError: String?
        var rating: Int?
        var comment = ""
        var ratingError: String?
    }

    func ticketDetailPage(
        _ view: PortalTicketView, visitor: Visitor, csrf: String, flash: TicketFlash, forms: TicketForms = TicketForms()
    ) -> HTML {
        let ticket = view.ticket
        let flashHTML: HTML = flash.message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? .empty
        let first = view.messages.first { $0.kind == .customer }
        var entries: [(Date, Int64, HTML)] = view.messages.filter { $0.id != first?.id }.map { message in
            (message.createdAt, message.id ?? 0, messageEntry(message, attachments: view.attachments[message.id ?? -1] ?? [], viewer: visitor.customer.email))
        }
        entries += view.statusChanges.map { event in
            (event.at, event.id ?? 0, changeEntry(event))
        }
        entries.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        let description: HTML =
            first.map {
                "<section aria-labelledby=\"desc\"><h2 id=\"desc\">Your request</h2>\(messageEntry($0, attachments: view.attachments[$0.id ?? -1] ?? [], viewer: visitor.customer.email, asDescription: true))</section>"
            } ?? .empty
        let resolution: HTML =
            ticket.status.isFinished && !(ticket.resolution ?? "").isEmpty
            ? "<section class=\"card\" aria-labelledby=\"res\"><h2 id=\"res\">Resolution</h2><div class=\"body\">\(ticket.resolution)</div></section>"
            : .empty
        let timeline: HTML =
            entries.isEmpty
            ? "<p class=\"meta\">No answers yet. We will reply by email, and it will show here.</p>"
            : "<ol class=\"timeline\">\(entries.map(\.2))</ol>"
        return layout.page(
            .init(title: "\(ticket.ref) \(ticket.subject)", customerEmail: visitor.customer.email, csrf: csrf),
            """
            <p><a href="/portal/tickets">← My tickets</a></p>
            <h1><span class="ref">\(ticket.ref)</span> \(ticket.subject)</h1>\(flashHTML)
            <div class="card"><dl class="facts">
            <dt>Status</dt><dd>\(statusBadge(ticket.status))</dd>
            <dt>Priority</dt><dd>\(ticket.priority.rawValue.capitalized)</dd>
            <dt>Handled by</dt><dd>\(ticket.assignee ?? "Not assigned yet")</dd>
            <dt>Opened</dt><dd>\(timeHTML(ticket.createdAt))</dd>
            <dt>Last update</dt><dd>\(timeHTML(ticket.updatedAt))</dd>
            </dl></div>
            \(description)\(resolution)
            <section aria-labelledby="tl"><h2 id="tl">Conversation</h2>\(timeline)</section>
            \(ratingSection(ticket, csrf: csrf, forms: forms))\(replySection(ticket, csrf: csrf, forms: forms))
            """)
    }

    func timeHTML(_ date: Date) -> HTML {
        "<span class=\"when\"><time datetime=\"\(PortalClock.iso(date))\">\(PortalClock.dateTime(date))</time> (\(PortalClock.relative(date, now: now())))</span>"
    }

    func messageEntry(
        _ message: MessageRecord, attachments: [AttachmentRecord], viewer: String, asDescription: Bool = false
    ) -> HTML {
        let fromCustomer = message.kind == .customer
        let author = fromCustomer ? Self.customerAuthor(message, viewer: viewer) : (message.authorName ?? "Support") + " (\(settings.productName))"
        let visible = message.visibleText.trimmingCharacters(in: .whitespacesAndNewlines)
        let whole = message.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let rest: HTML =
            whole != visible && !whole.isEmpty
            ? "<details><summary>Show the whole message, with quoted text</summary><div class=\"body\">\(whole)</div></details>"
            : .empty
        var files = HTML.empty
        if !attachments.isEmpty {
            files = "<ul class=\"files\" aria-label=\"Attachments\">\(attachments.map { attachmentItem($0) })</ul>"
        }
        let tag = asDescription ? "div" : "li"
        return """
            <\(tag) class="entry\(fromCustomer ? "" : " agent")" id="m\(Int(message.id ?? 0))"><header><strong>\(author)</strong>\(timeHTML(message.createdAt))</header>
            <div class="body">\(visible.isEmpty ? "(no text)" : visible)</div>\(rest)\(files)</\(tag)>
            """
    }

    /// "You" for the signed-in customer's own messages; anyone else on the ticket (a colleague who was
    /// copied) by their own name, or their address.
    static func customerAuthor(_ message: MessageRecord, viewer: String) -> String {
        customerAuthor(email: message.authorEmail, name: message.authorName, viewer: viewer)
    }

    static func customerAuthor(email: String?, name: String?, viewer: String) -> String {
        if let email, email.lowercased() == viewer.lowercased() { return "You" }
        return name ?? email ?? "Someone on this ticket"
    }

    func attachmentItem(_ attachment: AttachmentRecord) -> HTML {
        let name = attachment.filename ?? "attachment"
        return "<li><a href=\"/portal/attachments/\(Int(attachment.id ?? 0))\" download>\(name)</a> <span class=\"meta\">(\(Self.size(attachment.size)))</span></li>"
    }

    func changeEntry(_ event: EventRecord) -> HTML {
        let what =
            switch event.detail {
            case "resolved": "The ticket was resolved."
            case "closed": "The ticket was closed."
            default: "The ticket was reopened."
            }
        return "<li class=\"entry change\">\(what) \(timeHTML(event.at))</li>"
    }

    func replySection(_ ticket: Ticket, csrf: String, forms: TicketForms) -> HTML {
        guard ticket.status != .closed else {
            let notice: HTML = "<p class=\"notice\">This ticket is closed. <a href=\"/portal/new\">Open a new ticket</a> if you need more help.</p>"
            guard let error = forms.replyError else { return notice }
            // A reply refused because the ticket closed meanwhile: say so, and keep the words for a new ticket.
            return """
                \(notice)<section class="card" aria-labelledby="rp"><h2 id="rp">Reply</h2><p class="error" role="alert">\(error)</p>
                <div class="field"><label for="f-text">Your message (not sent)</label><textarea id="f-text" readonly rows="7">\(forms.replyText)</textarea></div>
                <p><a class="button" href="/portal/new">Open a new ticket</a></p></section>
                """
        }
        let reopen: HTML = ticket.status == .resolved ? " A reply opens the ticket again." : .empty
        return """
            <section class="card" aria-labelledby="rp"><h2 id="rp">Reply</h2>
            <form method="post" action="/portal/tickets/\(ticket.ref)/reply" novalidate>\(csrfField(csrf))
            <input type="hidden" name="submission" value="\(AccessTokenRecord.makeToken())">
            \(field("text", label: "Your message", value: forms.replyText, type: "textarea", error: forms.replyError, hint: "Up to 2,000 characters.\(reopen)", attributes: " maxlength=\"2000\" required"))
            <button type="submit">Send reply</button></form></section>
            """
    }

    func ratingSection(_ ticket: Ticket, csrf: String, forms: TicketForms, action: String? = nil) -> HTML {
        guard ticket.status.isFinished else {
            guard let error = forms.ratingError else { return .empty }
            return "<section class=\"card\" aria-labelledby=\"rt\"><h2 id=\"rt\">How did we do?</h2><p class=\"error\" role=\"alert\">\(error)</p></section>"
        }
        let chosen = forms.rating ?? ticket.csatRating
        let current: HTML =
            ticket.csatRating.map { "<p>You rated this \($0) of 5. You can change it below.</p>" } ?? .empty
        let options = HTML.join(
            (1...5).map { score in
                let checked: HTML = chosen == score ? " checked" : .empty
                return "<label><input type=\"radio\" name=\"rating\" value=\"\(score)\"\(checked) required> \(score) · \(Self.ratingLabel(score))</label>"
            })
        let error: HTML = forms.ratingError.map { "<p class=\"error\" id=\"rating-error\">\($0)</p>" } ?? .empty
        return """
            <section class="card" aria-labelledby="rt"><h2 id="rt">How did we do?</h2>\(current)
            <form method="post" action="\(action ?? "/portal/tickets/\(ticket.ref)/rate")">\(csrfField(csrf))
            <fieldset class="stars"><legend class="sr">Your rating, 1 (poor) to 5 (excellent)</legend>\(options)</fieldset>\(error)
            \(field("comment", label: "Comment (optional)", value: forms.comment.isEmpty ? (ticket.csatComment ?? "") : forms.comment, type: "textarea", attributes: " maxlength=\"2000\""))
            <button type="submit">Save rating</button></form></section>
            """
    }

    static func ratingLabel(_ score: Int) -> String {
        ["Poor", "Fair", "Good", "Very good", "Excellent"][min(max(score, 1), 5) - 1]
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
