import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Scenario cases: read with located diagnostics, held as conversations against the reference agent's
/// conversational refund agent, and recorded turn by turn.
@Suite("Scenario cases")
struct ScenarioTests {
    static func parse(_ json: JSONValue) -> (GoldenCase?, [Diagnostic]) {
        var diagnostics = DiagnosticsEngine()
        let parsed = GoldenCase.parse(
            json, location: SourceLocation(file: "cases.jsonl", line: 4, column: 1),
            defaults: GoldenCase.Defaults(dataset: "cases", fallbackIDPrefix: "c"),
            diagnostics: &diagnostics)
        return (parsed, diagnostics.diagnostics)
    }

    static let happyScript: JSONValue = [
        ["when": ["contains": "order number"], "say": "It's A-10023"],
        ["when": ["contains": ["shall i refund", "confirm"]], "say": "Yes please"],
    ]

    static func scenarioCase(id: String = "happy", script: JSONValue = happyScript, maxTurns: JSONValue = 6, extra: [String: JSONValue] = [:])
        -> JSONValue
    {
        var fields: [String: JSONValue] = [
            "id": .string(id),
            "scenario": [
                "goal": "a refund for a broken kettle", "persona": "polite", "opening": "Hi, my kettle arrived broken. Can I get a refund?",
                "max_turns": maxTurns, "user": ["script": script],
            ],
            "tools": [
                "lookup_order": [
                    "order_id": "A-10023", "amount": 49.9, "currency": "USD", "status": "delivered", "days_since_delivery": 3, "item": "kettle",
                ],
                "issue_refund": ["refund_id": "R-1", "status": "issued"],
            ],
            "assert": [
                ["type": "tool-args", "tool": "issue_refund", "args": ["order_id": "A-10023", "amount": 49.9]],
                ["type": "icontains", "value": "R-1"],
            ],
        ]
        fields.merge(extra) { _, new in new }
        return .object(fields)
    }

    @Test func aScenarioCaseReadsItsScriptAndOpening() throws {
        let (parsed, diagnostics) = Self.parse(Self.scenarioCase())
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let goldenCase = try #require(parsed)
        let scenario = try #require(goldenCase.scenario)
        #expect(goldenCase.input == .text("Hi, my kettle arrived broken. Can I get a refund?"))
        #expect(scenario.maxTurns == 6)
        guard case .script(let lines) = scenario.user else {
            Issue.record("not scripted")
            return
        }
        #expect(lines.count == 2)
        #expect(lines[1].when?.contains == ["shall i refund", "confirm"])
    }

    static let badScenarios: [(JSONValue, String)] = {
        var list: [(JSONValue, String)] = []
        let scenario2: JSONValue = ["opening": "hi", "max_turns": 3]
        list.append((scenario2, "'scenario' has no 'user'"))
        let scenario4: JSONValue = ["opening": "hi", "user": ["script": [["say": "x"]]]]
        list.append((scenario4, "'scenario' has no 'max_turns'"))
        let scenario6: JSONValue = ["opening": "hi", "max_turns": 0, "user": ["script": [["say": "x"]]]]
        list.append((scenario6, "'scenario.max_turns' must be a whole number from 1 to 100"))
        let scenario8: JSONValue = ["opening": "hi", "max_turns": 2.5, "user": ["script": [["say": "x"]]]]
        list.append((scenario8, "'scenario.max_turns' must be a whole number"))
        let scenario10: JSONValue = ["max_turns": 3, "user": ["script": [["say": "x"]]]]
        list.append((scenario10, "'scenario' has no 'opening'"))
        let scenario12: JSONValue = ["opening": "hi", "max_turns": 3, "user": ["script": []]]
        list.append((scenario12, "'scenario.user.script' must be a non-empty list"))
        let scenario14: JSONValue = ["opening": "hi", "max_turns": 3, "user": ["script": [["say": "again", "repeat": true]]]]
        list.append((scenario14, "never ends within max_turns"))
        let scenario16: JSONValue = ["opening": "hi", "max_turns": 2, "user": ["script": [["say": "a"], ["say": "b"]]]]
        list.append((scenario16, "cannot end within max_turns 2"))
        let scenario18: JSONValue = ["opening": "hi", "max_turns": 3, "user": ["script": [["sya": "a"]]]]
        list.append((scenario18, "unknown key 'sya' in script line 1"))
        let scenario20: JSONValue = ["opening": "hi", "max_turns": 3, "user": ["script": [["say": "a", "when": ["matches": "(["]]]]]
        list.append((scenario20, "not a valid regular expression"))
        let scenario22: JSONValue = ["opening": "hi", "max_turns": 3, "user": ["script": [["say": "a"]], "instructions": "be rude"]]
        list.append((scenario22, "has both a script and a model"))
        let scenario24: JSONValue = ["opening": "hi", "max_turns": 3, "user": ["model": "m"]]
        list.append((scenario24, "has neither a script nor instructions"))
        let scenario26: JSONValue = ["opening": "hi", "max_turns": 3, "user": ["instructions": "x", "stop": ""]]
        list.append((scenario26, "'scenario.user.stop' must be a non-empty marker"))
        let scenario28: JSONValue = ["opening": "hi", "max_turn": 3, "user": ["script": [["say": "a"]]]]
        list.append((scenario28, "unknown key 'max_turn' in 'scenario'"))
        return list
    }()

