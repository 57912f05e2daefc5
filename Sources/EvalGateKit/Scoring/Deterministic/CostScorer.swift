/// `cost`: the agent call cost at most a given amount; an unknown cost fails, so a gate never passes blind.
struct CostScorer: VerdictScorer {
    let maxCost: Double

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        guard let cost = input.cost, let exactCost = Money(approximating: cost), exactCost >= .zero else {
            return .inconclusive("cost unknown (set pricing for the model in the pipeline to check cost)")
        }
        // The limit arrives as a JSON number and the cost as a Double; both are compared as the decimals
        // they stand for, so a cost of exactly the limit is within it even when binary arithmetic left
        // it a hair above (0.1 + 0.2). A limit beyond `Money.max` admits any cost. The reason shows
        // the decimal too: 0.3, not 0.30000000000000004.
        let shown = ReasonText.number(exactCost.doubleValue)
        if exactCost <= Money(approximating: maxCost) ?? .max {
            return .pass(
                "cost \(shown) is within the limit of \(ReasonText.number(maxCost))",
                forbidden: "cost \(shown) is within \(ReasonText.number(maxCost)), lower than allowed")
        }
        return .fail("cost \(shown) exceeds the limit of \(ReasonText.number(maxCost))")
    }
}
