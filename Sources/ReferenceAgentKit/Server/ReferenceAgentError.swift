import Foundation

/// Why the reference agent could not start.
public enum ReferenceAgentError: Error, Equatable, LocalizedError {
    case didNotStart

    public var errorDescription: String? {
        switch self {
        case .didNotStart: return "the reference agent stopped before it was listening"
        }
    }
}
