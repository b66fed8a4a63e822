import Foundation
import Hummingbird
import Logging
import MailModel
import Store

/// Sign-in by magic link. Asking for a link answers the same whether or not the address is known.
/// The link's `GET` only shows a Continue button: mail scanners fetch every link, and only the `POST`
/// from that page spends a sign-in link and starts a session.
extension PortalController {
    struct LinkRequestForm: Decodable, CSRFProtected {
        var csrf: String?
        var email: String?
    }

    struct ContinueForm: Decodable, CSRFProtected {
        var csrf: String?
    }

    func addSignInRoutes(to router: Router<PortalRequestContext>) {
        router.get("/portal") { request, context in
            if try await visitor(request) != nil { return redirect("/portal/tickets") }
            return html(signInPage(csrf: csrfToken(context)))
        }
        router.post("/portal/link") { request, context in try await requestLink(request, context) }
        router.get("/portal/login/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            return try await landing(token: token, action: "/portal/login/\(token)", context: context, purpose: .login)
        }
        router.post("/portal/login/:token") { request, context in
            _ = try await form(ContinueForm.self, request, context)
            return try await useLink(context.parameters.get("token") ?? "", purpose: .login, context: context)
        }
        router.get("/portal/t/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            if let visitor = try await visitor(request), let record = try await database.read({ try $0.accessToken(token) }),
                record.state(at: now()) == .valid, record.customerId == visitor.customerID,
                let ticketID = record.ticketId, visitor.onlyTicketID == nil || visitor.onlyTicketID == ticketID,
                let ticket = try await database.read({ try $0.ticket(id: ticketID) })
            {
                return redirect("/portal/tickets/\(ticket.ref)")
            }
            return try await landing(token: token, action: "/portal/t/\(token)", context: context, purpose: .ticketLink)
        }
        router.post("/portal/t/:token") { request, context in
            _ = try await form(ContinueForm.self, request, context)
            return try await useLink(context.parameters.get("token") ?? "", purpose: .ticketLink, context: context)
        }
        router.post("/portal/logout") { request, context in
            _ = try await form(ContinueForm.self, request, context)
            if let token = request.cookie(Self.sessionCookie) {
                let actor = try await visitor(request)?.customer.email
                let moment = now()
                try await database.write { tx in
                    try tx.endSession(token)
                    if let actor { try tx.log(EventRecord(at: moment, actor: actor, action: "portal.sign-out")) }
                }
            }
            var response = html(
                noticePage(
                    title: "You are signed out",
                    message: "Your session has ended on this device. Links in our mail still work until they expire.",
                    extra: "<p><a href=\"/portal\">Sign in again</a></p>"))
            response.setCookie(sessionCookie(""))
            return response
        }
    }

    func signInPage(csrf: String, email: String = "", error: String? = nil) -> HTML {
        let anonymous: HTML =
            settings.anonymousTickets
            ? "<p>New here? <a href=\"/portal/request\">Ask us something without signing in</a>.</p>" : .empty
        return layout.page(
            .init(title: "Sign in"),
            """
            <div class="card narrow"><h1>Your tickets at \(settings.productName)</h1>
            <p>Follow your requests, reply and open new ones. Or simply write to <a href="mailto:\(settings.supportAddress)">\(settings.supportAddress)</a>.</p>
            \(linkRequestForm(csrf: csrf, email: email, error: error))\(anonymous)</div>
            """)
    }

    func requestLink(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let form = try await form(LinkRequestForm.self, request, context)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard EmailAddress.isPlausible(email) else {
            return html(
                signInPage(csrf: csrfToken(context), email: email, error: "Enter an email address, like name@example.com."),
                status: .unprocessableContent)
        }
        try checkMailLimits(
            email: email, request, context,
            refusal: "Sign-in links were asked for too often. Please try again in an hour, or check your mail for a link we already sent.")
        // Known or not, the address only joins a queue here: the lookup and the mail come after the
        // answer (LinkRequestMailer), so the answer takes the same time either way.
        if !linkRequests.enqueue(email) {
            logger.warning("too many sign-in link requests waiting; one was dropped")
        }
        return html(
            noticePage(
                title: "Check your email",
                message: "If \(email) has tickets with us, a sign-in link is on its way. It works once, for \(settings.loginLinkLifetime.inWords).",
                extra: "<p>Nothing arrived? Look in your spam folder, or <a href=\"/portal\">ask again</a>.</p>"))
    }

    /// The landing page of a link: a Continue button, or a clear page when the link no longer works.
    func landing(
        token: String, action: String, context: PortalRequestContext, purpose: AccessTokenRecord.Purpose
    ) async throws -> Response {
        let moment = now()
        guard let record = try await database.read({ try $0.accessToken(token) }), record.purpose == purpose,
            let customer = try await database.read({ try $0.customer(id: record.customerId) })
        else { return html(linkNotWorking(.expired, context: context), status: .notFound) }
        let state = record.state(at: moment)
        guard state == .valid else { return html(linkNotWorking(state, context: context), status: .gone) }
        let what: HTML
        if record.requestId != nil {
            what = "confirm your request and open it"
        } else if let ticketID = record.ticketId, let ticket = try await database.read({ try $0.ticket(id: ticketID) }) {
            what = "see your ticket <span class=\"ref\">\(ticket.ref)</span>"
        } else {
            what = "see your tickets"
        }
        return html(
            layout.page(
                .init(title: "Continue"),
                """
                <div class="card narrow"><h1>Welcome back</h1>
                <p>Continue as <strong>\(customer.email)</strong> to \(what).</p>
                <form method="post" action="\(action)">\(csrfField(csrfToken(context)))<button type="submit">Continue</button></form>
                <p class="hint">Not you? Close this page; nothing happens until you continue.</p></div>
                """))
    }

    func linkNotWorking(_ state: AccessTokenRecord.State, context: PortalRequestContext) -> HTML {
        let message =
            state == .spent
            ? "This sign-in link was already used. Each link works once."
            : "This link has expired or is not valid any more."
        return layout.page(
            .init(title: "Link expired"),
            """
            <div class="card narrow"><h1>This link no longer works</h1><p>\(message) Ask for a new one: it arrives in a minute.</p>
            \(linkRequestForm(csrf: csrfToken(context)))</div>
            """)
    }

    /// The POST from a landing page: spends a sign-in link (once), starts a session, redirects.
    func useLink(_ token: String, purpose: AccessTokenRecord.Purpose, context: PortalRequestContext) async throws -> Response {
        let moment = now()
        guard let (record, state) = try await database.write({ try $0.useToken(token, purpose: purpose, at: moment) })
        else { return html(linkNotWorking(.expired, context: context), status: .notFound) }
        guard state == .valid else { return html(linkNotWorking(state, context: context), status: .gone) }
        if let requestID = record.requestId {
            let ref = try await desk.confirmRequest(id: requestID)
            return try await signIn(
                customerID: record.customerId, ticketID: nil, how: "request confirmed",
                to: ref.map { "/portal/tickets/\($0)?opened=1" } ?? "/portal/tickets")
        }
        if purpose == .ticketLink, let ticketID = record.ticketId,
            let ticket = try await database.read({ try $0.ticket(id: ticketID) })
        {
            return try await signIn(
                customerID: record.customerId, ticketID: ticketID, how: "ticket link", to: "/portal/tickets/\(ticket.ref)")
        }
        return try await signIn(customerID: record.customerId, ticketID: nil, how: "sign-in link", to: "/portal/tickets")
    }
}

