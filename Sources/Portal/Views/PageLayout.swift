import Foundation

/// The frame of every page: header with the brand, the signed-in customer and sign-out, the content,
/// and a footer with the support address. Semantic landmarks, a skip link and one `h1` per page.
struct PageLayout: Sendable {
    let settings: PortalSettings
    let stylesheetPath: String

    struct Chrome: Sendable {
        var title: String
        /// The signed-in customer's address, for the header; nil on public pages.
        var customerEmail: String?
        /// The CSRF token for the header's sign-out form.
        var csrf: String = ""
    }

    func page(_ chrome: Chrome, _ content: HTML) -> HTML {
        let brand: HTML
        if settings.logo != nil {
            brand = "<img src=\"\(PortalController.staticPrefix)logo\" alt=\"\(settings.productName)\" class=\"logo\">"
        } else {
            brand = "\(settings.productName)"
        }
        var account = HTML.empty
        if let email = chrome.customerEmail {
            account = """
                <nav class="account" aria-label="Account"><a href="/portal/tickets">My tickets</a>
                <a href="/portal/new">New ticket</a>
                <form method="post" action="/portal/logout" class="inline">\(csrfField(chrome.csrf))
                <button type="submit" class="link" title="Signed in as \(email)">Sign out</button></form></nav>
                """
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(chrome.title) · \(settings.productName)</title>
            <link rel="stylesheet" href="\(stylesheetPath)">
            </head><body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top"><div class="bar"><a class="brand" href="/portal">\(brand)</a>\(account)</div></header>
            <main id="main" class="wrap">\(content)</main>
            <footer class="wrap foot">Questions? Write to <a href="mailto:\(settings.supportAddress)">\(settings.supportAddress)</a>: every reply lands on your ticket.</footer>
            </body></html>
            """
    }
}

/// The hidden field that carries a form's CSRF token.
func csrfField(_ token: String) -> HTML {
    "<input type=\"hidden\" name=\"\(CSRFTokens.fieldName)\" value=\"\(token)\">"
}

/// A labelled form field with its error next to it, keeping what was typed.
func field(
    _ name: String, label: String, value: String = "", type: String = "text", error: String? = nil,
    hint: String? = nil, attributes: HTML = .empty
) -> HTML {
    let id = "f-\(name)"
    let described: HTML = error != nil ? " aria-invalid=\"true\" aria-describedby=\"\(id)-error\"" : .empty
    let hintHTML: HTML = hint.map { "<p class=\"hint\" id=\"\(id)-hint\">\($0)</p>" } ?? .empty
    let errorHTML: HTML = error.map { "<p class=\"error\" id=\"\(id)-error\">\($0)</p>" } ?? .empty
    let control: HTML
    if type == "textarea" {
        control = "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"7\"\(described)\(attributes)>\(value)</textarea>"
    } else {
        control = "<input id=\"\(id)\" name=\"\(name)\" type=\"\(type)\" value=\"\(value)\"\(described)\(attributes)>"
    }
    return "<div class=\"field\(error != nil ? " has-error" : "")\"><label for=\"\(id)\">\(label)</label>\(hintHTML)\(control)\(errorHTML)</div>"
}
