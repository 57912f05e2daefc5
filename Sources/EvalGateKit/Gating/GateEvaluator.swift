import Foundation

/// Turns every threshold of the pipeline's risk tier into a gate over the run's results.
/// Missing data never passes: too few cases, too many errors, a missing baseline or unknown cost
/// make a gate inconclusive, with the reason.
public struct GateEvaluator: Sendable {
    public var thresholds: TierThresholds
    public var tierLabel: String

    public init(thresholds: TierThresholds, tierLabel: String) {
        self.thresholds = thresholds
        self.tierLabel = tierLabel
    }

    public struct Input: Sendable {
        public var summary: RunSummary
        public var outcomes: [CaseOutcome]
        public var selectedCases: Int
        public var missingCases: Int
        public var stopReason: StopReason?
        public var baseline: BaselineComparison?
        /// Why there is no baseline, when there is none.
        public var baselineUnavailable: String?
        /// A sequential run's record: its pass-rate gates are decided by their anytime-valid
        /// boundaries, and an early stop (a decision) is not a partial run.
        public var sequential: SequentialRun?

        public init(
            summary: RunSummary, outcomes: [CaseOutcome], selectedCases: Int, missingCases: Int, stopReason: StopReason?,
            baseline: BaselineComparison?, baselineUnavailable: String?, sequential: SequentialRun? = nil
        ) {
            self.sequential = sequential
            self.summary = summary
            self.outcomes = outcomes
            self.selectedCases = selectedCases
            self.missingCases = missingCases
            self.stopReason = stopReason
            self.baseline = baseline
            self.baselineUnavailable = baselineUnavailable
        }
    }

