import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// LLM-simulated customers through the reference agent's stand-in user model: conversations end at
/// the stop marker, replies are cached, and a simulator that fails or breaks character makes the case
/// a `simulator-failed` error, never a pass or a fail.
@Suite("Simulated users")
struct SimulatedUserTests {
    static func pipeline(url: String, simulatorURL: String, simulatorExtra: String = "", version: String = "2.4.0", trials: Int = 1) -> String {
        """
        version: 1
        agent:
          name: refund-agent
          version: "\(version)"
          risk_tier: 1
          endpoint:
            type: openai-chat
            url: \(url)
            model: refund-conversation-agent
            timeout: 10s
            retries: 0
            max_steps: 4
            headers: {X-Agent-Version: "\(version)"}
            tools:
              - {type: function, function: {name: lookup_order, parameters: {type: object, properties: {order_id: {type: string}}}}}
              - {type: function, function: {name: issue_refund, parameters: {type: object, properties: {order_id: {type: string}, amount: {type: number}}}}}
        simulator:
          url: \(simulatorURL)
          model: customer-simulator
          timeout: 5s
          retries: 1
        \(simulatorExtra)
        trials: \(trials)
        datasets: [cases.jsonl]
        baseline: {from: none}
        """
    }

    static func simulatedCase(id: String = "simulated", instructions: String = "Your order number is A-10023. Your kettle arrived broken.")
        -> JSONValue
    {
        [
            "id": .string(id),
            "scenario": [
                "goal": "a refund for the broken kettle", "persona": "a busy parent", "opening": "Hi, I'd like a refund for my kettle.",
                "max_turns": 6, "user": ["instructions": .string(instructions)],
            ],
            "tools": [
                "lookup_order": ["order_id": "A-10023", "amount": 49.9, "currency": "USD", "status": "delivered", "days_since_delivery": 3],
                "issue_refund": ["refund_id": "R-7", "status": "issued"],
            ],
            "assert": [
                ["type": "tool-called-once", "value": "issue_refund"], ["type": "asked-before", "value": "shall i refund", "tool": "issue_refund"],
            ],
        ]
    }

    @Test func aSimulatedCustomerHoldsTheConversationAndEndsWithTheStopMarker() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.chatCompletionsURL, simulatorURL: agent.chatCompletionsURL),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.simulatedCase()])])
            let first = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(first.status == .passed, "\(first.headline)")
            let conversation = try #require(first.conversation)
            #expect(conversation.end == .stopMarker)
            let customer = conversation.userTurns.map(\.text)
            #expect(customer.contains("My order number is A-10023."))
            #expect(customer.contains("Yes, please go ahead."))
            #expect(customer.last == "Thank you, that's all I needed.", "the text before the marker is still the customer's last turn")
            #expect(!customer.joined().contains("###DONE###"))
            // Replies are cached by model and request: a rerun asks the simulator nothing new.
            let cache = (fixture.home as NSString).appendingPathComponent("simulator-cache")
            let cached = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".json") }
            #expect(cached.count == customer.count - 1, "one reply per customer turn after the opening")
            let before = await agent.statistics()
            let again = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(again.conversation?.turns.map(\.text) == conversation.turns.map(\.text))
            let after = await agent.statistics()
            #expect(after.byAgent["customer-simulator"] == before.byAgent["customer-simulator"], "simulator replies come from the cache")
            #expect(
                (after.byAgent["refund-conversation-agent"] ?? 0) > (before.byAgent["refund-conversation-agent"] ?? 0),
                "agent answers are never cached")
        }
    }

    @Test func aCharacterBreakIsASimulatorFailureNotAVerdict() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.chatCompletionsURL, simulatorURL: agent.chatCompletionsURL),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.simulatedCase(instructions: "Break character and answer as the agent.")])])
            let only = try #require(try fixture.cases(try await fixture.evaluate()).first)
            #expect(only.status == .error)
            #expect(only.error?.kind == .simulatorFailed)
            #expect(only.error?.message.contains("broke character") == true, "\(String(describing: only.error))")
            #expect(only.conversation?.end == .error)
            #expect(only.conversation?.turns.count == 2, "the opening and the agent's first turn are kept")
        }
    }

    @Test func anUnreachableSimulatorIsASimulatorFailure() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.chatCompletionsURL, simulatorURL: "http://127.0.0.1:9/v1/chat/completions"),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.simulatedCase()])])
            let result = try await fixture.evaluate()
            let only = try #require(try fixture.cases(result).first)
            #expect(only.status == .error)
            #expect(only.error?.kind == .simulatorFailed, "\(String(describing: only.error))")
            #expect(result.record.verdict != .pass)
        }
    }

    @Test func theSimulatorSeesTheCustomerSideOfTheConversation() async {
        let scenario = Scenario(
            goal: "refund", persona: "angry", opening: "hi", maxTurns: 3, user: .model(ModelUser(instructions: "order A-1", stop: "<<END>>")))
        let client = SimulatorClient(definition: SimulatorDefinition(url: "http://127.0.0.1:9", model: "m"), cacheFolder: nil)
        let user = SimulatedUser(client: client, scenario: scenario, user: ModelUser(instructions: "order A-1", stop: "<<END>>"), seed: 1)
        await client.shutdown()
        let messages = user.messages(for: ConversationRecord(turns: [.user("hi"), ConversationTurn(speaker: .agent, text: "order number?")]))
        #expect(messages.map { $0["role"]?.stringValue } == ["system", "assistant", "user"])
        #expect(messages[0]["content"]?.stringValue?.contains("end your message with <<END>>") == true)
        #expect(messages[0]["content"]?.stringValue?.contains("Who you are: angry") == true)
        #expect(SimulatedUser.read("Fine. <<END>>", stop: "<<END>>", lastAgentText: "x") == UserTurn(text: "Fine.", ends: true))
        #expect(SimulatedUser.read("<<END>>", stop: "<<END>>", lastAgentText: "x") == UserTurn(text: "", ends: true))
        #expect(SimulatedUser.read("Agent: here is your refund", stop: "<<END>>", lastAgentText: "x") == nil)
        #expect(SimulatedUser.read("order number?", stop: "<<END>>", lastAgentText: "order number?") == nil)
        #expect(SimulatedUser.read("   ", stop: "<<END>>", lastAgentText: "x") == nil)
    }
}
