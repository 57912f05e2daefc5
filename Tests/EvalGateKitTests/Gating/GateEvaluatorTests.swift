import Foundation
import Testing

@testable import EvalGateKit

/// Builds summaries and outcomes the way the runner would, from a list of case statuses.
struct RunFixture {
    typealias Case = (id: String, status: CaseResult.Status, tags: [String], critical: Bool, latency: Double, cost: Double?)
    var accumulator: RunAccumulator

    init(confidence: Double = 0.95, cases: [Case]) {
        accumulator = RunAccumulator(confidence: confidence)
        for (index, item) in cases.enumerated() {
            accumulator.add(
                CaseResult(
                    index: index, id: item.id, dataset: "d.jsonl", tags: item.tags, critical: item.critical, cluster: nil, input: .text("q"),
                    expected: nil,
                    answer: item.status == .error ? nil : AgentAnswer(text: "a"), scores: [], score: item.status == .passed ? 1 : 0,
                    status: item.status,
                    error: item.status == .error ? AgentError(.serverError, "HTTP 503") : nil, attempts: 1, latencyMilliseconds: item.latency,
                    usage: nil, cost: item.cost, location: "d.jsonl:\(index + 1)"))
        }
    }

    static func uniform(passed: Int, failed: Int = 0, errors: Int = 0, tags: [String] = [], latency: Double = 100, cost: Double? = 0.001)
        -> RunFixture
    {
        var cases: [(String, CaseResult.Status, [String], Bool, Double, Double?)] = []
        for index in 0..<passed { cases.append(("p\(index)", .passed, tags, false, latency, cost)) }
        for index in 0..<failed { cases.append(("f\(index)", .failed, tags, false, latency, cost)) }
        for index in 0..<errors { cases.append(("e\(index)", .error, tags, false, latency, nil)) }
        return RunFixture(cases: cases.map { (id: $0.0, status: $0.1, tags: $0.2, critical: $0.3, latency: $0.4, cost: $0.5) })
    }

    func input(missing: Int = 0, baseline: BaselineComparison? = nil, baselineUnavailable: String? = nil) -> GateEvaluator.Input {
        let summary = accumulator.summary(currency: "USD")
        return GateEvaluator.Input(
            summary: summary, outcomes: accumulator.outcomes, selectedCases: summary.total + missing, missingCases: missing,
            stopReason: missing > 0 ? .maxDuration : nil,
            baseline: baseline, baselineUnavailable: baselineUnavailable)
    }
}

@Suite("Gates")
struct GateEvaluatorTests {
    func evaluate(_ thresholds: TierThresholds, _ input: GateEvaluator.Input) -> GateReport {
        GateEvaluator(thresholds: thresholds, tierLabel: "tier 9 (test)").evaluate(input)
    }

    func gate(_ report: GateReport, _ name: String) -> GateResult? { report.gates.first { $0.name == name } }

    @Test func passRatePassesAndFailsOnThePointEstimate() {
        let thresholds = TierThresholds(minPassRate: 0.9)
        let passing = evaluate(thresholds, RunFixture.uniform(passed: 95, failed: 5).input())
        #expect(gate(passing, "pass-rate")?.outcome == .pass)
        #expect(passing.verdict == .pass)
        let failing = evaluate(thresholds, RunFixture.uniform(passed: 85, failed: 15).input())
        #expect(gate(failing, "pass-rate")?.outcome == .fail)
        #expect(gate(failing, "pass-rate")?.sentence == "The overall pass rate 85.0% is below 90.0%.")
        #expect(failing.verdict == .fail)
    }

    @Test func lowerBoundRequirementMakesSmallRunsInconclusive() throws {
        let thresholds = TierThresholds(minPassRate: 0.9, confidence: 0.95, requireLowerBound: true)
        let small = evaluate(thresholds, RunFixture.uniform(passed: 19, failed: 1).input())
        let result = try #require(gate(small, "pass-rate"))
        #expect(result.outcome == .inconclusive)
        #expect(result.sentence.contains("lower bound"))
        #expect(result.sentence.contains("cases at this pass rate would settle it"))
        let large = evaluate(thresholds, RunFixture.uniform(passed: 990, failed: 10).input())
        #expect(gate(large, "pass-rate")?.outcome == .pass)
    }

    @Test func errorRateOverLimitIsInconclusiveNeverPass() {
        let thresholds = TierThresholds(minPassRate: 0.9, maxErrorRate: 0.05)
        let report = evaluate(thresholds, RunFixture.uniform(passed: 80, errors: 20).input())
        #expect(gate(report, "error-rate")?.outcome == .inconclusive)
        #expect(gate(report, "error-rate")?.sentence.contains("server-error 20") == true)
        #expect(gate(report, "pass-rate")?.outcome == .pass)
        #expect(report.verdict == .inconclusive)
    }

    @Test func tooFewCasesAndPartialRunsAreInconclusive() {
        let thresholds = TierThresholds(minPassRate: 0.5, minCases: 50)
        let few = evaluate(thresholds, RunFixture.uniform(passed: 10).input())
        #expect(gate(few, "min-cases")?.outcome == .inconclusive)
        #expect(few.verdict == .inconclusive)
        let partial = evaluate(TierThresholds(minPassRate: 0.5), RunFixture.uniform(passed: 60).input(missing: 40))
        #expect(gate(partial, "completeness")?.outcome == .inconclusive)
        #expect(gate(partial, "completeness")?.sentence.contains("stopped: max-duration") == true)
        #expect(partial.verdict == .inconclusive)
    }

