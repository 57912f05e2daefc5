import Foundation
import ReferenceAgentKit

/// Helpers for tests that talk to a real reference agent over loopback HTTP.
public enum ReferenceAgentHarness {
    /// Starts an in-process reference agent on 127.0.0.1 and a free port; the caller must `stop()` it.
    /// Prefer `withReferenceAgent`, which always does.
    public static func start(
        _ configuration: ReferenceAgentConfiguration = ReferenceAgentConfiguration()
    ) async throws -> RunningReferenceAgent {
        try await ReferenceAgentServer.start(configuration: configuration, host: "127.0.0.1", port: 0)
    }

    /// The `evalgate-reference-agent` executable built next to the test binary, for end-to-end tests;
    /// `nil` when it has not been built.
    public static var executableURL: URL? {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // On macOS the tests run inside `evalgatePackageTests.xctest/Contents/MacOS/`.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("evalgate-reference-agent")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}

/// Runs `body` against a fresh in-process reference agent and stops the agent afterwards, also when
/// `body` throws.
///
/// ```swift
/// try await withReferenceAgent(ReferenceAgentConfiguration(errorRate: 0.1)) { agent in
///     let url = agent.chatCompletionsURL
///     ...
/// }
/// ```
public func withReferenceAgent<Result>(
    _ configuration: ReferenceAgentConfiguration = ReferenceAgentConfiguration(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (RunningReferenceAgent) async throws -> Result
) async throws -> Result {
    let agent = try await ReferenceAgentHarness.start(configuration)
    do {
        let result = try await body(agent)
        await agent.stop()
        return result
    } catch {
        await agent.stop()
        throw error
    }
}
