import Foundation

/// The history the dashboard reads, opened on first use and again after a failure: a server
/// started while the database is unreachable or damaged keeps serving (pages say what is wrong)
/// and picks the history up once it can be opened.
public actor DashboardHistory {
    private let location: HistoryLocation?
    private var opened: (any RunHistory)?

    public init(location: HistoryLocation) {
        self.location = location
    }

    public init(_ history: any RunHistory) {
        location = nil
        opened = history
    }

    public var description: String { location?.description ?? opened?.location ?? "history" }

    public func history() async throws(DashboardError) -> any RunHistory {
        if let opened { return opened }
        guard let location else { throw .historyUnavailable("no history") }
        do {
            let history = try await location.open()
            opened = history
            return history
        } catch {
            throw .historyUnavailable("cannot open the history \(location): \(error)")
        }
    }

    /// Runs `body` on the history; a history error becomes `historyUnavailable` (a run that is
    /// not there, `notFound`), so one bad request never stops the server.
    public func read<T: Sendable>(_ body: @Sendable (any RunHistory) async throws -> T) async throws(DashboardError) -> T {
        let history = try await history()
        do {
            return try await body(history)
        } catch let error as DashboardError {
            throw error
        } catch let error as InvalidInputError {
            throw .conflict(error.description)
        } catch let error as HistoryError {
            if case .runNotFound(let id) = error { throw .notFound("no run '\(id)' in the history") }
            if case .ambiguousRunID = error { throw .badRequest(error.localizedDescription) }
            if case .caseNotFound = error { throw .notFound(error.localizedDescription) }
            if case .notPassing = error { throw .conflict(error.localizedDescription) }
            throw .historyUnavailable("the history \(history.location) could not be read: \(error.localizedDescription)")
        } catch {
            throw .historyUnavailable("the history \(history.location) could not be read: \(error)")
        }
    }
}
