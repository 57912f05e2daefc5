import Foundation

/// The report stage's share in the library: what reports need read back from the journal (only
/// the cases they list), and the review queue file a person labels (`evalgate review`).
/// Rendering (console, JSON, JUnit, Markdown, HTML, CSV, GitHub) is `ReportFormat`'s.
public struct RunReports: Sendable {
    /// Up to 50 cases that did not pass: errors first, then critical ones, then the lowest scores.
    public var notPassing: [CaseResult]
    /// The review queue file, when cases were queued for people.
    public var reviewQueuePath: String?

    public static func make(plan: RunPlan, outcome: RunOutcome) async throws -> RunReports {
        try await onOwnThread {
            let accumulator = outcome.accumulator
            var reviewQueuePath: String?
            if !accumulator.reviewQueue.isEmpty {
                let queued = accumulator.reviewQueue.sorted { $0.0 < $1.0 }.compactMap { try? plan.journal.read(index: $0.0, id: $0.1) }
                let path = plan.path("review-queue.json")
                try ResultFile.writeJSON(HumanReview.queue(from: queued, redactor: plan.pipeline.redactor), to: path)
                reviewQueuePath = path
            }
            var notPassing = accumulator.notPassing.sorted { $0.0 < $1.0 }.prefix(200).compactMap { try? plan.journal.read(index: $0.0, id: $0.1) }
            notPassing.sort { Self.order($0) < Self.order($1) }
            return RunReports(notPassing: Array(notPassing.prefix(50)), reviewQueuePath: reviewQueuePath)
        }
    }

    static func order(_ result: CaseResult) -> (Int, Int, Double, Int) {
        (result.status == .error ? 0 : 1, result.critical ? 0 : 1, result.score, result.index)
    }
}
