import Foundation
import Testing

@testable import EvalGateKit

/// The dashboard's reads: `casePage` and `portfolio`, on every backend.
extension RunHistoryContractTests {
    @Test(arguments: HistoryBackend.allCases)
    func casePagesAreWindowsInRunOrder(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            let cases = F.cases(30)
            try await history.save(F.record(id: "paged", cases: cases), cases: cases)
            let first = try await history.casePage(runID: "paged", query: CaseQuery(offset: 0, limit: 12))
            #expect(first.total == 30)
            #expect(first.cases == Array(cases[0..<12]))
            let last = try await history.casePage(runID: "pag", query: CaseQuery(offset: 24, limit: 12))
            #expect(last.cases == Array(cases[24..<30]), "a prefix names the run; the last window is short")
            let failed = try await history.casePage(runID: "paged", query: CaseQuery(status: .failed, offset: 1, limit: 100))
            #expect(failed.total == cases.filter { $0.status == .failed }.count)
            #expect(failed.cases == Array(cases.filter { $0.status == .failed }.dropFirst()))
            let one = try await history.casePage(runID: "paged", query: CaseQuery(caseID: "case-7", limit: 5))
            #expect(one.cases.map(\.id) == ["case-7"] && one.total == 1)
            #expect(try await history.casePage(runID: "paged", query: CaseQuery(caseID: "nope")).cases.isEmpty)
            await #expect(throws: HistoryError.runNotFound("nope")) { try await history.casePage(runID: "nope", query: CaseQuery()) }
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func thePortfolioSummarisesEveryAgent(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            #expect(try await history.portfolio(trendLength: 30).isEmpty)
            for index in 0..<5 {
                try await F.save(
                    history, id: "s-\(index)", agent: "support-bot", version: "1.\(index)", verdict: index == 4 ? .fail : .pass, minutes: index)
            }
            try await F.save(history, id: "s-monitor", agent: "support-bot", version: "1.3", verdict: .pass, mode: .monitor, minutes: 10)
            try await F.save(history, id: "t-1", agent: "triage-bot", version: "0.9", pipeline: "triage", verdict: .inconclusive, minutes: 1)
            try await F.save(history, id: "t-2", agent: "triage-bot", version: "0.9", pipeline: "triage", verdict: .inconclusive, minutes: 2)
            try await F.save(history, id: "t-3", agent: "triage-bot", version: "1.0", pipeline: "triage", verdict: .inconclusive, minutes: 3)
            try await history.approve(runID: "t-3", approvedBy: "amy", reason: "first release", at: F.date(minutes: 4))
            try await history.recordDeployment(agent: "support-bot", environment: "production", version: "1.2", at: F.date(minutes: 5))
            try await history.recordDeployment(agent: "support-bot", environment: "production", version: "1.3", at: F.date(minutes: 6))
            try await history.recordDeployment(agent: "support-bot", environment: "staging", version: "1.4", at: F.date(minutes: 7))
            // One of s-4's queued cases is labelled: it is no longer open.
            let queued = try #require(try await history.run(id: "s-4")?.summary.reviewQueue)
            #expect(queued == ["case-4"])
            try await history.recordReviewLabel(runID: "s-4", caseID: "case-4", label: .pass, reviewer: "ana")

            let agents = try await history.portfolio(trendLength: 4)
            #expect(agents.map(\.agent) == ["support-bot", "triage-bot"])
            let support = agents[0]
            #expect(support.latest.id == "s-monitor")
            #expect(support.owner == "support-team" && support.tier == 3 && support.tierName == "customer-facing")
            #expect(support.trend.map(\.id) == ["s-2", "s-3", "s-4", "s-monitor"], "the newest four, oldest first")
            #expect(support.lastMonitor?.id == "s-monitor" && support.lastRelease?.id == "s-4" && support.lastRelease?.verdict == .fail)
            #expect(support.liveVersions.map { "\($0.environment)=\($0.version)" } == ["production=1.3", "staging=1.4"])
            #expect(support.liveVersions.first?.since == F.date(minutes: 6))
            #expect(support.recentVerdicts == AgentPortfolio.VerdictCounts(pass: 3, fail: 1, inconclusive: 0), "over the four runs of the trend")
            #expect(support.openReview.map(\.runID) == ["s-monitor", "s-3", "s-2"], "s-4's only queued case is labelled")
            #expect(support.openReviewCount == 3)
            #expect(support.trend.last?.passed == support.latest.summary.passed)
            #expect(support.trend.last?.passRate(confidence: 0.95) == support.latest.summary.passRate)

            let triage = agents[1]
            #expect(triage.pendingApprovals.map(\.id) == ["t-2"], "t-3 is approved; t-1 has a newer run of its version")
            #expect(triage.lastMonitor == nil)
            #expect(triage.recentVerdicts.inconclusive == 3)
            // An older release outside the trend is still found.
            let short = try await history.portfolio(trendLength: 1)
            #expect(short[0].trend.map(\.id) == ["s-monitor"])
            #expect(short[0].lastRelease?.id == "s-4")
        }
    }
}
