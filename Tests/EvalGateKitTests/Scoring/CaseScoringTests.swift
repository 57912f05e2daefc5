import Testing

@testable import EvalGateKit

@Suite("Case scoring")
struct CaseScoringTests {
    static func result(_ score: Double, _ passed: Bool, weight: Double = 1) -> ScoreResult {
        ScoreResult(scorer: "s", score: score, passed: passed, reason: "r", weight: weight)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var results: [ScoreResult]
        var threshold: Double?
        var score: Double
        var passed: Bool
        var testDescription: String

        init(_ description: String, _ results: [ScoreResult], threshold: Double? = nil, score: Double, passed: Bool) {
            self.testDescription = description
            self.results = results
            self.threshold = threshold
            self.score = score
            self.passed = passed
        }
    }

    static let rows: [Row] = [
        Row("no results fail closed", [], score: 0, passed: false),
        Row("no results fail even with threshold 0", [], threshold: 0, score: 0, passed: false),
        Row("all pass", [result(1, true), result(1, true)], score: 1, passed: true),
        Row("one failing scorer fails the case", [result(1, true), result(0, false)], score: 0.5, passed: false),
        Row("weighted mean", [result(1, true, weight: 3), result(0, false, weight: 1)], score: 0.75, passed: false),
        Row("threshold reached", [result(1, true, weight: 3), result(0, false, weight: 1)], threshold: 0.75, score: 0.75, passed: true),
        Row("threshold missed", [result(1, true, weight: 3), result(0, false, weight: 1)], threshold: 0.8, score: 0.75, passed: false),
        Row("threshold overrides passed flags", [result(0.9, false)], threshold: 0.5, score: 0.9, passed: true),
        Row(
            "zero weight is reported but not counted", [result(1, true, weight: 1), result(0, false, weight: 0)], threshold: 1, score: 1, passed: true
        ),
        Row("zero weight still needs to pass without threshold", [result(1, true, weight: 1), result(0, false, weight: 0)], score: 1, passed: false),
        Row("all-zero weights use the plain mean", [result(1, true, weight: 0), result(0.5, true, weight: 0)], score: 0.75, passed: true),
        Row("negative weight counts as zero", [result(1, true, weight: -5), result(0.5, true, weight: 1)], score: 0.5, passed: true),
        Row("out-of-range and NaN scores are clamped", [result(7, true), result(.nan, true), result(-1, true)], score: 1.0 / 3.0, passed: true),
        Row(
            "floating noise does not miss the threshold", [result(0.1, true), result(0.2, true), result(0.4, true)], threshold: 0.7 / 3,
            score: 0.7 / 3, passed: true),
        Row("NaN threshold fails", [result(1, true)], threshold: .nan, score: 1, passed: false),
    ]

    @Test(arguments: rows)
    func combine(_ row: Row) {
        let combined = CaseScoring.combine(row.results, threshold: row.threshold)
        #expect(abs(combined.score - row.score) < 1e-9, "score \(combined.score)")
        #expect(combined.passed == row.passed)
    }

    @Test func resultCarriesTheSpecsNameWeightAndMetric() {
        let spec = ScorerSpec(type: "contains", negated: true, value: "x", weight: 2.5, metric: "safety")
        let result = CaseScoring.result(for: spec, outcome: ScoreOutcome(score: 1.2, passed: true, reason: "fine"))
        #expect(result == ScoreResult(scorer: "not-contains", score: 1, passed: true, reason: "fine", weight: 2.5, metric: "safety"))
    }

    @Test func endToEndFromSpecsToACaseVerdict() throws {
        let specs = [
            ScorerSpec(type: "contains", value: "refund", weight: 2),
            ScorerSpec(type: "contains", negated: true, value: "internal-only"),
            ScorerSpec(type: "levenshtein", value: "refund denied", threshold: 0.9),
        ]
        let input = ScoringFixtures.input("refund denied!")
        let results = try specs.map { spec in
            CaseScoring.result(for: spec, outcome: try ScorerRegistry.makeDeterministic(spec, expected: nil).evaluate(input))
        }
        #expect(results.map(\.passed) == [true, true, true])
        #expect(results[1].scorer == "not-contains")
        let combined = CaseScoring.combine(results, threshold: nil)
        #expect(combined.passed)
        #expect(abs(combined.score - (2 + 1 + 13.0 / 14.0) / 4) < 1e-9)
    }
}
