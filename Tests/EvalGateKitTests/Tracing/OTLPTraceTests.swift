import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `--otlp-endpoint` end to end: the built `evalgate` exports to a loopback OTLP/HTTP receiver
/// that decodes every request with the official `opentelemetry-proto` package
/// (scripts/otlp-receiver.py), and the tests read the spans it decoded.
@Suite("OTLP traces", .serialized)
struct OTLPTraceTests {
    static let secret = "sk-trace-9Qz4LmV2xPw7"

    @Test func aRunIsOneTraceOfCaseAgentAndToolSpansWithAnEvaluationEventPerScore() async throws {
        try await withReferenceAgent { agent in
            let receiver = try await OTLPReceiver.start()
            defer { receiver.stop() }
            let home = TemporaryDirectory(prefix: "evalgate-otlp")
            let tool = CommandLineTool(
                workingDirectory: RepositoryPaths.root, environment: ["EVALGATE_HOME": home.path, "REFUND_AGENT_URL": agent.baseURL])
            let output = try await tool.runDetached([
                "run", "pipelines/refund-agent.yaml", "--limit", "6", "--quiet", "--otlp-endpoint", receiver.url, "--output",
                home.file("result.json"),
            ])
            #expect(output.status == 2, "no baseline: inconclusive\n\(output.stderr)")
            #expect(!output.stderr.contains("warning: traces"), "\(output.stderr)")
            let spans = try receiver.spans()
            let result = try ResultFile.read(path: home.file("result.json"))

            let runs = spans.filter { $0.name.hasPrefix("evalgate.run") }
            let run = try #require(runs.first)
            #expect(runs.count == 1)
            #expect(run.name == "evalgate.run refund-agent")
            #expect(run.parent.isEmpty, "the run is the trace's root")
            #expect(Set(spans.map(\.trace)) == [run.trace], "one trace")
            #expect(run.attribute("evalgate.run.id") == .string(result.record.id))
            #expect(run.attribute("evalgate.verdict") == .string("inconclusive"))
            #expect(run.attribute("evalgate.tier") == .number(3))
            #expect(run.attribute("gen_ai.agent.name") == .string("refund-agent"))
            #expect(run.resource["service.name"] == .string("evalgate"))

            let cases = spans.filter { $0.name == "evalgate.case" }
            #expect(cases.count == 6)
            #expect(cases.allSatisfy { $0.parent == run.id })
            for recorded in result.cases {
                let span = try #require(cases.first { $0.attribute("evalgate.case.id") == .string(recorded.id) }, "no span for \(recorded.id)")
                #expect(span.attribute("evalgate.case.status") == .string(recorded.status.rawValue))
                // One gen_ai.evaluation.result event per scorer result, with the OpenTelemetry GenAI attributes.
                let events = span.events.filter { $0.name == "gen_ai.evaluation.result" }
                #expect(events.count == recorded.scores.count, "\(recorded.id): \(events.count) events, \(recorded.scores.count) scores")
                for (event, score) in zip(events, recorded.scores) {
                    #expect(event.attributes["gen_ai.evaluation.name"] == .string(score.scorer))
                    #expect(event.attributes["gen_ai.evaluation.score.value"] == .number(score.score))
                    #expect(event.attributes["gen_ai.evaluation.score.label"] == .string(score.passed ? "pass" : "fail"))
                    #expect(event.attributes["gen_ai.evaluation.explanation"] == .string(score.reason))
                }
                let calls = spans.filter { $0.parent == span.id && $0.name == "invoke_agent refund-agent" }
                #expect(calls.count == recorded.attempts, "\(recorded.id)")
                let call = try #require(calls.first)
                #expect(call.kind == 3, "client span")
                #expect(call.attribute("gen_ai.operation.name") == .string("invoke_agent"))
                #expect(call.attribute("server.address") == .string("127.0.0.1"))
                #expect(call.attribute("gen_ai.usage.input_tokens") == recorded.usage.map { .number(Double($0.inputTokens)) })
                // The tool steps evalgate answered from the case's fixtures, under the agent call.
                let toolCalls = recorded.answer?.trajectory.steps.flatMap(\.toolCalls) ?? []
                let toolSpans = spans.filter { $0.parent == call.id && $0.name.hasPrefix("execute_tool ") }
                #expect(toolSpans.map(\.name) == toolCalls.map { "execute_tool \($0.name)" }, "\(recorded.id)")
                #expect(toolSpans.map { $0.attribute("gen_ai.tool.call.id") } == toolCalls.map { .string($0.id) })
            }
            #expect(spans.contains { $0.name.hasPrefix("execute_tool ") }, "the refund cases call tools")
            // evalgate's own HTTP client adds no spans (their url.full would escape the redactor).
            #expect(spans.allSatisfy { !$0.name.hasPrefix("POST") })
        }
    }

