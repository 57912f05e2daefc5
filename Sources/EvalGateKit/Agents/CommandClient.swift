import Foundation

/// A local program as the agent: the case goes in as JSON on stdin, the answer comes back as JSON
/// on stdout. Spawned from an argv (never a shell) in its own process group, killed whole on timeout.
///
/// A program answers in one exchange and never calls tools; it is started afresh for every turn. A
/// conversation is written as its case: `input` is the case's input while the conversation is the
/// case's opening, and the whole transcript as `{role, content}` messages once it has more turns.
public struct CommandClient: AgentClient {
    public let endpoint: EndpointDefinition
    /// The variables the program sees: evalgate's own, plus the endpoint's `env`.
    let variables: [String: String]
    public static let maxStderrBytes = 16 * 1024

    public init(endpoint: EndpointDefinition, inheritedVariables: [String: String] = ProcessInfo.processInfo.environment) {
        self.endpoint = endpoint
        self.variables = inheritedVariables.merging(endpoint.env) { _, new in new }
    }

    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
        AgentAnswer(singleExchange: try await respond(to: Conversation(goldenCase)))
    }

    public func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn {
        let goldenCase = conversation.requestCase
        var request: [String: JSONValue] = [
            "id": .string(goldenCase.id), "input": goldenCase.input.jsonValue, "tags": .array(goldenCase.tags.map(JSONValue.string)),
        ]
        if let expected = goldenCase.expected { request["expected"] = expected }
        if !goldenCase.metadata.isEmpty { request["metadata"] = .object(goldenCase.metadata) }
        let stdin = Data((JSONValue.object(request).compactJSON + "\n").utf8)
        let result = await ChildProcess.run(
            argv: endpoint.argv, variables: variables, workingDirectory: endpoint.workingDirectory, stdin: stdin,
            timeout: endpoint.timeout, maxStdout: endpoint.maxResponseBytes, maxStderr: Self.maxStderrBytes)
        let output: ChildProcess.Output
        switch result {
        case .success(let value): output = value
        case .failure(.launch(let message)): throw AgentError(.processFailed, message)
        case .failure(.timedOut(let stderr)):
            throw AgentError(
                .timeout, "no answer within \(JSONValue.format(number: endpoint.timeout)) s; the process group was killed\(Self.stderrSuffix(stderr))"
            )
        case .failure(.stdoutTooLarge(let limit)):
            throw AgentError(.responseTooLarge, "stdout is over the \(limit)-byte cap; the process group was killed")
        case .failure(.cancelled): throw AgentError(.cancelled, "cancelled; the process group was killed")
        }
        if let signal = output.signal {
            throw AgentError(.processFailed, "the agent process crashed (signal \(signal))\(Self.stderrSuffix(output.stderr))")
        }
        if let code = output.exitCode, code != 0 {
            throw AgentError(.processFailed, "the agent process exited with status \(code)\(Self.stderrSuffix(output.stderr))")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: output.stdout)
        } catch {
            let snippet = TerminalText.sanitize(String(decoding: output.stdout.prefix(200), as: UTF8.self), limit: 200)
            throw AgentError(.malformedResponse, "stdout is not JSON: \(snippet)")
        }
        var pointerEndpoint = endpoint
        if pointerEndpoint.answerPointer == nil { pointerEndpoint.answerPointer = "/answer" }
        let answer = try RequestTemplate.extractAnswer(from: json, endpoint: pointerEndpoint, snippet: "")
        return AssistantTurn(text: answer.text, json: answer.json, usage: answer.usage)
    }

    static func stderrSuffix(_ stderr: Data) -> String {
        guard !stderr.isEmpty else { return "" }
        let text = String(decoding: stderr.suffix(400), as: UTF8.self)
        return "; stderr: \(TerminalText.sanitize(text, limit: 400))"
    }

    public func shutdown() async {}
}
