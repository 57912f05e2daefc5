import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

@Suite("SequentialPassRateGate")
struct SequentialPassRateGateTests {
    /// Tier 3 of the shipped policy: ≥ 95% on the 95% Wilson lower bound, 200 cases.
    let tier3 = SequentialPassRateGate(threshold: 0.95, horizon: 200, confidence: 0.95, requireLowerBound: true)
    /// Tier 2: ≥ 90% point estimate, 100 cases.
    let tier2 = SequentialPassRateGate(threshold: 0.90, horizon: 100, confidence: 0.95, requireLowerBound: false)

    static func standardError(_ p: Double, _ runs: Int) -> Double { (p * (1 - p) / Double(runs)).squareRoot() }

    /// The published yardsticks: every tier's grid holds its clear pass (θ + 3 points) and clear
    /// fail (θ − 5 points), the table prints the calls saved there, and on a 1,000-case dataset the
    /// shipped tier 3 saves more than half the calls on both (docs/operating-characteristic.md).
    @Test func clearPassesAndFailsAreOnTheGridAndTier3SavesHalfAt1000Cases() throws {
        let policy = try TierPolicyLoader.load(path: RepositoryPaths.path("pipelines/tiers.yaml"), displayPath: "tiers.yaml")
        let tiers = OperatingCharacteristicReport.sequentialCharacteristics(policy: policy, replications: 600, seed: 1, cases: 1000)
        let tier3 = try #require(tiers.first { $0.level == 3 })
        for tier in tiers {
            let rates = tier.points.map(\.trueRate)
            #expect(rates.contains { abs($0 - (tier.minPassRate + 0.03)) < 1e-9 }, "tier \(tier.level): \(rates)")
            #expect(rates.contains { abs($0 - (tier.minPassRate - 0.05)) < 1e-9 }, "tier \(tier.level): \(rates)")
        }
        func saved(_ rate: Double) throws -> Double {
            let point = try #require(tier3.points.first { abs($0.trueRate - rate) < 1e-9 })
            return 1 - point.sequential.meanCases / Double(tier3.cases)
        }
        #expect(try saved(0.98) > 0.55, "clear pass")
        #expect(try saved(0.90) > 0.7, "clear fail")
        let text = OperatingCharacteristicReport.renderSequential(policy: policy, replications: 200, seed: 1, cases: 300)
        #expect(text.components(separatedBy: "calls saved: ").count == 4, "one line per tier")
    }

    @Test func lowerBoundTierUsesTheOneSidedLevelOfItsTwoSidedInterval() throws {
        let test = try #require(tier3.test)
        #expect(StatsCheck.close(test.passAlpha, 0.025, within: 1e-12))
        #expect(StatsCheck.close(test.failAlpha, 0.05, within: 1e-12))
        let point = try #require(tier2.test)
        #expect(StatsCheck.close(point.passAlpha, 0.05, within: 1e-12))
    }

    @Test func decidesOnlyAcrossABoundary() {
        // 60 of 60: clears 95% by the point estimate, but the anytime-valid bound needs more.
        #expect(tier3.decide(passed: 60, trials: 60) == nil)
        // 100 of 100 crosses the pass boundary (scipy reference in SequentialPassRateTestTests).
        #expect(tier3.decide(passed: 100, trials: 100) == .init(outcome: .pass, boundary: .pass))
        // 51 of 60 proves the rate below 95%.
        #expect(tier3.decide(passed: 51, trials: 60) == .init(outcome: .fail, boundary: .fail))
        #expect(tier3.decide(passed: 15, trials: 20) == .init(outcome: .fail, boundary: .fail))
        // 11 failures among 200 planned: even 189 passes cannot reach 95%.
        #expect(tier3.decide(passed: 9, trials: 20) == .init(outcome: .fail, boundary: .certainFail))
        #expect(tier3.decide(passed: 0, trials: 11) == .init(outcome: .fail, boundary: .certainFail))
    }

    @Test func pointEstimateTierPassesOnceItCannotFail() {
        // 90 passes of 100 planned: the end-of-run point estimate is at least 90% whatever follows.
        #expect(tier2.decide(passed: 90, trials: 95) == .init(outcome: .pass, boundary: .certainPass))
        // A lower-bound tier never passes on that certainty: its bound is the test's.
        let lowerBound = SequentialPassRateGate(threshold: 0.90, horizon: 100, confidence: 0.95, requireLowerBound: true)
        #expect(lowerBound.decide(passed: 90, trials: 95) == nil)
    }

