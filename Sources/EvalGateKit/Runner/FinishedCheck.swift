/// The check that the agent finished: a trajectory cut off at `max_steps` fails the case.
///
/// An agent that keeps calling tools until it is stopped has not answered, even when what it did on
/// the way satisfies every scorer (a `tool-called` check passes on the first call of a loop). The
/// check is mandatory: it fails the case whatever the scorers' weights and the case's threshold.
/// A case (`allow_unfinished`) or the pipeline's endpoint can accept unfinished trajectories.
enum FinishedCheck {
    static let scorerName = "finished"

    /// A failing result for an unfinished trajectory that is not allowed; `nil` otherwise.
    static func result(for answer: AgentAnswer, goldenCase: GoldenCase, endpoint: EndpointDefinition) -> ScoreResult? {
        guard answer.trajectory.end == .maxSteps, !(goldenCase.allowUnfinished ?? endpoint.allowUnfinished) else { return nil }
        let steps = ReasonText.count(endpoint.maxSteps, "step")
        return ScoreResult(
            scorer: scorerName, score: 0, passed: false,
            reason: "the agent did not finish within \(steps): it was still calling tools at max_steps (allow_unfinished: true accepts this)")
    }
}
