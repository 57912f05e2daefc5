/// One judge model's grade of one answer, before the panel's grades are combined.
public struct JudgeVerdict: Sendable, Equatable {
    public var model: String
    public var passed: Bool
    /// Between 0 and 1.
    public var score: Double
    /// The judge's own words (its reason, or its reasoning and choice).
    public var reason: String

    public init(model: String, passed: Bool, score: Double, reason: String) {
        self.model = model
        self.passed = passed
        self.score = score
        self.reason = reason
    }

    /// `judge-a: pass (score 0.9): mentions the 14-day window`.
    var summary: String {
        let text = TerminalText.sanitize(reason, limit: 240)
        return "\(model): \(passed ? "pass" : "fail") (score \(JSONValue.format(number: (score * 100).rounded() / 100)))"
            + (text.isEmpty ? "" : ": \(text)")
    }
}
