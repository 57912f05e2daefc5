import Foundation

/// One evaluation end to end: load and validate the pipeline, run its cases, find the baseline,
/// apply the tier's gates, recommend, and record everything (result file, recommendation file, history).
public struct PipelineEvaluation: Sendable {
    public var pipelinePath: String
    public var settings: EvaluationSettings
    public var judge: (any CaseJudge)?

    public init(pipelinePath: String, settings: EvaluationSettings, judge: (any CaseJudge)? = nil) {
        self.pipelinePath = pipelinePath
        self.settings = settings
        self.judge = judge
    }

    public struct Result: Sendable {
        public var record: RunRecord
        public var runFolder: String
        public var resultPath: String
        public var recommendationPath: String
        public var warnings: [Diagnostic]
        public var redactor: Redactor
        /// Up to 50 cases that did not pass (errors first, then the lowest scores), for reports.
        public var notPassing: [CaseResult]
        /// How long each phase took: validating, running the cases, deciding, writing results, saving history.
        public var phaseTimes: PhaseTimes
    }

    public enum Failure: Error, CustomStringConvertible {
        case invalid([Diagnostic])
        case cannotRun(String)

        public var description: String {
            switch self {
            case .invalid(let diagnostics): return diagnostics.map(\.description).joined(separator: "\n")
            case .cannotRun(let message): return message
            }
        }
    }

    /// Run metadata kept beside the journal so `--resume` knows what was asked.
    struct RunManifest: Codable {
        var id: String
        var pipelinePath: String
        var mode: Recommendation.Mode
        var filterTags: [String]
        var limit: Int?
        var sample: Int?
        var seed: UInt64
        var startedAt: Date
    }

