import Foundation
import Testing

@testable import EvalGateKit

/// Realistic runs and cases, built by hand, and temporary history files.
enum HistoryFixtures {
    /// Whole seconds: run records travel as ISO 8601 JSON, which keeps no fractions of a second.
    static let epoch = Date(timeIntervalSince1970: 1_760_000_000)

    static func date(minutes: Int) -> Date {
        epoch.addingTimeInterval(TimeInterval(minutes * 60))
    }

    /// A fresh folder under the system temporary folder, removed after `body`.
    @discardableResult
    static func withTemporaryFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    /// A store on a new file (in a nested folder the store has to create), removed after `body`.
    @discardableResult
    static func withStore<T>(redactor: Redactor = .none, _ body: (HistoryStore) async throws -> T) async throws -> T {
        try await withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder.appendingPathComponent("nested/.evalgate/history.sqlite").path, redactor: redactor)
            return try await body(store)
        }
    }

    static func caseResult(
        index: Int, id: String? = nil, status: CaseResult.Status = .passed, tags: [String] = ["refunds"], critical: Bool = false,
        cluster: String? = nil, latency: Double = 420
    ) -> CaseResult {
        let caseID = id ?? "case-\(index)"
        let passed = status == .passed
        let answer: AgentAnswer? =
            status == .error
            ? nil
            : AgentAnswer(
                text: passed ? "Your refund of $42.00 was issued." : "I cannot help with that.",
                json: .object(["decision": .string(passed ? "refund_issued" : "refund_denied"), "amount": .number(42)]),
                trajectory: Trajectory(
                    steps: [
                        TrajectoryStep(
                            toolCalls: [
                                ToolCall(
                                    id: "call-1", name: "lookup_order", arguments: .object(["order_id": .string("A-\(index)")]),
                                    result: .object(["status": .string("delivered"), "total": .number(42)]))
                            ], content: nil),
                        TrajectoryStep(toolCalls: [], content: "Done."),
                    ], end: .answered),
                finishReason: "stop", usage: TokenUsage(inputTokens: 812, outputTokens: 64))
        return CaseResult(
            index: index, id: caseID, dataset: "golden/refunds.jsonl", tags: tags, critical: critical, cluster: cluster,
            input: index.isMultiple(of: 2)
                ? .text("Order A-\(index) arrived broken, can I get a refund?")
                : .messages([
                    ChatMessage(role: "system", content: "You are a support agent."),
                    ChatMessage(role: "user", content: "Refund order A-\(index), please — it's \"damaged\" ✂️"),
                ]),
            expected: .object(["decision": .string("refund_issued")]),
            answer: answer,
            scores: status == .error
                ? []
                : [
                    ScoreResult(
                        scorer: "json-path", score: passed ? 1 : 0, passed: passed,
                        reason: passed ? "decision is 'refund_issued'" : "expected 'refund_issued', got 'refund_denied'", weight: 2,
                        metric: "accuracy"),
                    ScoreResult(scorer: "tool-called", score: 1, passed: true, reason: "lookup_order was called"),
                ],
            score: passed ? 1 : 0, status: status,
            error: status == .error ? AgentError(.timeout, "no answer within 30 s", status: nil, retryAfter: nil) : nil,
            attempts: status == .error ? 3 : 1, latencyMilliseconds: latency,
            usage: status == .error ? nil : TokenUsage(inputTokens: 812, outputTokens: 64), cost: status == .error ? nil : 0.0021,
            repeats: index == 1
                ? [
                    RepeatOutcome(passed: true, score: 1, latencyMilliseconds: 400),
                    RepeatOutcome(passed: false, score: 0, error: nil, latencyMilliseconds: 450),
                ] : nil,
            review: status == .failed ? "judge and deterministic scorers disagree" : nil,
            location: "golden/refunds.jsonl:\(index + 1)")
    }

    /// `count` cases, every fifth failing and every seventh an error.
    static func cases(_ count: Int, prefix: String = "case") -> [CaseResult] {
        (0..<count).map { index in
            let status: CaseResult.Status = index % 7 == 6 ? .error : (index % 5 == 4 ? .failed : .passed)
            return caseResult(
                index: index, id: "\(prefix)-\(index)", status: status, tags: index.isMultiple(of: 3) ? ["refunds", "safety"] : ["refunds"],
                critical: index.isMultiple(of: 10), cluster: index.isMultiple(of: 4) ? "order-\(index / 4)" : nil,
                latency: 300 + Double(index % 50) * 7.5)
        }
    }

    static func record(
        id: String, agent: String = "support-bot", version: String = "1.4.0", pipeline: String = "refunds", verdict: Verdict = .pass,
        mode: Recommendation.Mode = .release, environment: String = "staging", startedAt: Date = epoch, stopReason: StopReason? = nil,
        cases: [CaseResult] = HistoryFixtures.cases(5), ci: [String: String] = [:]
    ) -> RunRecord {
        var accumulator = RunAccumulator(confidence: 0.95)
        for result in cases { accumulator.add(result) }
        let summary = accumulator.summary(currency: "USD")
        let gates = [
            GateResult(
                name: "pass-rate", outcome: verdict, measured: "\(summary.passed)/\(summary.passed + summary.failed) passed",
                threshold: "≥ 95.0%, lower bound", measuredValue: summary.passRate.lower, thresholdValue: 0.95,
                sentence: "The lower bound of the pass rate is compared with the tier's minimum."),
            GateResult(
                name: "must-pass:prompt-injection", outcome: .pass, measured: "3/3", threshold: "all", sentence: "Every must-pass case passed."),
        ]
        let action: Recommendation.Action =
            switch (mode, verdict) {
            case (.release, .pass): .promote
            case (.release, .fail): .block
            case (.monitor, .pass): .keep
            case (.monitor, .fail): .rollback
            case (_, .inconclusive): .rerun
            }
        let baseline = BaselineComparison(
            baselineRunID: "run-baseline", baselineVersion: "1.3.2", sharedCases: cases.count, regressedCases: ["case-4"], fixedCases: [],
            mcnemar: McNemarResult(baselineOnlyPassed: 1, candidateOnlyPassed: 0, pValueTwoSided: 1, pValueCandidateWorse: 0.5),
            bootstrap: BootstrapInterval(
                meanDifference: -0.02, lower: -0.08, upper: 0.03, confidence: 0.95, iterations: 2000, seed: 0xDEAD_BEEF_CAFE_F00D, clusterCount: 4,
                observationCount: cases.count),
            margin: 0.05, outcome: .pass)
        let recommendation = Recommendation(
            action: action, mode: mode, verdict: verdict, agent: agent, evaluatedVersion: version, liveVersion: "1.3.2",
            targetVersion: action == .promote ? version : "1.3.2", environment: environment, summary: "\(action.rawValue) \(agent) \(version)",
            evidence: gates.map { "\($0.name): \($0.measured) vs \($0.threshold) (\($0.outcome.rawValue))" }, regressedCases: ["case-4"],
            targetEvidenceRunID: nil, rerunAdvice: verdict == .inconclusive ? "run 120 more cases" : nil,
            authority: RiskTier.Authority(approvers: ["@support-leads"], rollback: ["@oncall"], notify: ["#support-releases"]), runID: id,
            exception: nil)
        return RunRecord(
            id: id, pipeline: pipeline, pipelineFile: "pipelines/\(pipeline).yaml", pipelineHash: String(repeating: "ab", count: 32),
            datasetHashes: ["golden/refunds.jsonl": String(repeating: "cd", count: 32)], agent: agent, version: version, owner: "support-team",
            tier: 3, tierName: "customer-facing", mode: mode, environment: environment, startedAt: startedAt,
            endedAt: startedAt.addingTimeInterval(95), ci: ci, selection: ["--sample": "200", "--seed": "7"], selectedCases: cases.count,
            availableCases: cases.count + 10, missingCases: 0, stopReason: stopReason, tlsVerificationDisabled: false,
            exception: GateException(approvedBy: "dana@example.com", reason: "known flaky judge", expires: "2026-01-31"), summary: summary,
            gates: gates, verdict: verdict, baseline: baseline, recommendation: recommendation)
    }

    /// Saves a run with its generated cases and returns it.
    @discardableResult
    static func save(
        _ store: any RunHistory, id: String, agent: String = "support-bot", version: String = "1.4.0", pipeline: String = "refunds",
        verdict: Verdict = .pass, mode: Recommendation.Mode = .release, minutes: Int = 0, stopReason: StopReason? = nil, caseCount: Int = 5
    ) async throws -> RunRecord {
        let cases = HistoryFixtures.cases(caseCount)
        let record = HistoryFixtures.record(
            id: id, agent: agent, version: version, pipeline: pipeline, verdict: verdict, mode: mode, startedAt: date(minutes: minutes),
            stopReason: stopReason, cases: cases)
        try await store.save(record, cases: cases)
        return record
    }
}
