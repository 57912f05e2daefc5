extension PipelineValidator {
    /// Scenario and world checks that need the whole pipeline: a simulated customer without a
    /// simulator, a world tool over a table the merged world lacks, records its schema refuses, a
    /// tool that is both a fixture and a world tool, and `state` pointers into tables that do not exist.
    func checkConversation(
        _ goldenCase: GoldenCase, pipeline: LoadedPipeline, engine: inout DiagnosticsEngine, reportedDefaultProblems: inout Set<String>
    ) {
        let definition = pipeline.definition
        if case .model? = goldenCase.scenario?.user, definition.simulator == nil {
            engine.error(
                goldenCase.location, "case '\(goldenCase.id)': the customer is simulated, but the pipeline has no 'simulator'",
                hint: "add simulator: {url, model} to the pipeline (an OpenAI-compatible chat endpoint), or script the customer")
        }
        let datasetWorld = definition.datasets.first { $0.path == goldenCase.dataset }?.world
        let hasWorld = definition.world != nil || datasetWorld != nil || goldenCase.world != nil
        let world = (definition.world ?? World()).merged(with: datasetWorld).merged(with: goldenCase.world)
        if hasWorld {
            for problem in world.problems() {
                // A problem of the pipeline's or a dataset's world is said once, not once per case.
                let own = goldenCase.world != nil
                let key = "world|\(problem.message)"
                if own || reportedDefaultProblems.insert(key).inserted {
                    engine.error(goldenCase.location, "case '\(goldenCase.id)': \(problem.message)", hint: problem.hint)
                }
            }
            for name in goldenCase.toolFixtures.keys.sorted() where world.tools[name] != nil {
                engine.error(
                    goldenCase.location, "case '\(goldenCase.id)': tool '\(name)' has both a fixture and a world behaviour",
                    hint: "a tool's results come from the world or from a fixture; drop one")
            }
        }
        for spec in definition.scorers + goldenCase.scorers where spec.kind == .state || spec.kind == .stateUnchanged {
            guard hasWorld else {
                engine.error(
                    goldenCase.location, "case '\(goldenCase.id)': scorer '\(spec.displayName)' checks the world, but the case has none",
                    hint: "declare world: {tables: ...} on the case, its dataset or the pipeline")
                continue
            }
            let table: String?
            if spec.kind == .stateUnchanged {
                table = spec.value?.stringValue
            } else {
                table = spec.options["pointer"]?.stringValue.flatMap { JSONValue.pointerTokens($0)?.first }
            }
            if let table, world.tables[table] == nil {
                engine.error(
                    goldenCase.location,
                    "case '\(goldenCase.id)': scorer '\(spec.displayName)' points nowhere: the world has no table '\(table)'",
                    hint: "tables: \(world.tables.keys.sorted().joined(separator: ", "))")
            }
        }
    }
}
