/// `latency`: the agent answered within a number of milliseconds, all steps included.
struct LatencyScorer: VerdictScorer {
    let maxMilliseconds: Double

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let latency = input.latencyMilliseconds
        guard latency.isFinite, latency >= 0 else { return .inconclusive("latency unknown") }
        let took = "\(ReasonText.number(latency.rounded())) ms"
        let limit = "\(ReasonText.number(maxMilliseconds)) ms"
        if latency <= maxMilliseconds {
            return .pass("latency \(took) is within the limit of \(limit)", forbidden: "latency \(took) is within \(limit), faster than allowed")
        }
        return .fail("latency \(took) exceeds the limit of \(limit)")
    }
}