    public func evaluate(_ input: Input) -> GateReport {
        var gates: [GateResult] = []
        let summary = input.summary
        let answered = summary.passed + summary.failed
        let confidence = thresholds.confidence ?? TierThresholds.defaultConfidence

        // Completeness: a run that did not finish decides nothing — unless it stopped because its
        // verdict was decided (a sequential early stop), which is not missing data.
        let sequential = input.sequential
        let stoppedByDecision = sequential?.stop != nil && input.stopReason == nil
        if input.missingCases > 0 && !stoppedByDecision {
            let reason = input.stopReason.map { " (stopped: \($0))" } ?? ""
            gates.append(
                GateResult(
                    name: "completeness", outcome: .inconclusive,
                    measured: "\(input.selectedCases - input.missingCases) of \(input.selectedCases) cases run",
                    threshold: "all selected cases", measuredValue: Double(input.selectedCases - input.missingCases),
                    thresholdValue: Double(input.selectedCases),
                    sentence: "\(input.missingCases) selected cases have no result\(reason); the verdict cannot rest on a partial run."))
        }
        if let minimum = thresholds.minCases, let sequential {
            // A sequential run's evidence is its boundary; the minimum sizes the dataset it may draw on.
            let planned = sequential.plannedCases
            let outcome: GateOutcome = planned >= minimum ? .pass : .inconclusive
            gates.append(
                GateResult(
                    name: "min-cases", outcome: outcome, measured: "\(planned) selected (sequential)", threshold: "≥ \(minimum)",
                    measuredValue: Double(planned), thresholdValue: Double(minimum),
                    sentence: outcome == .pass
                        ? "The \(planned) selected cases meet the \(tierLabel) minimum of \(minimum); the sequential boundaries decide how many run."
                        : "Only \(planned) cases were selected; \(tierLabel) needs \(minimum) for a conclusive verdict, sequential or not."))
        } else if let minimum = thresholds.minCases {
            let outcome: GateOutcome = answered >= minimum ? .pass : .inconclusive
            gates.append(
                GateResult(
                    name: "min-cases", outcome: outcome, measured: "\(answered) answered", threshold: "≥ \(minimum)", measuredValue: Double(answered),
                    thresholdValue: Double(minimum),
                    sentence: outcome == .pass
                        ? "\(answered) answered cases meet the \(tierLabel) minimum of \(minimum)."
                        : "Only \(answered) cases were answered; \(tierLabel) needs \(minimum) for a conclusive verdict."))
        }
        if let threshold = thresholds.minPassHatK, let trials = summary.trials {
            gates.append(passHatKGate(threshold, trials: trials, useLowerBound: thresholds.requireLowerBound ?? false))
        }
        if let maximum = thresholds.maxErrorRate {
            let rate = summary.errorRate
            let kinds = summary.errorKinds.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            // Exact: errors / total ≤ maximum in integers, so 3 of 60 meets a 5% limit.
            let exceeded = summary.total > 0 && maximum.isExceeded(by: summary.errors, of: summary.total)
            let outcome: GateOutcome = summary.total == 0 || exceeded ? .inconclusive : .pass
            let shown = exceeded ? Format.percent(summary.errors, of: summary.total, distinctFrom: maximum) : Format.percent(rate)
            gates.append(
                GateResult(
                    name: "error-rate", outcome: outcome, measured: "\(shown) (\(summary.errors) of \(summary.total))",
                    threshold: "≤ \(Format.percent(maximum))", measuredValue: rate, thresholdValue: maximum.doubleValue,
                    sentence: summary.total == 0
                        ? "No case ran."
                        : outcome == .pass
                            ? "Infrastructure errors stay within the limit."
                            : "\(summary.errors) cases got no answer (\(kinds)); with this many errors the results cannot be trusted either way."))
        }
        if let minimum = thresholds.minPassRate, let sequential {
            gates.append(
                sequentialPassRateGate(
                    name: "pass-rate", label: "overall", interval: summary.passRate, minimum: minimum, horizon: sequential.plannedCases,
                    useLowerBound: thresholds.requireLowerBound ?? false, confidence: confidence, run: sequential,
                    allRan: input.missingCases == 0))
        } else if let minimum = thresholds.minPassRate {
            gates.append(
                passRateGate(
                    name: "pass-rate", label: "overall", interval: summary.passRate, minimum: minimum,
                    useLowerBound: thresholds.requireLowerBound ?? false, confidence: confidence))
        }
        if let sequential {
            let gated = SequentialMonitor.gatedTags(thresholds, plannedTagCases: sequential.plannedTagCases)
            for tag in gated.keys.sorted() {
                let counts = summary.tags.first { $0.tag == tag }
                let interval =
                    counts?.passRate ?? ProportionInterval(estimate: 0, lower: 0, upper: 1, confidence: confidence, successes: 0, trials: 0)
                gates.append(
                    sequentialPassRateGate(
                        name: "tag-pass-rate:\(tag)", label: "'\(tag)'", interval: interval, minimum: gated[tag]!,
                        horizon: sequential.plannedTagCases[tag] ?? 0, useLowerBound: false, confidence: confidence, run: sequential,
                        allRan: input.missingCases == 0))
            }
        }
        for tag in summary.tags where sequential == nil {
            guard !thresholds.mustPassTags.contains(tag.tag) else { continue }
            let minimum: Rate
            if let named = thresholds.tagPassRates[tag.tag] {
                minimum = named
            } else if let general = thresholds.minTagPassRate, tag.passed + tag.failed >= TierThresholds.minCasesForTagGate {
                minimum = general
            } else {
                continue
            }
            gates.append(
                passRateGate(
                    name: "tag-pass-rate:\(tag.tag)", label: "'\(tag.tag)'", interval: tag.passRate, minimum: minimum, useLowerBound: false,
                    confidence: confidence))
        }
        for tag in thresholds.mustPassTags {
            let cases = input.outcomes.filter { $0.tags.contains(tag) }
            gates.append(mustPassGate(name: "must-pass:\(tag)", label: "'\(tag)' cases", cases: cases, emptyMeansInconclusive: true))
        }
        let critical = input.outcomes.filter(\.critical)
        if !critical.isEmpty {
            gates.append(mustPassGate(name: "critical-cases", label: "critical cases", cases: critical, emptyMeansInconclusive: false))
        }
        for (name, limit, value) in [
            ("latency-p50", thresholds.maxLatencyP50, summary.latency?.p50), ("latency-p95", thresholds.maxLatencyP95, summary.latency?.p95),
            ("latency-p99", thresholds.maxLatencyP99, summary.latency?.p99),
        ] {
            guard let limit else { continue }
            guard let value else {
                gates.append(
                    GateResult(
                        name: name, outcome: .inconclusive, measured: "no latency data", threshold: "≤ \(Format.milliseconds(limit))",
                        thresholdValue: limit, sentence: "No case was answered, so latency is unknown."))
                continue
            }
            let outcome: GateOutcome = value <= limit ? .pass : .fail
            gates.append(
                GateResult(
                    name: name, outcome: outcome, measured: Format.milliseconds(value), threshold: "≤ \(Format.milliseconds(limit))",
                    measuredValue: value, thresholdValue: limit,
                    sentence: outcome == .pass
                        ? "\(name.replacingOccurrences(of: "latency-", with: "")) latency is within the limit."
                        : "\(name.replacingOccurrences(of: "latency-", with: "")) latency \(Format.milliseconds(value)) is over the \(tierLabel) limit of \(Format.milliseconds(limit))."
                ))
        }
        if let limit = thresholds.maxCostPerCase {
            // The limit with every decimal place it has (at least four), so 0.00015 does not read 0.0002.
            let places = max(4, limit.decimalPlaces)
            let shownLimit = Format.money(limit, summary.currency, places: places)
            if let cost = summary.costPerCase {
                // Exact: the sum of exact case costs over the count, rounded up to the pico-unit, and
                // a limit on that grid compare exactly as the true mean would (`Money.dividedRoundingUp`).
                let outcome: GateOutcome = cost <= limit ? .pass : .fail
                // A failing mean shows as many places as it takes to read above the limit.
                var costPlaces = places
                while outcome == .fail, costPlaces < Money.fractionDigits, cost.formatted(places: costPlaces) == limit.formatted(places: costPlaces) {
                    costPlaces += 1
                }
                let shownCost = Format.money(cost, summary.currency, places: costPlaces)
                gates.append(
                    GateResult(
                        name: "cost-per-case", outcome: outcome, measured: shownCost, threshold: "≤ \(shownLimit)",
                        measuredValue: cost.doubleValue, thresholdValue: limit.doubleValue,
                        sentence: outcome == .pass
                            ? "Mean cost per case is within budget." : "Mean cost per case \(shownCost) is over the limit of \(shownLimit)."))
            } else {
                gates.append(
                    GateResult(
                        name: "cost-per-case", outcome: .inconclusive, measured: "unknown", threshold: "≤ \(shownLimit)",
                        thresholdValue: limit.doubleValue,
                        sentence: "Cost is unknown: the endpoint reported no token usage, or the pipeline has no 'pricing'."))
            }
        }
        for (tag, minimum) in thresholds.coverage.sorted(by: { $0.key < $1.key }) {
            // A sequential run is covered by what it selected: its stratified order gives each tag its share.
            let count =
                sequential.map { $0.plannedTagCases[tag] ?? 0 } ?? input.outcomes.filter { $0.tags.contains(tag) && $0.status != .error }.count
            let outcome: GateOutcome = count >= minimum ? .pass : .inconclusive
            gates.append(
                GateResult(
                    name: "coverage:\(tag)", outcome: outcome, measured: "\(count) cases", threshold: "≥ \(minimum)", measuredValue: Double(count),
                    thresholdValue: Double(minimum),
                    sentence: outcome == .pass
                        ? "'\(tag)' is covered by \(count) answered cases." : "Only \(count) answered '\(tag)' cases; \(tierLabel) needs \(minimum).")
            )
        }
        if let comparison = input.baseline {
            gates.append(regressionGate(comparison))
        } else if thresholds.requireBaseline == true {
            gates.append(
                GateResult(
                    name: "regression", outcome: .inconclusive, measured: "no baseline",
                    threshold: "no regression beyond \(Format.percent(thresholds.maxRegression ?? 0))",
                    sentence:
                        "\(tierLabel) requires a comparison with a baseline, and none is available: \(input.baselineUnavailable ?? "no earlier run")."
                ))
        }
        return GateReport(gates: gates)
    }

