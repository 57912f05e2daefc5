/// `cost`: the agent call cost at most a given amount; an unknown cost fails, so a gate never passes blind.
struct CostScorer: VerdictScorer {
    let maxCost: Double

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        guard let cost = input.cost, let exactCost = Money(approximating: cost), exactCost >= .zero else {
            return .inconclusive("cost unknown (set pricing for the model in the pipeline to check cost)")
        }
        // Both sides as the decimals they stand for: a case costing exactly the limit is within it,
        // whatever binary noise the sum of its repeats picked up. A limit beyond `Money.max` admits any cost.
        if exactCost <= Money(approximating: maxCost) ?? .max {
            return .pass(
                "cost \(ReasonText.number(cost)) is within the limit of \(ReasonText.number(maxCost))",
                forbidden: "cost \(ReasonText.number(cost)) is within \(ReasonText.number(maxCost)), lower than allowed")
        }
        return .fail("cost \(ReasonText.number(cost)) exceeds the limit of \(ReasonText.number(maxCost))")
    }
}
