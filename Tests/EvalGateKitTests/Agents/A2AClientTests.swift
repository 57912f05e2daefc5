import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `type: a2a`: Agent2Agent JSON-RPC `message/send`, the conversation kept by the agent under its
/// `contextId`, against the reference agent's `/a2a/{agent}` and its agent cards.
@Suite("A2A endpoint")
struct A2AClientTests {
    static func pipeline(url: String, version: String = "2.4.0", card: String? = nil) -> String {
        """
        version: 1
        agent:
          name: refund-agent
          version: "\(version)"
          risk_tier: 1
          endpoint:
            type: a2a
            url: \(url)
            timeout: 10s
            retries: 0
            headers: {X-Agent-Version: "\(version)"}
        \(card.map { "    card: \($0)" } ?? "")
        datasets: [cases.jsonl]
        baseline: {from: none}
        """
    }

    /// A scenario with a scripted customer; the agent runs its own order desk over A2A, so the case
    /// scores what the agent said: it asked for a yes before refunding, and confirmed one refund.
    static func scenario(id: String = "happy") -> JSONValue {
        [
            "id": .string(id),
            "scenario": [
                "opening": "Hi, my headphones arrived broken. Can I get a refund?", "max_turns": 5,
                "user": [
                    "script": [
                        ["when": ["contains": "order number"], "say": "It's A-10023"],
                        ["when": ["contains": ["shall i refund", "confirm"]], "say": "Yes please"],
                    ]
                ],
            ],
            "assert": [
                ["type": "icontains", "value": "reply yes to confirm", "on": "any-turn"],
                ["type": "regex", "value": "refund ID is R-10023-1\\b"],
            ],
        ]
    }

    @Test func onlyTheUsersNewMessagesGoOutOnceTheAgentHoldsTheConversation() throws {
        let start = try A2AClient.pending([.user("Hi"), .user("order A-1")])
        #expect(start.texts == ["Hi", "order A-1"])
        #expect(start.session == nil)
        let session = EndpointSession(contextID: "ctx-1", taskID: "task-1")
        let later = try A2AClient.pending([
            .user("Hi"), .assistant(AssistantTurn(text: "Order number?", session: session)), .user("A-10023"),
        ])
        #expect(later.texts == ["A-10023"])
        #expect(later.session == session)
        // An A2A agent cannot be handed a transcript with its own turns in it.
        #expect(throws: AgentError.self) { try A2AClient.pending([.user("Hi"), .assistant(AssistantTurn(text: "Hello")), .user("and?")]) }
        #expect(throws: AgentError.self) { try A2AClient.pending([.system("be brief"), .user("Hi")]) }
    }