    public func run(progress: (@Sendable (RunProgress) -> Void)? = nil) async throws -> Result {
        var settings = self.settings
        var pipelinePath = self.pipelinePath
        let fileManager = FileManager.default

        // Resume and retry continue an earlier run's folder and selection.
        var runID: String
        var started = Date()
        if let earlier = settings.resumeRunID ?? settings.retryErrorsRunID {
            let folder = settings.runFolder(earlier)
            guard let data = fileManager.contents(atPath: (folder as NSString).appendingPathComponent("manifest.json")),
                  let manifest = try? JSONCoding.decoder().decode(RunManifest.self, from: data) else {
                throw Failure.cannotRun("no run '\(earlier)' to continue in \(settings.runsFolder)")
            }
            runID = manifest.id
            pipelinePath = manifest.pipelinePath
            settings.mode = manifest.mode
            settings.options.filterTags = manifest.filterTags
            settings.options.limit = manifest.limit
            settings.options.sample = manifest.sample
            settings.options.seed = manifest.seed
            started = manifest.startedAt
        } else {
            runID = Self.newRunID(pipelinePath: pipelinePath, at: started)
        }

        var phaseTimes = PhaseTimes()
        let validator = PipelineValidator(loader: PipelineLoader(environment: settings.environment))
        let report = try await onOwnThread { [pipelinePath] in validator.validate(path: pipelinePath) }
        phaseTimes.mark("validate")
        guard report.isValid, let pipeline = report.pipeline else { throw Failure.invalid(report.diagnostics) }
        let redactor = pipeline.redactor
        let definition = pipeline.definition
        let folder = settings.runFolder(runID)
        try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let manifest = RunManifest(
            id: runID, pipelinePath: pipelinePath, mode: settings.mode, filterTags: settings.options.filterTags, limit: settings.options.limit,
            sample: settings.options.sample, seed: settings.options.seed, startedAt: started)
        try ResultFile.writeJSON(manifest, to: (folder as NSString).appendingPathComponent("manifest.json"))

        let journal = try RunJournal(path: (folder as NSString).appendingPathComponent("journal.jsonl"), redactor: redactor)
        var options = settings.options
        if settings.retryErrorsRunID != nil {
            options.onlyIDs = Set(journal.orderedResults().filter { $0.status == .error }.map(\.id))
        }
        // The pipeline's judge models grade model-graded scorers; their answers are cached on disk.
        let ownJudge = judge == nil ? definition.judge.map {
            JudgeScorer(definition: $0, cacheFolder: $0.cache ? (settings.home as NSString).appendingPathComponent("judge-cache") : nil)
        } : nil
        var runner = EvalRunner(pipeline: pipeline, options: options, judge: judge ?? ownJudge)
        if report.diagnostics.count < PipelineValidator.maxDiagnostics { runner.validatedCaseCount = report.caseCount }
        let outcome: EvalRunner.Outcome
        do {
            outcome = try await runner.run(journal: journal, progress: progress)
        } catch {
            await ownJudge?.shutdown()
            throw error
        }
        await ownJudge?.shutdown()
        phaseTimes.mark("run")
        let summary = outcome.accumulator.summary(currency: definition.agent.endpoint.pricing?.currency)

        let store: HistoryStore
        do {
            store = try HistoryStore(path: settings.historyPath)
        } catch {
            throw Failure.cannotRun("cannot open the history database \(settings.historyPath): \(error)")
        }
        let environmentName = settings.environmentName ?? definition.rollback.environment
        let agent = definition.agent.name
        let version = definition.agent.version
        let decision = try Decision.make(
            pipeline: pipeline, mode: settings.mode, environment: environmentName, summary: summary, outcomes: outcome.accumulator.outcomes,
            selectedCases: outcome.selection.count, missingCases: outcome.missing, stopReason: outcome.stopReason?.rawValue, runID: runID, store: store)
        let comparison = decision.comparison
        let gateReport = decision.report
        let recommendation = decision.recommendation

        var datasetHashes: [String: String] = [:]
        for dataset in definition.datasets { datasetHashes[dataset.path] = FileHash.sha256(path: dataset.resolvedPath) ?? "missing" }
        var selection: [String: String] = [:]
        if !options.filterTags.isEmpty { selection["filter"] = options.filterTags.joined(separator: ",") }
        if let limit = options.limit { selection["limit"] = String(limit) }
        if let sample = options.sample { selection["sample"] = String(sample); selection["seed"] = String(options.seed) }
        let record = RunRecord(
            id: runID, pipeline: definition.name, pipelineFile: pipelinePath, pipelineHash: FileHash.sha256(path: definition.file) ?? "",
            datasetHashes: datasetHashes, agent: agent, version: version, owner: definition.agent.owner, tier: pipeline.tier.level,
            tierName: pipeline.tier.name, mode: settings.mode, environment: environmentName, startedAt: started, endedAt: outcome.ended,
            ci: settings.ciContext.mapValues { redactor($0) }, selection: selection, selectedCases: outcome.selection.count,
            availableCases: outcome.selection.available, missingCases: outcome.missing, stopReason: outcome.stopReason?.rawValue,
            tlsVerificationDisabled: definition.agent.endpoint.insecureSkipTLSVerify, exception: definition.gates.exception, summary: summary,
            gates: gateReport.gates, verdict: gateReport.verdict, baseline: comparison, recommendation: recommendation)

        phaseTimes.mark("decide")
        let resultPath = (folder as NSString).appendingPathComponent("result.json")
        let ids = journal.orderedIDs
        try ResultFile.write(record, cases: ids.lazy.compactMap { try? journal.rawRecord($0) }, to: resultPath)
        if let output = settings.outputPath {
            try? fileManager.removeItem(atPath: output)
            try fileManager.copyItem(atPath: resultPath, toPath: output)
        }
        let recommendationPath = settings.recommendationPath ?? (folder as NSString).appendingPathComponent("recommendation.json")
        try ResultFile.writeJSON(recommendation, to: recommendationPath)
        phaseTimes.mark("results")

        do {
            // Nothing else touches the journal until this returns.
            let finished = UncheckedSendable(journal)
            let knownGood = recommendation.action == .promote || recommendation.action == .keep
            try await onOwnThread { [record, ids, runID] in
                try store.save(record, caseDocuments: ids.lazy.compactMap { try? finished.value.rawRecord($0) })
                if knownGood { try store.markKnownGood(runID: runID) }
            }
        } catch {
            throw Failure.cannotRun("the run finished (results in \(resultPath)) but could not be recorded in the history: \(error)")
        }
        phaseTimes.mark("history")
        // Only the cases reports name are read back from the journal.
        let accumulator = outcome.accumulator
        if !accumulator.reviewQueue.isEmpty {
            let queued = accumulator.reviewQueue.sorted { $0.0 < $1.0 }.compactMap { try? journal.read($0.1) }
            let queue = HumanReview.queue(from: queued, redactor: redactor)
            try ResultFile.writeJSON(queue, to: (folder as NSString).appendingPathComponent("review-queue.json"))
        }
        var notPassing = accumulator.notPassing.sorted { $0.0 < $1.0 }.prefix(200).compactMap { try? journal.read($0.1) }
        notPassing.sort { ($0.status == .error ? 0 : 1, $0.critical ? 0 : 1, $0.score, $0.index) < ($1.status == .error ? 0 : 1, $1.critical ? 0 : 1, $1.score, $1.index) }
        return Result(
            record: record, runFolder: folder, resultPath: resultPath, recommendationPath: recommendationPath, warnings: report.diagnostics,
            redactor: redactor, notPassing: Array(notPassing.prefix(50)), phaseTimes: phaseTimes)
    }

    static func outcome(_ result: CaseResult) -> CaseOutcome {
        CaseOutcome(id: result.id, status: result.status, score: result.score, cluster: result.cluster, tags: result.tags, critical: result.critical)
    }

    static func newRunID(pipelinePath: String, at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let name = ((pipelinePath as NSString).lastPathComponent as NSString).deletingPathExtension
            .filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(formatter.string(from: date))-\(name.prefix(32))-\(suffix)"
    }
}
