import ArgumentParser
import EvalGateKit
import Foundation

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List recorded runs, newest first.", subcommands: [HistoryMigrateCommand.self])

    @OptionGroup var store: HistoryOptions

    @Option(help: "Only runs of this agent.")
    var agent: String?

    @Option(help: "Only runs of this pipeline.")
    var pipeline: String?

    @Option(help: "Only runs with this verdict: pass, fail or inconclusive.")
    var verdict: Verdict?

    @Option(help: "How many runs to list.")
    var limit: Int = 20

    @Option(help: "Output format: table, or json (the full run records).")
    var format: OutputFormat = .table

    @Flag(help: .hidden)
    var json = false

    @Flag(name: .customLong("ids"), help: "Print only run ids, newest first (for scripts).")
    var idsOnly = false

    func run() async throws {
        let history = try await store.open()
        let runs = try await history.runs(agent: agent, pipeline: pipeline, verdict: verdict, limit: limit)
        if idsOnly {
            for run in runs { print(run.id) }
            return
        }
        // `--json` is the older spelling of `--format json`.
        if json || format == .json {
            try printJSON(runs)
            return
        }
        if runs.isEmpty {
            print("no runs recorded in \(history.location)")
            return
        }
        var rows = [["RUN", "STARTED", "AGENT", "VERSION", "MODE", "VERDICT", "PASS RATE", "CASES", "ACTION"]]
        for run in runs {
            rows.append([
                run.id, timestamp(run.startedAt), run.agent, run.version, run.mode.rawValue, run.verdict.rawValue,
                Format.percent(run.summary.passRate.estimate),
                // A sequential run that stopped early says so: n of N, the rest are agent calls saved.
                run.sequential.map { $0.stop == nil ? "\(run.summary.total)" : "\(run.summary.total) of \($0.plannedCases), stopped early" }
                    ?? "\(run.summary.total)", run.recommendation.action.rawValue,
            ])
        }
        print(table(rows))
    }
}

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare two runs: gates side by side, regressed and fixed cases, McNemar and the paired bootstrap.")

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The baseline run (id or unique prefix).")
    var baseline: String

    @Argument(help: "The candidate run (id or unique prefix).")
    var candidate: String

    @Option(help: "Non-inferiority margin (default: max_regression of the candidate's pipeline and tier).")
    var margin: Double?

    @Option(help: "Output format: table, or json (the comparison, shaped as the result file's baseline section).")
    var format: OutputFormat = .table

    func run() async throws {
        let history = try await store.open()
        guard let base = try await history.run(id: baseline) else { throw ValidationError("no run '\(baseline)'") }
        guard let cand = try await history.run(id: candidate) else { throw ValidationError("no run '\(candidate)'") }
        let thresholds: ComparisonThresholds
        do {
            thresholds = try ComparisonThresholds.resolve(for: cand)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            printError("error: cannot read the tier policy of run \(cand.id) from its pipeline \(cand.pipelineFile)")
            throw ExitStatus.invalidInput.code
        }
        if let note = thresholds.note { printError("note: \(note)") }
        let comparison = BaselineComparator.compare(
            candidate: try await history.caseOutcomes(runID: cand.id), baseline: try await history.caseOutcomes(runID: base.id),
            baselineRunID: base.id,
            baselineVersion: base.version, margin: margin ?? thresholds.margin, confidence: thresholds.confidence)
        if format == .json {
            try printJSON(comparison)
            return
        }
        print("A: \(base.id) · \(base.agent) \(base.version) · \(base.verdict.rawValue)")
        print("B: \(cand.id) · \(cand.agent) \(cand.version) · \(cand.verdict.rawValue)")
        print("")
        var rows = [["GATE", "A", "B"]]
        let names = (base.gates.map(\.name) + cand.gates.map(\.name)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for name in names {
            let a = base.gates.first { $0.name == name }
            let b = cand.gates.first { $0.name == name }
            rows.append([name, a.map { "\($0.outcome.rawValue) \($0.measured)" } ?? "–", b.map { "\($0.outcome.rawValue) \($0.measured)" } ?? "–"])
        }
        print(table(rows))
        print("")
        print(
            "Paired on \(comparison.sharedCases) shared answered cases: \(comparison.regressedCases.count) regressed (A pass → B fail), \(comparison.fixedCases.count) fixed"
        )
        print(
            "Exact McNemar: two-sided \(Format.pValueClause(comparison.mcnemar.pValueTwoSided, spaced: true)), one-sided (B worse) \(Format.pValueClause(comparison.mcnemar.pValueCandidateWorse, spaced: true))"
        )
        if let bootstrap = comparison.bootstrap {
            print(
                "Mean score difference B − A: \(Format.signedPercent(bootstrap.meanDifference)) (\(Format.percent(bootstrap.confidence, digits: 0)) bootstrap CI \(Format.signedPercent(bootstrap.lower)) to \(Format.signedPercent(bootstrap.upper)), \(bootstrap.iterations) resamples over \(bootstrap.clusterCount) clusters, seed \(bootstrap.seed))"
            )
        }
        print("Non-inferiority at margin \(Format.percent(comparison.margin)): \(comparison.outcome.rawValue)")
        if !comparison.regressedCases.isEmpty { print("Regressed: \(comparison.regressedCases.joined(separator: ", "))") }
        if !comparison.fixedCases.isEmpty { print("Fixed: \(comparison.fixedCases.joined(separator: ", "))") }
    }
}
