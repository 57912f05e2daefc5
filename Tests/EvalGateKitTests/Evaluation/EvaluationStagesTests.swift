import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// The run's journey as separate stages, each with one job: plan → execute → decide → record →
/// report. These tests drive the stages one at a time against the reference agent and a real
/// SQLite history, checking that each does its own job and nothing else.
@Suite("Evaluation stages", .serialized)
struct EvaluationStagesTests {
    static func fixture(_ agent: RunningReferenceAgent, baseline: String = "{from: history}") -> PipelineFixture {
        // Tier 1 needs 30 cases for a conclusive verdict.
        let cases = (0..<30).map { index -> JSONValue in
            let question = RepeatTests.questions[index % RepeatTests.questions.count]
            return [
                "id": .string("\(question.id)-\(index)"), "input": .string(question.input),
                "assert": [["type": "icontains", "value": .string(question.fact)]],
            ]
        }
        let pipeline = JudgeFixtures.pipeline(agent)
            .replacingOccurrences(of: "baseline: {from: none}", with: "baseline: \(baseline)")
            .replacingOccurrences(
                of: "    max_concurrency: 2", with: "    max_concurrency: 2\n    pricing: {input_per_1k: 0.001, output_per_1k: 0.002}")
        return PipelineFixture(pipeline: pipeline, datasets: ["cases.jsonl": PipelineFixture.jsonl(cases)])
    }

    @Test func eachStageDoesItsOwnJob() async throws {
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent)
            let settings = fixture.settings()
            let historyPath = settings.historyPath

            // Plan: validated pipeline, run folder with its manifest; no agent call, no history.
            let plan = try await RunPlan.make(pipelinePath: fixture.pipelinePath, settings: settings)
            #expect(plan.definition.agent.name == "kb-agent" && plan.environment == "production" && plan.mode == .release)
            #expect(FileManager.default.fileExists(atPath: plan.path("manifest.json")))
            #expect(await agent.statistics().byAgent["kb-agent"] == nil)
            #expect(!FileManager.default.fileExists(atPath: historyPath))

            // Execute: every case answered and journaled; still nothing in the history.
            let outcome = try await Execution(plan: plan).run()
            #expect(outcome.summary.total == 30 && outcome.summary.passed == 30 && outcome.missingCases == 0 && outcome.stopReason == nil)
            #expect(plan.journal.count == 30)
            #expect(await agent.statistics().byAgent["kb-agent"] == 30)
            #expect(!FileManager.default.fileExists(atPath: historyPath))

            // Decide: pure — the same outcome and evidence give the same decision, and it writes nothing.
            let history = try await HistoryLocation(historyPath).open()
            let subject = Decision.Subject(runID: plan.runID, pipeline: plan.pipeline, mode: plan.mode, environment: plan.environment)
            let evidence = try await DecisionEvidence.gather(for: subject, from: history)
            let decision = Decision.make(subject, outcome: outcome, evidence: evidence)
            let again = Decision.make(subject, outcome: outcome, evidence: evidence)
            #expect(decision.report == again.report && decision.recommendation == again.recommendation)
            #expect(decision.recommendation.action == .promote && decision.marksKnownGood)
            #expect(try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 10).isEmpty)

            // Record: the result file, the recommendation and — in one transaction — the run, its
            // cases and the known-good mark its promote earns.
            let record = RunRecord(plan: plan, outcome: outcome, decision: decision)
            let recorded = try await Recording(history: history).record(record, decision: decision, plan: plan)
            #expect(try ResultFile.read(path: recorded.resultPath).cases.count == 30)
            #expect(FileManager.default.fileExists(atPath: recorded.recommendationPath))
            let stored = try #require(try await history.run(id: plan.runID))
            #expect(stored.verdict == .pass && stored.gates == record.gates && stored.recommendation == record.recommendation)
            #expect(try await history.caseResults(runID: plan.runID).count == 30)
            #expect(try await history.knownGoodVersions(agent: "kb-agent").map(\.runID) == [plan.runID])
            // The same transaction appended the audit entry; the result file names it as the chain head.
            let entry = try #require(try await history.auditLog(agent: "kb-agent", since: nil, limit: 10).last)
            #expect(entry.event == .runDecided && entry.runID == plan.runID && entry.evidence["known_good"] == "true")
            #expect(recorded.auditHead == entry.head && stored.audit == nil)
            #expect(try ResultFile.read(path: recorded.resultPath).record.audit == entry.head)
            #expect(try await history.verifyAudit().isIntact)

            // Report: what the reports list, read back from the journal.
            let reports = try await RunReports.make(plan: plan, outcome: outcome)
            #expect(reports.notPassing.isEmpty && reports.reviewQueuePath == nil)
        }
    }

    @Test func anInvalidPipelineStopsAtThePlanWithLocatedDiagnostics() async throws {
        let fixture = PipelineFixture(pipeline: "version: 1\nagent: {name: x}\ndatasets: []\n", datasets: [:])
        do {
            _ = try await RunPlan.make(pipelinePath: fixture.pipelinePath, settings: fixture.settings())
            Issue.record("an invalid pipeline must not plan")
        } catch RunPlan.Failure.invalid(let diagnostics) {
            #expect(diagnostics.contains { $0.severity == .error && $0.location.file.hasSuffix("pipeline.yaml") && $0.location.line > 0 })
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.settings().runsFolder))
    }

    /// The decision reads its evidence beforehand: a live version recorded later changes the next
    /// decision's baseline, never one already made.
    @Test func evidenceIsReadBeforeDecidingAndTheDecisionFollowsIt() async throws {
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent)
            let first = try await fixture.evaluate()
            #expect(first.record.verdict == .pass && first.record.baseline == nil)

            let plan = try await RunPlan.make(pipelinePath: fixture.pipelinePath, settings: fixture.settings())
            let outcome = try await Execution(plan: plan).run()
            let history = try await HistoryLocation(fixture.settings().historyPath).open()
            let subject = Decision.Subject(runID: plan.runID, pipeline: plan.pipeline, mode: plan.mode, environment: plan.environment)
            let evidence = try await DecisionEvidence.gather(for: subject, from: history)
            // The candidate's own version is the newest known-good; it is excluded, so no baseline.
            guard case .unavailable = evidence.baseline else {
                Issue.record("no other version is known-good yet")
                return
            }

            // Another version vouched for by a passing run becomes the baseline and rollback target.
            var other = first.record
            other.id = "older-run"
            other.version = "0.9.0"
            other.startedAt = first.record.startedAt.addingTimeInterval(-3600)
            try await history.record(other, cases: CaseDocuments(results: try fixture.cases(first)), knownGood: true)
            let later = try await DecisionEvidence.gather(for: subject, from: history)
            guard case .cases(let runID, let version, let cases) = later.baseline else {
                Issue.record("0.9.0 is the baseline now")
                return
            }
            #expect(runID == "older-run" && version == "0.9.0" && cases.count == 30)
            #expect(later.rollbackTarget == DecisionEvidence.RollbackTarget(version: "0.9.0", runID: "older-run"))
            let decision = Decision.make(subject, outcome: outcome, evidence: later)
            #expect(decision.comparison?.baselineRunID == "older-run")
            #expect(decision.comparison?.sharedCases == 30 && decision.comparison?.regressedCases == [])
        }
    }
}
