import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Agents speak in turns: a conversation goes in, the assistant's turn comes out, and the tool loop
/// is built on top of that.
@Suite("Conversations and the tool loop")
struct ConversationTests {
    static let refundTools: [JSONValue] = [
        ["type": "function", "function": ["name": "lookup_order", "parameters": ["type": "object"]]],
        ["type": "function", "function": ["name": "issue_refund", "parameters": ["type": "object"]]],
    ]

    static func chatEndpoint(_ url: String, model: String = "refund-agent", maxSteps: Int = 8) -> EndpointDefinition {
        EndpointDefinition(kind: .openAIChat, url: url, model: model, tools: refundTools, maxSteps: maxSteps, timeout: 5)
    }

    static let refundCase = GoldenCase(
        id: "happy", input: .text("Hi, order A-10023 arrived broken, can I get my money back?"),
        toolFixtures: [
            "lookup_order": ToolFixture(result: [
                "order_id": "A-10023", "amount": 129.99, "currency": "USD", "days_since_delivery": 12, "status": "delivered",
            ]),
            "issue_refund": ToolFixture(result: ["refund_id": "R-77812", "status": "issued"]),
        ])

    // MARK: - One turn at a time, against the reference agent

    @Test func aChatEndpointAnswersAConversationOneTurnAtATime() async throws {
        try await withReferenceAgent { agent in
            let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
            let client = OpenAIChatClient(endpoint: Self.chatEndpoint(agent.chatCompletionsURL), transport: transport)
            var conversation = Conversation(Self.refundCase, tools: Self.refundTools)
            do {
                let first = try await client.respond(to: conversation)
                #expect(first.finishReason == "tool_calls")
                #expect(first.text == nil)
                let call = try #require(first.toolCalls.first)
                #expect(call.name == "lookup_order")
                #expect(call.arguments["order_id"] == "A-10023")
                #expect(!call.id.isEmpty)
                #expect((first.usage?.inputTokens ?? 0) > 0)

                conversation.messages.append(.assistant(first))
                conversation.messages.append(
                    .toolResult(["order_id": "A-10023", "amount": 129.99, "days_since_delivery": 12, "status": "delivered"], callID: call.id))
                let second = try await client.respond(to: conversation)
                #expect(second.toolCalls.map(\.name) == ["issue_refund"])
                #expect(second.toolCalls.first?.arguments["amount"] == 129.99)

                conversation.messages.append(.assistant(second))
                conversation.messages.append(.toolResult(["refund_id": "R-77812", "status": "issued"], callID: second.toolCalls[0].id))
                let third = try await client.respond(to: conversation)
                #expect(third.toolCalls.isEmpty)
                #expect(third.finishReason == "stop")
                #expect(third.text?.contains("R-77812") == true)

                // A second user turn on the same conversation starts a new request; the agent reads the
                // whole transcript and finds the order number in the first user message.
                conversation.messages.append(.assistant(third))
                conversation.messages.append(.user("Sorry, can you check that again?"))
                let fourth = try await client.respond(to: conversation)
                #expect(fourth.toolCalls.map(\.name) == ["lookup_order"])
                #expect(fourth.toolCalls.first?.arguments["order_id"] == "A-10023")
            } catch {
                await transport.shutdown()
                throw error
            }
            await transport.shutdown()
        }
    }

    @Test func theToolLoopFeedsFixturesBackAndKeepsTheTranscript() async throws {
        try await withReferenceAgent { agent in
            let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
            let client = OpenAIChatClient(endpoint: Self.chatEndpoint(agent.chatCompletionsURL), transport: transport)
            let outcome = try await ToolLoop(client: client, maxSteps: 8).run(
                Conversation(Self.refundCase, tools: Self.refundTools), results: FixtureToolResults(Self.refundCase.toolFixtures))
            await transport.shutdown()
            #expect(outcome.answer.trajectory.end == .answered)
            #expect(outcome.answer.trajectory.toolCalls.map(\.name) == ["lookup_order", "issue_refund"])
            #expect(outcome.answer.trajectory.toolCalls.last?.result?["refund_id"] == "R-77812")
            #expect(outcome.answer.text.contains("R-77812"))
            #expect(outcome.conversation.messages.map(\.role) == [.user, .assistant, .tool, .assistant, .tool, .assistant])
            let toolMessages = outcome.conversation.messages.filter { $0.role == .tool }
            #expect(toolMessages.map(\.toolCallID) == outcome.answer.trajectory.toolCalls.map(\.id))
            // The case entry point is the same loop.
            let transport2 = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
            let answer = try await OpenAIChatClient(endpoint: Self.chatEndpoint(agent.chatCompletionsURL), transport: transport2).answer(
                Self.refundCase)
            await transport2.shutdown()
            #expect(answer == outcome.answer)
        }
    }

