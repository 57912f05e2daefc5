/// `cost`: the agent call cost at most a given amount; an unknown cost fails, so a gate never passes blind.
struct CostScorer: VerdictScorer {
    let maxCost: Double

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        guard let cost = input.cost, cost.isFinite, cost >= 0 else {
            return .inconclusive("cost unknown (set pricing for the model in the pipeline to check cost)")
        }
        if cost <= maxCost {
            return .pass(
                "cost \(ReasonText.number(cost)) is within the limit of \(ReasonText.number(maxCost))",
                forbidden: "cost \(ReasonText.number(cost)) is within \(ReasonText.number(maxCost)), lower than allowed")
        }
        return .fail("cost \(ReasonText.number(cost)) exceeds the limit of \(ReasonText.number(maxCost))")
    }
}
