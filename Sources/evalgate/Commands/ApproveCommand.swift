import ArgumentParser
import EvalGateKit
import Foundation

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Record a person's approval that makes an inconclusive run's version known-good (e.g. the first release, which has no baseline).",
        discussion: "A run with a failed gate cannot be approved. The approval (who, why, when) is kept in the history and shown with the run."
    )

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The run (id or unique prefix).")
    var run: String

    @Option(help: "Who approves (a name with release authority for the agent's tier).")
    var by: String

    @Option(help: "Why the missing evidence is acceptable.")
    var reason: String

    func run() async throws {
        let history = try await store.open()
        guard let record = try await history.run(id: run) else {
            printError("error: no run '\(run)'")
            throw ExitStatus.invalidInput.code
        }
        do {
            try await history.approve(runID: record.id, approvedBy: by, reason: reason)
        } catch let error as HistoryError {
            printError("error: \(error.localizedDescription)")
            throw ExitStatus.invalidInput.code
        }
        let open = record.gates.filter { $0.outcome != .pass }.map(\.name)
        print("Approved \(record.agent) \(record.version) (run \(record.id)) as known-good: \(by) — \(reason)")
        if !open.isEmpty { print("Gates left open by the run and covered by this approval: \(open.joined(separator: ", "))") }
    }
}
