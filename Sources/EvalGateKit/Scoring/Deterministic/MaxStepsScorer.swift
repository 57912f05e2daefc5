/// `max-steps`: the agent finished within a number of trajectory steps.
struct MaxStepsScorer: VerdictScorer {
    let maxSteps: Int

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let trajectory = input.answer.trajectory
        let steps = ReasonText.count(trajectory.steps.count, "step")
        let stopped = trajectory.end == .maxSteps ? " and was stopped at the pipeline's max_steps" : ""
        if trajectory.steps.count <= maxSteps {
            return .pass(
                "agent took \(steps)\(stopped), within the limit of \(maxSteps)",
                forbidden: "agent took \(steps), within \(maxSteps), fewer than allowed")
        }
        return .fail("agent took \(steps)\(stopped), more than the limit of \(maxSteps)")
    }
}
