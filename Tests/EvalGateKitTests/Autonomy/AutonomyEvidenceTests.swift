import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The criteria of a step up, judged on runs, deployments and labels stored in a real history.
@Suite("Autonomy evidence")
struct AutonomyEvidenceTests {
    typealias F = HistoryFixtures

    static func day(_ days: Double) -> Date { F.epoch.addingTimeInterval(days * 86_400) }

    /// Saves a run of `support-bot` started `days` after the epoch.
    @discardableResult
    static func save(
        _ store: any RunHistory, _ id: String, mode: Recommendation.Mode = .monitor, verdict: Verdict = .pass, days: Double, caseCount: Int = 5,
        version: String = "1.4.0"
    ) async throws -> RunRecord {
        let cases = F.cases(caseCount)
        let record = F.record(id: id, version: version, verdict: verdict, mode: mode, startedAt: day(days), cases: cases)
        try await store.save(record, cases: cases)
        return record
    }

    static func judge(_ criterion: AutonomyCriterion, _ store: any RunHistory, now: Date) async throws -> AutonomyCriterionResult {
        AutonomyEvidence.evaluate(criterion, record: try await AutonomyRecord.read(agent: "support-bot", from: store), now: now)
    }

    @Test func consecutivePassingMonitorRunsCountsTheNewestStreakOnly() async throws {
        try await F.withStore { store in
            try await Self.save(store, "m1", verdict: .fail, days: 1)
            try await Self.save(store, "m2", days: 2)
            try await Self.save(store, "r1", mode: .release, verdict: .fail, days: 2.5)  // release runs do not count
            try await Self.save(store, "m3", verdict: .inconclusive, days: 3)
            try await Self.save(store, "m4", days: 4)
            try await Self.save(store, "m5", days: 5)

            let two = try await Self.judge(.consecutivePassingMonitorRuns(runs: 2), store, now: Self.day(6))
            #expect(two.met && two.value == 2 && two.runIDs == ["m5", "m4"])
            // An inconclusive run breaks the streak: evidence that is not a pass is not a pass.
            let three = try await Self.judge(.consecutivePassingMonitorRuns(runs: 3), store, now: Self.day(6))
            #expect(!three.met && three.value == 2 && three.runIDs == ["m5", "m4", "m3"])
            #expect(three.measured == "2 of the 3 needed; the streak ends at run m3 (1.4.0, inconclusive)", "\(three.measured)")
            let ten = try await Self.judge(.consecutivePassingMonitorRuns(runs: 10), store, now: Self.day(6))
            #expect(!ten.met && ten.runIDs == ["m5", "m4", "m3", "m2", "m1"])
        }
    }

    @Test func aRollbackRecommendedOrRecordedInTheWindowIsNotMet() async throws {
        try await F.withStore { store in
            try await Self.save(store, "m1", days: 0)
            try await Self.save(store, "m2", verdict: .fail, days: 20)  // recommends rolling back
            try await Self.save(store, "m3", days: 30)

            let thirty = try await Self.judge(.noRollback(days: 30), store, now: Self.day(40))
            #expect(!thirty.met && thirty.runIDs == ["m2"], "\(thirty.measured)")
            #expect(thirty.measured.contains("run m2 recommended a rollback on"), "\(thirty.measured)")
            let ten = try await Self.judge(.noRollback(days: 10), store, now: Self.day(40))
            #expect(ten.met && ten.runIDs.isEmpty, "\(ten.measured)")

            // A version put back live after another replaced it is a recorded rollback.
            for (version, days) in [("1.3.0", 31.0), ("1.4.0", 32.0), ("1.3.0", 35.0)] {
                try await store.recordDeployment(
                    agent: "support-bot", environment: "production", version: version, recordedBy: "deployer", note: nil, runID: nil,
                    at: Self.day(days))
            }
            let recorded = try await Self.judge(.noRollback(days: 10), store, now: Self.day(40))
            #expect(!recorded.met && recorded.deploymentIDs == [3], "\(recorded.measured)")
            #expect(recorded.measured.contains("1.3.0 put back live in production (deployment 3)"), "\(recorded.measured)")
        }
    }

    @Test func aWindowLongerThanTheHistoryIsNotEvidence() async throws {
        try await F.withStore { store in
            try await Self.save(store, "m1", days: 0)
            let result = try await Self.judge(.noRollback(days: 30), store, now: Self.day(10))
            #expect(!result.met && result.value == 10)
            #expect(result.measured.contains("the history covers only 10 of the 30 days"), "\(result.measured)")
        }
    }

    /// Runs are read newest first up to a limit: a window reaching past the oldest run read is not
    /// evidence; one that ends among the runs read is.
    @Test func aWindowBeyondTheRunsReadIsNotEvidence() {
        let runs = [F.record(id: "m2", mode: .monitor, startedAt: Self.day(5)), F.record(id: "m1", mode: .monitor, startedAt: Self.day(1))]
        let record = AutonomyRecord(runs: runs, truncated: true, deployments: [], labels: [], changes: [])
        let long = AutonomyEvidence.evaluate(.noRollback(days: 30), record: record, now: Self.day(10))
        #expect(!long.met && long.measured.contains("more than \(AutonomyRecord.runLimit) runs in the window"), "\(long.measured)")
        let short = AutonomyEvidence.evaluate(.noRollback(days: 5), record: record, now: Self.day(10))
        #expect(short.met, "\(short.measured)")
    }

