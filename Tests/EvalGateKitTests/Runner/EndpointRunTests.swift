import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Runs real evaluations against the reference agent on loopback, one endpoint type at a time.
@Suite("Running against real endpoints")
struct EndpointRunTests {
    static let refundTools = """
              - {type: function, function: {name: lookup_order, parameters: {type: object, properties: {order_id: {type: string}}}}}
              - {type: function, function: {name: issue_refund, parameters: {type: object}}}
        """

    static func refundPipeline(url: String, headers: String = "{}", retries: Int = 2, extra: String = "") -> String {
        """
        version: 1
        agent:
          name: refund-agent
          version: "2.4.0"
          risk_tier: 1
          endpoint:
            type: openai-chat
            url: \(url)
            model: refund-agent
            headers: \(headers)
            timeout: 5s
            retries: \(retries)
            max_concurrency: 4
            pricing: {input_per_1k: 0.001, output_per_1k: 0.002}
            tools:
        \(refundTools)
        \(extra)
        datasets: [cases.jsonl]
        baseline: {from: none}
        """
    }

    static let refundCase: JSONValue = [
        "id": "happy-1", "input": "Hi, order A-10023 arrived broken, can I get my money back?", "tags": ["happy-path"],
        "tools": [
            "lookup_order": [
                "order_id": "A-10023", "amount": 129.99, "currency": "USD", "days_since_delivery": 12, "status": "delivered", "item": "kettle",
            ],
            "issue_refund": ["refund_id": "R-77812", "status": "issued"],
        ],
        "assert": [
            ["type": "tool-called", "value": "issue_refund"], ["type": "icontains", "value": "R-77812"],
            ["type": "tool-sequence", "value": ["lookup_order", "issue_refund"]],
        ],
    ]

