import Hummingbird

/// A dashboard request's context: the page's script nonce, and who is asking (a browser session
/// or a bearer token), filled in by `DashboardMiddleware` before any route runs.
public struct DashboardContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var nonce = ""
    var session: ServeSessions.Session?
    var bearerUser: ServeUser?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    var user: ServeUser? { session?.user ?? bearerUser }

    /// Form posts are small; a label note or an approval reason is a few lines.
    public var maxUploadSize: Int { 64 << 10 }
}
