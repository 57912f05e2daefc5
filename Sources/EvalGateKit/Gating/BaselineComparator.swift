/// Pairs a run with its baseline on the cases both answered, and judges non-inferiority.
public enum BaselineComparator {
    public static func compare(
        candidate: [CaseOutcome], baseline: [CaseOutcome], baselineRunID: String?, baselineVersion: String?, margin: Double,
        confidence: Double, seed: UInt64 = PairedBootstrap.defaultSeed
    ) -> BaselineComparison {
        var baselineByID: [String: CaseOutcome] = [:]
        for outcome in baseline where outcome.status != .error { baselineByID[outcome.id] = outcome }
        var observations: [PairedObservation] = []
        var regressed: [String] = []
        var fixed: [String] = []
        for outcome in candidate where outcome.status != .error {
            guard let before = baselineByID[outcome.id] else { continue }
            observations.append(
                PairedObservation(id: outcome.id, baseline: before.score, candidate: outcome.score, cluster: outcome.cluster ?? before.cluster))
            if before.status == .passed && outcome.status == .failed { regressed.append(outcome.id) }
            if before.status == .failed && outcome.status == .passed { fixed.append(outcome.id) }
        }
        let mcnemar = McNemarTest.exact(baselineOnlyPassed: regressed.count, candidateOnlyPassed: fixed.count)
        let bootstrap = PairedBootstrap.interval(observations, confidence: confidence, iterations: PairedBootstrap.defaultIterations, seed: seed)
        let outcome: GateOutcome
        if let bootstrap {
            switch NonInferiority.judge(bootstrap, margin: margin) {
            case .pass: outcome = .pass
            case .fail: outcome = .fail
            case .inconclusive: outcome = .inconclusive
            }
        } else {
            outcome = .inconclusive
        }
        return BaselineComparison(
            baselineRunID: baselineRunID, baselineVersion: baselineVersion, sharedCases: observations.count, regressedCases: regressed,
            fixedCases: fixed, mcnemar: mcnemar, bootstrap: bootstrap, margin: margin, outcome: outcome)
    }
}