    func passRateGate(name: String, label: String, interval: ProportionInterval, minimum: Rate, useLowerBound: Bool, confidence: Double) -> GateResult
    {
        let threshold = "≥ \(Format.percent(minimum))\(useLowerBound ? " (lower bound)" : "")"
        guard interval.trials > 0 else {
            return GateResult(
                name: name, outcome: .inconclusive, measured: "no answered cases", threshold: threshold, thresholdValue: minimum.doubleValue,
                sentence: "No \(label) case was answered.")
        }
        // The point estimate is a count, compared exactly: 57 of 60 meets 95%, 999 of 1000 meets 99.9%.
        let reached = minimum.isReached(by: interval.successes, of: interval.trials)
        // A rate below the bar shows as many digits as it takes to read below it ("94.99%", not "95.0%").
        let rate = reached ? Format.percent(interval.estimate) : Format.percent(interval.successes, of: interval.trials, distinctFrom: minimum)
        let measured =
            "\(rate) (\(Format.percent(confidence, digits: 0)) CI \(Format.percent(interval.lower))–\(Format.percent(interval.upper)), n=\(interval.trials))"
        let outcome: GateOutcome
        let sentence: String
        if !reached {
            outcome = .fail
            sentence = "The \(label) pass rate \(rate) is below \(Format.percent(minimum))."
        } else if useLowerBound && interval.lower < minimum.doubleValue {
            // The Wilson bound is an estimate computed in floating point; a hair either side of the
            // bar is within its own error, so it is compared as a Double.
            outcome = .inconclusive
            let needed = Self.casesNeeded(rate: interval.estimate, minimum: minimum.doubleValue, confidence: confidence)
            let advice = needed.map { " About \($0) cases at this pass rate would settle it." } ?? ""
            sentence =
                "The \(label) pass rate \(Format.percent(interval.estimate)) clears \(Format.percent(minimum)), but its lower bound \(Format.percent(interval.lower)) does not: too few cases to be sure.\(advice)"
        } else {
            outcome = .pass
            sentence =
                useLowerBound
                ? "Even the lower bound of the \(label) pass rate clears \(Format.percent(minimum))."
                : "The \(label) pass rate clears \(Format.percent(minimum))."
        }
        return GateResult(
            name: name, outcome: outcome, measured: measured, threshold: threshold, measuredValue: interval.estimate,
            thresholdValue: minimum.doubleValue, sentence: sentence)
    }

