import Foundation
import Testing

@testable import EvalGateKit

/// p-values in gate text read as a relation: `p<0.001`, never `p=<0.001`.
@Suite("p-value text")
struct PValueTextTests {
    @Test(arguments: [
        (0.0004, "p<0.001", "p < 0.001"), (0.0, "p<0.001", "p < 0.001"), (0.001, "p=0.001", "p = 0.001"), (0.03, "p=0.030", "p = 0.030"),
        (1.0, "p=1.000", "p = 1.000"),
    ])
    func clause(value: Double, compact: String, spaced: String) {
        #expect(Format.pValueClause(value) == compact)
        #expect(Format.pValueClause(value, spaced: true) == spaced)
    }

    @Test func regressionGateSaysPBelowAThousandth() {
        let baseline = (0..<200).map { CaseOutcome(id: "c\($0)", status: .passed, score: 1, cluster: nil) }
        let worse = baseline.enumerated().map { index, outcome in
            index < 20 ? CaseOutcome(id: outcome.id, status: .failed, score: 0, cluster: nil) : outcome
        }
        let regressed = BaselineComparator.compare(
            candidate: worse, baseline: baseline, baselineRunID: "b", baselineVersion: "1.0", margin: 0.02, confidence: 0.95)
        #expect(regressed.mcnemar.pValueTwoSided < 0.001)
        let gate = GateEvaluator(thresholds: TierThresholds(maxRegression: 0.02), tierLabel: "tier 9 (test)").regressionGate(regressed).measured
        #expect(gate.hasSuffix("200 paired; McNemar p<0.001)"), "\(gate)")
        #expect(!gate.contains("p=<"))

        let slightly = baseline.enumerated().map { index, outcome in
            index < 3 ? CaseOutcome(id: outcome.id, status: .failed, score: 0, cluster: nil) : outcome
        }
        let noisy = BaselineComparator.compare(
            candidate: slightly, baseline: baseline, baselineRunID: "b", baselineVersion: "1.0", margin: 0.02, confidence: 0.95)
        let noisyGate = GateEvaluator(thresholds: TierThresholds(maxRegression: 0.02), tierLabel: "tier 9 (test)").regressionGate(noisy).measured
        #expect(noisyGate.hasSuffix("McNemar p=\(Format.pValue(noisy.mcnemar.pValueTwoSided)))"), "\(noisyGate)")
        #expect(noisy.mcnemar.pValueTwoSided >= 0.001)
    }
}
