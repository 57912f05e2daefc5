import ArgumentParser
import EvalGateKit
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline's golden datasets against its agent, apply the tier's gates and recommend what to do.",
        discussion: """
            Exit codes: 0 pass, 1 a gate failed, 2 inconclusive, 3 invalid input, 4 could not run, 5 interrupted, 7 shard recorded (with --shard), 64 usage error.
            The recommendation is printed and written as JSON (--recommendation, default in the run folder).
            """
    )

    @Argument(help: "The pipeline file. Optional with --resume or --retry-errors.")
    var pipeline: String?

    @Flag(help: "Monitor mode: check the version that is live now (nightly sweeps); a failure recommends a rollback.")
    var monitor = false

    @Option(name: .customLong("environment"), help: "Deployment environment (default: the pipeline's rollback.environment).")
    var environmentName: String?

    @Option(name: .customLong("filter"), help: "Run only cases with this tag (repeatable; any of them).")
    var filterTags: [String] = []

    @Option(help: "Run only the first N selected cases.")
    var limit: Int?

    @Option(help: "Run a random sample of N cases (reproducible with --seed).")
    var sample: Int?

    @Option(help: "Seed for --sample and for the --sequential order.")
    var seed: UInt64 = 0

    @Flag(
        help:
            "Sequential gates: run the cases in a seeded random order (critical and must-pass first) and stop as soon as the verdict is decided, at the tier's error rates."
    )
    var sequential = false

    @Option(
        help: ArgumentHelp(
            "Run only shard I of N of the selected cases (1-based), or `auto` from the CI matrix or Kubernetes Indexed Job; `evalgate merge` decides.",
            valueName: "I/N|auto"))
    var shard: String?

    @Option(
        name: .customLong("shard-group"),
        help: "The sharded run this shard belongs to, for `evalgate merge --group` (default: $EVALGATE_SHARD_GROUP or the CI run's id).")
    var shardGroup: String?

    @Option(help: "Also write the full result JSON to this path.")
    var output: String?

    @Option(help: "Write the recommendation JSON to this path.")
    var recommendation: String?

    @Option(help: "History database (default: $EVALGATE_HISTORY or .evalgate/history.sqlite).")
    var history: String?

    @Option(help: "State folder for runs (default: $EVALGATE_HOME or .evalgate).")
    var home: String?

    @Option(help: "Continue an interrupted run: finished cases are kept, only the rest are sent.")
    var resume: String?

    @Option(name: .customLong("retry-errors"), help: "Re-send only the cases of a run that ended in infrastructure errors.")
    var retryErrors: String?

    @Option(name: .customLong("max-duration"), help: "Stop starting cases after this long (e.g. 10m); the verdict is then inconclusive.")
    var maxDuration: String?

    @Option(name: .customLong("max-cost"), help: "Stop starting cases once the run has cost this much; the verdict is then inconclusive.")
    var maxCost: Money?

    @Option(help: "Override the endpoint's max_concurrency.")
    var concurrency: Int?

    @Option(name: .customLong("report"), help: "Report FORMAT[=PATH]: console, json, junit, markdown, html, github, csv (repeatable).")
    var reports: [String] = []

    @Option(help: "Who the audit log names for this decision (default: the CI identity, e.g. $GITHUB_ACTOR, or $USER).")
    var by: String?

    @Flag(help: "Sign the run's evidence (in-toto statement in a DSSE envelope) with the key at $EVALGATE_SIGNING_KEY; written to the run folder.")
    var attest = false

    @OptionGroup var tracing: TraceOptions

    @Flag(help: "No progress display, only the verdict line and errors.")
    var quiet = false

    @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal (NO_COLOR is honoured too).")
    var noColor = false

    func validate() throws {
        if pipeline == nil && resume == nil && retryErrors == nil {
            throw ValidationError("give a pipeline file, --resume RUN or --retry-errors RUN")
        }
        if resume != nil && retryErrors != nil { throw ValidationError("--resume and --retry-errors cannot be combined") }
        if let limit, limit <= 0 { throw ValidationError("--limit must be at least 1") }
        if let sample, sample <= 0 { throw ValidationError("--sample must be at least 1") }
        if sequential && (limit != nil || sample != nil) {
            throw ValidationError(
                "--sequential cannot be combined with --limit or --sample: a sequential run decides how many of the selected cases it needs")
        }
        if sequential && (resume != nil || retryErrors != nil) {
            throw ValidationError("--sequential is kept from the run being continued; do not repeat it with --resume or --retry-errors")
        }
        if let concurrency, concurrency <= 0 || concurrency > 4096 { throw ValidationError("--concurrency must be between 1 and 4096") }
        if let maxCost, maxCost <= 0 { throw ValidationError("--max-cost must be above zero") }
        if let maxDuration, DurationText.seconds(maxDuration) == nil {
            throw ValidationError("--max-duration must be a duration like 90s, 10m or 1h")
        }
        for report in reports { _ = try ReportRequest.parse(report) }
        if let shard {
            if resume != nil || retryErrors != nil {
                throw ValidationError("--shard is kept from the run being continued; do not repeat it with --resume or --retry-errors")
            }
            do { _ = try Shard.parse(shard, environment: ProcessInfo.processInfo.environment) } catch { throw ValidationError("\(error)") }
        }
        if shardGroup != nil && shard == nil { throw ValidationError("--shard-group needs --shard") }
        if attest && (ProcessInfo.processInfo.environment["EVALGATE_SIGNING_KEY"] ?? "").isEmpty {
            throw ValidationError(
                "--attest signs with the key at $EVALGATE_SIGNING_KEY, which is not set (create one with `evalgate keygen --out PATH`)")
        }
        if attest && shard != nil { throw ValidationError("--attest cannot sign a shard: attest the merged run (`evalgate attest RUN`)") }
        if let shardGroup, shardGroup.isEmpty || shardGroup.count > 200 { throw ValidationError("--shard-group must be 1 to 200 characters") }
    }

    func run() async throws {
        var options = RunOptions(filterTags: filterTags, limit: limit, sample: sample, seed: seed, maxCost: maxCost, maxConcurrency: concurrency)
        options.maxDuration = maxDuration.flatMap(DurationText.seconds)
        options.sequential = sequential
        options.shard = try shard.map { try Shard.parse($0, environment: ProcessInfo.processInfo.environment) }
        var settings = EvaluationSettings(
            home: home, historyPath: history, mode: monitor ? .monitor : .release, environment: environmentName, options: options,
            outputPath: output, recommendationPath: recommendation, resumeRunID: resume, retryErrorsRunID: retryErrors, actor: by)
        settings.shardGroup = shardGroup
        let evaluation = PipelineEvaluation(pipelinePath: pipeline ?? "", settings: settings)
        let display = ProgressDisplay(quiet: quiet)
        let requests = try reports.map(ReportRequest.parse)
        let signingKey = attest ? ProcessInfo.processInfo.environment["EVALGATE_SIGNING_KEY"] : nil
        let (quiet, noColor) = (quiet, noColor)
        try await tracing.exporting {
            try await Self.conclude(display: display, requests: requests, quiet: quiet, noColor: noColor, signingKey: signingKey) {
                try await evaluation.run(progress: { display.update($0) })
            }
        }
    }

    /// Runs `evaluate` (a run, or a merge of shards), writes the requested reports, and ends with
    /// the exit code of the outcome.
    static func conclude(
        display: ProgressDisplay, requests: [ReportRequest], quiet: Bool, noColor: Bool, signingKey: String? = nil,
        _ evaluate: @escaping @Sendable () async throws -> PipelineEvaluation.Result
    ) async throws {
        let result: PipelineEvaluation.Result
        do {
            result = try await Interruption.run { try await evaluate() }
        } catch let failure as ShardMerge.Failure {
            display.finish()
            printError("error: \(failure)")
            throw ExitStatus.invalidInput.code
        } catch let failure as PipelineEvaluation.Failure {
            display.finish()
            switch failure {
            case .invalid(let diagnostics):
                for diagnostic in diagnostics { printError(diagnostic.description) }
                throw ExitStatus.invalidInput.code
            case .cannotRun(let message):
                printError("error: \(message)")
                throw ExitStatus.cannotRun.code
            }
        } catch let error as InvalidInputError {
            display.finish()
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitStatus.invalidInput.code
        }
        display.finish()
        if ProcessInfo.processInfo.environment["EVALGATE_PHASE_TIMES"] == "1" { printError(result.phaseTimes.description) }
        for warning in result.warnings where warning.severity != .note { printError(warning.description) }
        try await onOwnThread { [quiet, noColor] in try ReportWriter.write(result: result, requests: requests, quiet: quiet, noColor: noColor) }
        if let signingKey, result.record.shard == nil {
            // Signed only once the run is recorded: the statement names the history's audit head.
            let history = try await HistoryLocation(result.historyLocation).open()
            try await AttestCommand.sign(
                result.record, history: history, keyPath: signingKey, subjectDigest: nil,
                to: (result.runFolder as NSString).appendingPathComponent("attestation.dsse.json"))
        }
        if result.record.stopReason == .interrupted {
            printError("interrupted: \(result.record.missingCases) cases not run; continue with `evalgate run --resume \(result.record.id)`")
            throw ExitStatus.interrupted.code
        }
        if let shard = result.record.shard {
            printError(
                "shard \(shard.index)/\(shard.count) of group \(shard.group) recorded as run \(result.record.id): \(result.record.selectedCases - result.record.missingCases) of its \(result.record.selectedCases) cases; decide with `evalgate merge --group \(shard.group)`"
            )
            throw ExitStatus.partial.code
        }
        try ExitStatus.finish(with: result.record.verdict)
    }
}

enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value > 0 { return value * factor }
        }
        if let value = Double(trimmed), value > 0 { return value }
        return nil
    }
}
