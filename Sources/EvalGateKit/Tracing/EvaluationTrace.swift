import Foundation
import Tracing

/// The spans a run emits, through swift-distributed-tracing's process-wide tracer.
///
/// The library only creates spans; which backend receives them is the executable's choice
/// (`--otlp-endpoint` bootstraps swift-otel's OTLP/HTTP exporter). Without a backend the tracer is
/// a no-op: `run` sees that once, and every other call here then costs one task-local read.
///
/// The shape of a trace (names and attributes follow the OpenTelemetry GenAI semantic
/// conventions where they define one; evalgate's own are under `evalgate.`):
/// - `evalgate.sweep` (a sweep) → `evalgate.run` (a pipeline) → `evalgate.case` (a case);
/// - under a case: `invoke_agent {agent}` per attempt (a whole conversation, for a scenario) and
///   `chat {model}` per judge request; under an agent call, `execute_tool {tool}` per tool call
///   evalgate answered (fixtures and stateful tools) or the agent reported in its trajectory, and
///   `chat {model}` per request to the simulated customer's model;
/// - on a case span, one `gen_ai.evaluation.result` event per scorer result.
///
/// Every string attribute passes through the run's `Redactor` (a task-local set by `run`): a
/// secret in an error message, an explanation or a URL never reaches a span.
public enum EvaluationTrace {
    /// Whether spans are being recorded in this task: set by `run`/`sweep` when a tracer is bootstrapped.
    @TaskLocal static var active = false
    /// The secrets of the run being traced.
    @TaskLocal static var redactor = Redactor.none

    /// Longest explanation or error message put on a span; longer ones are cut (with "…").
    static let textLimit = 1_000

    /// True when a tracing backend is bootstrapped (not the default no-op tracer).
    public static var isBootstrapped: Bool { !(InstrumentationSystem.tracer is NoOpTracer) }

    // MARK: - Sweep and run

    /// Runs a sweep inside an `evalgate.sweep` span, when a tracer is bootstrapped.
    static func sweep<T>(pipelines: Int, status: (T) -> String, _ body: () async -> T) async -> T {
        guard isBootstrapped else { return await body() }
        let span = startSpan("evalgate.sweep", ofKind: .internal)
        defer { span.end() }
        span.attributes["evalgate.sweep.pipelines"] = pipelines
        let result = await ServiceContext.withValue(span.context) { await body() }
        span.attributes["evalgate.sweep.status"] = status(result)
        return result
    }

    /// Runs a planned evaluation inside an `evalgate.run` span, with the run's secrets as the
    /// redactor; the outcome (verdict, recommended action, counts) is added when `body` returns,
    /// and a thrown error marks the span failed.
    static func run<T>(_ plan: RunPlan, _ body: () async throws -> T, record: (T) -> RunRecord) async throws -> T {
        guard isBootstrapped else { return try await body() }
        let span = startSpan("evalgate.run \(plan.definition.name)", ofKind: .internal)
        defer { span.end() }
        describe(span, plan: plan)
        do {
            let result = try await ServiceContext.withValue(span.context) {
                try await $active.withValue(true) {
                    try await $redactor.withValue(plan.pipeline.redactor) { try await body() }
                }
            }
            describe(span, record: record(result))
            return result
        } catch {
            span.attributes["error.type"] = String(describing: type(of: error))
            span.setStatus(SpanStatus(code: .error, message: text(plan.pipeline.redactor(String(describing: error)))))
            throw error
        }
    }

    static func describe(_ span: any Span, plan: RunPlan) {
        let definition = plan.definition
        span.updateAttributes { attributes in
            attributes["evalgate.run.id"] = plan.runID
            attributes["evalgate.pipeline"] = definition.name
            attributes["gen_ai.agent.name"] = definition.agent.name
            attributes["gen_ai.agent.version"] = definition.agent.version
            attributes["evalgate.tier"] = definition.tier
            attributes["evalgate.mode"] = plan.mode.rawValue
            attributes["evalgate.environment"] = plan.environment
            attributes["evalgate.endpoint.type"] = definition.agent.endpoint.kind.rawValue
            attributes["evalgate.pipeline.path"] = plan.pipeline.displayPath
        }
    }

