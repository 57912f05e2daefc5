import Foundation
import Testing

@testable import EvalGateKit

/// Issue 12: a measurement exactly at a threshold is at the threshold. Binary floating point made
/// 40 × 0.05 / 40 come out above 0.05 and 99.9% parse above 999 of 1000; these gates are exact now.
@Suite("Exact thresholds")
struct ExactThresholdTests {
    func evaluate(_ thresholds: TierThresholds, _ input: GateEvaluator.Input) -> GateReport {
        GateEvaluator(thresholds: thresholds, tierLabel: "tier 9 (test)").evaluate(input)
    }

    func gate(_ report: GateReport, _ name: String) -> GateResult? { report.gates.first { $0.name == name } }

    /// A tier whose thresholds are read from YAML text, the way a tiers file is.
    func tier(_ yaml: String) throws -> TierThresholds {
        let text = "version: 1\ntiers:\n  1:\n    name: test\n" + yaml.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        let node = try YAMLDocument.parse(Data(text.utf8), displayPath: "tiers.yaml", limits: .pipeline)
        let policy = try TierPolicyLoader.parse(node, displayPath: "tiers.yaml")
        return try #require(policy.tiers[1]).thresholds
    }

    @Test func fortyCasesAtExactlyTheCostLimitPass() throws {
        let thresholds = try tier("max_cost_per_case: 0.05")
        let report = evaluate(thresholds, RunFixture.uniform(passed: 40, cost: 0.05).input())
        let result = try #require(gate(report, "cost-per-case"))
        #expect(result.outcome == .pass)
        #expect(result.measured == "0.0500 USD")
        #expect(result.sentence == "Mean cost per case is within budget.")
    }

    @Test func aCentOverTheCostLimitFails() throws {
        let thresholds = try tier("max_cost_per_case: 0.05")
        var cases = (0..<40).map {
            (id: "c\($0)", status: CaseResult.Status.passed, tags: [String](), critical: false, latency: 100.0, cost: Double?(0.05))
        }
        cases.append((id: "c40", status: .passed, tags: [], critical: false, latency: 100, cost: 0.06))
        let result = try #require(gate(evaluate(thresholds, RunFixture(cases: cases).input()), "cost-per-case"))
        #expect(result.outcome == .fail)
    }

    /// Over by a trillionth of a unit in total: the gate fails, and the report shows enough digits
    /// that the measured figure is visibly above the limit instead of reading "0.0500 ≤ 0.0500".
    @Test func aHairOverTheCostLimitFailsAndSaysSoVisibly() throws {
        let thresholds = try tier("max_cost_per_case: 0.05")
        var cases = (0..<39).map {
            (id: "c\($0)", status: CaseResult.Status.passed, tags: [String](), critical: false, latency: 100.0, cost: Double?(0.05))
        }
        cases.append((id: "c39", status: .passed, tags: [], critical: false, latency: 100, cost: 0.050000000001))
        let result = try #require(gate(evaluate(thresholds, RunFixture(cases: cases).input()), "cost-per-case"))
        #expect(result.outcome == .fail)
        #expect(result.threshold != "≤ " + result.measured)
        #expect(!result.sentence.contains("0.0500 USD is over"))
        // 2.000000000001 over 40 is 0.050000000000025, rounded up to the pico-unit.
        #expect(result.measured == "0.050000000001 USD")
        #expect(result.sentence == "Mean cost per case 0.050000000001 USD is over the limit of 0.0500 USD.")
    }

    @Test(arguments: [
        ("min_pass_rate: 0.95", 57, 60, GateOutcome.pass), ("min_pass_rate: 0.95", 56, 60, .fail),
        ("min_pass_rate: 95%", 57, 60, .pass), ("min_pass_rate: 99.9%", 999, 1000, .pass), ("min_pass_rate: 99.9%", 998, 1000, .fail),
        ("min_pass_rate: 0.7", 7, 10, .pass), ("min_pass_rate: 0.3", 3, 10, .pass), ("min_pass_rate: 0.3", 2, 10, .fail),
    ])
    func passRateAtExactlyTheMinimumPasses(yaml: String, passed: Int, total: Int, expected: GateOutcome) throws {
        let thresholds = try tier(yaml)
        let result = try #require(gate(evaluate(thresholds, RunFixture.uniform(passed: passed, failed: total - passed).input()), "pass-rate"))
        #expect(result.outcome == expected)
    }

    @Test func tagPassRatesAreExactToo() throws {
        let thresholds = try tier("tag_pass_rates: {billing: 99.9%}")
        let cases = (0..<1000).map {
            (
                id: "c\($0)", status: $0 == 0 ? CaseResult.Status.failed : .passed, tags: ["billing"], critical: false, latency: 100.0,
                cost: Double?.none
            )
        }
        let result = try #require(gate(evaluate(thresholds, RunFixture(cases: cases).input()), "tag-pass-rate:billing"))
        #expect(result.outcome == .pass)
    }