    @Test func repliesAreReadAsMessagesOrTasksAndFailuresAreNamed() throws {
        let message = try A2AReply.turn(from: ["kind": "message", "contextId": "c", "parts": [["kind": "text", "text": "Hello"]]])
        #expect(message.text == "Hello")
        #expect(message.session == EndpointSession(contextID: "c"))
        let waiting = try A2AReply.turn(from: [
            "kind": "task", "id": "t", "contextId": "c",
            "status": ["state": "input-required", "message": ["parts": [["kind": "text", "text": "Which order?"]]]],
        ])
        #expect(waiting.session == EndpointSession(contextID: "c", taskID: "t"))
        #expect(waiting.finishReason == "input-required")
        let done = try A2AReply.turn(from: [
            "kind": "task", "id": "t", "contextId": "c", "status": ["state": "completed"],
            "artifacts": [["parts": [["kind": "data", "data": ["refund_id": "R-1"]]]]],
        ])
        #expect(done.json == ["refund_id": "R-1"])
        #expect(done.session?.taskID == nil)
        #expect(A2AReply.pendingTaskID(["kind": "task", "id": "t", "status": ["state": "working"]]) == "t")
        func kind(_ result: JSONValue) -> AgentError.Kind? {
            do {
                _ = try A2AReply.turn(from: result)
                return nil
            } catch { return error.kind }
        }
        #expect(kind(["kind": "task", "id": "t", "contextId": "c", "status": ["state": "failed"]]) == .serverError)
        #expect(kind(["kind": "task", "id": "t", "contextId": "c", "status": ["state": "auth-required"]]) == .clientError)
        #expect(kind(["kind": "task", "id": "t", "contextId": "c", "status": ["state": "completed"]]) == .missingAnswer)
        #expect(kind(["kind": "message", "parts": [["kind": "text", "text": "no context"]]]) == .malformedResponse)
        func envelope(_ json: JSONValue) -> AgentError.Kind? {
            do {
                _ = try A2AReply.result(of: json, id: "1", method: "message/send", snippet: "")
                return nil
            } catch { return error.kind }
        }
        #expect(envelope(["jsonrpc": "2.0", "id": "1", "error": ["code": -32603, "message": "boom"]]) == .serverError)
        #expect(envelope(["jsonrpc": "2.0", "id": "1", "error": ["code": -32001, "message": "Task not found"]]) == .clientError)
        #expect(envelope(["jsonrpc": "2.0", "id": "2", "result": ["kind": "message"]]) == .malformedResponse)
        #expect(envelope(["id": "1", "result": ["kind": "message"]]) == .malformedResponse)
        #expect(envelope(["jsonrpc": "2.0", "id": "1", "result": ["kind": "message"]]) == nil)
    }

