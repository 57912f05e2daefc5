import ArgumentParser
import EvalGateKit
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Render a recorded run again, in any report format.")

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The run (id or unique prefix).")
    var run: String

    @Option(
        name: .customLong("report"), help: "FORMAT[=PATH]: console, json, junit, markdown, html, github, csv (repeatable; default console to stdout)."
    )
    var reports: [String] = []

    func validate() throws {
        for report in reports { _ = try ReportRequest.parse(report) }
    }

    func run() async throws {
        let history = try await store.open()
        guard let record = try await history.run(id: run) else {
            printError("error: no run '\(run)' in \(HistoryLocation(store.settings.historyPath))")
            throw ExitStatus.invalidInput.code
        }
        let cases = try await history.caseResults(runID: record.id)
        let trend = try await history.recentRuns(pipeline: record.pipeline, limit: 30).filter { $0.startedAt < record.startedAt }
        // The sign-offs and rejections in force now, not only as the run left them (docs/signoff.md).
        let shown = try await ReleaseReview.withSignOffsInForce(record, history: history)
        let context = ReportContext(record: shown, redactor: .none, trend: Array(trend.suffix(14)))
        let requests = reports.isEmpty ? [ReportRequest(format: .console, path: "-")] : try reports.map(ReportRequest.parse)
        for request in requests {
            let text = try Reports.render(request.format, context: context, cases: cases)
            if request.path == nil || request.path == "-" {
                print(text)
            } else if let path = request.path {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                print("Report (\(request.format.rawValue)): \(path)")
            }
        }
    }
}

struct TiersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers", abstract: "Show the tier policy and what each tier's pass-rate gate guarantees (its operating characteristic).")

    @Option(help: "The tier policy file (default: pipelines/tiers.yaml, else the built-in policy).")
    var policy: String?

    @Option(help: "Monte Carlo trials per point to cross-check the exact figures (0 = exact only).")
    var simulate: Int = 0

    @Option(help: "Seed for the simulation.")
    var seed: UInt64 = 1

    @Option(help: "Output format: table, or json (the policy's tiers with their operating characteristic).")
    var format: OutputFormat = .table

    @Flag(help: "Show the sequential pass-rate gate (evalgate run --sequential) beside the fixed-n gate, by simulation.")
    var sequential = false

    @Option(help: "With --sequential: the run size N to simulate (default: each tier's min_cases).")
    var cases: Int?

    func validate() throws {
        if simulate < 0 { throw ValidationError("--simulate must not be negative") }
        if let cases, cases < 1 { throw ValidationError("--cases must be at least 1") }
        if cases != nil && !sequential { throw ValidationError("--cases applies to --sequential") }
    }

    /// `--format json`: the policy's source and its tiers by level.
    struct Output: Encodable {
        var policy: String
        var tiers: [Tier]

        enum CodingKeys: String, CodingKey {
            case policy, tiers
        }
    }

    /// One tier as the policy defines it, and what its pass-rate gate guarantees (absent without one).
    struct Tier: Encodable {
        var level: Int
        var name: String
        var description: String?
        var thresholds: TierThresholds
        var authority: RiskTier.Authority
        var operatingCharacteristic: OperatingCharacteristicReport.Characteristic?

        enum CodingKeys: String, CodingKey {
            case level, name, description, thresholds, authority, operatingCharacteristic
        }
    }

    func run() async throws {
        let path = policy ?? (FileManager.default.fileExists(atPath: "pipelines/tiers.yaml") ? "pipelines/tiers.yaml" : nil)
        let tierPolicy: TierPolicy
        if let path {
            do {
                tierPolicy = try TierPolicyLoader.load(path: path, displayPath: path)
            } catch {
                for diagnostic in error.diagnostics { printError(diagnostic.description) }
                throw ExitStatus.invalidInput.code
            }
        } else {
            tierPolicy = TierPolicyLoader.builtIn()
        }
        if sequential {
            // A sequential gate's operating characteristic is simulated; 20,000 runs a point unless told.
            let replications = simulate > 0 ? simulate : 20_000
            if format == .json {
                try printJSON(
                    OperatingCharacteristicReport.sequentialCharacteristics(policy: tierPolicy, replications: replications, seed: seed, cases: cases))
            } else {
                print(OperatingCharacteristicReport.renderSequential(policy: tierPolicy, replications: replications, seed: seed, cases: cases))
            }
            return
        }
        guard format == .json else {
            print(OperatingCharacteristicReport.render(policy: tierPolicy, simulationTrials: simulate, seed: seed))
            return
        }
        let characteristics = OperatingCharacteristicReport.characteristics(policy: tierPolicy, simulationTrials: simulate, seed: seed)
        let tiers = tierPolicy.tiers.keys.sorted().compactMap { tierPolicy.tier($0) }.map { tier in
            Tier(
                level: tier.level, name: tier.name, description: tier.description, thresholds: tier.thresholds, authority: tier.authority,
                operatingCharacteristic: characteristics.first { $0.level == tier.level })
        }
        try printJSON(Output(policy: path ?? "built-in", tiers: tiers))
    }
}
