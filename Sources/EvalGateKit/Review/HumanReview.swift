import Foundation

/// What people decided about a run's queued cases, and how far the machine agreed with them.
public struct HumanReviewSummary: Sendable, Equatable, Codable {
    /// Labels by case id: `pass` or `fail`.
    public var labels: [String: String]
    /// Cases whose outcome the labels changed.
    public var overridden: [String]
    /// Cohen's kappa between evalgate's (judge) outcome and human labels, over all labelled cases of
    /// this agent; `nil` until there are enough labels for it to be defined.
    public var judgeAgreement: Double?
    public var labelCount: Int
}

/// The human review round trip: a queue file a person edits, and the labels it comes back with.
public enum HumanReview {
    /// One queued case, as written to `review-queue.json` and read back with `label` filled in.
    public struct Entry: Sendable, Equatable, Codable {
        public var caseID: String
        public var why: String
        public var machineStatus: String
        public var score: Double
        public var input: String
        public var answer: String
        /// `pass` or `fail`, filled in by the reviewer.
        public var label: String?
        public var reviewer: String?
        public var note: String?
    }

    public static func queue(from cases: some Sequence<CaseResult>, redactor: Redactor) -> [Entry] {
        cases.filter { $0.review != nil }.map { result in
            Entry(
                caseID: result.id, why: result.review ?? "", machineStatus: result.status.rawValue, score: result.score,
                input: redactor(String(result.input.text.prefix(4000))), answer: redactor(String((result.answer?.text ?? "").prefix(4000))),
                label: nil, reviewer: nil, note: nil)
        }
    }

    /// Reads a queue file a person has edited; entries without a label are skipped.
    public static func readLabels(path: String) throws(InvalidInputError) -> [Entry] {
        let location = SourceLocation(file: path)
        let data = try TextFile.read(path: path, displayPath: path, maxBytes: 64 << 20)
        let entries: [Entry]
        do {
            entries = try JSONCoding.decoder().decode([Entry].self, from: data)
        } catch {
            throw InvalidInputError(
                location, "not a review file: \(error)",
                hint: "edit the review-queue.json written by `evalgate run`: set \"label\" to \"pass\" or \"fail\"")
        }
        var problems: [Diagnostic] = []
        for entry in entries {
            if let label = entry.label, label != "pass" && label != "fail" {
                problems.append(Diagnostic(.error, location, "case '\(entry.caseID)': label must be \"pass\" or \"fail\", found \"\(label)\""))
            }
        }
        if !problems.isEmpty { throw InvalidInputError(problems) }
        return entries.filter { $0.label != nil }
    }

    /// Records the labels, re-decides the run with them (labels override the machine's outcome for
    /// those cases; the machine's own outcome stays on record for the agreement figure) and records
    /// the new decision through the same `Decision` and `Recording` stages as a fresh run.
    public static func apply(
        _ entries: [Entry], toRun runID: String, reviewer: String, history: any RunHistory, loader: PipelineLoader
    ) async throws -> RunRecord {
        guard let stored = try await history.run(id: runID) else {
            throw InvalidInputError(SourceLocation(file: runID), "no run '\(runID)' in the history")
        }
        for entry in entries {
            guard let label = entry.label.flatMap(ReviewLabel.Label.init(rawValue:)) else { continue }
            try await history.recordReviewLabel(
                runID: stored.id, caseID: entry.caseID, label: label, reviewer: entry.reviewer ?? reviewer, note: entry.note, at: Date())
        }
        let labels = try await history.reviewLabels(runID: stored.id)
        let byCase = Dictionary(labels.map { ($0.caseID, $0.label) }, uniquingKeysWith: { _, last in last })
        let pipeline = try await onOwnThread { try loader.load(path: stored.pipelineFile) }
        let relabelled = relabel(try await history.caseResults(runID: stored.id), with: byCase, pipeline: pipeline)
        let outcome = RunOutcome(
            accumulator: relabelled.accumulator, summary: relabelled.accumulator.summary(currency: stored.summary.currency),
            selectedCases: stored.selectedCases, availableCases: stored.availableCases, missingCases: stored.missingCases,
            stopReason: stored.stopReason, endedAt: stored.endedAt, sequential: stored.sequential)

        let subject = Decision.Subject(runID: stored.id, pipeline: pipeline, mode: stored.mode, environment: stored.environment)
        let decision = Decision.make(subject, outcome: outcome, evidence: try await DecisionEvidence.gather(for: subject, from: history))
        let pairs = try await history.allReviewLabels(agent: stored.agent).compactMap(\.agreementPair).map { ($0.automatic, $0.human) }
        var record = stored.redecided(decision, summary: outcome.summary)
        record.humanReview = HumanReviewSummary(
            labels: byCase.mapValues(\.rawValue), overridden: relabelled.overridden,
            judgeAgreement: pairs.count >= 2 ? CohenKappa.compute(pairs) : nil, labelCount: pairs.count)
        // The stored cases keep the machine's outcome; the labels live beside them and in the record.
        try await Recording(history: history, actor: reviewer).record(record, decision: decision, cases: nil)
        return record
    }

    /// The run's cases with people's labels in place of the machine's outcome, accumulated.
    static func relabel(
        _ cases: [CaseResult], with labels: [String: ReviewLabel.Label], pipeline: LoadedPipeline
    ) -> (accumulator: RunAccumulator, overridden: [String]) {
        var accumulator = RunAccumulator(confidence: pipeline.thresholds.confidence ?? TierThresholds.defaultConfidence)
        accumulator.passHatK = pipeline.thresholds.minPassHatK?.k
        var overridden: [String] = []
        for var result in cases {
            if let label = labels[result.id] {
                let status: CaseResult.Status = label == .pass ? .passed : .failed
                if status != result.status { overridden.append(result.id) }
                result.status = status
                result.error = nil
                result.review = nil
            }
            accumulator.add(result)
        }
        return (accumulator, overridden)
    }
}
