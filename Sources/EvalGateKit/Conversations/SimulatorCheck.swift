/// Whether a pipeline's simulator answers at all, checked by `evalgate validate`: an unreachable
/// simulator is a warning then (the run may be elsewhere), and at run time every simulated case
/// becomes a `simulator-failed` error, so the verdict is inconclusive, never a pass.
public enum SimulatorCheck {
    /// A warning at the `simulator` block when nothing answers at its URL within `timeout` seconds.
    /// Any HTTP answer (even 404 or 405 to a GET) counts as reachable: the check sends no prompt,
    /// so it costs nothing on a paid endpoint.
    public static func warning(for definition: PipelineDefinition, timeout: Double = 3) async -> Diagnostic? {
        guard let simulator = definition.simulator else { return nil }
        let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 64 * 1024)
        do {
            _ = try await transport.send(url: simulator.url, method: "GET", headers: [:], body: nil, timeout: timeout)
            await transport.shutdown()
            return nil
        } catch {
            await transport.shutdown()
            return Diagnostic(
                .warning, simulator.location,
                "the simulator at \(Redactor.redactURLCredentials(simulator.url)) is unreachable (\(error.kind.rawValue): \(error.message))",
                hint: "scenarios with simulated customers will fail as simulator-failed errors (the run is inconclusive) until it answers")
        }
    }
}