    @Test func passRateLowerBoundPoolsTheLastRunsAndCountsErrorsAsNotPassed() async throws {
        try await F.withStore { store in
            // 20 cases a run: 14 passed, 4 failed, 2 errors.
            try await Self.save(store, "old", verdict: .fail, days: 0, caseCount: 20)
            try await Self.save(store, "m1", days: 1, caseCount: 20)
            try await Self.save(store, "m2", days: 2, caseCount: 20)
            let bound = WilsonInterval.oneSidedLower(successes: 28, trials: 40, confidence: 0.95)

            let below = try #require(Rate(approximating: (bound * 1000).rounded(.down) / 1000))
            let met = try await Self.judge(.passRateLowerBound(rate: below, runs: 2, confidence: 0.95), store, now: Self.day(3))
            #expect(met.met && met.value == bound && met.runIDs == ["m2", "m1"], "\(met.measured)")
            #expect(met.measured.contains("28 of 40 cases passed over 2 monitor runs"), "\(met.measured)")
            let above = try #require(Rate(approximating: (bound * 1000).rounded(.up) / 1000))
            #expect(!(try await Self.judge(.passRateLowerBound(rate: above, runs: 2, confidence: 0.95), store, now: Self.day(3))).met)

            let tooFew = try await Self.judge(.passRateLowerBound(rate: 0.1, runs: 5, confidence: 0.95), store, now: Self.day(3))
            #expect(!tooFew.met && tooFew.measured.hasSuffix("only 3 of the 5 monitor runs needed"), "\(tooFew.measured)")
        }
    }

    @Test func judgeAgreementIsComparedExactlyAndNeedsEnoughLabels() async throws {
        try await F.withStore { store in
            // Of 10 cases, 4 and 9 failed and 6 was an error.
            try await Self.save(store, "m1", days: 0, caseCount: 10)
            for (caseID, label) in [("case-0", ReviewLabel.Label.pass), ("case-1", .fail), ("case-4", .fail), ("case-9", .fail), ("case-6", .pass)] {
                try await store.recordReviewLabel(runID: "m1", caseID: caseID, label: label, reviewer: "rita", note: nil, at: Self.day(1))
            }
            // (machine, person): (pass, pass), (pass, fail), (fail, fail), (fail, fail); the error says nothing.
            // κ = (4·3 − 8) / (16 − 8) = 0.5 exactly.
            let exact = try await Self.judge(.judgeAgreement(kappa: try #require(Rate(exactly: "0.5")), labels: 4), store, now: Self.day(2))
            #expect(exact.met && exact.value == 0.5 && exact.runIDs == ["m1"], "\(exact.measured)")
            #expect(exact.measured == "κ = 0.500 over 4 labels")
            let hair = try #require(Rate(exactly: "0.500000000001"))
            #expect(!(try await Self.judge(.judgeAgreement(kappa: hair, labels: 4), store, now: Self.day(2))).met)
            let more = try await Self.judge(.judgeAgreement(kappa: 0.1, labels: 5), store, now: Self.day(2))
            #expect(!more.met && more.measured == "κ = 0.500 over 4 labels; 5 labels needed")
        }
    }

    @Test func kappaThresholdInIntegers() throws {
        // Both raters said pass throughout: κ is taken as 1.
        #expect(AutonomyEvidence.isReached(1, by: [(true, true), (true, true)]))
        #expect(!AutonomyEvidence.isReached(0, by: []))
        // Agreement no better than chance: κ = 0.
        let chance = [(true, true), (true, false), (false, true), (false, false)]
        #expect(AutonomyEvidence.isReached(0, by: chance))
        #expect(!AutonomyEvidence.isReached(try #require(Rate(exactly: "0.000000000001")), by: chance))
    }

    @Test func aFailedMonitorRunRecommendsOneLevelDown() throws {
        let policy = try #require(TierPolicyLoader.builtIn().tier(3)?.autonomy)
        let down = try #require(
            AutonomyAdvice.make(policy: policy, recorded: "execute-within-limits", agent: "a", mode: .monitor, verdict: .fail, action: .rollback))
        #expect(down.stepDown && down.level == "execute-within-limits" && down.recommendedLevel == "approve-each")
        #expect(down.reason?.contains("evalgate autonomy demote a --to approve-each") == true)
        let bottom = try #require(AutonomyAdvice.make(policy: policy, recorded: nil, agent: "a", mode: .monitor, verdict: .fail, action: .escalate))
        #expect(!bottom.stepDown && bottom.recommendedLevel == "draft-only" && bottom.reason?.contains("already at the lowest level") == true)
        let fine = try #require(
            AutonomyAdvice.make(policy: policy, recorded: "approve-each", agent: "a", mode: .release, verdict: .fail, action: .block))
        #expect(!fine.stepDown && fine.recommendedLevel == "approve-each" && fine.reason == nil)
        #expect(AutonomyAdvice.make(policy: nil, recorded: nil, agent: "a", mode: .monitor, verdict: .fail, action: .rollback) == nil)
    }

    /// The dashboard's portfolio shows the level the newest run recorded and a step down it recommends.
    @Test func thePortfolioShowsTheLevelAndARecommendedStepDown() async throws {
        try await F.withStore { store in
            var record = F.record(id: "m1", verdict: .fail, mode: .monitor, startedAt: Self.day(1))
            record.recommendation.autonomy = AutonomyAdvice(
                level: "approve-each", recommendedLevel: "draft-only", stepDown: true, reason: "the monitor run failed")
            try await store.save(record, cases: F.cases(5))
            let page = PortfolioPage(agents: try await store.portfolio(trendLength: 30))
                .render(layout: DashboardLayout(nonce: "n", user: nil, csrfToken: nil, signInEnabled: false)).text
            #expect(page.contains("title=\"autonomy level as of the newest run\">approve-each"), "\(page)")
            #expect(page.contains("↓ draft-only recommended"))
        }
    }
}