    /// A sweep is one trace; judge calls are `chat` spans; a secret in the pipeline (a header
    /// value, here also echoed by a scorer's explanation) reaches no span, event or resource.
    @Test func aSweepTracesJudgeCallsAndKeepsSecretsOut() async throws {
        try await withReferenceAgent { agent in
            let receiver = try await OTLPReceiver.start()
            defer { receiver.stop() }
            let folder = TemporaryDirectory(prefix: "evalgate-otlp-sweep")
            let cases = PipelineFixture.jsonl([
                [
                    "id": "pto", "input": "How many PTO days do I get per year?",
                    "expected": "Full-time employees get 25 days of paid time off (PTO) per year, accrued monthly.",
                    "assert": [
                        ["type": "llm-rubric", "rubric": "must mention: 25 days, PTO"], ["type": "not-contains", "value": .string(Self.secret)],
                    ],
                ]
            ])
            folder.write("cases.jsonl", cases)
            folder.write(
                "pipelines/kb.yaml",
                """
                version: 1
                agent:
                  name: kb-agent
                  version: "1.0.0"
                  risk_tier: 1
                  endpoint:
                    type: openai-chat
                    url: \(agent.chatCompletionsURL)
                    model: kb-agent
                    headers: {Authorization: "Bearer ${KB_TOKEN}"}
                    timeout: 5s
                    retries: 0
                datasets: [../cases.jsonl]
                baseline: {from: none}
                judge:
                  panel:
                    - {url: "\(agent.chatCompletionsURL)", model: judge-a}
                  timeout: 5s
                  cache: false
                """)
            // The variable, not the flag: OTEL_EXPORTER_OTLP_ENDPOINT is a base URL (v1/traces is added).
            let tool = CommandLineTool(
                workingDirectory: folder.path,
                environment: ["EVALGATE_HOME": folder.file("home"), "KB_TOKEN": Self.secret, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.baseURL])
            let output = try await tool.runDetached(["sweep", "pipelines", "--quiet"])
            #expect([0, 2].contains(output.status), "\(output.stdout)\n\(output.stderr)")
            let spans = try receiver.spans()
            let sweep = try #require(spans.first { $0.name == "evalgate.sweep" })
            #expect(sweep.parent.isEmpty)
            #expect(sweep.attribute("evalgate.sweep.pipelines") == .number(1))
            let run = try #require(spans.first { $0.name == "evalgate.run kb" })
            #expect(run.parent == sweep.id)
            let pto = try #require(spans.first { $0.name == "evalgate.case" })
            #expect(pto.parent == run.id)
            let judge = try #require(spans.first { $0.name == "chat judge-a" })
            #expect(judge.parent == pto.id, "a judge call belongs to the case it scores")
            #expect(judge.attribute("gen_ai.operation.name") == .string("chat"))
            #expect(judge.attribute("gen_ai.request.model") == .string("judge-a"))
            #expect(judge.attribute("evalgate.role") == .string("judge"))
            #expect(judge.attribute("evalgate.cached") == .bool(false))
            let explanations = pto.events.compactMap { $0.attributes["gen_ai.evaluation.explanation"]?.stringValue }
            #expect(explanations.contains { $0.contains(Redactor.mask) }, "the not-contains explanation names the secret, masked: \(explanations)")
            #expect(!receiver.decodedText().contains(Self.secret))
            #expect(!receiver.decodedText().isEmpty)
        }
    }

