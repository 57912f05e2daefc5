import Foundation
import Testing

@testable import EvalGateKit

@Suite("SequentialMonitor")
struct SequentialMonitorTests {
    static let tier3Like = TierThresholds(minPassRate: 0.95, minCases: 200, confidence: 0.95, requireLowerBound: true)

    static func result(_ index: Int, _ status: CaseResult.Status, tags: [String] = [], critical: Bool = false) -> CaseResult {
        CaseResult(
            index: index, id: "c\(index)", dataset: "d.jsonl", tags: tags, critical: critical, cluster: nil, input: .text("q"), expected: nil,
            answer: status == .error ? nil : AgentAnswer(text: "a"), scores: [], score: status == .passed ? 1 : 0, status: status,
            error: status == .error ? AgentError(.serverError, "HTTP 503") : nil, attempts: 1, latencyMilliseconds: 100, usage: nil, cost: nil,
            location: "d.jsonl:\(index + 1)")
    }

    static func monitor(_ thresholds: TierThresholds = tier3Like, priority: Int = 0, holds: Bool = false) -> SequentialMonitor {
        SequentialMonitor(
            thresholds: thresholds, tierLabel: "tier 9 (test)", plannedCases: 200, plannedTagCases: [:], priorityCases: priority,
            holdsForRegression: holds, seed: 1)
    }

    /// Feeds `statuses` in order; returns the case count at which the monitor first said stop, and why.
    static func feed(_ monitor: inout SequentialMonitor, _ statuses: [CaseResult.Status], critical: Set<Int> = []) -> (Int, SequentialStop)? {
        var accumulator = RunAccumulator(confidence: 0.95)
        for (index, status) in statuses.enumerated() {
            let result = Self.result(index, status, critical: critical.contains(index))
            accumulator.add(result)
            monitor.add(result)
            if let stop = monitor.stop(accumulator) { return (index + 1, stop) }
        }
        return nil
    }

    @Test func aPerfectRunStopsWhereThePassBoundaryIsCrossed() throws {
        var monitor = Self.monitor()
        let stopped = try #require(Self.feed(&monitor, Array(repeating: .passed, count: 200)))
        // 87 of 87 is the first all-pass count that crosses the tier-3 boundary (scipy: see SequentialPassRateTestTests).
        #expect(stopped.0 == 87 && stopped.1 == .allGatesPassed)
        let evidence = monitor.evidence(stop: stopped.1)
        #expect(evidence.agentCallsSaved == 113 && evidence.crossings.map(\.gate) == ["pass-rate"])

        // The decision over those 87 cases: the pass-rate gate passes, min-cases counts the selection,
        // and the early stop is not a partial run.
        let fixture = RunFixture.uniform(passed: 87, cost: nil)
        let summary = fixture.accumulator.summary(currency: nil)
        let report = GateEvaluator(thresholds: Self.tier3Like, tierLabel: "tier 9 (test)").evaluate(
            GateEvaluator.Input(
                summary: summary, outcomes: fixture.accumulator.outcomes, selectedCases: 200, missingCases: 113, stopReason: nil, baseline: nil,
                baselineUnavailable: nil, sequential: evidence))
        #expect(report.verdict == .pass, "\(report.gates.map { "\($0.name): \($0.outcome) \($0.sentence)" })")
        #expect(!report.gates.contains { $0.name == "completeness" })
        #expect(report.gates.first { $0.name == "min-cases" }?.measured == "200 selected (sequential)")
    }

    @Test func aBudgetStopIsStillAPartialRun() {
        var monitor = Self.monitor()
        _ = Self.feed(&monitor, Array(repeating: .passed, count: 50))
        let fixture = RunFixture.uniform(passed: 50, cost: nil)
        let report = GateEvaluator(thresholds: Self.tier3Like, tierLabel: "tier 9 (test)").evaluate(
            GateEvaluator.Input(
                summary: fixture.accumulator.summary(currency: nil), outcomes: fixture.accumulator.outcomes, selectedCases: 200, missingCases: 150,
                stopReason: .maxCost, baseline: nil, baselineUnavailable: nil, sequential: monitor.evidence(stop: nil)))
        #expect(report.gates.first { $0.name == "completeness" }?.outcome == .inconclusive)
        #expect(report.gates.first { $0.name == "pass-rate" }?.outcome == .inconclusive)
        #expect(report.verdict == .inconclusive)
    }

    @Test func aFailingCriticalCaseStopsAtOnce() throws {
        var monitor = Self.monitor(priority: 3)
        let stopped = try #require(Self.feed(&monitor, [.passed, .failed, .passed, .passed], critical: [0, 1, 2]))
        #expect(stopped.0 == 2 && stopped.1 == .criticalFailure)
    }

    @Test func aClearlyBadAgentStopsForTheFailBoundary() throws {
        var monitor = Self.monitor()
        let statuses: [CaseResult.Status] = (0..<200).map { $0 % 5 == 0 ? .failed : .passed }  // 80%
        let stopped = try #require(Self.feed(&monitor, statuses))
        #expect(stopped.1 == .gateFailed && stopped.0 < 100)
        #expect(monitor.crossings.first?.outcome == .fail)
    }

    @Test func aRegressionGateHoldsThePassButNotTheFail() {
        var passing = Self.monitor(holds: true)
        #expect(Self.feed(&passing, Array(repeating: .passed, count: 200)) == nil)
        var failing = Self.monitor(holds: true)
        #expect(Self.feed(&failing, (0..<200).map { $0 % 5 == 0 ? .failed : .passed })?.1 == .gateFailed)
    }

    @Test func errorsKeepPriorityCasesOpen() {
        // A critical case with no answer is not a pass: the run cannot stop to pass.
        var monitor = Self.monitor(priority: 1)
        #expect(Self.feed(&monitor, [.error] + Array(repeating: .passed, count: 199), critical: [0]) == nil)
    }
}
