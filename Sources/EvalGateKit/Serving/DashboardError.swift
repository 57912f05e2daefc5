/// Why a dashboard request was refused, as a status and a message the page shows.
public enum DashboardError: Error, Equatable, Sendable {
    case notFound(String)
    case badRequest(String)
    /// Not signed in, or the credentials were wrong.
    case unauthorized(String)
    /// Signed in, but the role does not allow it; or a forged or missing CSRF token.
    case forbidden(String)
    /// The history could not be opened or read.
    case historyUnavailable(String)
    /// The action could not be done as asked (approving a failed run, say).
    case conflict(String)

    public var status: Int {
        switch self {
        case .notFound: 404
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .historyUnavailable: 503
        case .conflict: 409
        }
    }

    public var message: String {
        switch self {
        case .notFound(let text), .badRequest(let text), .unauthorized(let text), .forbidden(let text), .historyUnavailable(let text),
            .conflict(let text):
            text
        }
    }
}