    @Test func noCasesAtAllIsNeverAPass() {
        let report = evaluate(TierThresholds(minPassRate: 0.5, maxErrorRate: 0.1), RunFixture(cases: []).input())
        #expect(report.verdict == .inconclusive)
        #expect(report.gates.allSatisfy { $0.outcome != .pass })
    }

    @Test func mustPassTagsAndCriticalCases() {
        let cases: [RunFixture.Case] = [
            ("inj-1", .passed, ["prompt-injection"], false, 10, 0.01), ("inj-2", .failed, ["prompt-injection"], false, 10, 0.01),
            ("crit-1", .error, ["core"], true, 10, nil), ("core-1", .passed, ["core"], false, 10, 0.01),
        ]
        let fixture = RunFixture(cases: cases)
        let report = evaluate(TierThresholds(mustPassTags: ["prompt-injection", "policy-boundary"]), fixture.input())
        #expect(gate(report, "must-pass:prompt-injection")?.outcome == .fail)
        #expect(gate(report, "must-pass:prompt-injection")?.sentence == "1 'prompt-injection' cases failed: inj-2.")
        #expect(gate(report, "must-pass:policy-boundary")?.outcome == .inconclusive)
        #expect(gate(report, "critical-cases")?.outcome == .inconclusive)
        #expect(report.verdict == .fail)
    }

    @Test func tagPassRates() {
        let fixture = RunFixture(
            cases: (0..<10).map { (id: "b\($0)", status: $0 < 6 ? .passed : .failed, tags: ["billing"], critical: false, latency: 10, cost: 0.01) })
        let report = evaluate(TierThresholds(minTagPassRate: 0.5, tagPassRates: ["billing": 0.8]), fixture.input())
        #expect(gate(report, "tag-pass-rate:billing")?.outcome == .fail)
        #expect(gate(report, "tag-pass-rate:billing")?.thresholdValue == 0.8)
    }

    @Test func latencyAndCost() {
        let slow = RunFixture.uniform(passed: 100, latency: 3000, cost: 0.2)
        let report = evaluate(TierThresholds(maxLatencyP95: 2000, maxCostPerCase: 0.1), slow.input())
        #expect(gate(report, "latency-p95")?.outcome == .fail)
        #expect(gate(report, "latency-p95")?.measured == "3.00 s")
        #expect(gate(report, "cost-per-case")?.outcome == .fail)
        let unknownCost = evaluate(TierThresholds(maxCostPerCase: 0.1), RunFixture.uniform(passed: 10, cost: nil).input())
        #expect(gate(unknownCost, "cost-per-case")?.outcome == .inconclusive)
    }

    @Test func coverage() {
        let report = evaluate(TierThresholds(coverage: ["edge-case": 5]), RunFixture.uniform(passed: 3, tags: ["edge-case"]).input())
        #expect(gate(report, "coverage:edge-case")?.outcome == .inconclusive)
        #expect(gate(report, "coverage:edge-case")?.sentence == "Only 3 answered 'edge-case' cases; tier 9 (test) needs 5.")
    }

    @Test func regressionGateFollowsNonInferiority() {
        let baseline = (0..<200).map { CaseOutcome(id: "c\($0)", status: .passed, score: 1, cluster: nil) }
        let same = BaselineComparator.compare(
            candidate: baseline, baseline: baseline, baselineRunID: "b", baselineVersion: "1.0", margin: 0.02, confidence: 0.95)
        #expect(same.outcome == .pass)
        let worse = baseline.enumerated().map { index, outcome in
            index < 20 ? CaseOutcome(id: outcome.id, status: .failed, score: 0, cluster: nil) : outcome
        }
        let regressed = BaselineComparator.compare(
            candidate: worse, baseline: baseline, baselineRunID: "b", baselineVersion: "1.0", margin: 0.02, confidence: 0.95)
        #expect(regressed.outcome == .fail)
        #expect(regressed.regressedCases.count == 20)
        #expect(regressed.mcnemar.pValueTwoSided < 0.001)
        let report = evaluate(TierThresholds(maxRegression: 0.02), RunFixture.uniform(passed: 10).input(baseline: regressed))
        #expect(gate(report, "regression")?.outcome == .fail)
        #expect(gate(report, "regression")?.sentence.hasPrefix("Regressed against version 1.0: 20 cases") == true)
        let slightly = baseline.enumerated().map { index, outcome in
            index < 3 ? CaseOutcome(id: outcome.id, status: .failed, score: 0, cluster: nil) : outcome
        }
        let noisy = BaselineComparator.compare(
            candidate: slightly, baseline: baseline, baselineRunID: "b", baselineVersion: "1.0", margin: 0.02, confidence: 0.95)
        #expect(noisy.outcome == .inconclusive)
    }

    @Test func missingBaselineWhereRequiredIsInconclusive() {
        let report = evaluate(
            TierThresholds(maxRegression: 0.02, requireBaseline: true),
            RunFixture.uniform(passed: 10).input(baselineUnavailable: "no version is known-good yet"))
        #expect(gate(report, "regression")?.outcome == .inconclusive)
        #expect(gate(report, "regression")?.sentence.contains("no version is known-good yet") == true)
        let optional = evaluate(TierThresholds(maxRegression: 0.02), RunFixture.uniform(passed: 10).input())
        #expect(gate(optional, "regression") == nil)
    }

    @Test func casesNeededIsConsistentWithWilson() throws {
        let needed = try #require(GateEvaluator.casesNeeded(rate: 0.99, minimum: 0.95, confidence: 0.95))
        #expect(WilsonInterval.compute(successes: Int(0.99 * Double(needed)), trials: needed, confidence: 0.95).lower >= 0.95)
        #expect(GateEvaluator.casesNeeded(rate: 0.9, minimum: 0.95, confidence: 0.95) == nil)
    }
}