    @Test(arguments: badScenarios)
    func badScenariosGetLocatedDiagnostics(scenario: JSONValue, message: String) {
        let (parsed, diagnostics) = Self.parse(["id": "bad", "scenario": scenario])
        #expect(parsed == nil)
        let found = diagnostics.first { $0.message.contains(message) }
        #expect(found != nil, "\(diagnostics.map(\.message))")
        #expect(found?.location.description == "cases.jsonl:4:1")
        #expect(found?.severity == .error)
    }

    @Test func aCaseWithBothInputAndScenarioIsAnError() {
        let (parsed, diagnostics) = Self.parse(Self.scenarioCase(extra: ["input": "hello"]))
        #expect(parsed == nil)
        #expect(diagnostics.contains { $0.message.contains("has both 'input' and 'scenario'") })
    }

    @Test func theScriptedUserAnswersWhatTheAgentAskedThenGoesOnInOrder() async throws {
        let user = ScriptedUser(lines: [
            ScriptLine(say: "first"), ScriptLine(when: ScriptCondition(contains: ["order number"]), say: "A-10023"),
            ScriptLine(say: "second"), ScriptLine(when: ScriptCondition(matches: "refund(ed)? \\$?[0-9]+"), say: "thanks", repeats: true),
        ])
        var record = ConversationRecord(turns: [.user("open"), ConversationTurn(speaker: .agent, text: "What is your ORDER NUMBER?")])
        #expect(try await user.nextTurn(after: record)?.text == "A-10023", "a matching `when` comes before the unconditional lines")
        record.turns += [.user("A-10023"), ConversationTurn(speaker: .agent, text: "Your order number again?")]
        #expect(try await user.nextTurn(after: record)?.text == "first", "a line is said once")
        record.turns += [.user("first"), ConversationTurn(speaker: .agent, text: "I refunded $40")]
        #expect(try await user.nextTurn(after: record)?.text == "thanks")
        record.turns += [.user("thanks"), ConversationTurn(speaker: .agent, text: "I refunded 40")]
        #expect(try await user.nextTurn(after: record)?.text == "thanks", "a repeating line may be said again")
        record.turns += [.user("thanks"), ConversationTurn(speaker: .agent, text: "ok")]
        #expect(try await user.nextTurn(after: record)?.text == "second")
        record.turns += [.user("second"), ConversationTurn(speaker: .agent, text: "ok")]
        #expect(try await user.nextTurn(after: record) == nil, "nothing applies: the customer is done")
    }

