import Foundation

/// Signed-in browsers: a random session id (the cookie) per sign-in, each with its own CSRF token
/// that every form carries back. Kept in memory: restarting the server signs everyone out.
public actor ServeSessions {
    public struct Session: Sendable, Equatable {
        public var id: String
        public var user: ServeUser
        public var csrfToken: String
        public var expires: Date
    }

    /// How long a sign-in lasts.
    public static let lifetime: TimeInterval = 8 * 3600
    /// Most sessions kept; the oldest go first.
    static let capacity = 10_000

    private var sessions: [String: Session] = [:]

    public init() {}

    public func create(for user: ServeUser, now: Date = Date()) -> Session {
        if sessions.count >= Self.capacity {
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.capacity, let oldest = sessions.values.min(by: { $0.expires < $1.expires }) {
                sessions[oldest.id] = nil
            }
        }
        let session = Session(id: Self.randomToken(), user: user, csrfToken: Self.randomToken(), expires: now.addingTimeInterval(Self.lifetime))
        sessions[session.id] = session
        return session
    }

    public func session(id: String, now: Date = Date()) -> Session? {
        guard let session = sessions[id] else { return nil }
        guard session.expires > now else {
            sessions[id] = nil
            return nil
        }
        return session
    }

    public func end(id: String) {
        sessions[id] = nil
    }

    /// 32 random bytes, base64url without padding: safe in a cookie, a form field and a header.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