    @Test(arguments: [
        ("max_error_rate: 5%", 3, GateOutcome.pass), ("max_error_rate: 5%", 4, .inconclusive),
        ("max_error_rate: 0.1%", 1, .pass), ("max_error_rate: 0.1%", 2, .inconclusive),
    ])
    func errorRateAtExactlyTheMaximumPasses(yaml: String, errors: Int, expected: GateOutcome) throws {
        let thresholds = try tier(yaml)
        // 60 cases for 5%; 1000 for 0.1%.
        let total = yaml.contains("0.1%") ? 1000 : 60
        let result = try #require(gate(evaluate(thresholds, RunFixture.uniform(passed: total - errors, errors: errors).input()), "error-rate"))
        #expect(result.outcome == expected)
    }

    /// 18,999 of 20,000 is 94.995%: "%.1f" printed it as 95.0%, "below 95.0%".
    @Test func aFailingRateReadsBelowItsThreshold() throws {
        let thresholds = try tier("min_pass_rate: 95%")
        let result = try #require(gate(evaluate(thresholds, RunFixture.uniform(passed: 18_999, failed: 1001).input()), "pass-rate"))
        #expect(result.outcome == .fail)
        #expect(result.sentence == "The overall pass rate 94.995% is below 95.0%.")
        #expect(result.measured.hasPrefix("94.995% ("))
        #expect(result.threshold == "≥ 95.0%")
    }

    @Test func thresholdsPrintEveryDecimalTheyHave() throws {
        let thresholds = try tier("min_pass_rate: 99.95%\nmax_cost_per_case: 0.00015")
        let report = evaluate(thresholds, RunFixture.uniform(passed: 10_000, cost: 0.00015).input())
        #expect(gate(report, "pass-rate")?.threshold == "≥ 99.95%")
        #expect(gate(report, "cost-per-case")?.threshold == "≤ 0.00015 USD")
        #expect(gate(report, "cost-per-case")?.measured == "0.00015 USD")
        #expect(gate(report, "cost-per-case")?.outcome == .pass)
    }

    @Test func anErrorRateOverTheLimitReadsOverIt() throws {
        let thresholds = try tier("max_error_rate: 5%")
        // 1,001 of 20,000 is 5.005%, which "%.1f" shows as 5.0%; two places (half away from zero) read above 5.00%.
        let result = try #require(gate(evaluate(thresholds, RunFixture.uniform(passed: 18_999, errors: 1001).input()), "error-rate"))
        #expect(result.outcome == .inconclusive)
        #expect(result.measured == "5.01% (1001 of 20000)")
    }

    @Test func thresholdsWithMoreDecimalsThanAreHeldAreAnError() throws {
        #expect(throws: InvalidInputError.self) { try tier("max_cost_per_case: 0.0000000000001") }
        #expect(throws: InvalidInputError.self) { try tier("min_pass_rate: 0.9999999999999") }
        #expect(throws: InvalidInputError.self) { try tier("min_pass_rate: 1.5") }
        #expect(try tier("min_pass_rate: 0.999999999999").minPassRate == Rate(exactly: "0.999999999999"))
    }

    @Test func aPipelineMayNotLoosenAnExactLimitByAHair() throws {
        let tierThresholds = try tier("max_cost_per_case: 0.05\nmin_pass_rate: 0.95")
        let overrides = TierThresholds(minPassRate: Rate(exactly: "0.949999999999"), maxCostPerCase: Money(exactly: "0.050000000001"))
        #expect(
            tierThresholds.loosenings(by: overrides).map(\.description) == [
                "'min_pass_rate' 0.949999999999 is looser than the tier's 0.95", "'max_cost_per_case' 0.050000000001 is looser than the tier's 0.05",
            ])
    }

    /// A cost that is not an amount makes the run's cost unknown (inconclusive), never a smaller total.
    @Test func aCostThatIsNotAnAmountMakesTheCostUnknown() throws {
        var cases = (0..<9).map {
            (id: "c\($0)", status: CaseResult.Status.passed, tags: [String](), critical: false, latency: 100.0, cost: Double?(0.05))
        }
        cases.append((id: "c9", status: .passed, tags: [], critical: false, latency: 100, cost: .nan))
        let fixture = RunFixture(cases: cases)
        #expect(fixture.accumulator.summary(currency: "USD").totalCost == nil)
        let result = try #require(gate(evaluate(TierThresholds(maxCostPerCase: 0.05), fixture.input()), "cost-per-case"))
        #expect(result.outcome == .inconclusive)
    }
}