    static func describe(_ span: any Span, record: RunRecord) {
        span.updateAttributes { attributes in
            attributes["evalgate.verdict"] = record.verdict.rawValue
            attributes["evalgate.action"] = record.recommendation.action.rawValue
            attributes["evalgate.cases.selected"] = record.selectedCases
            attributes["evalgate.cases.passed"] = record.summary.passed
            attributes["evalgate.cases.failed"] = record.summary.failed
            attributes["evalgate.cases.errors"] = record.summary.errors
        }
    }

    // MARK: - Case

    /// Runs one case inside an `evalgate.case` span; the finished result describes the span.
    static func `case`(_ goldenCase: GoldenCase, index: Int, _ body: () async -> CaseResult) async -> CaseResult {
        guard active else { return await body() }
        let span = startSpan("evalgate.case", ofKind: .internal)
        defer { span.end() }
        span.updateAttributes { attributes in
            attributes["evalgate.case.id"] = redactor(goldenCase.id)
            attributes["evalgate.case.index"] = index
            attributes["evalgate.case.dataset"] = goldenCase.dataset
            if !goldenCase.tags.isEmpty { attributes["evalgate.case.tags"] = goldenCase.tags }
            if goldenCase.critical { attributes["evalgate.case.critical"] = true }
        }
        let result = await ServiceContext.withValue(span.context) { await $currentSpan.withValue(span) { await body() } }
        span.updateAttributes { attributes in
            attributes["evalgate.case.status"] = result.status.rawValue
            attributes["evalgate.case.score"] = result.score
            attributes["evalgate.case.attempts"] = result.attempts
            if let error = result.error { attributes["error.type"] = error.kind.rawValue }
        }
        if let error = result.error { span.setStatus(SpanStatus(code: .error, message: text(error.description))) }
        return result
    }

    /// One `gen_ai.evaluation.result` event per scorer result, on the current case's span.
    static func evaluated(_ scores: [ScoreResult], repeatIndex: Int, repeats: Int) {
        guard active, let span = currentSpan else { return }
        for score in scores {
            var attributes: SpanAttributes = [:]
            attributes["gen_ai.evaluation.name"] = redactor(score.scorer)
            attributes["gen_ai.evaluation.score.value"] = score.score
            attributes["gen_ai.evaluation.score.label"] = score.passed ? "pass" : "fail"
            attributes["gen_ai.evaluation.explanation"] = text(score.reason)
            attributes["evalgate.evaluation.source"] = score.source.rawValue
            if let metric = score.metric { attributes["evalgate.evaluation.metric"] = metric }
            if repeats > 1 { attributes["evalgate.repeat"] = repeatIndex }
            span.addEvent(SpanEvent(name: "gen_ai.evaluation.result", attributes: attributes))
        }
    }

    /// The span of the case being run in this task (events are added to it).
    @TaskLocal static var currentSpan: (any Span)?

    // MARK: - Agent, judge, tools

    /// One attempt at the agent inside an `invoke_agent {agent}` client span.
    static func agentCall<T>(
        _ endpoint: EndpointDefinition, agent: String, attempt: Int, _ body: () async -> T, outcome: (T) -> Result<AgentAnswer, AgentError>
    ) async -> T {
        guard active else { return await body() }
        let span = startSpan("invoke_agent \(agent)", ofKind: .client)
        defer { span.end() }
        span.updateAttributes { attributes in
            attributes["gen_ai.operation.name"] = "invoke_agent"
            attributes["gen_ai.agent.name"] = agent
            if let model = endpoint.model { attributes["gen_ai.request.model"] = redactor(model) }
            addServer(endpoint.url, to: &attributes)
            attributes["evalgate.endpoint.type"] = endpoint.kind.rawValue
            attributes["evalgate.attempt"] = attempt
        }
        let result = await ServiceContext.withValue(span.context) { await body() }
        switch outcome(result) {
        case .success(let answer):
            span.updateAttributes { attributes in
                if let usage = answer.usage {
                    attributes["gen_ai.usage.input_tokens"] = usage.inputTokens
                    attributes["gen_ai.usage.output_tokens"] = usage.outputTokens
                }
                if let reason = answer.finishReason { attributes["gen_ai.response.finish_reasons"] = [redactor(reason)] }
                attributes["evalgate.trajectory.end"] = answer.trajectory.end.rawValue
            }
            if !endpoint.kind.callsTools { reported(answer.trajectory, under: span) }
        case .failure(let error):
            fail(span, error)
        }
        return result
    }

