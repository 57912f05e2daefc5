import Foundation

/// Where a history lives, from `--history` or `EVALGATE_HISTORY`: a file path (or `sqlite:PATH`)
/// for the embedded SQLite history. Opening picks the `RunHistory` implementation, so commands
/// never name a backend.
public enum HistoryLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)

    public init(_ text: String) {
        if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return path
        }
    }

    /// Opens (and creates or migrates) the history, off the caller's thread.
    public func open(redactor: Redactor = .none) async throws -> any RunHistory {
        switch self {
        case .sqlite(let path):
            do {
                return try await HistoryStore.open(path: path, redactor: redactor)
            } catch {
                throw RunPlan.Failure.cannotRun("cannot open the history database \(path): \(error)")
            }
        }
    }
}
