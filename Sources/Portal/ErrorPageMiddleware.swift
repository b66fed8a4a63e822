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
                "portal request failed", metadata: ["http.path": "\(PortalPath.redacted(request.uri.path))", "error": "\(error)"])
            throw controller.problem(
                .internalServerError, title: "Something went wrong on our side",
                message: "Please try again in a moment. If it keeps happening, write to us by email.")
        }
    }
}
