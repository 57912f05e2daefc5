import Foundation
import Testing

@testable import EvalGateKit

/// pass^k and pass@k: the estimators, their summary over conversation cases, and the tier gate.
@Suite("pass^k")
struct PassHatKTests {
    @Test(arguments: [
        // (successes, trials, k, pass^k, pass@k)
        (3, 3, 3, 1.0, 1.0), (2, 3, 3, 0.0, 1.0), (0, 3, 3, 0.0, 0.0), (4, 5, 3, 0.4, 1.0), (1, 5, 1, 0.2, 0.2), (3, 5, 2, 0.3, 0.9),
        (9, 10, 3, 0.7, 1.0),
    ])
    func estimatorsMatchTheCombinatorialFormulas(successes: Int, trials: Int, k: Int, hat: Double, at: Double) throws {
        // C(4,3)/C(5,3) = 4/10; C(3,2)/C(5,2) = 3/10; 1 − C(2,2)/C(5,2) = 0.9; C(9,3)/C(10,3) = 84/120.
        #expect(abs(try #require(PassHatK.passHatK(successes: successes, trials: trials, k: k)) - hat) < 1e-12)
        #expect(abs(try #require(PassHatK.passAtK(successes: successes, trials: trials, k: k)) - at) < 1e-12)
    }

    @Test func fewerTrialsThanKGiveNoEstimate() {
        #expect(PassHatK.passHatK(successes: 2, trials: 2, k: 3) == nil)
        #expect(PassHatK.passAtK(successes: 0, trials: 0, k: 1) == nil)
    }

    @Test func theSummaryCountsUnmeasuredCasesAndBracketsTheMean() {
        let counts = [(3, 3, 0), (3, 3, 0), (2, 3, 0), (3, 3, 0), (1, 2, 0), (2, 3, 1)].map { (successes: $0.0, trials: $0.1, errors: $0.2) }
        let summary = TrialsSummary.make(counts, k: 3, confidence: 0.95)
        #expect(summary.cases == 4)
        #expect(summary.unmeasured == 2, "two trials only, and a trial that errored")
        #expect(summary.passHatK.estimate == 0.75)
        #expect(summary.passAtK.estimate == 1)
        #expect(summary.passHatK.lower <= 0.75 && summary.passHatK.upper >= 0.75)
        #expect(summary.passHatK.lower < summary.passHatK.upper)
    }

    static func conversationCase(_ index: Int, passes: [Bool], error: Bool = false) -> CaseResult {
        CaseResult(
            index: index, id: "s\(index)", dataset: "d.jsonl", tags: [], critical: false, cluster: nil,
            conversation: ConversationRecord(turns: [.user("hi")], end: .userDone), input: .text("hi"), expected: nil, answer: AgentAnswer(text: "a"),
            scores: [], score: 0, status: error ? .error : (passes.allSatisfy { $0 } ? .passed : .failed),
            error: error ? AgentError(.simulatorFailed, "x") : nil,
            attempts: 1, latencyMilliseconds: 1, usage: nil, cost: nil,
            repeats: passes.enumerated().map { position, passed in
                RepeatOutcome(
                    passed: passed, score: passed ? 1 : 0, error: error && position == 0 ? "simulator-failed: x" : nil, latencyMilliseconds: 1)
            }, location: "d.jsonl:\(index + 1)")
    }

    static func gate(_ cases: [CaseResult], threshold: PassHatKThreshold = PassHatKThreshold(k: 3, rate: 0.9)) -> GateResult? {
        var accumulator = RunAccumulator(confidence: 0.95)
        accumulator.passHatK = threshold.k
        for result in cases { accumulator.add(result) }
        let summary = accumulator.summary(currency: nil)
        let input = GateEvaluator.Input(
            summary: summary, outcomes: accumulator.outcomes, selectedCases: summary.total, missingCases: 0, stopReason: nil, baseline: nil,
            baselineUnavailable: nil)
        return GateEvaluator(thresholds: TierThresholds(minPassHatK: threshold), tierLabel: "tier 3").evaluate(input).gates.first {
            $0.name == "pass-hat-k"
        }
    }

    @Test func theGatePassesFailsAndIsInconclusiveLikeTheOthers() throws {
        let reliable = (0..<10).map { Self.conversationCase($0, passes: [true, true, true]) }
        #expect(Self.gate(reliable)?.outcome == .pass)
        let flaky = (0..<10).map { Self.conversationCase($0, passes: $0 < 8 ? [true, true, true] : [true, false, true]) }
        let failing = try #require(Self.gate(flaky))
        #expect(failing.outcome == .fail, "8 of 10 cases reliable: pass^3 80% < 90%")
        #expect(failing.measured.hasPrefix("80.0%"))
        let tooFew = (0..<10).map { Self.conversationCase($0, passes: [true]) }
        #expect(Self.gate(tooFew)?.outcome == .inconclusive, "one trial says nothing about three")
        let errored = reliable + [Self.conversationCase(10, passes: [false, true, true], error: true)]
        #expect(Self.gate(errored)?.outcome == .inconclusive, "an errored trial is missing data, never a pass")
        let single = [
            CaseResult(
                index: 0, id: "plain", dataset: "d", tags: [], critical: false, cluster: nil, input: .text("q"), expected: nil, answer: nil,
                scores: [], score: 1, status: .passed, error: nil, attempts: 1, latencyMilliseconds: 1, usage: nil, cost: nil, location: "d:1")
        ]
        #expect(Self.gate(single) == nil, "a run without conversations has no pass^k gate")
    }

    @Test func loosteningPassHatKNeedsAnException() {
        let tier = TierThresholds(minPassHatK: PassHatKThreshold(k: 3, rate: 0.9))
        let looser = tier.loosenings(by: TierThresholds(minPassHatK: PassHatKThreshold(k: 2, rate: 0.8))).map(\.key)
        #expect(looser == ["min_pass_hat_k.k", "min_pass_hat_k.rate"])
        #expect(tier.loosenings(by: TierThresholds(minPassHatK: PassHatKThreshold(k: 5, rate: 0.95))).isEmpty)
    }

    @Test func theShippedPolicyGatesTierThreeOnPassHatThree() throws {
        let policy = TierPolicyLoader.builtIn()
        let tier = try #require(policy.tiers[3])
        #expect(tier.thresholds.minPassHatK == PassHatKThreshold(k: 3, rate: 0.9))
        #expect(policy.tiers.filter { $0.key != 3 }.allSatisfy { $0.value.thresholds.minPassHatK == nil })
    }
}
