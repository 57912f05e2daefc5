import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Runs around every dashboard route: a fresh script nonce, who is asking, errors turned into
/// pages (so one bad request never takes the server down), and the security headers on every
/// response, error pages included.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    let sessions: ServeSessions
    let credentials: ServeCredentials
    let signInEnabled: Bool

    static let sessionCookie = "evalgate_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.nonce = HTMLReport.makeNonce()
        var response: Response
        do {
            if let id = request.cookies[Self.sessionCookie]?.value {
                context.session = await sessions.session(id: id)
            }
            if let authorization = request.headers[.authorization] {
                guard authorization.hasPrefix("Bearer "), let user = credentials.authenticate(bearer: String(authorization.dropFirst(7))) else {
                    throw DashboardError.unauthorized("the bearer token is not valid")
                }
                context.bearerUser = user
            }
            response = try await next(request, context)
        } catch let error as DashboardError {
            response = errorResponse(status: error.status, message: error.message, context: context)
        } catch let error as HTTPResponseError {
            let status = Int(error.status.code)
            response = errorResponse(status: status, message: status == 404 ? "no page at \(request.uri.path)" : "\(error)", context: context)
        } catch {
            context.logger.error("dashboard request failed: \(error)")
            response = errorResponse(status: 500, message: "internal error: \(error)", context: context)
        }
        Self.secure(&response.headers, nonce: context.nonce)
        return response
    }

    func errorResponse(status: Int, message: String, context: Context) -> Response {
        let layout = DashboardLayout(nonce: context.nonce, user: context.user, csrfToken: context.session?.csrfToken, signInEnabled: signInEnabled)
        var response = DashboardRoutes.html(ErrorPage(status: status, message: message).render(layout: layout), status: status)
        if status == 401 { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    /// The policy lets only this response's own nonce run a script, forms post only back here,
    /// and no other site may frame the page.
    static func secure(_ headers: inout HTTPFields, nonce: String) {
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-\(nonce)'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[.cacheControl] = "no-store"
    }
}
