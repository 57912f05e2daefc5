import Testing

@testable import EvalGateKit

@Suite("NonInferiority")
struct NonInferiorityTests {
    // Margin 0.02: pass when lower > −0.02, fail when upper < −0.02, else inconclusive
    // (the ICH E9 / Piaggio et al. 2012 CONSORT non-inferiority reading of a CI).
    @Test(arguments: [
        (-0.01, 0.03, NonInferiority.Outcome.pass),
        (0.01, 0.05, .pass),
        (-0.05, 0.01, .inconclusive),
        (-0.05, -0.019, .inconclusive),
        (-0.08, -0.03, .fail),
        (-0.02, 0.01, .inconclusive),  // touching −margin is not enough to pass
        (-0.05, -0.02, .inconclusive),  // nor to fail
    ])
    func judgesIntervalsAgainstMargin(lower: Double, upper: Double, expected: NonInferiority.Outcome) {
        #expect(NonInferiority.judge(lower: lower, upper: upper, margin: 0.02) == expected)
    }

    @Test func zeroMarginMeansSuperiorityOrInferiority() {
        #expect(NonInferiority.judge(lower: 0.001, upper: 0.02, margin: 0) == .pass)
        #expect(NonInferiority.judge(lower: -0.02, upper: -0.001, margin: 0) == .fail)
        #expect(NonInferiority.judge(lower: -0.01, upper: 0.01, margin: 0) == .inconclusive)
    }

    @Test func judgesBootstrapIntervals() {
        let interval = BootstrapInterval(
            meanDifference: -0.01, lower: -0.015, upper: -0.005, confidence: 0.95,
            iterations: 2000, seed: 1, clusterCount: 10, observationCount: 10
        )
        #expect(NonInferiority.judge(interval, margin: 0.02) == .pass)
        #expect(NonInferiority.judge(interval, margin: 0.001) == .fail)
    }
}
