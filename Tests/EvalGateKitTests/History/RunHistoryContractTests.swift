import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// A history backend the contract runs against. Every implementation of `RunHistory` has a case
/// here (and whatever starting its server takes) and must pass every test of the suite.
enum HistoryBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    /// A fresh database on the test server (`TestPostgres`) per test, dropped afterwards.
    case postgres

    /// Both, unless `EVALGATE_SKIP_POSTGRES=1` leaves PostgreSQL out on purpose; without a server
    /// and without that, the PostgreSQL cases fail saying how to start one.
    static var allCases: [HistoryBackend] { TestPostgres.isSkipped ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A new, empty history of this kind, discarded after `body`.
    func withEmptyHistory(_ body: (any RunHistory) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await HistoryFixtures.withTemporaryFolder { folder in
                let history = try await HistoryLocation("sqlite:" + folder.appendingPathComponent("contract/history.sqlite").path).open()
                try await body(history)
            }
        case .postgres:
            try await TestPostgres.withDatabase { url in
                let history = try await HistoryLocation(url).open()
                do {
                    try await body(history)
                } catch {
                    await history.close()
                    throw error
                }
                await history.close()
            }
        }
    }
}

/// The `RunHistory` contract: every requirement of the protocol, with the invariants callers rely
/// on (one transaction per call, what re-recording keeps, the known-good and baseline rules).
@Suite("RunHistory contract", .serialized)
struct RunHistoryContractTests {
    typealias F = HistoryFixtures

    // MARK: Runs