    @Test func endOfRunRuleKeepsTheTierMeaning() {
        // Undecided at the end: a point-estimate tier applies its fixed rule…
        #expect(tier2.finalDecision(passed: 89, trials: 99) == .init(outcome: .fail, boundary: .end))
        #expect(tier2.finalDecision(passed: 92, trials: 100).outcome == .pass)
        // …a lower-bound tier is inconclusive where the fixed Wilson rule might have passed,
        // and fails where the point estimate is below the bar.
        #expect(tier3.finalDecision(passed: 193, trials: 200) == .init(outcome: .inconclusive, boundary: .end))
        let shortRun = SequentialPassRateGate(threshold: 0.95, horizon: 40, confidence: 0.95, requireLowerBound: true)
        #expect(shortRun.finalDecision(passed: 37, trials: 39).outcome == .fail)
        #expect(tier3.finalDecision(passed: 0, trials: 0).outcome == .inconclusive)
    }

    @Test func boundaryTableAgreesWithDecide() {
        let (pass, fail) = tier3.boundaries()
        for n in stride(from: 1, through: 200, by: 7) {
            for passed in 0...n {
                let decision = tier3.decide(passed: passed, trials: n)?.outcome
                #expect((decision == .pass) == (passed >= pass[n]), "n=\(n) passed=\(passed)")
                #expect((decision == .fail) == (passed <= fail[n]), "n=\(n) passed=\(passed)")
            }
        }
    }

    /// The error-rate check: an agent exactly at a lower-bound tier's bar passes the
    /// sequential gate at most α = 2.5% of the time (plus simulation error, 20,000 runs).
    @Test func lowerBoundTierPassesAnAgentAtTheBarAtMostAlpha() {
        let runs = 20_000
        let atBar = SequentialOperatingCharacteristic.simulate(tier3, trueRate: 0.95, replications: runs, seed: 5)
        #expect(atBar.passProbability <= 0.025 + 3 * Self.standardError(0.025, runs))
        // The fail side: the test's fail boundary adds at most α = 5% to the fixed gate's chance of
        // failing a good agent (3 points above the bar); the rest is the tier's own point-estimate rule.
        let good = SequentialOperatingCharacteristic.simulate(tier3, trueRate: 0.98, replications: runs, seed: 6)
        let fixedFail = BinomialDistribution(trials: 200, probability: 0.98).probability(atMost: 189)
        #expect(good.failProbability <= fixedFail + 0.05 + 3 * Self.standardError(fixedFail + 0.05, runs))
    }

    /// A point-estimate tier keeps its fixed gate's error rates (within the test's α): a clearly bad
    /// agent passes, and a clearly good one fails, no more often than the fixed-n gate lets them.
    @Test func pointEstimateTierKeepsTheFixedGatesErrorRates() {
        let runs = 20_000
        let bad = SequentialOperatingCharacteristic.simulate(tier2, trueRate: 0.85, replications: runs, seed: 8)
        let fixedBadPass = OperatingCharacteristic.probabilityOfPassing(
            trueRate: 0.85, n: 100, threshold: 0.9, confidence: 0.95, requireLowerBound: false)
        #expect(bad.passProbability <= fixedBadPass + 3 * Self.standardError(fixedBadPass, runs))
        let good = SequentialOperatingCharacteristic.simulate(tier2, trueRate: 0.95, replications: runs, seed: 9)
        let fixedGoodFail = BinomialDistribution(trials: 100, probability: 0.95).probability(atMost: 89)
        #expect(good.failProbability <= fixedGoodFail + 0.05 + 3 * Self.standardError(fixedGoodFail + 0.05, runs))
    }

    /// The point of the gate: clear cases are decided with fewer cases than the fixed run.
    @Test func clearCasesStopEarly() {
        let clearFail = SequentialOperatingCharacteristic.simulate(tier3, trueRate: 0.85, replications: 5_000, seed: 10)
        #expect(clearFail.failProbability > 0.99)
        #expect(clearFail.meanCases < 100)
        let perfect = SequentialOperatingCharacteristic.simulate(tier3, trueRate: 1.0, replications: 100, seed: 11)
        #expect(perfect.passProbability == 1)
        #expect(perfect.meanCases < 200)
        #expect(perfect.earlyStopProbability == 1)
    }

    @Test func simulationIsReproducible() {
        let first = SequentialOperingCharacteristicSeeds.run(tier2)
        let second = SequentialOperingCharacteristicSeeds.run(tier2)
        #expect(first == second)
    }
}

private enum SequentialOperingCharacteristicSeeds {
    static func run(_ gate: SequentialPassRateGate) -> SequentialOperatingCharacteristic.Point {
        SequentialOperatingCharacteristic.simulate(gate, trueRate: 0.92, replications: 1_000, seed: 42)
    }
}
