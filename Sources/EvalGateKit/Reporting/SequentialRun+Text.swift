extension SequentialRun {
    /// One line for the reports: how far the run went and why it stopped.
    public var headline: String {
        let order = "seeded order, seed \(seed)"
        guard let stop else {
            if let at = wouldHaveStoppedAt, let why = wouldHaveStopped {
                return
                    "Sequential run merged from shards (\(order)): every shard ran its whole share, \(casesRun) of \(plannedCases) cases; one process taking this order would have stopped at case \(at) because \(why) (\(plannedCases - at) agent calls a sharded run cannot save)."
            }
            return "Sequential run (\(order)): \(casesRun) of \(plannedCases) cases ran; no early stop."
        }
        return
            "Sequential run (\(order)): stopped early at \(casesRun) of \(plannedCases) cases because \(stop); \(agentCallsSaved) agent calls saved."
    }

    /// One line per pass-rate gate that crossed a boundary: which, and when.
    public var crossingLines: [String] {
        crossings.map {
            "\($0.gate): \($0.outcome.rawValue) at case \($0.atCase) (\($0.passed) of \($0.answered) passed) — \($0.boundary)"
        }
    }
}
