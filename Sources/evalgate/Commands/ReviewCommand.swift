import ArgumentParser
import EvalGateKit
import Foundation

struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record people's labels for a run's queued cases; labels override the machine's outcome and the run is decided again.",
        discussion: """
            `evalgate run` writes review-queue.json in the run folder when cases need a person. Set each entry's "label" \
            to "pass" or "fail" (and optionally "reviewer", "note"), then: evalgate review RUN --labels review-queue.json
            Without --labels, prints the queue. Exit codes: 0 pass, 1 fail, 2 inconclusive after the labels, 3 invalid input.
            """
    )

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The run (id or unique prefix).")
    var run: String

    @Option(help: "The edited review file.")
    var labels: String?

    @Option(help: "Reviewer name for entries without one (default: the CI identity, e.g. $GITHUB_ACTOR, or $USER); named in the audit log.")
    var reviewer: String?

    func run() async throws {
        let history = try await store.open()
        guard let record = try await history.run(id: run) else {
            printError("error: no run '\(run)'")
            throw ExitStatus.invalidInput.code
        }
        guard let labels else {
            let queue = HumanReview.queue(from: try await history.caseResults(runID: record.id), redactor: .none)
            if queue.isEmpty { print("run \(record.id) has no cases queued for review") }
            for entry in queue { print("\(entry.caseID)  [\(entry.machineStatus), score \(String(format: "%.2f", entry.score))]  \(entry.why)") }
            return
        }
        let entries: [HumanReview.Entry]
        do {
            entries = try HumanReview.readLabels(path: labels)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitStatus.invalidInput.code
        }
        let updated: RunRecord
        do {
            updated = try await HumanReview.apply(
                entries, toRun: record.id, reviewer: AuditActor.resolve(by: reviewer), history: history,
                loader: PipelineLoader())
        } catch let error as InvalidInputError {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitStatus.invalidInput.code
        } catch let error as HistoryError {
            printError("error: \(error.localizedDescription)")
            throw ExitStatus.invalidInput.code
        }
        let review = updated.humanReview
        print("Recorded \(entries.count) labels for run \(updated.id) (\(review?.overridden.count ?? 0) changed the machine's outcome).")
        print(
            "Judge agreement (Cohen's kappa, \(review?.labelCount ?? 0) labels for \(updated.agent)): \(review?.judgeAgreement.map { String(format: "%.2f", $0) } ?? "not yet defined")"
        )
        print("Verdict now: \(updated.verdict.rawValue.uppercased()) — \(updated.recommendation.summary)")
        try ExitStatus.finish(with: updated.verdict)
    }
}
