import Foundation
import Hummingbird
import Logging
import MailModel
import NIOCore
import Store

/// The portal's routes. Handlers are thin: read the session, call the store or the desk, render a view.
public struct PortalController: Sendable {
    let database: AppDatabase
    let blobs: BlobStore
    let desk: any PortalDesk
    let settings: PortalSettings
    let logger: Logger
    let now: @Sendable () -> Date
    let layout: PageLayout
    let stylesheet: Stylesheet
    let csrf: CSRFTokens
    let addressLimiter: RateLimiter
    let clientLimiter: RateLimiter
    /// Replies and new tickets per customer: the portal's own flood guard.
    let writeLimiter: RateLimiter
    let cache = PortalCache()
    /// Addresses that asked for a sign-in link, for ``linkRequestMailer`` to look up after the answer.
    public let linkRequests = LinkRequestQueue()

    static let sessionCookie = "pd_session"
    /// Where the stylesheet and the logo are served: public, cacheable, no cookies.
    static let staticPrefix = "/portal/static/"

    public init(
        database: AppDatabase, blobs: BlobStore, desk: any PortalDesk, settings: PortalSettings, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.blobs = blobs
        self.desk = desk
        self.settings = settings
        self.logger = logger
        self.now = now
        stylesheet = Stylesheet(color: settings.primaryColor)
        layout = PageLayout(settings: settings, stylesheetPath: stylesheet.path)
        csrf = CSRFTokens(secretKey: settings.secretKey)
        addressLimiter = RateLimiter(limit: settings.linkRequestsPerAddress, window: 3600)
        clientLimiter = RateLimiter(limit: settings.linkRequestsPerClient, window: 3600)
        writeLimiter = RateLimiter(limit: settings.writesPerWindow, window: settings.writeWindow.timeInterval)
    }

    /// The service that mails the sign-in links asked for; run it next to the portal's server.
    public var linkRequestMailer: LinkRequestMailer {
        LinkRequestMailer(queue: linkRequests, desk: desk, logger: logger)
    }

    /// The router with every route, the security headers and the error pages.
    public func buildRouter() -> Router<PortalRequestContext> {
        // HEAD answers wherever GET does (GETs here never change anything): monitors and link checkers use it.
        let router = Router(context: PortalRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorPageMiddleware(controller: self))
        router.add(middleware: CSRFCookieMiddleware(secure: settings.secureCookies))
        router.get("/") { _, _ in Response.redirect(to: "/portal", type: .normal) }
        addStaticRoutes(to: router)
        addSignInRoutes(to: router)
        addTicketRoutes(to: router)
        addFormRoutes(to: router)
        addRequestRoutes(to: router)
        return router
    }

    // MARK: Sessions

    /// The signed-in customer behind a request.
    struct Visitor: Sendable {
        var customer: Customer
        var session: PortalSessionRecord
        /// The store's portal generation when the visitor was looked up.
        var generation: Int64
        /// A session opened from a ticket link sees this ticket only.
        var onlyTicketID: Int64? { session.ticketId }
        var customerID: Int64 { customer.id ?? -1 }
    }

    /// The visitor of a valid session, sliding its expiry forward (written at most once an hour). While
    /// the store's generation stands still, the session comes from memory.
    func visitor(_ request: Request) async throws -> Visitor? {
        guard let token = request.cookie(Self.sessionCookie), !token.isEmpty else { return nil }
        let moment = now()
        // The generation is read first: whatever is read after it is at least as new.
        let generation = try database.portalGeneration()
        var found = cache.session(token, generation: generation)
        if found == nil {
            let (database, cache) = (database, cache)
            found = try await cache.sessionReads.value(for: .init(token: token, generation: generation)) {
                let entry = try await database.read { tx -> PortalCache.SessionEntry? in
                    guard let session = try tx.session(token, at: moment),
                        let customer = try tx.customer(id: session.customerId)
                    else { return nil }
                    return PortalCache.SessionEntry(session: session, customer: customer, generation: generation)
                }
                if let entry { cache.remember(token, entry) }
                return entry
            }
        }
        guard let found, found.session.expiresAt > moment else { return nil }
        let fresh = moment.addingTimeInterval(settings.sessionLifetime.timeInterval)
        if let id = found.session.id, fresh.timeIntervalSince(found.session.expiresAt) > 3600 {
            try await database.write { tx in try tx.extendSession(id: id, until: fresh) }
        }
        return Visitor(customer: found.customer, session: found.session, generation: found.generation)
    }

    /// The visitor, or a redirect to the sign-in page.
    func requireVisitor(_ request: Request) async throws -> Visitor {
        if let visitor = try await visitor(request) { return visitor }
        throw PortalPageError(
            status: .seeOther, page: .empty, headers: [.location: "/portal", .cacheControl: "no-store"])
    }

