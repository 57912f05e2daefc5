import ServiceLifecycle

/// A reference agent started in-process by `ReferenceAgentServer.start`; stop it when done.
public final class RunningReferenceAgent: Sendable {
    public let host: String
    /// The port the server listens on (the one picked by the system when started on port 0).
    public let port: Int
    private let state: ReferenceAgentState
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(host: String, port: Int, state: ReferenceAgentState, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.state = state
        self.group = group
        self.task = task
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public var baseURL: String { "http://\(host):\(port)" }

    /// The OpenAI-style endpoint, `BASE/v1/chat/completions`.
    public var chatCompletionsURL: String { baseURL + "/v1/chat/completions" }

    /// The triage agent's JSON endpoint, `BASE/api/triage`.
    public var triageURL: String { baseURL + "/api/triage" }

    /// The counters also served at `GET /stats`.
    public func statistics() async -> ReferenceAgentStatistics {
        await state.currentStatistics()
    }

    /// Clears the counters and `X-Fault-Count` tallies, as `DELETE /stats` does.
    public func resetStatistics() async {
        await state.reset()
    }

    /// Shuts down gracefully: hanging and dripping requests are released, idle connections closed.
    ///
    /// Cancels whatever is still running after `timeout`. Calling it again does nothing.
    public func stop(timeout: Duration = .seconds(5)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        await withTaskGroup(of: Bool.self) { waiters in
            waiters.addTask {
                _ = await task.result
                return true
            }
            waiters.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            if await waiters.next() == false {
                task.cancel()
            }
            waiters.cancelAll()
        }
        _ = await task.result
    }
}