    /// A scenario's agent call is the whole conversation: the simulated customer's model requests
    /// and the stateful tools' calls are spans under it.
    @Test func aConversationTracesTheSimulatedCustomerAndTheStatefulTools() async throws {
        try await withReferenceAgent { agent in
            let receiver = try await OTLPReceiver.start()
            defer { receiver.stop() }
            let home = TemporaryDirectory(prefix: "evalgate-otlp-chat")
            let tool = CommandLineTool(
                workingDirectory: RepositoryPaths.root,
                environment: ["EVALGATE_HOME": home.path, "REFUND_AGENT_URL": agent.baseURL, "SIMULATOR_URL": agent.baseURL])
            let output = try await tool.runDetached([
                "run", "pipelines/refund-agent-conversations.yaml", "--filter", "simulated", "--limit", "2", "--quiet", "--otlp-endpoint",
                receiver.url,
            ])
            #expect([0, 1, 2].contains(output.status), "\(output.stderr)")
            let spans = try receiver.spans()
            let calls = spans.filter { $0.name.hasPrefix("invoke_agent ") }
            #expect(!calls.isEmpty)
            let simulator = spans.filter { $0.attribute("evalgate.role") == .string("simulator") }
            #expect(!simulator.isEmpty, "\(Set(spans.map(\.name)))")
            #expect(simulator.allSatisfy { span in calls.contains { $0.id == span.parent } }, "the customer's turns are part of the agent call")
            let tools = spans.filter { $0.name.hasPrefix("execute_tool ") }
            #expect(!tools.isEmpty)
            #expect(tools.allSatisfy { $0.attribute("evalgate.tool.reported") == nil }, "evalgate ran these tools itself")
        }
    }

    @Test func anUnreachableCollectorIsAWarningAndTheRunStillDecides() async throws {
        try await withReferenceAgent { agent in
            let home = TemporaryDirectory(prefix: "evalgate-otlp-down")
            let tool = CommandLineTool(
                workingDirectory: RepositoryPaths.root, environment: ["EVALGATE_HOME": home.path, "REFUND_AGENT_URL": agent.baseURL])
            // Port 9 on loopback: nothing listens (connection refused).
            let started = Date()
            let output = try await tool.runDetached([
                "run", "pipelines/refund-agent.yaml", "--limit", "3", "--quiet", "--otlp-endpoint", "http://collector:pa55word@127.0.0.1:9",
            ])
            #expect(output.status == 2, "the gate's own verdict, as without tracing\n\(output.stderr)")
            #expect(output.stdout.hasPrefix("INCONCLUSIVE"))
            #expect(output.stderr.contains("warning: traces not fully delivered to http://[REDACTED]@127.0.0.1:9/v1/traces"), "\(output.stderr)")
            #expect(!output.stderr.contains("pa55word"))
            #expect(Date().timeIntervalSince(started) < 60, "the flush after the run is bounded")
            let history = try await tool.runDetached(["history", "--agent", "refund-agent", "--ids"])
            #expect(history.stdout.split(separator: "\n").count == 1, "the run was recorded: \(history.stdout)")
        }
    }