    /// A pass-rate gate of a sequential run: decided where it crossed an anytime-valid boundary;
    /// without a crossing, by the tier's end-of-run rule once every case ran (a lower-bound tier
    /// is then inconclusive where the point estimate clears the bar), else undecided.
    func sequentialPassRateGate(
        name: String, label: String, interval: ProportionInterval, minimum: Rate, horizon: Int, useLowerBound: Bool, confidence: Double,
        run: SequentialRun, allRan: Bool
    ) -> GateResult {
        let threshold = "≥ \(Format.percent(minimum))\(useLowerBound ? " (lower bound)" : ""), sequential"
        let reached = interval.trials > 0 && minimum.isReached(by: interval.successes, of: interval.trials)
        let rate =
            interval.trials == 0
            ? "no answered cases"
            : reached ? Format.percent(interval.estimate) : Format.percent(interval.successes, of: interval.trials, distinctFrom: minimum)
        if let crossing = run.crossing(name) {
            let measured = "\(rate) (n=\(interval.trials)); crossed at \(crossing.passed) of \(crossing.answered)"
            let sentence: String
            switch crossing.boundary {
            case .pass:
                sentence =
                    "After \(crossing.passed) of \(crossing.answered) \(label) cases passed, the \(label) pass rate is above \(Format.percent(minimum)) at \(Format.percent(confidence, digits: 0)) confidence by an anytime-valid boundary."
            case .fail:
                sentence =
                    "After \(crossing.passed) of \(crossing.answered) \(label) cases passed, the \(label) pass rate is below \(Format.percent(minimum)) at \(Format.percent(confidence, digits: 0)) confidence by an anytime-valid boundary."
            case .certainPass:
                sentence =
                    "\(crossing.passed) of the \(horizon) planned \(label) cases passed: the pass rate cannot fall below \(Format.percent(minimum))."
            case .certainFail:
                sentence =
                    "\(crossing.answered - crossing.passed) of the \(horizon) planned \(label) cases failed: the pass rate cannot reach \(Format.percent(minimum))."
            case .end:
                sentence = "Every \(label) case ran."
            }
            return GateResult(
                name: name, outcome: crossing.outcome, measured: measured, threshold: threshold, measuredValue: interval.estimate,
                thresholdValue: minimum.doubleValue, sentence: sentence)
        }
        let measured = "\(rate) (n=\(interval.trials)); no boundary crossed"
        guard allRan, interval.trials > 0 else {
            return GateResult(
                name: name, outcome: .inconclusive, measured: measured, threshold: threshold,
                measuredValue: interval.trials > 0 ? interval.estimate : nil,
                thresholdValue: minimum.doubleValue,
                sentence: interval.trials == 0
                    ? "No \(label) case was answered."
                    : "The \(label) pass rate had crossed neither boundary when the run stopped, so it is undecided.")
        }
        let outcome: GateOutcome = !reached ? .fail : useLowerBound ? .inconclusive : .pass
        let sentence: String
        switch outcome {
        case .fail: sentence = "Every case ran: the \(label) pass rate \(rate) is below \(Format.percent(minimum))."
        case .pass: sentence = "Every case ran: the \(label) pass rate clears \(Format.percent(minimum))."
        case .inconclusive:
            sentence =
                "Every case ran without crossing the anytime-valid pass boundary: the \(label) pass rate \(rate) clears \(Format.percent(minimum)), but after looking at every case only that boundary may vouch for the lower bound, so this is inconclusive where a fixed run might have passed."
        }
        return GateResult(
            name: name, outcome: outcome, measured: measured, threshold: threshold, measuredValue: interval.estimate,
            thresholdValue: minimum.doubleValue, sentence: sentence)
    }