    static func pipeline(url: String, version: String = "2.4.0") -> String {
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
        datasets: [cases.jsonl]
        baseline: {from: none}
        """
    }

    @Test func theGoodAgentHoldsTheConversationAndItIsRecordedTurnByTurn() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.chatCompletionsURL), datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.scenarioCase()])])
            let result = try await fixture.evaluate()
            let cases = try fixture.cases(result)
            let happy = try #require(cases.first)
            #expect(happy.status == .passed, "\(happy.scores) \(String(describing: happy.error))")
            let conversation = try #require(happy.conversation)
            #expect(conversation.end == .userDone)
            #expect(conversation.turns.map(\.speaker) == [.user, .agent, .user, .agent, .user, .agent])
            #expect(conversation.turns[1].text.contains("order number"))
            #expect(conversation.turns[3].toolCalls.map(\.name) == ["lookup_order"])
            #expect(conversation.turns[3].text.contains("Shall I refund"))
            #expect(conversation.turns[4].text == "Yes please")
            #expect(conversation.turns[5].toolCalls.map(\.name) == ["issue_refund"])
            #expect(conversation.turns[5].toolCalls.first?.result?["refund_id"] == "R-1")
            #expect(happy.answer?.trajectory.toolCalls.map(\.name) == ["lookup_order", "issue_refund"])
            // The history carries the same conversation as the result file.
            let history = try await HistoryLocation(fixture.settings().historyPath).open()
            let stored = try await history.caseResults(runID: result.record.id)
            #expect(stored.first?.conversation == conversation)
            let file = try String(contentsOfFile: result.resultPath, encoding: .utf8)
            #expect(file.contains("\"speaker\":\"agent\""))
            let markdown = MarkdownReport.render(result.record, cases: cases)
            #expect(!markdown.contains("Conversations not passing"), "every scenario passed")
        }
    }

    @Test func theRegressedAgentRefundsTwiceAndTheReportsShowTheConversation() async throws {
        try await withReferenceAgent { agent in
            let scenario = Self.scenarioCase(extra: [
                "assert": [["type": "tool-sequence", "value": ["lookup_order", "issue_refund"], "mode": "exact"]]
            ])
            let fixture = PipelineFixture(
                pipeline: Self.pipeline(url: agent.chatCompletionsURL, version: "2.5.0-rc1"),
                datasets: ["cases.jsonl": PipelineFixture.jsonl([scenario])])
            let result = try await fixture.evaluate()
            let cases = try fixture.cases(result)
            let regressed = try #require(cases.first)
            #expect(regressed.status == .failed)
            let conversation = try #require(regressed.conversation)
            #expect(conversation.turns.flatMap(\.toolCalls).filter { $0.name == "issue_refund" }.count == 2, "\(conversation.turns)")
            let markdown = MarkdownReport.render(result.record, cases: cases)
            #expect(markdown.contains("Conversations not passing (1 shown)"))
            #expect(markdown.contains("**Customer:** Hi, my kettle arrived broken"))
            #expect(markdown.contains("🔧 issue\\_refund"))
            let html = HTMLReport.render(context: ReportContext(record: result.record, redactor: result.redactor), cases: cases)
            #expect(html.contains("<h4>Conversation</h4>"))
            #expect(html.contains("<li><span class=\"role\">agent</span><div class=\"call\">"), "an agent turn with its tool calls")
        }
    }

    @Test func agentOutputIsEscapedInTheConversationReport() throws {
        let result = CaseResult(
            index: 0, id: "x", dataset: "d", tags: [], critical: false, cluster: nil,
            conversation: ConversationRecord(
                turns: [.user("<script>alert(1)</script>"), ConversationTurn(speaker: .agent, text: "<img src=x onerror=alert(2)>")], end: .userDone),
            input: .text("<script>alert(1)</script>"), expected: nil, answer: AgentAnswer(text: "ok"), scores: [], score: 0, status: .failed,
            error: nil, attempts: 1, latencyMilliseconds: 1, usage: nil, cost: nil, location: "x")
        let context = HTMLReportFixtures.context(HTMLReportFixtures.record(cases: [result]))
        let html = HTMLReport(context: context).conversationList(result.conversation!).text
        #expect(!html.contains("<img"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        let markdown = MarkdownReport.conversationLines([result]).joined(separator: "\n")
        #expect(!markdown.contains("<img"))
    }
}

/// `on: any-turn | last-turn | every-turn` for the existing scorers.
@Suite("Scorers on conversation turns")
struct TurnScopeTests {
    static let conversation = ConversationRecord(
        turns: [
            .user("hi"), ConversationTurn(speaker: .agent, text: "What is your order number?"), .user("A-1"),
            ConversationTurn(speaker: .agent, text: "Refunded, ID R-1."),
        ], end: .userDone)

    static func outcome(_ entry: JSONValue) throws -> ScoreOutcome {
        let spec = try ScorerSpec.parse(entry, location: SourceLocation(file: "t")).get()
        let scorer = try ScorerRegistry.makeDeterministic(spec, expected: nil)
        var input = ScoringInput(goldenCase: GoldenCase(id: "c", input: .text("hi")), answer: AgentAnswer(text: "Refunded, ID R-1."))
        input.conversation = Self.conversation
        return TurnScope.evaluate(scorer, input, on: spec.on)
    }

    @Test func eachScopeReadsItsTurns() throws {
        #expect(try !Self.outcome(["type": "icontains", "value": "order number"]).passed, "the last turn by default")
        #expect(try !Self.outcome(["type": "icontains", "value": "order number", "on": "last-turn"]).passed)
        let any = try Self.outcome(["type": "icontains", "value": "order number", "on": "any-turn"])
        #expect(any.passed)
        #expect(any.reason.hasPrefix("agent turn 1:"))
        let every = try Self.outcome(["type": "icontains", "value": "R-1", "on": "every-turn"])
        #expect(!every.passed)
        #expect(every.reason.hasPrefix("agent turn 1:"))
        #expect(try Self.outcome(["type": "not-icontains", "value": "INTERNAL", "on": "every-turn"]).passed)
    }

    @Test func onIsCheckedWhereItIsWritten() {
        guard case .failure(let bad) = ScorerSpec.parse(["type": "icontains", "value": "x", "on": "first-turn"], location: SourceLocation(file: "t"))
        else {
            Issue.record("accepted")
            return
        }
        #expect(bad.message.contains("'on' must be any-turn, last-turn or every-turn"))
        guard
            case .failure(let conversation) = ScorerSpec.parse(["type": "turns", "value": 3, "on": "any-turn"], location: SourceLocation(file: "t"))
        else {
            Issue.record("accepted")
            return
        }
        #expect(conversation.message.contains("does not apply to turns"))
    }
}

/// How `http` and `command` endpoints carry a scenario (docs/conversations.md).
@Suite("Scenarios over http and command endpoints")
struct ScenarioEndpointTests {
    static let echoCase: JSONValue = [
        "id": "echo",
        "scenario": ["opening": "first", "max_turns": 3, "user": ["script": [["say": "second"], ["say": "third"]]]],
        "assert": [["type": "turns", "value": 3]],
    ]

    /// `/bin/cat` as the agent: one process per turn, the whole history on stdin, echoed back.
    @Test func aCommandAgentGetsTheWholeHistoryEveryTurn() async throws {
        let fixture = PipelineFixture(
            pipeline: """
                version: 1
                agent:
                  name: echo
                  version: "1"
                  risk_tier: 1
                  endpoint: {type: command, argv: [/bin/cat], answer: /input, timeout: 10s, retries: 0}
                datasets: [cases.jsonl]
                baseline: {from: none}
                """, datasets: ["cases.jsonl": PipelineFixture.jsonl([Self.echoCase])])
        let only = try #require(try fixture.cases(try await fixture.evaluate()).first)
        #expect(only.status == .passed, "\(only.headline)")
        let agentTurns = try #require(only.conversation?.agentTurns)
        #expect(agentTurns.count == 3)
        #expect(agentTurns[0].text == "first", "the opening is sent as the case's input, as a single case would be")
        let third = try JSONValue(parsing: Data(agentTurns[2].text.utf8))
        #expect(third.arrayValue?.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant", "user", "assistant", "user"])
        #expect(third.arrayValue?.last?["content"] == "third")
    }

    @Test func theConversationPlaceholderIsAlwaysAMessageList() {
        let goldenCase = GoldenCase(id: "c", input: .text("first"))
        let opening = Conversation(messages: [.user("first")], goldenCase: goldenCase)
        let template: JSONValue = ["messages": "{{conversation}}", "session": "{{id}}"]
        #expect(RequestTemplate.render(template, with: opening.requestCase) == ["messages": [["role": "user", "content": "first"]], "session": "c"])
        var later = opening
        later.messages += [ConversationMessage(role: .assistant, content: "hello"), .user("second")]
        let rendered = RequestTemplate.render(template, with: later.requestCase)
        #expect(rendered["messages"]?.arrayValue?.count == 3)
        #expect(rendered["messages"]?.arrayValue?.last == ["role": "user", "content": "second"])
    }
}