    @Test func theLoopStopsAtMaxStepsAndSendsBackEveryCallItMade() async throws {
        try await withLoopingToolAgent { agent in
            let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
            let client = OpenAIChatClient(
                endpoint: Self.chatEndpoint(agent.chatCompletionsURL, model: "looping-agent", maxSteps: 3), transport: transport)
            let answer = try await client.answer(Self.refundCase)
            await transport.shutdown()
            #expect(answer.trajectory.end == .maxSteps)
            #expect(answer.trajectory.steps.count == 3)
            #expect(answer.finishReason == "max_steps")
            #expect(answer.usage == TokenUsage(inputTokens: 30, outputTokens: 15))
            let requests = await agent.requests()
            #expect(requests.count == 3)
            let last = try #require(requests.last?["messages"]?.arrayValue)
            // user, then (assistant tool call, tool result) for each of the two earlier turns.
            #expect(last.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant", "tool", "assistant", "tool"])
            let echoed = try #require(last[1]["tool_calls"]?.arrayValue?.first)
            #expect(echoed["id"] == "call_1")
            #expect(echoed["type"] == "function")
            #expect(echoed["function"]?["arguments"] == #"{"order_id":"A-10023"}"#)
            #expect(last[1]["content"] == .null)
            #expect(last[2]["tool_call_id"] == "call_1")
            #expect(last[4]["tool_call_id"] == "call_2")
            #expect(requests.last?["tools"]?.arrayValue?.count == 2)
        }
    }

    @Test func theEndpointSystemPromptOpensTheConversationUnlessItBringsItsOwn() async throws {
        try await withLoopingToolAgent { agent in
            let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
            var endpoint = Self.chatEndpoint(agent.chatCompletionsURL, model: "looping-agent")
            endpoint.systemPrompt = "You are Acme's refund assistant."
            let client = OpenAIChatClient(endpoint: endpoint, transport: transport)
            let own = GoldenCase(
                id: "own",
                input: .messages([ChatMessage(role: "system", content: "Answer in French."), ChatMessage(role: "user", content: "Bonjour")]))
            do {
                _ = try await client.respond(to: Conversation(Self.refundCase))
                _ = try await client.respond(to: Conversation(own))
            } catch {
                await transport.shutdown()
                throw error
            }
            await transport.shutdown()
            let sent = await agent.requests().map { $0["messages"]?.arrayValue ?? [] }
            #expect(sent.first?.map { $0["role"]?.stringValue ?? "" } == ["system", "user"])
            #expect(sent.first?.first?["content"] == "You are Acme's refund assistant.")
            #expect(sent.last == [["role": "system", "content": "Answer in French."], ["role": "user", "content": "Bonjour"]])
            // No tools offered in the conversation: none sent.
            #expect(await agent.requests().allSatisfy { $0["tools"] == nil })
        }
    }

    // MARK: - The loop alone, over a scripted client

    /// Answers with the turns it was given, in order, and keeps every conversation it was sent.
    actor ScriptedClient: AgentClient {
        var turns: [AssistantTurn]
        var received: [Conversation] = []
        init(_ turns: [AssistantTurn]) { self.turns = turns }

        func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn {
            received.append(conversation)
            guard !turns.isEmpty else { throw AgentError(.malformedResponse, "script ran out") }
            return turns.removeFirst()
        }

        nonisolated func shutdown() async {}
    }

    @Test func aMissingFixtureEndsTheLoopAtThatCall() async throws {
        let calls = [
            ToolCall(id: "a", name: "lookup_order", arguments: ["order_id": "A-10023"]), ToolCall(id: "b", name: "unknown_tool", arguments: [:]),
            ToolCall(id: "c", name: "lookup_order", arguments: [:]),
        ]
        let client = ScriptedClient([
            AssistantTurn(text: "Checking.", toolCalls: calls, usage: TokenUsage(inputTokens: 3, outputTokens: 1), finishReason: "tool_calls")
        ])
        let outcome = try await ToolLoop(client: client, maxSteps: 5).run(
            Conversation(Self.refundCase), results: FixtureToolResults(Self.refundCase.toolFixtures))
        #expect(outcome.answer.trajectory.end == .missingFixture)
        #expect(outcome.answer.text == "Checking.")
        #expect(outcome.answer.trajectory.toolCalls.map { $0.result != nil } == [true, false, false])
        #expect(outcome.conversation.messages.map(\.role) == [.user, .assistant, .tool])
        #expect(outcome.answer.usage == TokenUsage(inputTokens: 3, outputTokens: 1))
    }