    /// The session cookie; an empty one with no lifetime ends the session in the browser.
    func sessionCookie(_ token: String) -> Cookie {
        Cookie(
            name: Self.sessionCookie, value: token, maxAge: token.isEmpty ? 0 : Int(settings.sessionLifetime.timeInterval),
            path: "/portal", secure: settings.secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Starts a session, logs the sign-in and answers with a redirect that sets the cookie: the address
    /// bar never keeps the link's token.
    func signIn(customerID: Int64, ticketID: Int64?, how: String, to location: String) async throws -> Response {
        let moment = now()
        let lifetime = settings.sessionLifetime.timeInterval
        let token = try await database.write { tx in
            let actor = try tx.customer(id: customerID)?.email ?? "customer \(customerID)"
            try tx.log(EventRecord(at: moment, actor: actor, action: "portal.sign-in", ticketId: ticketID, detail: how))
            return try tx.startSession(
                customerID: customerID, ticketID: ticketID, lifetime: lifetime, at: moment)
        }
        var response = redirect(location)
        response.setCookie(sessionCookie(token))
        return response
    }

    /// Writes "the customer saw this" to the event log, at most every ten minutes per session and page.
    func logAccess(_ visitor: Visitor, action: String, ticketID: Int64?, detail: String) async {
        let moment = now()
        let key = "\(visitor.session.id ?? 0)/\(action)/\(ticketID ?? 0)/\(detail)"
        guard cache.accessIsDue(key, at: moment) else { return }
        do {
            let actor = visitor.customer.email
            try await database.write { tx in
                try tx.log(EventRecord(at: moment, actor: actor, action: action, ticketId: ticketID, detail: detail))
            }
        } catch {
            logger.error("cannot log portal access", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Responses

    func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page.description)))
    }

    /// A 303 to a path of ours: redirects never leave the portal.
    func redirect(_ location: String) -> Response {
        let local = location.hasPrefix("/portal") && !location.hasPrefix("//") ? location : "/portal"
        return Response(status: .seeOther, headers: [.location: local])
    }

    /// The form token for this request's CSRF cookie.
    func csrfToken(_ context: PortalRequestContext) -> String {
        csrf.token(for: context.csrfCookie ?? "")
    }

    /// Decodes a form and checks its CSRF token; a form without a valid one is refused.
    func form<Form: Decodable & CSRFProtected>(
        _ type: Form.Type, _ request: Request, _ context: PortalRequestContext
    ) async throws -> Form {
        let form: Form
        do {
            form = try await request.decode(as: Form.self, context: context)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw problem(
                .contentTooLarge, title: "That was too much", message: "The form was larger than the portal accepts.")
        } catch {
            throw problem(.badRequest, title: "This form could not be read", message: "Please go back and try again.")
        }
        guard csrf.verify(cookie: request.cookie(CSRFTokens.cookieName), token: form.csrf) else {
            throw problem(
                .forbidden, title: "This form has expired",
                message: "For your safety, forms work only in the window that showed them. Please go back, reload the page and send it again.")
        }
        return form
    }

    /// Counts a request that mails `email` against the limits per client and per address; refuses it
    /// with a 429 page saying `refusal` when either is reached.
    func checkMailLimits(email: String, _ request: Request, _ context: PortalRequestContext, refusal: String) throws {
        let moment = now()
        guard clientLimiter.allow("client:\(clientAddress(request, context))", at: moment),
            addressLimiter.allow("address:\(email.lowercased())", at: moment)
        else {
            throw PortalPageError(
                status: .tooManyRequests, page: noticePage(title: "Please wait a little", message: refusal),
                headers: [.retryAfter: "3600"])
        }
    }

    /// Counts a reply or a new ticket against the customer's limit; when it is reached, what to tell
    /// them (next to the text they typed, which the page keeps).
    func writeRefusal(_ visitor: Visitor) -> String? {
        guard !writeLimiter.allow("customer:\(visitor.customerID)", at: now()) else { return nil }
        return "You have sent \(settings.writesPerWindow) messages from the portal in the last \(settings.writeWindow.inWords), the most it takes. Your text is kept here: please send it again in a few minutes, or by email."
    }

    /// A page refusing a write for now, with `Retry-After` (the limit's window).
    func tooManyWrites(_ page: HTML) -> Response {
        var response = html(page, status: .tooManyRequests)
        response.headers[.retryAfter] = "\(Int(settings.writeWindow.timeInterval))"
        return response
    }

    /// The client's address for rate limits: the TCP peer, or what a trusted proxy says it forwarded.
    func clientAddress(_ request: Request, _ context: PortalRequestContext) -> String {
        let peer = context.peerAddress ?? "unknown"
        guard settings.trustedProxies.contains(peer),
            let forwarded = request.headers.first(where: { $0.name.canonicalName == "x-forwarded-for" })?.value
        else { return peer }
        return forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? peer
    }
}

/// A form that carries a CSRF token (so it never prints it).
protocol CSRFProtected: KeepsSecrets {
    var csrf: String? { get }
}
