import ArgumentParser
import EvalGateKit
import Foundation

struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every pipeline of a folder (monitor mode by default), keep going past failures, report drift, notify.",
        discussion: "Exit codes: 0 all passed, 1 a pipeline failed, 3 a pipeline is invalid, 4 a pipeline could not run, 2 inconclusive."
    )

    @Argument(help: "Folder of pipelines (default: pipelines).")
    var directory: String = "pipelines"

    @Flag(help: "Release mode instead of monitor mode.")
    var release = false

    @OptionGroup var store: HistoryOptions

    @Option(help: "POST a summary to this webhook (Slack-compatible JSON).")
    var notify: String?

    @Option(help: "Write the sweep summary JSON here.")
    var output: String?

    @OptionGroup var tracing: TraceOptions

    @Flag(help: "Only the summary.")
    var quiet = false

    @Option(help: "Output format: table, or json (the sweep summary, as --output writes it; progress lines go to stderr).")
    var format: OutputFormat = .table

    /// The sweep summary: `--output` and `--format json`.
    struct Output: Encodable {
        var status: SweepRunner.Entry.Status
        var entries: [SweepRunner.Entry]

        enum CodingKeys: String, CodingKey {
            case status, entries
        }
    }

    func run() async throws {
        let pipelines = try PipelineArguments.expand([directory])
        let settings = EvaluationSettings(home: store.home, historyPath: store.history, mode: release ? .release : .monitor)
        let quiet = self.quiet
        let json = format == .json
        let result = try await tracing.exporting {
            await SweepRunner(pipelines: pipelines, settings: settings).run { entry in
                guard !quiet else { return }
                let line =
                    "\(entry.status.rawValue.uppercased().padding(toLength: 12, withPad: " ", startingAt: 0)) \(entry.pipeline)  \(entry.summary)"
                if json { printError(line) } else { print(line) }
            }
        }
        let summary = Output(status: result.status, entries: result.entries)
        if json {
            try printJSON(summary)
        } else {
            printTable(result)
        }
        if let output {
            try ResultFile.writeJSON(summary, to: output)
        }
        if let notify {
            if let problem = await SweepNotification.post(SweepNotification.payload(result), to: notify) {
                printError("warning: notification not delivered: \(problem)")
            }
        }
        switch result.status {
        case .pass: return
        case .fail: throw ExitStatus.fail.code
        case .invalid: throw ExitStatus.invalidInput.code
        case .error: throw ExitStatus.cannotRun.code
        case .inconclusive: throw ExitStatus.inconclusive.code
        }
    }

    func printTable(_ result: SweepRunner.Result) {
        print("")
        print("Sweep: \(result.status.rawValue.uppercased()) (\(result.entries.count) pipelines)")
        var rows = [["PIPELINE", "STATUS", "AGENT", "VERSION", "ACTION", "PASS RATE", "DRIFT"]]
        for entry in result.entries {
            rows.append([
                entry.pipeline, entry.status.rawValue, entry.agent ?? "–", entry.version ?? "–", entry.action?.rawValue ?? "–",
                entry.passRate.map { Format.percent($0) } ?? "–", entry.drift?.isDrifting == true ? "yes" : "no",
            ])
        }
        print(table(rows))
        for entry in result.drifting {
            for finding in entry.drift?.findings ?? [] { print("drift: \(entry.pipeline): \(finding)") }
        }
    }
}