    /// The smallest number of cases at which a pass rate of `rate` has a Wilson lower bound ≥ `minimum`.
    public static func casesNeeded(rate: Double, minimum: Double, confidence: Double) -> Int? {
        guard rate > minimum else { return nil }
        var n = 10
        while n <= 1_000_000 {
            let successes = Int((rate * Double(n)).rounded(.down))
            if WilsonInterval.compute(successes: successes, trials: n, confidence: confidence).lower >= minimum { return n }
            n = Int(Double(n) * 1.1) + 1
        }
        return nil
    }

    func mustPassGate(name: String, label: String, cases: [CaseOutcome], emptyMeansInconclusive: Bool) -> GateResult {
        let failed = cases.filter { $0.status == .failed }
        let errored = cases.filter { $0.status == .error }
        let passed = cases.count - failed.count - errored.count
        let measured = "\(passed) of \(cases.count) passed"
        if cases.isEmpty {
            return GateResult(
                name: name, outcome: emptyMeansInconclusive ? .inconclusive : .pass, measured: "no cases", threshold: "all pass",
                sentence: "No \(label) were run; a must-pass rule without cases proves nothing.")
        }
        if !failed.isEmpty {
            let names = failed.prefix(5).map(\.id).joined(separator: ", ") + (failed.count > 5 ? ", …" : "")
            return GateResult(
                name: name, outcome: .fail, measured: measured, threshold: "all pass", measuredValue: Double(passed),
                thresholdValue: Double(cases.count),
                sentence: "\(failed.count) \(label) failed: \(names).")
        }
        if !errored.isEmpty {
            return GateResult(
                name: name, outcome: .inconclusive, measured: measured, threshold: "all pass", measuredValue: Double(passed),
                thresholdValue: Double(cases.count),
                sentence: "\(errored.count) \(label) got no answer, so it is unknown whether all pass.")
        }
        return GateResult(
            name: name, outcome: .pass, measured: measured, threshold: "all pass", measuredValue: Double(passed), thresholdValue: Double(cases.count),
            sentence: "Every one of the \(label) passed.")
    }

