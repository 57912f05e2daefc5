import EvalGateKit

/// Recorded answers to score: what a knowledge-base agent, a JSON triage agent and a tool-using
/// refund agent answer, with right, wrong and off-topic answers mixed in. Deterministic: the same
/// count always gives the same answers, so runs compare.
struct AnswerCorpus {
    enum Kind: String, CaseIterable {
        /// Handbook answers in prose, with the handbook sentence as the case's expected answer.
        case text
        /// A JSON object (`{"category": ..., "priority": ...}`) as the answer text.
        case json
        /// A trajectory of tool calls ending in a prose answer.
        case tools
    }

    static let facts: [(answer: String, section: String)] = [
        ("Full-time employees get 25 days of paid time off (PTO) per year, accrued monthly.", "Time off"),
        ("You can carry over up to 5 unused PTO days into the next year; carried-over days expire on March 31.", "Time off"),
        (
            "Sick leave is separate from PTO: you get up to 10 paid sick days per year, and no doctor's note is needed for absences of up to 3 days.",
            "Time off"
        ),
        ("Parental leave is 16 weeks, fully paid, for every new parent, including adoptive parents.", "Time off"),
        ("Meals while travelling for work are reimbursed up to $75 per day.", "Travel and expenses"),
        ("Hotels are reimbursed up to $250 per night, or $350 per night in New York, London and Tokyo.", "Travel and expenses"),
        ("Book flights through Navan: economy class for flights under 6 hours, premium economy for longer ones.", "Travel and expenses"),
        (
            "Submit expenses in Expensify within 30 days of the purchase; an itemised receipt is required for anything over $25.",
            "Travel and expenses"
        ),
    ]
    static let unknown = "I don't know; the employee handbook doesn't cover that. Please ask #help-hr on Slack and someone will help."
    static let categories = ["billing", "bug", "account", "feature-request", "outage"]

    let inputs: [Kind: [ScoringInput]]

    /// `distinct` different answers of each kind; benchmarks cycle through them.
    init(distinct: Int) {
        var inputs: [Kind: [ScoringInput]] = [:]
        for kind in Kind.allCases {
            inputs[kind] = (0..<distinct).map { Self.input(kind, number: $0) }
        }
        self.inputs = inputs
    }

    static func input(_ kind: Kind, number: Int) -> ScoringInput {
        let fact = facts[number % facts.count]
        let goldenCase = GoldenCase(
            id: "bench-\(number)", input: .text("question \(number)"), expected: .string(fact.answer), tags: ["handbook"],
            metadata: ["cluster": .string("c\(number % 97)")])
        let latency = Double(20 + number % 400)
        let cost = Double(number % 50) / 10_000
        switch kind {
        case .text:
            let text: String
            switch number % 10 {
            case 0: text = unknown
            case 1: text = "Great question! " + facts[(number + 3) % facts.count].answer + " Let me know if there is anything else."
            case 2: text = "As far as I know, " + fact.answer.lowercased() + " (ticket \(number))"
            default: text = fact.answer + " (Employee handbook, \(fact.section).)"
            }
            return ScoringInput(goldenCase: goldenCase, answer: AgentAnswer(text: text), latencyMilliseconds: latency, cost: cost)
        case .json:
            let category = categories[number % categories.count]
            let text =
                number % 13 == 0
                ? "Sure! Here is the triage: category \(category)"
                : #"{"category":"\#(category)","priority":"P\#(1 + number % 4)","summary":"ticket \#(number) needs a look","confidence":0.\#(50 + number % 50)}"#
            return ScoringInput(goldenCase: goldenCase, answer: AgentAnswer(text: text), latencyMilliseconds: latency, cost: cost)
        case .tools:
            let order = "A-\(10_000 + number % 90_000)"
            var steps = [TrajectoryStep(toolCalls: [ToolCall(id: "call_1", name: "lookup_order", arguments: ["order_id": .string(order)])])]
            if number % 4 != 0 {
                steps.append(
                    TrajectoryStep(toolCalls: [
                        ToolCall(
                            id: "call_2", name: "issue_refund", arguments: ["order_id": .string(order), "amount": .number(Double(number % 500))])
                    ]))
            }
            steps.append(TrajectoryStep(content: "Your refund for \(order) has been issued."))
            let answer = AgentAnswer(text: "Your refund for \(order) has been issued.", trajectory: Trajectory(steps: steps))
            return ScoringInput(goldenCase: goldenCase, answer: answer, latencyMilliseconds: latency, cost: cost)
        }
    }
}
