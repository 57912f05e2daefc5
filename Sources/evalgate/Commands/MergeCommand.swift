import ArgumentParser
import EvalGateKit
import Foundation

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Decide a sharded run once, from its shards: the same gates, records, reports and exit codes as `evalgate run`.",
        discussion: """
            Give the shards' run ids, --group GROUP (every shard of a group in the history; with a shared PostgreSQL \
            history no files move between jobs), or --files with the shards' --output result files. The shards must \
            be of one run (one fingerprint: pipeline, datasets, agent version, selection, shard count), each given \
            once and not overlapping; a missing shard makes the verdict inconclusive, naming it.
            Exit codes: 0 pass, 1 a gate failed, 2 inconclusive (a shard missing too), 3 the shards do not fit together \
            or the pipeline changed since they ran, 4 could not run, 64 usage error.
            """
    )

    @Argument(help: "Shard run ids (or unique prefixes) in the history.")
    var runs: [String] = []

    @Option(help: "Merge every shard of this group in the history (`run --shard-group`, default the CI run's id).")
    var group: String?

    @Option(
        help:
            "With --group: wait up to this long (e.g. 30m) for every shard to be recorded, then merge what is there (a missing shard is inconclusive)."
    )
    var wait: String?

    @Option(parsing: .upToNextOption, help: "Merge the shards' result files (`run --shard … --output FILE`).")
    var files: [String] = []

    @Option(help: "Also write the full result JSON to this path.")
    var output: String?

    @Option(help: "Write the recommendation JSON to this path.")
    var recommendation: String?

    @Option(help: "History database for the shards (with run ids or --group) and the merged run.")
    var history: String?

    @Option(help: "State folder for runs (default: $EVALGATE_HOME or .evalgate).")
    var home: String?

    @Option(name: .customLong("report"), help: "Report FORMAT[=PATH]: console, json, junit, markdown, html, github, csv (repeatable).")
    var reports: [String] = []

    @Option(help: "Who the audit log names for this decision (default: the CI identity, e.g. $GITHUB_ACTOR, or $USER).")
    var by: String?

    @Flag(help: "Only the verdict line and errors.")
    var quiet = false

    @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal (NO_COLOR is honoured too).")
    var noColor = false

    func validate() throws {
        let sources = [!runs.isEmpty, group != nil, !files.isEmpty].filter { $0 }.count
        if sources != 1 { throw ValidationError("give the shards one way: run ids, --group GROUP, or --files FILE...") }
        if let group, group.isEmpty { throw ValidationError("--group must not be empty") }
        if let wait {
            guard group != nil else { throw ValidationError("--wait needs --group: only the history can be watched for shards") }
            guard DurationText.seconds(wait) != nil else { throw ValidationError("--wait must be a duration like 90s, 10m or 1h") }
        }
        for report in reports { _ = try ReportRequest.parse(report) }
    }

    func run() async throws {
        let source: ShardMerge.Source = if let group { .group(group) } else if !files.isEmpty { .files(files) } else { .runs(runs) }
        let settings = EvaluationSettings(home: home, historyPath: history, outputPath: output, recommendationPath: recommendation, actor: by)
        let merge = ShardMerge(source: source, settings: settings, wait: wait.flatMap(DurationText.seconds))
        let requests = try reports.map(ReportRequest.parse)
        try await RunCommand.conclude(display: ProgressDisplay(quiet: true), requests: requests, quiet: quiet, noColor: noColor) {
            try await merge.run()
        }
    }
}
