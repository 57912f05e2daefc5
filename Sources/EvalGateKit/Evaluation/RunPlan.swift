import Foundation

/// The first stage of a run: what will run and against what. The pipeline loaded and validated,
/// its tier resolved, the run's identity and folder, the case selection, and — for `--resume` and
/// `--retry-errors` — the earlier run's selection and the journal of what already finished.
public struct RunPlan: @unchecked Sendable {
    // Unchecked: `journal` is used by one stage at a time (execution appends, recording reads).

    public var runID: String
    public var startedAt: Date
    public var pipelinePath: String
    public var pipeline: LoadedPipeline
    /// Release or monitor.
    public var mode: Recommendation.Mode
    /// The deployment environment the run is about (flag, else the pipeline's `rollback.environment`).
    public var environment: String
    /// Case selection, budgets and concurrency as the run will use them.
    public var options: RunOptions
    /// The run's folder: manifest, journal, result, recommendation, review queue.
    public var folder: String
    public var journal: RunJournal
    /// Validation's warnings and notes (errors stop the plan).
    public var warnings: [Diagnostic]
    /// How many cases the datasets hold, when validation counted them all.
    public var validatedCaseCount: Int?
    public var settings: EvaluationSettings

    public var definition: PipelineDefinition { pipeline.definition }

    public func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Why a plan cannot be made.
    public enum Failure: Error, CustomStringConvertible {
        /// The pipeline or its datasets have errors (with file, line and column).
        case invalid([Diagnostic])
        /// Something outside the user's input is in the way (no run to resume, history unreadable).
        case cannotRun(String)

        public var description: String {
            switch self {
            case .invalid(let diagnostics): return diagnostics.map(\.description).joined(separator: "\n")
            case .cannotRun(let message): return message
            }
        }
    }

    /// Run metadata kept beside the journal so `--resume` knows what was asked.
    struct Manifest: Codable {
        var id: String
        var pipelinePath: String
        var mode: Recommendation.Mode
        var filterTags: [String]
        var limit: Int?
        var sample: Int?
        var seed: UInt64
        var startedAt: Date
        /// Absent in manifests written before sequential runs existed.
        var sequential: Bool?
        /// The shard a `--shard` run executes, and its group; absent for a run that is not a shard.
        var shard: Shard?
        var shardGroup: String?
    }

    /// Validates the pipeline (on a thread of its own: it reads every dataset) and prepares the
    /// run's folder; a resumed run continues its earlier folder, selection and journal.
    /// `validatingCases: false` (`evalgate merge`) reads no dataset case: see `PipelineValidator.validate(path:cases:)`.
    public static func make(pipelinePath: String, settings: EvaluationSettings, validatingCases: Bool = true) async throws -> RunPlan {
        var settings = settings
        var pipelinePath = pipelinePath
        let runID: String
        var started = Date()
        if let earlier = settings.resumeRunID ?? settings.retryErrorsRunID {
            let manifestPath = (settings.runFolder(earlier) as NSString).appendingPathComponent("manifest.json")
            guard let data = FileManager.default.contents(atPath: manifestPath),
                let manifest = try? JSONCoding.decoder().decode(Manifest.self, from: data)
            else {
                throw Failure.cannotRun("no run '\(earlier)' to continue in \(settings.runsFolder)")
            }
            runID = manifest.id
            pipelinePath = manifest.pipelinePath
            settings.mode = manifest.mode
            settings.options.filterTags = manifest.filterTags
            settings.options.limit = manifest.limit
            settings.options.sample = manifest.sample
            settings.options.seed = manifest.seed
            settings.options.sequential = manifest.sequential ?? false
            settings.options.shard = manifest.shard
            settings.shardGroup = manifest.shardGroup
            started = manifest.startedAt
        } else {
            runID = newRunID(pipelinePath: pipelinePath, at: started)
        }

        let validator = PipelineValidator(loader: PipelineLoader(variables: settings.processEnvironment))
        let report = try await onOwnThread { [pipelinePath] in validator.validate(path: pipelinePath, cases: validatingCases) }
        guard report.isValid, var pipeline = report.pipeline else { throw Failure.invalid(report.diagnostics) }
        // A PostgreSQL history's password is one of the run's secrets (journal, reports, history).
        pipeline.secrets += HistoryLocation(settings.historyPath, environment: settings.processEnvironment).secrets

        if settings.options.sequential && (settings.options.limit != nil || settings.options.sample != nil) {
            throw Failure.cannotRun(
                "a sequential run cannot be combined with --limit or --sample: it decides how many of the selected cases it needs")
        }
        var warnings = report.diagnostics
        // The pipeline's `gates.sequential` wins; without it, the tier policy's `sequential`.
        let sequentialByDefault = (pipeline.definition.gates.sequential ?? pipeline.tier.sequential) == true
        if sequentialByDefault && settings.resumeRunID == nil && settings.retryErrorsRunID == nil {
            if settings.options.limit == nil && settings.options.sample == nil {
                settings.options.sequential = true
            } else {
                // The documented fallback: a subset chosen by --limit or --sample runs as a fixed run.
                warnings.append(
                    Diagnostic(
                        .warning, pipeline.definition.gates.location,
                        "sequential gates (the pipeline's or its tier's) are not used with --limit or --sample: this run is a fixed run of the chosen cases"
                    ))
            }
        }
        let folder = settings.runFolder(runID)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let options = settings.options
        let manifest = Manifest(
            id: runID, pipelinePath: pipelinePath, mode: settings.mode, filterTags: options.filterTags, limit: options.limit,
            sample: options.sample, seed: options.seed, startedAt: started, sequential: options.sequential ? true : nil, shard: options.shard,
            shardGroup: options.shard == nil ? nil : settings.shardGroup)
        try ResultFile.writeJSON(manifest, to: (folder as NSString).appendingPathComponent("manifest.json"))
        let journal = try RunJournal(path: (folder as NSString).appendingPathComponent("journal.jsonl"), redactor: pipeline.redactor)

        var plan = RunPlan(
            runID: runID, startedAt: started, pipelinePath: pipelinePath, pipeline: pipeline, mode: settings.mode,
            environment: settings.environment ?? pipeline.definition.rollback.environment, options: options, folder: folder, journal: journal,
            warnings: warnings,
            validatedCaseCount: validatingCases && report.diagnostics.count < PipelineValidator.maxDiagnostics ? report.caseCount : nil,
            settings: settings)
        if settings.retryErrorsRunID != nil {
            plan.options.onlyIDs = Set(journal.orderedResults().filter { $0.status == .error }.map(\.id))
        }
        return plan
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
