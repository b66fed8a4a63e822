import HTTPTypes
import Hummingbird

/// Gives every visitor a CSRF cookie: the value forms' tokens are derived from.
struct CSRFCookieMiddleware: RouterMiddleware {
    let secure: Bool

    func handle(
        _ request: Request, context: PortalRequestContext,
        next: (Request, PortalRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let existing = request.cookies[CSRFTokens.cookieName]?.value, !existing.isEmpty {
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