    @Test func aSingleQuestionGetsAnAnswerOverA2A() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.baseURL + "/a2a/kb-agent"),
                datasets: [
                    "cases.jsonl": PipelineFixture.jsonl([
                        ["id": "pto", "input": "How many PTO days do I get per year?", "assert": [["type": "icontains", "value": "25 days"]]]
                    ])
                ])
            let only = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(only.status == .passed, "\(only.headline)")
            #expect(await agent.statistics().byPath["/a2a/kb-agent"] == 1)
        }
    }

    @Test func theAgentKeepsTheConversationAndTheRegressedVersionIsCaught() async throws {
        try await withReferenceAgent { agent in
            let url = agent.baseURL + "/a2a/refund-conversation-agent"
            let good = PipelineFixture(pipeline: Self.pipeline(url: url), datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.scenario()])])
            let passed = try #require(try good.cases(try await good.evaluate()).first)
            #expect(passed.status == .passed, "\(passed.headline) \(passed.scores.map(\.reason)) \(String(describing: passed.conversation))")
            // opening, order number?, A-10023, offer, yes, refund confirmed
            #expect(passed.conversation?.turns.count == 6, "\(String(describing: passed.conversation))")
            #expect(await agent.statistics().byPath["/a2a/refund-conversation-agent"] == 3, "one request a user turn")

            // The regressed candidate refunds without asking for a yes.
            let regressed = PipelineFixture(
                pipeline: Self.pipeline(url: url, version: "2.5.0-rc1"), datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.scenario()])])
            let failed = try #require(try regressed.cases(try await regressed.evaluate()).first)
            #expect(failed.status == .failed, "\(failed.headline)")
        }
    }

    @Test func theAgentCardIsCheckedAtValidation() async throws {
        try await withReferenceAgent { agent in
            let location = SourceLocation(file: "p.yaml")
            // The default card (/.well-known/agent-card.json) is the refund conversation agent's.
            let matching = EndpointDefinition(kind: .a2a, url: agent.baseURL + "/a2a/refund-conversation-agent")
            #expect(await AgentCardCheck.diagnostics(for: matching, at: location).isEmpty)
            // Another agent's card names another endpoint: a warning, until `card` points at its own.
            var kb = EndpointDefinition(kind: .a2a, url: agent.baseURL + "/a2a/kb-agent")
            let other = await AgentCardCheck.diagnostics(for: kb, at: location)
            #expect(other.map(\.severity) == [.warning], "\(other)")
            kb.card = agent.baseURL + "/a2a/kb-agent/.well-known/agent-card.json"
            #expect(await AgentCardCheck.diagnostics(for: kb, at: location).isEmpty)
            // No card at all (404) and nothing listening are warnings; a card without JSON-RPC is an error.
            var missing = kb
            missing.card = agent.baseURL + "/nothing-here.json"
            #expect(await AgentCardCheck.diagnostics(for: missing, at: location).map(\.severity) == [.warning])
            var unreachable = kb
            unreachable.card = "http://127.0.0.1:9/.well-known/agent-card.json"
            #expect(await AgentCardCheck.diagnostics(for: unreachable, at: location, timeout: 1).map(\.severity) == [.warning])
            let grpcOnly = AgentCardCheck.check(
                ["name": "a", "url": "http://x/grpc", "preferredTransport": "GRPC"], shown: "card", endpointURL: "http://x/a2a", location: location)
            #expect(grpcOnly.map(\.severity) == [.error])
            // A v1.0 card lists its interfaces with their protocol binding.
            let v1 = AgentCardCheck.check(
                ["name": "a", "supportedInterfaces": [["url": "http://x/a2a", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"]]],
                shown: "card",
                endpointURL: "http://x/a2a/", location: location)
            #expect(v1.isEmpty, "\(v1)")
            #expect(AgentCardCheck.check(["url": "http://x"], shown: "card", endpointURL: "http://x", location: location).map(\.severity) == [.error])
        }
    }

    /// Independently of our own server: an agent built on Google's official A2A SDK (`a2a-sdk`,
    /// its JSON-RPC server with v0.3 compatibility; scripts/a2a-sdk-agent.py) keeps the conversation
    /// under the `contextId` evalgate carries, and its v1.0 agent card passes the check.
    @Test func anAgentOnTheOfficialSDKHoldsTheConversation() async throws {
        let agent = try await PythonServer.start("scripts/a2a-sdk-agent.py")
        defer { agent.stop() }
        let url = agent.baseURL + "/a2a"

        let card = await AgentCardCheck.diagnostics(for: EndpointDefinition(kind: .a2a, url: url), at: SourceLocation(file: "p.yaml"))
        #expect(card.isEmpty, "\(card)")
        let scenario: JSONValue = [
            "id": "sdk",
            "scenario": [
                "opening": "I want a refund", "max_turns": 4,
                "user": ["script": [["when": ["contains": "order number"], "say": "It is A-12345"]]],
            ],
            // "after 2 messages": the agent counted both in one context.
            "assert": [["type": "icontains", "value": "Order A-12345: refund of 42.99 EUR issued after 2 messages"]],
        ]
        let fixture = PipelineFixture(pipeline: Self.pipeline(url: url), datasets: ["cases.jsonl": PipelineFixture.jsonl([scenario])])
        let only = try #require(try fixture.cases(try await fixture.evaluate()).first)
        #expect(only.status == .passed, "\(only.headline) \(String(describing: only.conversation))")
        #expect(only.conversation?.turns.count == 4)
    }

    @Test func keysThatDoNotApplyToA2AAreRefusedWithTheirPlace() throws {
        let fixture = PipelineFixture(
            pipeline: Self.pipeline(url: "http://127.0.0.1:1/a2a/x") + "\n",
            datasets: ["cases.jsonl": PipelineFixture.jsonl([["id": "a", "input": "hi"]])])
        let text = try String(contentsOfFile: fixture.pipelinePath, encoding: .utf8)
            .replacingOccurrences(of: "    retries: 0\n", with: "    retries: 0\n    model: gpt\n    card: ftp://x/card\n")
        try text.write(toFile: fixture.pipelinePath, atomically: true, encoding: .utf8)
        let report = PipelineValidator().validate(path: fixture.pipelinePath)
        let messages = report.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains { $0.contains("'model' does not apply to endpoint type 'a2a'") }, "\(messages)")
        #expect(messages.contains { $0.contains("'endpoint.card' is not an http(s) URL") }, "\(messages)")
        #expect(report.diagnostics.allSatisfy { $0.severity != .error || $0.location.line > 0 })
    }
}