    @Test(arguments: HistoryBackend.allCases)
    func recordedRunsReadBackExactly(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            let cases = F.cases(12)
            let run = F.record(id: "20261130-run-a", verdict: .fail, cases: cases, ci: ["commit": "9f2c1e7"])
            try await history.record(run, cases: CaseDocuments(results: cases), knownGood: false)
            #expect(try await history.run(id: run.id) == run)
            #expect(try await history.run(id: "20261130-run") == run, "a unique prefix names the run")
            #expect(try await history.run(id: "nope") == nil)
            #expect(try await history.caseResults(runID: run.id) == cases)
            #expect(try await history.caseOutcomes(runID: run.id) == cases.map(CaseOutcome.init))
            await #expect(throws: HistoryError.runNotFound("nope")) { try await history.caseResults(runID: "nope") }
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func anAmbiguousPrefixIsAnError(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "run-1a")
            try await F.save(history, id: "run-1b", minutes: 1)
            await #expect(throws: HistoryError.ambiguousRunID(prefix: "run-1", matches: ["run-1a", "run-1b"])) {
                try await history.run(id: "run-1")
            }
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func aRecordThatCannotBeStoredLeavesNothingBehind(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            var cases = F.cases(4)
            cases[3].id = cases[0].id
            let run = F.record(id: "dup", cases: cases)
            let duplicated = try CaseDocuments(results: cases)
            await #expect(throws: HistoryError.self) { try await history.record(run, cases: duplicated, knownGood: false) }
            #expect(try await history.run(id: "dup") == nil)
            // Marking a run that did not pass is refused, and its record with it.
            let failed = F.record(id: "failed", verdict: .fail)
            let failedCases = try CaseDocuments(results: F.cases(5))
            await #expect(throws: HistoryError.notPassing(runID: "failed", verdict: .fail)) {
                try await history.record(failed, cases: failedCases, knownGood: true)
            }
            #expect(try await history.run(id: "failed") == nil)
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func reRecordingReplacesTheDecisionAndKeepsWhatPeopleAdded(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            let cases = F.cases(5)
            var run = F.record(id: "run-r", verdict: .pass, cases: cases)
            try await history.record(run, cases: CaseDocuments(results: cases), knownGood: true)
            try await history.recordReviewLabel(runID: run.id, caseID: "case-4", label: .pass, reviewer: "ana", note: nil, at: F.epoch)

            // A re-decision without cases keeps the stored cases, the labels and the known-good mark.
            run.gates.removeLast()
            try await history.record(run, cases: nil, knownGood: false)
            #expect(try await history.run(id: run.id)?.gates == run.gates)
            #expect(try await history.caseResults(runID: run.id) == cases)
            #expect(try await history.reviewLabels(runID: run.id).map(\.caseID) == ["case-4"])
            #expect(try await history.knownGoodVersions(agent: run.agent).map(\.runID) == [run.id])

            // New cases replace the old ones; a verdict that is no longer pass drops the mark.
            let fewer = Array(cases.prefix(3))
            run.verdict = .fail
            try await history.record(run, cases: CaseDocuments(results: fewer), knownGood: false)
            #expect(try await history.caseResults(runID: run.id) == fewer)
            #expect(try await history.knownGoodVersions(agent: run.agent).isEmpty)
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func runsAreListedNewestFirstAndFiltered(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "a", version: "1.0", minutes: 0)
            try await F.save(history, id: "b", version: "1.1", verdict: .fail, minutes: 1)
            try await F.save(history, id: "c", agent: "other-bot", minutes: 2)
            try await F.save(history, id: "d", pipeline: "nightly", minutes: 3, stopReason: .interrupted)
            try await F.save(history, id: "e", pipeline: "nightly", minutes: 4)
            #expect(try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 50).map(\.id) == ["e", "d", "c", "b", "a"])
            #expect(try await history.runs(agent: "support-bot", pipeline: nil, verdict: nil, limit: 50).map(\.id) == ["e", "d", "b", "a"])
            #expect(try await history.runs(agent: nil, pipeline: nil, verdict: .fail, limit: 50).map(\.id) == ["b"])
            #expect(try await history.runs(agent: nil, pipeline: "nightly", verdict: nil, limit: 1).map(\.id) == ["e"])
            // Trends skip runs that stopped early and read oldest first.
            #expect(try await history.recentRuns(pipeline: "refunds", limit: 2).map(\.id) == ["b", "c"])
            #expect(try await history.recentRuns(pipeline: "nightly", limit: 20).map(\.id) == ["e"])
        }
    }

    // MARK: Known-good, approvals, baselines

    @Test(arguments: HistoryBackend.allCases)
    func knownGoodVersionsAreNewestFirstOncePerVersion(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "v1-old", version: "1.0", minutes: 0)
            try await F.save(history, id: "v2", version: "2.0", minutes: 10)
            try await F.save(history, id: "v1-new", version: "1.0", minutes: 5)
            try await F.save(history, id: "v3-inconclusive", version: "3.0", verdict: .inconclusive, minutes: 20)
            try await F.save(history, id: "v4-failed", version: "4.0", verdict: .fail, minutes: 30)
            for id in ["v1-old", "v1-new", "v2"] { try await history.markKnownGood(runID: id, true) }
            await #expect(throws: HistoryError.notPassing(runID: "v4-failed", verdict: .fail)) {
                try await history.markKnownGood(runID: "v4-failed", true)
            }
            await #expect(throws: HistoryError.notPassing(runID: "v4-failed", verdict: .fail)) {
                try await history.approve(runID: "v4-failed", approvedBy: "dana", reason: "no", at: F.epoch)
            }
            try await history.approve(runID: "v3-inc", approvedBy: "dana", reason: "judge outage", at: F.epoch)
            #expect(try await history.approvals(runID: "v3-inconclusive").map(\.approvedBy) == ["dana"])
            let versions = try await history.knownGoodVersions(agent: "support-bot")
            #expect(versions.map(\.version) == ["3.0", "2.0", "1.0"])
            #expect(versions.map(\.runID) == ["v3-inconclusive", "v2", "v1-new"])
            #expect(try await history.lastKnownGood(agent: "support-bot", excluding: "3.0")?.version == "2.0")
            #expect(try await history.lastPassingRun(agent: "support-bot", version: "1.0")?.id == "v1-new")
            try await history.markKnownGood(runID: "v2", false)
            #expect(try await history.knownGoodVersions(agent: "support-bot").map(\.version) == ["3.0", "1.0"])
        }
    }

    /// The one baseline rule (docs/pipeline-format.md, "Baselines").
    @Test(arguments: HistoryBackend.allCases)
    func theBaselineRule(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            func lookup(_ candidate: String, mode: Recommendation.Mode = .release, pinned: String? = nil, excluding: String = "new-run") async throws
                -> BaselineLookup
            {
                try await history.baseline(
                    agent: "support-bot", candidateVersion: candidate, environment: "production", mode: mode, pinnedVersion: pinned,
                    excludingRun: excluding)
            }
            guard case .unavailable = try await lookup("2.0") else {
                Issue.record("an empty history has no baseline")
                return
            }

            try await F.save(history, id: "r1", version: "1.0", minutes: 0)
            try await F.save(history, id: "r1-later", version: "1.0", minutes: 1)
            try await history.markKnownGood(runID: "r1", true)
            try await F.save(history, id: "r15", version: "1.5", minutes: 2)
            // Nothing live: the newest known-good version, through the run that vouches for it.
            #expect(try await lookup("2.0") == .found(version: "1.0", runID: "r1"))
            // Release: the live version, through its newest passing run (it is not known-good).
            try await history.recordDeployment(
                agent: "support-bot", environment: "production", version: "1.5", recordedBy: nil, note: nil, runID: nil, at: F.epoch)
            #expect(try await lookup("2.0") == .found(version: "1.5", runID: "r15"))
            // The candidate is what is live: compare with the newest known-good instead.
            #expect(try await lookup("1.5") == .found(version: "1.0", runID: "r1"))
            // Monitor: always the newest known-good other than the evaluated version.
            #expect(try await lookup("1.5", mode: .monitor) == .found(version: "1.0", runID: "r1"))
            // A pinned version wins; one without a passing run has no baseline.
            #expect(try await lookup("2.0", pinned: "1.0") == .found(version: "1.0", runID: "r1"))
            #expect(try await lookup("2.0", pinned: "0.9") == .unavailable("version 0.9 has no passing run in the history"))
            // A run never is its own baseline.
            #expect(try await lookup("2.0", pinned: "1.5", excluding: "r15") == .unavailable("version 1.5 has no passing run in the history"))
        }
    }

    // MARK: Deployments

    @Test(arguments: HistoryBackend.allCases)
    func deploymentsSayWhatIsLive(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "run-deploy", version: "1.1")
            #expect(try await history.liveVersion(agent: "support-bot", environment: "production") == nil)
            try await history.recordDeployment(
                agent: "support-bot", environment: "production", version: "1.0", recordedBy: "ci", note: nil, runID: nil, at: F.date(minutes: 0))
            try await history.recordDeployment(
                agent: "support-bot", environment: "staging", version: "1.2", recordedBy: nil, note: nil, runID: nil, at: F.date(minutes: 2))
            try await history.recordDeployment(
                agent: "support-bot", environment: "production", version: "1.1", recordedBy: "ana", note: "hotfix", runID: "run-dep",
                at: F.date(minutes: 1))
            // Same instant: the one recorded last wins.
            try await history.recordDeployment(
                agent: "support-bot", environment: "staging", version: "1.3", recordedBy: nil, note: nil, runID: nil, at: F.date(minutes: 2))
            #expect(try await history.liveVersion(agent: "support-bot", environment: "production") == "1.1")
            #expect(try await history.liveVersion(agent: "support-bot", environment: "staging") == "1.3")
            let production = try await history.deployments(agent: "support-bot", environment: "production", limit: 10)
            #expect(production.map(\.version) == ["1.1", "1.0"])
            #expect(production.first?.runID == "run-deploy" && production.first?.note == "hotfix" && production.first?.recordedBy == "ana")
            #expect(try await history.deployments(agent: "support-bot", environment: nil, limit: 2).map(\.version) == ["1.3", "1.2"])
            await #expect(throws: HistoryError.runNotFound("missing")) {
                try await history.recordDeployment(
                    agent: "support-bot", environment: "production", version: "9", recordedBy: nil, note: nil, runID: "missing", at: F.epoch)
            }
            #expect(try await history.liveVersion(agent: "support-bot", environment: "production") == "1.1")
        }
    }

    // MARK: Review labels

    @Test(arguments: HistoryBackend.allCases)
    func reviewLabelsAreKeptPerCaseAndPooledPerAgent(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "first", minutes: 0)
            try await F.save(history, id: "second", minutes: 1)
            try await history.recordReviewLabel(runID: "second", caseID: "case-4", label: .pass, reviewer: "ana", note: "fine", at: F.epoch)
            try await history.recordReviewLabel(runID: "first", caseID: "case-1", label: .fail, reviewer: "bo", note: nil, at: F.epoch)
            try await history.recordReviewLabel(runID: "first", caseID: "case-0", label: .pass, reviewer: "bo", note: nil, at: F.epoch)
            // Labelling again replaces the label.
            try await history.recordReviewLabel(runID: "first", caseID: "case-1", label: .pass, reviewer: "bo", note: "second look", at: F.epoch)
            await #expect(throws: HistoryError.caseNotFound(runID: "first", caseID: "case-99")) {
                try await history.recordReviewLabel(runID: "first", caseID: "case-99", label: .pass, reviewer: "bo", note: nil, at: F.epoch)
            }
            let first = try await history.reviewLabels(runID: "first")
            #expect(first.map(\.caseID) == ["case-0", "case-1"])
            #expect(first.map(\.label) == [.pass, .pass] && first[1].note == "second look")
            #expect(first[0].automaticStatus == .passed && first[0].agent == "support-bot" && first[0].version == "1.4.0")
            let pooled = try await history.allReviewLabels(agent: "support-bot")
            #expect(pooled.map { "\($0.runID)/\($0.caseID)" } == ["first/case-0", "first/case-1", "second/case-4"])
            #expect(pooled[2].automaticStatus == .failed)
            #expect(try await history.allReviewLabels(agent: "other-bot").isEmpty)
        }
    }

    // MARK: Concurrency

    /// Every call is its own transaction: concurrent writers neither lose writes nor see halves.
    @Test(arguments: HistoryBackend.allCases)
    func concurrentWritersLoseNothing(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for run in 0..<3 {
                            try await F.save(
                                history, id: "w\(writer)-r\(run)", agent: "agent-\(writer % 2)", minutes: writer * 10 + run, caseCount: 20)
                        }
                        try await history.recordDeployment(
                            agent: "agent-\(writer % 2)", environment: "production", version: "\(writer)", recordedBy: nil, note: nil, runID: nil,
                            at: F.date(minutes: writer))
                    }
                }
                try await group.waitForAll()
            }
            let runs = try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 100)
            #expect(runs.count == 24)
            for run in runs { #expect(try await history.caseResults(runID: run.id).count == 20) }
            #expect(try await history.deployments(agent: "agent-0", environment: nil, limit: 100).count == 4)
        }
    }
}