    func regressionGate(_ comparison: BaselineComparison) -> GateResult {
        let threshold = "difference > −\(Format.percent(comparison.margin))"
        let against = comparison.baselineVersion.map { "version \($0)" } ?? "the baseline"
        guard let bootstrap = comparison.bootstrap else {
            return GateResult(
                name: "regression", outcome: .inconclusive, measured: "no shared cases", threshold: threshold,
                sentence: "This run and \(against) share no answered case, so they cannot be compared.")
        }
        let measured =
            "\(Format.signedPercent(bootstrap.meanDifference)) (CI \(Format.signedPercent(bootstrap.lower)) to \(Format.signedPercent(bootstrap.upper)), \(comparison.sharedCases) paired; McNemar \(Format.pValueClause(comparison.mcnemar.pValueTwoSided)))"
        let sentence: String
        switch comparison.outcome {
        case .pass:
            sentence =
                "No regression against \(against) beyond the margin (\(comparison.regressedCases.count) regressed, \(comparison.fixedCases.count) fixed)."
        case .fail:
            sentence =
                "Regressed against \(against): \(comparison.regressedCases.count) cases that passed now fail (\(comparison.regressedCases.prefix(5).joined(separator: ", "))\(comparison.regressedCases.count > 5 ? ", …" : ""))."
        case .inconclusive:
            sentence = "The difference against \(against) is within the noise: the interval straddles the margin. More cases would settle it."
        }
        return GateResult(
            name: "regression", outcome: comparison.outcome, measured: measured, threshold: threshold, measuredValue: bootstrap.meanDifference,
            thresholdValue: -comparison.margin, sentence: sentence)
    }
}

/// How numbers look in gates and reports.
public enum Format {
    public static func percent(_ value: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f%%", value * 100)
    }

    public static func signedPercent(_ value: Double) -> String {
        String(format: "%+.1f%%", value * 100)
    }

    public static func milliseconds(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.2f s", value / 1000) : String(format: "%.0f ms", value)
    }

    /// An exact amount with `places` decimal places (rounded half away from zero) and its currency.
    public static func money(_ value: Money, _ currency: String?, places: Int = 4) -> String {
        value.formatted(places: places) + " " + (currency ?? "USD")
    }

    /// A `Double` amount (display only), rounded through the decimal it stands for.
    public static func money(_ value: Double, _ currency: String?) -> String {
        guard let exact = Money(approximating: value) else { return String(format: "%.4f", value) + " " + (currency ?? "USD") }
        return money(exact, currency)
    }

    /// A rate threshold exactly, with at least `digits` decimal places: "95.0%", "99.95%".
    public static func percent(_ rate: Rate, digits: Int = 1) -> String {
        let percentUnits = rate.units * 100
        let exact = FixedPoint.text(percentUnits)
        let places = exact.split(separator: ".").dropFirst().first?.count ?? 0
        return FixedPoint.text(percentUnits, places: max(digits, places)) + "%"
    }

    /// `count` of `total` as a percentage with `digits` decimal places (0…10), rounded half away from zero.
    public static func percent(_ count: Int, of total: Int, digits: Int = 1) -> String {
        let places = min(max(digits, 0), 10)
        let scaled = FixedPoint.roundedDivision(Int128(count) * 100 * FixedPoint.power10(places), by: Int128(max(total, 1)), .toNearestOrAwayFromZero)
        return FixedPoint.text(scaled * FixedPoint.power10(FixedPoint.fractionDigits - places), places: places) + "%"
    }

    /// `count` of `total` with the fewest places (at least `digits`, at most 10) at which it reads
    /// differently from `rate` rounded the same way, so a report never says "95.0% is below 95.0%".
    public static func percent(_ count: Int, of total: Int, distinctFrom rate: Rate, digits: Int = 1) -> String {
        var places = digits
        while places < 10, percent(count, of: total, digits: places) == FixedPoint.text(rate.units * 100, places: places) + "%" { places += 1 }
        return percent(count, of: total, digits: places)
    }

    public static func pValue(_ value: Double) -> String {
        value < 0.001 ? "<0.001" : String(format: "%.3f", value)
    }

    /// `p<0.001` or `p=0.030` (`p < 0.001`, `p = 0.030` when `spaced`): a p-value with its relation,
    /// so a tiny one never reads `p=<0.001`.
    public static func pValueClause(_ value: Double, spaced: Bool = false) -> String {
        let relation = value < 0.001 ? "<" : "="
        let number = value < 0.001 ? "0.001" : pValue(value)
        return spaced ? "p \(relation) \(number)" : "p\(relation)\(number)"
    }
}
