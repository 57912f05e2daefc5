import Testing

@testable import EvalGateKit

private typealias F = ScoringFixtures

@Suite("Agent scorers: latency, cost, tools, steps")
struct AgentScorerTests {
    static let trajectory = F.calls(
        ("lookup_order", ["order_id": "A-10023"]),
        ("check_policy", ["topic": "refunds"]),
        ("issue_refund", ["order_id": "A-10023", "amount": 40]),
        ("lookup_order", ["order_id": "A-10024"]))

    static func run(
        _ spec: ScorerSpec, steps: [TrajectoryStep] = trajectory, end: Trajectory.End = .answered,
        passes: Bool, reason: String
    ) -> ScorerCase {
        ScorerCase(spec, input: F.input("done", steps: steps, end: end), passes: passes, reason: reason)
    }

    static let toolCases: [ScorerCase] = [
        run(F.spec("tool-called", "lookup_order"), passes: true, reason: "tool 'lookup_order' was called 2 times"),
        run(F.spec("tool-called", "check_policy"), passes: true, reason: "tool 'check_policy' was called 1 time"),
        run(
            F.spec("tool-called", "escalate"), passes: false,
            reason: "tool 'escalate' was never called (called: 'check_policy', 'issue_refund', 'lookup_order')"),
        run(F.spec("tool-called", "lookup_ordr"), passes: false, reason: "did you mean 'lookup_order'?"),
        run(F.spec("tool-called", "escalate"), steps: [], passes: false, reason: "(no tools were called)"),
        run(F.spec("tool-called", "lookup_order", options: ["max_times": 1]), passes: false, reason: "called 2 times, more than max_times 1"),
        run(F.spec("tool-called", "lookup_order", options: ["min_times": 3]), passes: false, reason: "fewer than min_times 3"),
        run(F.spec("tool-called", "escalate", options: ["min_times": 0, "max_times": 1]), passes: true, reason: "never called"),
        run(F.spec("tool-not-called", "issue_refund"), passes: false, reason: "tool-not-called: tool 'issue_refund' was called 1 time (forbidden)"),
        run(F.spec("tool-not-called", "escalate"), passes: true, reason: "tool-not-called: tool 'escalate' was never called"),
        run(
            F.spec("tool-called", "issue_refund", negated: true), passes: false,
            reason: "not-tool-called: tool 'issue_refund' was called 1 time (forbidden)"),
        run(F.spec("tool-not-called", "issue_refund", negated: true), passes: true, reason: "tool 'issue_refund' was called 1 time"),
        run(
            F.spec("tool-args", options: ["tool": "issue_refund", "args": ["amount": 40]]), passes: true,
            reason: #"tool 'issue_refund' was called with {"amount":40}"#),
        run(
            F.spec("tool-args", options: ["tool": "issue_refund", "args": ["amount": "40", "order_id": " a-10023 "]]), passes: true,
            reason: "was called with"),
        run(F.spec("tool-args", options: ["tool": "lookup_order", "args": ["order_id": "A-10024"]]), passes: true, reason: "A-10024"),
        run(
            F.spec("tool-args", options: ["tool": "issue_refund", "args": ["amount": 50, "order_id": "A-10023"]]), passes: false,
            reason:
                #"no call of 'issue_refund' had arguments {"amount":50,"order_id":"A-10023"}; closest of 1 call: {"amount":40,"order_id":"A-10023"}"#),
        run(F.spec("tool-args", options: ["tool": "escalate", "args": ["x": 1]]), passes: false, reason: "tool 'escalate' was never called"),
        run(F.spec("tool-args", "issue_refund", options: ["args": ["amount": 40]]), passes: true, reason: "was called with"),
        run(
            F.spec("tool-args", negated: true, options: ["tool": "issue_refund", "args": ["amount": 40]]), passes: false,
            reason: #"not-tool-args: tool 'issue_refund' was called with the forbidden arguments {"amount":40}"#),
        run(
            F.spec("tool-sequence", ["lookup_order", "issue_refund"]), passes: true, reason: "tools were called in order [lookup_order, issue_refund]"
        ),
        run(
            F.spec("tool-sequence", ["issue_refund", "check_policy"]), passes: false,
            reason: "'check_policy' was not called after 'issue_refund' (calls: [lookup_order, check_policy, issue_refund, lookup_order])"),
        run(F.spec("tool-sequence", ["escalate"]), passes: false, reason: "'escalate' was never called"),
        run(
            F.spec("tool-sequence", ["lookup_order", "check_policy"], options: ["mode": "exact"]), passes: false,
            reason: "expected exactly [lookup_order, check_policy], got [lookup_order, check_policy, issue_refund, lookup_order]"),
        run(
            F.spec("tool-sequence", ["lookup_order", "check_policy", "issue_refund", "lookup_order"], options: ["mode": "exact"]), passes: true,
            reason: "tool calls were exactly"),
        run(F.spec("max-steps", 4), passes: true, reason: "agent took 4 steps, within the limit of 4"),
        run(F.spec("max-steps", 3), passes: false, reason: "agent took 4 steps, more than the limit of 3"),
        run(F.spec("max-steps", 5), end: .maxSteps, passes: true, reason: "was stopped at the pipeline's max_steps"),
    ]

    @Test(arguments: toolCases)
    func tools(_ row: ScorerCase) throws { try row.check() }

    @Test func toolArgsIgnoresCallsWhoseArgumentsAreNotJSON() throws {
        let steps = [TrajectoryStep(toolCalls: [ToolCall(id: "1", name: "issue_refund", arguments: .string("{amount: 40"))])]
        let outcome = try F.outcome(F.spec("tool-args", options: ["tool": "issue_refund", "args": ["amount": 40]]), F.input("", steps: steps))
        #expect(!outcome.passed)
        #expect(outcome.reason.contains("closest of 1 call: '{amount: 40'"))
    }

    static let limitCases: [ScorerCase] = [
        ScorerCase(
            F.spec("latency", 1000), input: F.input("x", latency: 420.4), passes: true, reason: "latency 420 ms is within the limit of 1000 ms"),
        ScorerCase(F.spec("latency", 1000), input: F.input("x", latency: 1000), passes: true, reason: "within"),
        ScorerCase(
            F.spec("latency", 1000), input: F.input("x", latency: 1234), passes: false, reason: "latency 1234 ms exceeds the limit of 1000 ms"),
        ScorerCase(F.spec("latency", 1000), input: F.input("x", latency: .nan), passes: false, reason: "latency unknown"),
        ScorerCase(F.spec("cost", 0.01), input: F.input("x", cost: 0.004), passes: true, reason: "cost 0.004 is within the limit of 0.01"),
        ScorerCase(F.spec("cost", 0.01), input: F.input("x", cost: 0.0123), passes: false, reason: "cost 0.0123 exceeds the limit of 0.01"),
        ScorerCase(F.spec("cost", 0.01), input: F.input("x", cost: nil), passes: false, reason: "cost unknown"),
        ScorerCase(F.spec("cost", 0.01, negated: true), input: F.input("x", cost: nil), passes: false, reason: "not-cost: cost unknown"),
        ScorerCase(F.spec("cost", 0.01, negated: true), input: F.input("x", cost: 0.5), passes: true, reason: "not-cost: cost 0.5 exceeds"),
        // Issue 12: two repeats at 0.1 and 0.2 sum to 0.30000000000000004 in Double; exactly, they cost the limit.
        ScorerCase(F.spec("cost", 0.3), input: F.input("x", cost: 0.1 + 0.2), passes: true, reason: "cost 0.3 is within the limit of 0.3"),
        ScorerCase(F.spec("cost", 0.3), input: F.input("x", cost: 0.300000000001), passes: false, reason: "exceeds the limit of 0.3"),
        ScorerCase(F.spec("cost", 0.3), input: F.input("x", cost: .nan), passes: false, reason: "cost unknown"),
    ]

    @Test(arguments: limitCases)
    func limits(_ row: ScorerCase) throws { try row.check() }
}
