import Hummingbird

extension PortalController {
    /// A page that says what happened and what to do next.
    func noticePage(title: String, message: String, extra: HTML = .empty, customerEmail: String? = nil, csrf: String = "")
        -> HTML
    {
        layout.page(
            .init(title: title, customerEmail: customerEmail, csrf: csrf),
            "<div class=\"card narrow\"><h1>\(title)</h1><p>\(message)</p>\(extra)</div>")
    }

    /// A refusal with its status, as a page.
    func problem(_ status: HTTPResponse.Status, title: String, message: String) -> PortalPageError {
        PortalPageError(
            status: status,
            page: noticePage(title: title, message: message, extra: "<p><a href=\"/portal\">Go to the start page</a></p>"))
    }

    /// The answer for anything that is not there or not the visitor's: the same either way.
    func notFound() -> PortalPageError {
        problem(
            .notFound, title: "Page not found",
            message: "There is nothing here, or it is not yours to see. Tickets are shown only to the customer who opened them.")
    }

    /// The form that asks for a sign-in link, with what was typed and what is wrong with it.
    func linkRequestForm(csrf: String, email: String = "", error: String? = nil) -> HTML {
        """
        <form method="post" action="/portal/link" novalidate>\(csrfField(csrf))
        \(field("email", label: "Your email address", value: email, type: "email", error: error, hint: "We send you a link that signs you in. No password needed.", attributes: " autocomplete=\"email\" required"))
        <button type="submit">Email me a sign-in link</button></form>
        """
    }
}
