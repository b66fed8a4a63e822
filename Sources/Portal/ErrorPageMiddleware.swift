import HTTPTypes
import Hummingbird
import Logging

/// Turns the router's bare errors (no such route, a body too large, a failure) into readable pages.
/// A refusal already shown as a page passes through.
struct ErrorPageMiddleware: RouterMiddleware {
    let controller: PortalController

    func handle(
        _ request: Request, context: PortalRequestContext,
        next: (Request, PortalRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PortalPageError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound, .methodNotAllowed:
                throw controller.notFound()
            case .contentTooLarge:
                throw controller.problem(
                    .contentTooLarge, title: "That was too much", message: "The form was larger than the portal accepts.")
            default:
                throw controller.problem(error.status, title: "Something went wrong", message: "Please try again.")
            }
        } catch {
            controller.logger.error(
                "portal request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            throw controller.problem(
                .internalServerError, title: "Something went wrong on our side",
                message: "Please try again in a moment. If it keeps happening, write to us by email.")
        }
    }
}

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
