extension CaseExecutor {
    /// The world a case's tools act on: the pipeline's, its dataset's and its own, merged; `nil` when
    /// none declares one.
    func world(for goldenCase: GoldenCase) -> World? {
        let definition = pipeline.definition
        let datasetWorld = definition.datasets.first { $0.path == goldenCase.dataset }?.world
        guard definition.world != nil || datasetWorld != nil || goldenCase.world != nil else { return nil }
        return (definition.world ?? World()).merged(with: datasetWorld).merged(with: goldenCase.world)
    }

    /// Whether the case is held as a conversation (recorded turn by turn) rather than asked once.
    func isConversation(_ goldenCase: GoldenCase) -> Bool {
        goldenCase.scenario != nil || world(for: goldenCase) != nil
    }

    /// Holds a case's conversation once: the customer as the scenario says (or the case's input as
    /// one turn), the endpoint's tools, with the world's tools and the case's fixtures as results.
    func converse(_ goldenCase: GoldenCase, seed: UInt64) async -> ScenarioRunner.Outcome {
        let endpoint = pipeline.definition.agent.endpoint
        let runner = ScenarioRunner(client: client, tools: endpoint.tools, maxSteps: endpoint.maxSteps)
        let world = world(for: goldenCase)
        let results = WorldToolResults(world: world ?? World(), fixtures: goldenCase.toolFixtures)
        var outcome: ScenarioRunner.Outcome
        if let scenario = goldenCase.scenario {
            switch scenario.user {
            case .script(let lines):
                outcome = await runner.run(goldenCase, scenario: scenario, user: ScriptedUser(lines: lines), results: results)
            case .model(let modelUser):
                guard let simulator = simulator else {
                    let error = AgentError(.simulatorFailed, "the scenario's customer is simulated, but the pipeline declares no simulator")
                    return ScenarioRunner.Outcome(
                        answer: nil, error: error, record: ConversationRecord(turns: [.user(scenario.opening)], end: .error))
                }
                let user = SimulatedUser(client: simulator, scenario: scenario, user: modelUser, seed: seed)
                outcome = await runner.run(goldenCase, scenario: scenario, user: user, results: results)
            }
        } else {
            outcome = await runner.runOnce(goldenCase, results: results)
        }
        if world != nil { outcome.record.world = await results.world.json }
        return outcome
    }
}

extension CaseExecutor {
    /// Independent conversations for a conversation case: the case's `trials`, else its scenario's,
    /// else the pipeline's; `nil` for a single-exchange case (which repeats as `repeat` says).
    func trialCount(_ goldenCase: GoldenCase) -> Int? {
        guard isConversation(goldenCase) else { return nil }
        return goldenCase.trials ?? goldenCase.scenario?.trials ?? pipeline.definition.trials
    }
}
