/// What a signed-in person may do on `evalgate serve`. Each role can do what the ones before it can:
/// a viewer reads (as anyone without a token does), a reviewer also labels queued cases, an
/// approver also approves inconclusive runs.
public enum ServeRole: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer, reviewer, approver

    public static func < (lhs: ServeRole, rhs: ServeRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A person known to the server, named in the audit entries of what they do in the browser.
public struct ServeUser: Sendable, Equatable {
    public var name: String
    public var role: ServeRole

    public init(name: String, role: ServeRole) {
        self.name = name
        self.role = role
    }
}
