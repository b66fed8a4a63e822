import HTTPTypes
import Hummingbird

/// Gives every visitor of a portal page a CSRF cookie: the value forms' tokens are derived from.
/// Static files get none: they are cached publicly, and a cached `Set-Cookie` would hand one value to
/// many visitors.
struct CSRFCookieMiddleware: RouterMiddleware {
    let secure: Bool

    func handle(
        _ request: Request, context: PortalRequestContext,
        next: (Request, PortalRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let path = request.uri.path
        guard path.hasPrefix("/portal"), !path.hasPrefix(PortalController.staticPrefix) else {
            return try await next(request, context)
        }
        if let existing = request.cookie(CSRFTokens.cookieName), !existing.isEmpty {
            context.csrfCookie = existing
            return try await next(request, context)
        }
        let value = CSRFTokens.newCookieValue()
        context.csrfCookie = value
        let cookie = Cookie(
            name: CSRFTokens.cookieName, value: value, path: "/portal", secure: secure, httpOnly: true, sameSite: .lax)
        do {
            var response = try await next(request, context)
            response.setCookie(cookie)
            return response
        } catch let error as PortalPageError {
            var error = error
            error.headers[.setCookie] = cookie.description
            throw error
        }
    }
}
