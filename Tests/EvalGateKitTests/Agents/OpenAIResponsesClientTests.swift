import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `type: openai-responses`: the conversation as Responses `input` items, tool calls as
/// `function_call` / `function_call_output` items, against the reference agent's `/v1/responses`.
@Suite("OpenAI Responses endpoint")
struct OpenAIResponsesClientTests {
    static func pipeline(url: String, model: String, version: String = "2.4.0") -> String {
        """
        version: 1
        agent:
          name: refund-agent
          version: "\(version)"
          risk_tier: 1
          endpoint:
            type: openai-responses
            url: \(url)
            model: \(model)
            timeout: 10s
            retries: 0
            max_steps: 4
            headers: {X-Agent-Version: "\(version)"}
            tools:
              - {type: function, function: {name: lookup_order, parameters: {type: object, properties: {order_id: {type: string}}}}}
              - {type: function, function: {name: issue_refund, parameters: {type: object, properties: {order_id: {type: string}, amount: {type: number}}}}}
        datasets: [cases.jsonl]
        baseline: {from: none}
        """
    }

    @Test func theConversationGoesOutAsItemsAndToolsInTheResponsesShape() {
        let messages: [ConversationMessage] = [
            .system("be kind"), .user("refund A-1"),
            .assistant(AssistantTurn(text: nil, toolCalls: [ToolCall(id: "call_1", name: "lookup_order", arguments: ["order_id": "A-1"])])),
            .toolResult(["amount": 5], callID: "call_1"), .assistant(AssistantTurn(text: "Shall I refund 5?")), .user("yes"),
        ]
        let items = OpenAIResponsesClient.items(messages)
        #expect(items.count == 6)
        #expect(items[0] == ["role": "system", "content": "be kind"])
        #expect(items[2] == ["type": "function_call", "call_id": "call_1", "name": "lookup_order", "arguments": #"{"order_id":"A-1"}"#])
        #expect(items[3] == ["type": "function_call_output", "call_id": "call_1", "output": #"{"amount":5}"#])
        #expect(items[4] == ["role": "assistant", "content": "Shall I refund 5?"])
        let tool = OpenAIResponsesClient.tool(["type": "function", "function": ["name": "lookup_order", "parameters": ["type": "object"]]])
        #expect(tool == ["type": "function", "name": "lookup_order", "parameters": ["type": "object"]])
    }

    @Test func aResponseWithoutTextOrCallsIsAMissingAnswer() {
        #expect(throws: AgentError.self) {
            try OpenAIResponsesClient.turn(from: ["output": [["type": "reasoning"]]], snippet: "", status: 200)
        }
        let turn = try? OpenAIResponsesClient.turn(
            from: [
                "status": "completed", "usage": ["input_tokens": 10, "output_tokens": 3],
                "output": [["type": "message", "content": [["type": "output_text", "text": "Hello"]]]],
            ], snippet: "", status: 200)
        #expect(turn?.text == "Hello")
        #expect(turn?.usage == TokenUsage(inputTokens: 10, outputTokens: 3))
    }

    @Test func aToolUsingCaseRunsThroughTheResponsesAPI() async throws {
        try await withReferenceAgent { agent in
            let single: JSONValue = [
                "id": "single", "input": "Hi, order A-10023 arrived broken, can I get my money back?",
                "tools": [
                    "lookup_order": ["order_id": "A-10023", "amount": 49.9, "currency": "USD", "status": "delivered", "days_since_delivery": 3],
                    "issue_refund": ["refund_id": "R-9", "status": "issued"],
                ],
                "assert": [
                    ["type": "tool-sequence", "value": ["lookup_order", "issue_refund"], "mode": "exact"], ["type": "icontains", "value": "R-9"],
                ],
            ]
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.baseURL + "/v1/responses", model: "refund-agent"),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([single])])
            let only = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(only.status == .passed, "\(only.headline)")
            #expect(only.answer?.trajectory.toolCalls.first?.id.hasPrefix("call_") == true)
            #expect((only.usage?.inputTokens ?? 0) > 0)
            #expect(await agent.statistics().byPath["/v1/responses"] == 3, "lookup, refund, answer")
        }
    }

    @Test func aScenarioIsHeldThroughTheResponsesAPI() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.baseURL + "/v1/responses", model: "refund-conversation-agent"),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([ScenarioTests.scenarioCase()])])
            let only = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(only.status == .passed, "\(only.headline)")
            #expect(only.conversation?.turns.count == 6)
            #expect(only.conversation?.turns.last?.toolCalls.map(\.name) == ["issue_refund"])
        }
    }
}