    @Test func aClientThatOnlySpeaksInTurnsAnswersCasesThroughTheLoop() async throws {
        let client = ScriptedClient([
            AssistantTurn(text: nil, toolCalls: [ToolCall(id: "1", name: "lookup_order", arguments: ["order_id": "A-10023"])]),
            AssistantTurn(text: "It is delivered.", usage: TokenUsage(inputTokens: 1, outputTokens: 1), finishReason: "stop"),
        ])
        let answer = try await client.answer(Self.refundCase)
        #expect(answer.text == "It is delivered.")
        #expect(answer.trajectory.steps.count == 2)
        #expect(answer.trajectory.end == .answered)
        #expect(answer.finishReason == "stop")
        let sent = await client.received
        #expect(sent.count == 2)
        #expect(sent[1].messages.last == .toolResult(Self.refundCase.toolFixtures["lookup_order"]!.rules[0].result, callID: "1"))
    }

    // MARK: - Single-exchange endpoints

    @Test func aConversationIsTheCaseInputWhileItIsTheOpening() {
        let text = GoldenCase(id: "t", input: .text("hi"))
        #expect(Conversation(text).caseInput == .text("hi"))
        let list = GoldenCase(id: "m", input: .messages([ChatMessage(role: "user", content: "hi")]))
        #expect(Conversation(list).caseInput == list.input, "a one-message list stays a list")
        var longer = Conversation(text)
        longer.messages += [ConversationMessage(role: .assistant, content: "Hello."), .user("Where is my order?")]
        #expect(
            longer.caseInput
                == .messages([
                    ChatMessage(role: "user", content: "hi"), ChatMessage(role: "assistant", content: "Hello."),
                    ChatMessage(role: "user", content: "Where is my order?"),
                ]))
        #expect(longer.caseInput.text == "Where is my order?")
        #expect(longer.requestCase.id == "t")
        #expect(Conversation(messages: [.user("loose")]).caseInput == .text("loose"))
    }

    @Test func aCommandAgentGetsTheWholeTranscriptAndItsJSONAnswerIsKept() async throws {
        // `cat` answers with the request it was sent: the answer pointer reads the input back as JSON.
        let client = CommandClient(endpoint: EndpointDefinition(kind: .command, answerPointer: "/input", argv: ["/bin/cat"], timeout: 10))
        let goldenCase = GoldenCase(id: "c1", input: .text("hi"), metadata: ["k": "v"])
        let opening = try await client.respond(to: Conversation(goldenCase))
        #expect(opening.text == "hi")
        #expect(opening.json == nil)
        var conversation = Conversation(goldenCase)
        conversation.messages += [ConversationMessage(role: .assistant, content: "Hello."), .user("More?")]
        let later = try await client.respond(to: conversation)
        #expect(
            later.json == [["role": "user", "content": "hi"], ["role": "assistant", "content": "Hello."], ["role": "user", "content": "More?"]])
        // The case entry point is one exchange with no trajectory, as before.
        let answer = try await client.answer(goldenCase)
        #expect(answer == AgentAnswer(text: "hi"))
    }

    @Test func anHTTPAgentGetsTheLastUserMessageAsInputText() async throws {
        try await withReferenceAgent { agent in
            let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
            let endpoint = EndpointDefinition(
                kind: .http, url: agent.triageURL, body: ["ticket": "{{input.text}}", "ticket_id": "{{id}}"], answerPointer: "/result", timeout: 5)
            let client = HTTPJSONClient(endpoint: endpoint, transport: transport)
            var conversation = Conversation(GoldenCase(id: "T-1", input: .text("Hello")))
            conversation.messages += [
                ConversationMessage(role: .assistant, content: "How can I help?"),
                .user("I was charged twice for my subscription this month, please refund one."),
            ]
            let turn: AssistantTurn
            do {
                turn = try await client.respond(to: conversation)
            } catch {
                await transport.shutdown()
                throw error
            }
            await transport.shutdown()
            #expect(turn.toolCalls.isEmpty)
            let result = try #require(turn.json)
            #expect(result["category"] != nil, "\(result)")
        }
    }
}
