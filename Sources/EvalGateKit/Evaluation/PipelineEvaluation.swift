import Foundation

/// One evaluation end to end, as five stages: plan → execute → decide → record → report.
///
/// Each stage is a type with one job (`RunPlan`, `Execution`, `Decision`, `Recording`,
/// `RunReports`); this type only hands each one's result to the next. `evalgate review` and any
/// other re-decision use the same `Decision` and `Recording`.
public struct PipelineEvaluation: Sendable {
    public var pipelinePath: String
    public var settings: EvaluationSettings
    public var judge: (any CaseJudge)?

    public init(pipelinePath: String, settings: EvaluationSettings, judge: (any CaseJudge)? = nil) {
        self.pipelinePath = pipelinePath
        self.settings = settings
        self.judge = judge
    }

    public func run(progress: (@Sendable (RunProgress) -> Void)? = nil) async throws -> Result {
        var phases = PhaseTimes()
        let plan = try await RunPlan.make(pipelinePath: pipelinePath, settings: settings)
        phases.mark("plan")
        return try await EvaluationTrace.run(
            plan,
            {
                let outcome = try await Execution(plan: plan, judge: judge).run(progress: progress)
                phases.mark("run")
                return try await Self.conclude(plan: plan, outcome: outcome, phases: phases)
            }, record: \.record)
    }

    /// The stages after the cases: decide → record → report. Shared by a run and by `evalgate
    /// merge`, whose outcome comes from shards instead of `Execution`.
    ///
    /// A run stopped by Ctrl-C still decides and records what finished. These stages must not see
    /// that cancellation (the history's async calls would give up at once), so they run in a task
    /// of their own, which does not inherit it.
    static func conclude(plan: RunPlan, outcome: RunOutcome, phases: PhaseTimes) async throws -> Result {
        let historyLocation = HistoryLocation(plan.settings.historyPath, environment: plan.settings.processEnvironment)
        return try await Task { [phases] in
            var phases = phases
            // The journal is redacted as it is written; the history stores its records as they are.
            let history = try await historyLocation.open()
            let subject = Decision.Subject(runID: plan.runID, pipeline: plan.pipeline, mode: plan.mode, environment: plan.environment)
            let decision: Decision
            if let shard = plan.options.shard {
                decision = Decision.shard(subject, outcome: outcome, shard: shard)
            } else {
                decision = Decision.make(subject, outcome: outcome, evidence: try await DecisionEvidence.gather(for: subject, from: history))
            }
            phases.mark("decide")
            var record = RunRecord(plan: plan, outcome: outcome, decision: decision)
            if let shard = plan.options.shard {
                record.stopReason = outcome.stopReason ?? .shard
                let fingerprint = ShardRun.fingerprint(of: record, count: shard.count)
                record.shard = ShardRun(
                    index: shard.index, count: shard.count,
                    group: plan.settings.shardGroup ?? ShardRun.defaultGroup(environment: plan.settings.processEnvironment)
                        ?? String(fingerprint.prefix(16)),
                    fingerprint: fingerprint, runSelectedCases: outcome.runSelectedCases)
            }
            record.merge = outcome.merge
            let actor = AuditActor.resolve(by: plan.settings.actor, environment: plan.settings.processEnvironment)
            let recorded = try await Recording(history: history, actor: actor).record(record, decision: decision, plan: plan)
            phases.mark("record")
            let reports = try await RunReports.make(plan: plan, outcome: outcome)
            phases.mark("report")
            return Result(recorded: recorded, plan: plan, reports: reports, phaseTimes: phases)
        }.value
    }

    public struct Result: Sendable {
        public var record: RunRecord
        /// The audit entry that recorded the run (also in the result file).
        public var auditHead: AuditHead
        public var runFolder: String
        /// The history the run was recorded in (`--history`, as given).
        public var historyLocation: String
        public var resultPath: String
        public var recommendationPath: String
        public var warnings: [Diagnostic]
        public var redactor: Redactor
        /// Up to 50 cases that did not pass (errors first, then the lowest scores), for reports.
        public var notPassing: [CaseResult]
        /// How long each stage took: plan, run, decide, record, report.
        public var phaseTimes: PhaseTimes

        init(recorded: RecordedRun, plan: RunPlan, reports: RunReports, phaseTimes: PhaseTimes) {
            record = recorded.record
            auditHead = recorded.auditHead
            runFolder = plan.folder
            historyLocation = plan.settings.historyPath
            resultPath = recorded.resultPath
            recommendationPath = recorded.recommendationPath
            warnings = plan.warnings
            redactor = plan.pipeline.redactor
            notPassing = reports.notPassing
            self.phaseTimes = phaseTimes
        }
    }

    public typealias Failure = RunPlan.Failure
}