    @Test func aMalformedEndpointIsAUsageErrorBeforeAnythingRuns() async throws {
        let home = TemporaryDirectory(prefix: "evalgate-otlp-bad")
        let tool = CommandLineTool(workingDirectory: RepositoryPaths.root, environment: ["EVALGATE_HOME": home.path])
        for (endpoint, message) in [
            ("grpc://127.0.0.1:4317", "must be http:// or https://"), ("127.0.0.1:4318", "is not a URL"), ("http:///v1", "has no host"),
        ] {
            let output = try await tool.runDetached(["run", "pipelines/refund-agent.yaml", "--otlp-endpoint", endpoint])
            #expect(output.status == 64, "\(endpoint): \(output.stderr)")
            #expect(output.stderr.contains(message), "\(endpoint): \(output.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.file("history.sqlite")), "nothing ran")
    }

    @Test func theEndpointComesFromTheFlagThenTheStandardVariables() throws {
        let base = try #require(try OTLPEndpoint.resolve(flag: "http://127.0.0.1:4318", environment: [:]))
        #expect(base.tracesURL == "http://127.0.0.1:4318/v1/traces")
        #expect(
            try OTLPEndpoint.resolve(flag: "https://otel.example.com/otlp/", environment: [:])?.tracesURL == "https://otel.example.com/otlp/v1/traces"
        )
        #expect(try OTLPEndpoint.resolve(flag: "http://h:1/v1/traces", environment: [:])?.tracesURL == "http://h:1/v1/traces")
        let environment = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://base:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://traces:4318/custom"]
        // The flag wins; then the traces-specific variable, used as it is; then the base one.
        #expect(try OTLPEndpoint.resolve(flag: "http://flag:1", environment: environment)?.tracesURL == "http://flag:1/v1/traces")
        #expect(try OTLPEndpoint.resolve(flag: nil, environment: environment)?.tracesURL == "http://traces:4318/custom")
        #expect(
            try OTLPEndpoint.resolve(flag: nil, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://base:4318"])?.tracesURL
                == "http://base:4318/v1/traces")
        #expect(try OTLPEndpoint.resolve(flag: nil, environment: [:]) == nil)
        #expect(try OTLPEndpoint.resolve(flag: nil, environment: environment.merging(["OTEL_SDK_DISABLED": "true"]) { $1 }) == nil)
        #expect(throws: OTLPEndpoint.Invalid.self) { try OTLPEndpoint.resolve(flag: nil, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://x"]) }
        do {
            _ = try OTLPEndpoint.resolve(flag: "ftp://user:secret-pw@host", environment: [:])
            Issue.record("an ftp URL was accepted")
        } catch {
            #expect(!error.description.contains("secret-pw"), "\(error)")
        }
        #expect(try OTLPEndpoint.resolve(flag: "http://u:secret-pw@h:1", environment: [:])?.shown == "http://[REDACTED]@h:1/v1/traces")
    }
}

/// scripts/otlp-receiver.py on a free loopback port: every span it decoded, one JSON line each.
struct OTLPReceiver {
    struct Span {
        var json: JSONValue
        var name: String { json["name"]?.stringValue ?? "" }
        var id: String { json["spanId"]?.stringValue ?? "" }
        var parent: String { json["parentSpanId"]?.stringValue ?? "" }
        var trace: String { json["traceId"]?.stringValue ?? "" }
        var kind: Double? { json["kind"]?.doubleValue }
        func attribute(_ key: String) -> JSONValue? { json["attributes"]?[key] }
        var resource: [String: JSONValue] { json["resource"]?.objectValue ?? [:] }
        var events: [(name: String, attributes: [String: JSONValue])] {
            (json["events"]?.arrayValue ?? []).map { ($0["name"]?.stringValue ?? "", $0["attributes"]?.objectValue ?? [:]) }
        }
    }

    let server: PythonServer
    let output: TemporaryDirectory
    var baseURL: String { server.baseURL }
    var url: String { server.baseURL }

    static func start() async throws -> OTLPReceiver {
        let output = TemporaryDirectory(prefix: "evalgate-otlp-spans")
        let server = try await PythonServer.start("scripts/otlp-receiver.py", arguments: ["--out", output.file("spans.jsonl")])
        return OTLPReceiver(server: server, output: output)
    }

    func decodedText() -> String { (try? String(contentsOfFile: output.file("spans.jsonl"), encoding: .utf8)) ?? "" }

    func spans() throws -> [Span] {
        #expect(!server.log.contains("undecodable"), "\(server.log)")
        return try decodedText().split(separator: "\n").map { Span(json: try JSONValue(parsing: String($0))) }
    }

    func stop() { server.stop() }
}