    /// An agent that runs its own tools (http, command, a2a) reports them in its trajectory; each
    /// becomes an `execute_tool` span under the call (evalgate did not see them run, so they carry
    /// no duration of their own: `evalgate.tool.reported`).
    static func reported(_ trajectory: Trajectory, under parent: any Span) {
        for (step, toolCall) in trajectory.steps.enumerated().flatMap({ step in step.element.toolCalls.map { (step.offset, $0) } }) {
            let span = startSpan("execute_tool \(toolCall.name)", context: parent.context, ofKind: .internal)
            span.updateAttributes { attributes in
                describe(toolCall, step: step, into: &attributes)
                attributes["evalgate.tool.reported"] = true
            }
            span.end()
        }
    }

    /// One tool call answered by evalgate (a fixture or a stateful tool) in an `execute_tool` span.
    static func tool(_ call: ToolCall, step: Int, _ body: () async -> JSONValue?) async -> JSONValue? {
        guard active else { return await body() }
        let span = startSpan("execute_tool \(call.name)", ofKind: .internal)
        defer { span.end() }
        span.updateAttributes { describe(call, step: step, into: &$0) }
        let result = await body()
        if result == nil {
            span.attributes["error.type"] = "missing-fixture"
            span.setStatus(SpanStatus(code: .error, message: "no result for the tool call"))
        }
        return result
    }

    static func describe(_ call: ToolCall, step: Int, into attributes: inout SpanAttributes) {
        attributes["gen_ai.operation.name"] = "execute_tool"
        attributes["gen_ai.tool.name"] = redactor(call.name)
        attributes["gen_ai.tool.call.id"] = redactor(call.id)
        attributes["evalgate.tool.step"] = step
    }

    /// One request to a judge or simulator model in a `chat {model}` client span (`evalgate.role`
    /// says which; `evalgate.cached` when the answer came from the on-disk cache, with no request).
    static func modelCall<V>(
        role: String, model: String, url: String, _ body: () async -> (result: Result<V, AgentError>, cached: Bool)
    ) async -> Result<V, AgentError> {
        guard active else { return await body().result }
        let span = startSpan("chat \(model)", ofKind: .client)
        defer { span.end() }
        span.updateAttributes { attributes in
            attributes["gen_ai.operation.name"] = "chat"
            attributes["gen_ai.request.model"] = redactor(model)
            attributes["evalgate.role"] = role
            addServer(url, to: &attributes)
        }
        let (result, cached) = await body()
        span.attributes["evalgate.cached"] = cached
        if case .failure(let error) = result { fail(span, error) }
        return result
    }

    // MARK: - Helpers

    static func fail(_ span: any Span, _ error: AgentError) {
        span.attributes["error.type"] = error.kind.rawValue
        if let status = error.status { span.attributes["http.response.status_code"] = status }
        span.setStatus(SpanStatus(code: .error, message: text(error.description)))
    }

    /// `server.address` and `server.port` of a URL (never its path, query or credentials).
    static func addServer(_ url: String?, to attributes: inout SpanAttributes) {
        guard let url, let components = URLComponents(string: url), let host = components.host else { return }
        attributes["server.address"] = redactor(host)
        if let port = components.port ?? (components.scheme == "https" ? 443 : components.scheme == "http" ? 80 : nil) {
            attributes["server.port"] = port
        }
    }

    /// Redacted, and cut to `textLimit` characters.
    static func text(_ value: String) -> String {
        let redacted = redactor(value)
        return redacted.count <= textLimit ? redacted : String(redacted.prefix(textLimit)) + "…"
    }
}
