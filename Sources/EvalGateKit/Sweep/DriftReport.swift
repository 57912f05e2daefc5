/// Drift of a pipeline against its own recent history: a significant fall in pass rate or a rising
/// latency trend is reported even while every gate still passes.
public struct DriftReport: Sendable, Equatable, Codable {
    public var historyRuns: Int
    public var passRateDrop: TrendTest.PassRateDrop?
    public var latencyTrend: MannKendall.Result?
    public var findings: [String]

    public var isDrifting: Bool { !findings.isEmpty }

    /// Compares `current` with `history` (oldest first, the current run excluded).
    public static func evaluate(current: RunRecord, history: [RunRecord], alpha: Double = 0.05) -> DriftReport {
        let window = Array(history.suffix(7))
        var report = DriftReport(historyRuns: window.count, passRateDrop: nil, latencyTrend: nil, findings: [])
        guard window.count >= 3 else { return report }
        let answered = { (run: RunRecord) in (passed: run.summary.passed, total: run.summary.passed + run.summary.failed) }
        let drop = TrendTest.passRateDrop(current: answered(current), history: window.map(answered), alpha: alpha)
        report.passRateDrop = drop
        if drop.significant {
            report.findings.append(
                "pass rate fell to \(Format.percent(drop.currentRate)) from \(Format.percent(drop.historicalRate)) over the last \(window.count) runs (one-sided \(Format.pValueClause(drop.pValue)))"
            )
        }
        let latencies = (window + [current]).compactMap { $0.summary.latency?.p95 }
        if latencies.count >= 4 {
            let trend = MannKendall.test(latencies, alpha: alpha)
            report.latencyTrend = trend
            if trend.trend == .increasing, let first = latencies.first, let last = latencies.last {
                report.findings.append(
                    "p95 latency is trending up: \(Format.milliseconds(first)) → \(Format.milliseconds(last)) over \(latencies.count) runs (Mann-Kendall \(Format.pValueClause(trend.pValue)))"
                )
            }
        }
        return report
    }
}
