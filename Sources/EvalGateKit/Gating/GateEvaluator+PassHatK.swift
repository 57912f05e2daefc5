extension GateEvaluator {
    /// The `min_pass_hat_k` gate over the run's conversation cases. A run without conversation cases
    /// has no such gate (the caller skips it); one whose cases could not all be measured (fewer than
    /// k trials, or a trial that errored) is inconclusive unless it already fails on the rest.
    func passHatKGate(_ threshold: PassHatKThreshold, trials: TrialsSummary, useLowerBound: Bool) -> GateResult {
        let name = "pass-hat-k"
        let bar = "pass^\(threshold.k) ≥ \(Format.percent(threshold.rate))\(useLowerBound ? " (lower bound)" : "")"
        guard trials.k == threshold.k else {
            return GateResult(
                name: name, outcome: .inconclusive, measured: "pass^\(trials.k) measured", threshold: bar, thresholdValue: threshold.rate.doubleValue,
                sentence: "The run measured pass^\(trials.k), not pass^\(threshold.k).")
        }
        guard trials.cases > 0 else {
            return GateResult(
                name: name, outcome: .inconclusive, measured: "no conversation ran \(threshold.k) trials", threshold: bar,
                thresholdValue: threshold.rate.doubleValue,
                sentence:
                    "None of the \(trials.unmeasured) conversation cases ran \(threshold.k) trials without an error; set trials: \(threshold.k) (or more) on the pipeline or the scenarios."
            )
        }
        let hat = trials.passHatK
        let measured =
            "\(Format.percent(hat.estimate)) (\(Format.percent(hat.confidence, digits: 0)) CI \(Format.percent(hat.lower))–\(Format.percent(hat.upper)), n=\(trials.cases)); pass@\(trials.k) \(Format.percent(trials.passAtK.estimate))"
        let rate = threshold.rate.doubleValue
        let outcome: GateOutcome
        let sentence: String
        if hat.estimate + 1e-12 < rate {
            outcome = .fail
            sentence =
                "Conversations succeed all \(threshold.k) times in \(Format.percent(hat.estimate)) of cases, below \(Format.percent(threshold.rate))."
        } else if trials.unmeasured > 0 {
            outcome = .inconclusive
            sentence =
                "\(trials.unmeasured) conversation cases ran fewer than \(threshold.k) trials or had a trial that errored; pass^\(threshold.k) cannot rest on the rest."
        } else if useLowerBound && hat.lower + 1e-12 < rate {
            outcome = .inconclusive
            sentence =
                "pass^\(threshold.k) \(Format.percent(hat.estimate)) clears \(Format.percent(threshold.rate)), but its lower bound \(Format.percent(hat.lower)) does not."
        } else {
            outcome = .pass
            sentence = "Conversations succeed all \(threshold.k) times in \(Format.percent(hat.estimate)) of cases."
        }
        return GateResult(
            name: name, outcome: outcome, measured: measured, threshold: bar, measuredValue: hat.estimate, thresholdValue: rate, sentence: sentence)
    }
}