    @Test func openAIChatToolFlowRecordsTheTrajectory() async throws {
        try await withReferenceAgent { agent in
            var noFixture = Self.refundCase
            if case .object(var fields) = noFixture {
                fields["id"] = "no-fixture"
                fields["tools"] = ["lookup_order": ["order_id": "A-10023", "amount": 129.99, "days_since_delivery": 12, "status": "delivered"]]
                noFixture = .object(fields)
            }
            let fixture = PipelineFixture(
                pipeline: Self.refundPipeline(url: agent.chatCompletionsURL),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.refundCase, noFixture])])
            let result = try await fixture.evaluate()
            let cases = try fixture.cases(result)
            #expect(cases.map(\.id) == ["happy-1", "no-fixture"])
            let happy = try #require(cases.first)
            #expect(happy.status == .passed, "\(happy.headline)")
            let calls = happy.answer?.trajectory.toolCalls ?? []
            #expect(calls.map(\.name) == ["lookup_order", "issue_refund"])
            #expect(calls.first?.arguments["order_id"] == "A-10023")
            #expect(calls.first?.result?["amount"] == 129.99)
            #expect(happy.answer?.trajectory.end == .answered)
            #expect(happy.answer?.finishReason == "stop")
            #expect((happy.usage?.inputTokens ?? 0) > 0)
            #expect((happy.cost ?? 0) > 0)
            let missing = try #require(cases.last)
            #expect(missing.answer?.trajectory.end == .missingFixture)
            #expect(missing.status == .failed)
            #expect(missing.answer?.trajectory.toolCalls.last?.name == "issue_refund")
            #expect(missing.answer?.trajectory.toolCalls.last?.result == nil)
        }
    }

    @Test func httpEndpointEscapesTheTemplateAndReadsTheAnswerPointer() async throws {
        try await withReferenceAgent { agent in
            let pipeline = """
                version: 1
                agent:
                  name: triage-agent
                  version: "1.0"
                  risk_tier: 1
                  endpoint:
                    type: http
                    url: \(agent.triageURL)
                    body: {ticket: "{{input}}", ticket_id: "{{id}}", note: "ticket {{id}}: {{input}}"}
                    answer: /result
                    usage: {input_tokens: /usage/input_tokens, output_tokens: /usage/output_tokens}
                datasets: [cases.jsonl]
                baseline: {from: none}
                """
            let hostile = "Our \"production\" DB is DOWN!!\n\\ outage since 3am \u{1}; data loss suspected"
            let cases: [JSONValue] = [
                [
                    "id": "t-1", "input": .string(hostile),
                    "assert": [["type": "is-json"], ["type": "json-field", "pointer": "/priority", "equals": "P1"]],
                ],
                [
                    "id": "t-2", "input": "How do I download last month's invoice?",
                    "assert": [["type": "json-field", "pointer": "/category", "equals": "billing"]],
                ],
            ]
            let fixture = PipelineFixture(pipeline: pipeline, datasets: ["cases.jsonl": PipelineFixture.jsonl(cases)])
            let results = try fixture.cases(try await fixture.evaluate())
            #expect(results.map(\.status) == [.passed, .passed], "\(results.map(\.headline))")
            #expect(results.first?.answer?.json?["priority"] == "P1")
            #expect((results.first?.usage?.inputTokens ?? 0) > 0)
        }
    }

    @Test func commandEndpointRunsTheProgramWithoutAShell() async throws {
        let executable = try #require(ReferenceAgentHarness.executableURL, "evalgate-reference-agent must be built").path
        let pipeline = """
            version: 1
            agent:
              name: kb-agent
              version: "1.0"
              risk_tier: 1
              endpoint:
                type: command
                argv: [\(executable), --stdio]
                timeout: 10s
                retries: 0
            datasets: [cases.jsonl]
            baseline: {from: none}
            """
        let cases: [JSONValue] = [
            [
                "id": "k-1", "input": "How many PTO days do I get per year?", "metadata": ["agent": "kb-agent"],
                "assert": [["type": "not-contains", "value": "$(whoami)"]],
            ]
        ]
        let fixture = PipelineFixture(pipeline: pipeline, datasets: ["cases.jsonl": PipelineFixture.jsonl(cases)])
        let results = try fixture.cases(try await fixture.evaluate())
        let first = try #require(results.first)
        #expect(first.status == .passed, "\(first.headline)")
        #expect(first.answer?.text.contains("25 days") == true)
    }

    @Test func commandAgentThatCrashesOrHangsIsAnErrorNotAPass() async throws {
        let executable = try #require(ReferenceAgentHarness.executableURL).path
        for (fault, kind) in [("crash", AgentError.Kind.processFailed), ("hang", .timeout), ("garbage", .malformedResponse)] {
            let pipeline = """
                version: 1
                agent:
                  name: kb-agent
                  version: "1.0"
                  risk_tier: 1
                  endpoint:
                    type: command
                    argv: [\(executable), --stdio]
                    env: {REFERENCE_AGENT_FAULT: \(fault)}
                    timeout: 1s
                    retries: 0
                datasets: [cases.jsonl]
                baseline: {from: none}
                """
            let fixture = PipelineFixture(
                pipeline: pipeline,
                datasets: ["cases.jsonl": PipelineFixture.jsonl([["id": "k", "input": "PTO?", "assert": [["type": "contains", "value": "x"]]]])])
            let start = Date()
            let result = try await fixture.evaluate()
            let first = try #require(try fixture.cases(result).first)
            #expect(first.status == .error, "\(fault)")
            #expect(first.error?.kind == kind, "\(fault): \(first.error?.description ?? "")")
            #expect(result.record.verdict != .pass)
            // Generous: three spawns of a debug binary on a loaded two-core machine; a missed kill would hang forever.
            #expect(Date().timeIntervalSince(start) < 90)
        }
    }

    @Test func retriesRecoverFromATransient503() async throws {
        try await withReferenceAgent { agent in
            let headers = "{X-Fault: \"503\", X-Fault-Count: \"1\", X-Fault-Key: retry-test}"
            let fixture = PipelineFixture(
                pipeline: Self.refundPipeline(url: agent.chatCompletionsURL, headers: headers),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.refundCase])])
            let first = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(first.status == .passed, "\(first.headline)")
            #expect(first.attempts == 2)
            #expect(await agent.statistics().faultsInjectedTotal == 1)
        }
    }

    @Test func rateLimitedRequestsHonourRetryAfter() async throws {
        try await withReferenceAgent { agent in
            let headers = "{X-Fault: \"429\", X-Fault-Count: \"1\", X-Fault-Key: rate-test}"
            let fixture = PipelineFixture(
                pipeline: Self.refundPipeline(url: agent.chatCompletionsURL, headers: headers),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.refundCase])])
            let start = Date()
            let first = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(first.status == .passed)
            #expect(first.attempts == 2)
            #expect(Date().timeIntervalSince(start) >= 0.9)
        }
    }

    @Test func persistentFaultsEndAsRecordedErrorsAndAnInconclusiveVerdict() async throws {
        try await withReferenceAgent { agent in
            for (fault, kind) in [("malformed", AgentError.Kind.malformedResponse), ("500", .serverError), ("truncated", .malformedResponse)] {
                let headers = "{X-Fault: \"\(fault)\"}"
                let fixture = PipelineFixture(
                    pipeline: Self.refundPipeline(url: agent.chatCompletionsURL, headers: headers, retries: 1),
                    datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.refundCase])])
                let result = try await fixture.evaluate()
                let first = try #require(try fixture.cases(result).first)
                #expect(first.status == .error)
                #expect(first.error?.kind == kind, "\(fault): \(first.error?.description ?? "")")
                #expect(first.attempts == 2)
                #expect(result.record.verdict == .inconclusive)
                #expect(result.record.gates.first { $0.name == "error-rate" }?.outcome == .inconclusive)
            }
        }
    }

    @Test func hangsHitTheDeadlineAndHugeBodiesTheCap() async throws {
        try await withReferenceAgent { agent in
            let hang = PipelineFixture(
                pipeline: Self.refundPipeline(url: agent.chatCompletionsURL, headers: "{X-Fault: hang}", retries: 0).replacingOccurrences(
                    of: "timeout: 5s", with: "timeout: 1s"),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.refundCase])])
            let start = Date()
            let hung = try #require(try hang.cases(try await hang.evaluate()).first)
            #expect(hung.error?.kind == .timeout)
            // The agent never answers: only the 1 s deadline can end this (generous for loaded CI machines).
            #expect(Date().timeIntervalSince(start) < 30)
            let huge = PipelineFixture(
                pipeline: Self.refundPipeline(url: agent.chatCompletionsURL, headers: "{X-Fault: huge}", retries: 0).replacingOccurrences(
                    of: "timeout: 5s", with: "timeout: 60s"), datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.refundCase])])
            let big = try #require(try huge.cases(try await huge.evaluate()).first)
            #expect(big.error?.kind == .responseTooLarge)
        }
    }

    @Test func unreachableEndpointIsAConnectionErrorAndInconclusive() async throws {
        let fixture = PipelineFixture(
            pipeline: Self.refundPipeline(url: "http://127.0.0.1:1/v1/chat/completions", retries: 1),
            datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.refundCase])])
        let result = try await fixture.evaluate()
        let first = try #require(try fixture.cases(result).first)
        #expect(first.error?.kind == .connection)
        #expect(result.record.verdict == .inconclusive)
    }

    @Test func selectionIsDeterministic() async throws {
        try await withReferenceAgent { agent in
            var cases: [JSONValue] = []
            for index in 0..<40 {
                cases.append([
                    "id": .string("c\(index)"), "input": .string("Where is order A-\(10000 + index)?"), "tags": index % 2 == 0 ? ["even"] : ["odd"],
                    "assert": [["type": "not-contains", "value": "zzz"]],
                ])
            }
            let fixture = PipelineFixture(
                pipeline: Self.refundPipeline(url: agent.chatCompletionsURL), datasets: ["cases.jsonl": PipelineFixture.jsonl(cases)])
            let filtered = try fixture.cases(try await fixture.evaluate(options: RunOptions(filterTags: ["odd"], limit: 5)))
            #expect(filtered.map(\.id) == ["c1", "c3", "c5", "c7", "c9"])
            let sampleA = try fixture.cases(try await fixture.evaluate(options: RunOptions(sample: 7, seed: 11))).map(\.id)
            let sampleB = try fixture.cases(try await fixture.evaluate(options: RunOptions(sample: 7, seed: 11))).map(\.id)
            let sampleC = try fixture.cases(try await fixture.evaluate(options: RunOptions(sample: 7, seed: 12))).map(\.id)
            #expect(sampleA.count == 7)
            #expect(sampleA == sampleB)
            #expect(sampleA != sampleC)
            let indices = sampleA.compactMap { Int($0.dropFirst()) }
            #expect(indices == indices.sorted())
        }
    }
}
