import Foundation

/// The second stage of a run: every selected case against the agent, scored and journaled.
///
/// Sets up the pipeline's judges (unless the caller brings one), runs the cases with the plan's
/// concurrency, deadlines and budgets, and returns the per-case outcomes with their summary.
/// It reads no history and decides nothing.
public struct Execution: Sendable {
    public var plan: RunPlan
    /// Grades model-graded scorers; nil uses the pipeline's `judge:` section (cached on disk).
    public var judge: (any CaseJudge)?

    public init(plan: RunPlan, judge: (any CaseJudge)? = nil) {
        self.plan = plan
        self.judge = judge
    }

    public func run(progress: (@Sendable (RunProgress) -> Void)? = nil) async throws -> RunOutcome {
        let definition = plan.definition
        let ownJudge =
            judge == nil
            ? definition.judge.map {
                JudgeScorer(definition: $0, cacheFolder: $0.cache ? (plan.settings.home as NSString).appendingPathComponent("judge-cache") : nil)
            } : nil
        let simulator = definition.simulator.map {
            SimulatorClient(definition: $0, cacheFolder: (plan.settings.home as NSString).appendingPathComponent("simulator-cache"))
        }
        var runner = EvalRunner(pipeline: plan.pipeline, options: plan.options, judge: judge ?? ownJudge)
        runner.validatedCaseCount = plan.validatedCaseCount
        runner.simulator = simulator
        let outcome: EvalRunner.Outcome
        do {
            outcome = try await runner.run(journal: plan.journal, progress: progress)
        } catch {
            await ownJudge?.shutdown()
            await simulator?.shutdown()
            throw error
        }
        await ownJudge?.shutdown()
        await simulator?.shutdown()
        return RunOutcome(
            accumulator: outcome.accumulator, summary: outcome.accumulator.summary(currency: definition.agent.endpoint.pricing?.currency),
            selectedCases: outcome.selection.executed, availableCases: outcome.selection.available, missingCases: outcome.missing,
            stopReason: outcome.stopReason, endedAt: outcome.ended, sequential: outcome.sequential, runSelectedCases: outcome.selection.count)
    }
}

/// What running the cases produced: per-case outcomes and their accumulated summary.
public struct RunOutcome: Sendable {
    /// Per-case outcomes and the case lists reports need (review queue, cases not passing).
    public var accumulator: RunAccumulator
    public var summary: RunSummary
    /// The cases this run was to execute: its share of the selection when it is a shard.
    public var selectedCases: Int
    /// Selected cases of the whole run (more than `selectedCases` only for a shard).
    public var runSelectedCases: Int
    public var availableCases: Int
    /// Selected cases without a result (the run was stopped early).
    public var missingCases: Int
    public var stopReason: StopReason?
    public var endedAt: Date
    /// How a sequential run went (`--sequential`); nil for a fixed run.
    public var sequential: SequentialRun?
    /// For a run merged from shards: which shards, which were missing.
    public var merge: MergedShards?

    public var outcomes: [CaseOutcome] { accumulator.outcomes }

    public init(
        accumulator: RunAccumulator, summary: RunSummary, selectedCases: Int, availableCases: Int, missingCases: Int, stopReason: StopReason?,
        endedAt: Date, sequential: SequentialRun? = nil, runSelectedCases: Int? = nil, merge: MergedShards? = nil
    ) {
        self.runSelectedCases = runSelectedCases ?? selectedCases
        self.merge = merge
        self.sequential = sequential
        self.accumulator = accumulator
        self.summary = summary
        self.selectedCases = selectedCases
        self.availableCases = availableCases
        self.missingCases = missingCases
        self.stopReason = stopReason
        self.endedAt = endedAt
    }
}
