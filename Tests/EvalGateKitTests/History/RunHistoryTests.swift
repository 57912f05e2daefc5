import Foundation
import GRDB
import Testing

@testable import EvalGateKit

@Suite("Run history: saving and reading runs")
struct RunHistoryTests {
    typealias F = HistoryFixtures

    @Test func roundTripsARunWithItsCasesAcrossReopening() async throws {
        try await F.withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("history.sqlite").path
            let cases = [
                F.caseResult(index: 0, status: .passed, critical: true, cluster: "order-1"),
                F.caseResult(index: 1, status: .failed, tags: [], cluster: "order-1"),
                F.caseResult(index: 2, status: .error, tags: ["refunds", "safety"]),
            ]
            let record = F.record(
                id: "run-20251009-a1b2c3", verdict: .fail, cases: cases,
                ci: ["commit": "9f2c1e7", "branch": "main", "job_url": "https://ci.example.com/jobs/981", "provider": "github"])
            try await HistoryStore(path: path).save(record, cases: cases)

            let reopened = try HistoryStore(path: path)
            #expect(try await reopened.run(id: record.id) == record)
            #expect(try await reopened.caseResults(runID: record.id) == cases)
            #expect(
                try await reopened.caseOutcomes(runID: record.id)
                    == cases.map {
                        CaseOutcome(id: $0.id, status: $0.status, score: $0.score, cluster: $0.cluster, tags: $0.tags, critical: $0.critical)
                    })

            // The columns history queries use are copied out of the record.
            let row = try #require(try await reopened.read { db in try RunRow.fetchOne(db, key: record.id) })
            #expect(row.agent == "support-bot" && row.version == "1.4.0" && row.pipeline == "refunds" && row.environment == "staging")
            #expect(row.verdict == "fail" && row.action == "block" && row.mode == "release" && row.tier == 3)
            #expect(row.passed == 1 && row.failed == 1 && row.errors == 1 && row.selectedCases == 3)
            #expect(row.passRate == 0.5)
            #expect(row.p95LatencyMilliseconds == record.summary.latency?.p95)
            #expect(row.totalCost == record.summary.totalCost?.doubleValue)
            #expect(row.ciCommit == "9f2c1e7" && row.ciBranch == "main" && row.ciJobURL == "https://ci.example.com/jobs/981")
            #expect(row.startedAt == record.startedAt && row.endedAt == record.endedAt)
            #expect(row.knownGood == false)
            let gates = try await reopened.read { db in try GateResultRow.order(Column("position")).fetchAll(db) }
            #expect(gates.map(\.name) == ["pass-rate", "must-pass:prompt-injection"])
            #expect(gates.map(\.outcome) == ["fail", "pass"])
            #expect(gates[0].thresholdValue == 0.95)
        }
    }

    @Test func unknownRunsReadAsNilOrNotFound() async throws {
        try await F.withStore { store throws in
            #expect(try await store.run(id: "nope") == nil)
            #expect(try await store.runs().isEmpty)
            await #expect(throws: HistoryError.runNotFound("nope")) { try await store.caseResults(runID: "nope") }
            await #expect(throws: HistoryError.runNotFound("nope")) { try await store.caseOutcomes(runID: "nope") }
        }
    }

    @Test func filtersRunsNewestFirst() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "r1", agent: "support-bot", pipeline: "refunds", verdict: .pass, minutes: 1)
            try await F.save(store, id: "r2", agent: "support-bot", pipeline: "refunds", verdict: .fail, minutes: 2)
            try await F.save(store, id: "r3", agent: "support-bot", pipeline: "billing", verdict: .pass, minutes: 3)
            try await F.save(store, id: "r4", agent: "sales-bot", pipeline: "refunds", verdict: .inconclusive, minutes: 4)
            try await F.save(store, id: "r5", agent: "support-bot", pipeline: "refunds", verdict: .pass, minutes: 5)

            #expect(try await store.runs().map(\.id) == ["r5", "r4", "r3", "r2", "r1"])
            #expect(try await store.runs(limit: 2).map(\.id) == ["r5", "r4"])
            #expect(try await store.runs(agent: "support-bot").map(\.id) == ["r5", "r3", "r2", "r1"])
            #expect(try await store.runs(pipeline: "refunds").map(\.id) == ["r5", "r4", "r2", "r1"])
            #expect(try await store.runs(verdict: .pass).map(\.id) == ["r5", "r3", "r1"])
            #expect(try await store.runs(agent: "support-bot", pipeline: "refunds", verdict: .pass).map(\.id) == ["r5", "r1"])
            #expect(try await store.runs(agent: "nobody").isEmpty)
            #expect(try await store.runs(limit: 0).isEmpty)
        }
    }

    @Test func findsRunsByUniqueIDPrefix() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "20251009-a1b2c3", minutes: 1)
            try await F.save(store, id: "20251009-a1ffff", minutes: 2)
            try await F.save(store, id: "20251010-9e8d7c", minutes: 3)
            try await F.save(store, id: "abc", minutes: 4)
            try await F.save(store, id: "abcd", minutes: 5)

            #expect(try await store.run(id: "20251010")?.id == "20251010-9e8d7c")
            #expect(try await store.run(id: "20251009-a1b")?.id == "20251009-a1b2c3")
            #expect(try await store.caseResults(runID: "20251010").count == 5)
            // An exact id wins over the longer ids it is a prefix of.
            #expect(try await store.run(id: "abc")?.id == "abc")
            #expect(try await store.run(id: "20251011") == nil)
            #expect(try await store.run(id: "") == nil)
            await #expect(throws: HistoryError.ambiguousRunID(prefix: "20251009-a1", matches: ["20251009-a1b2c3", "20251009-a1ffff"])) {
                try await store.run(id: "20251009-a1")
            }
            let error = HistoryError.ambiguousRunID(prefix: "2025", matches: ["20251009-a1b2c3", "20251009-a1ffff", "20251010-9e8d7c"])
            await #expect(throws: error) { try await store.run(id: "2025") }
            #expect(error.localizedDescription.contains("20251010-9e8d7c"))
        }
    }

    @Test func savingAnExistingRunIDReplacesItButKeepsPeoplesAnnotations() async throws {
        try await F.withStore { store in
            let first = try await F.save(store, id: "run-resumed", verdict: .pass, minutes: 1, caseCount: 6)
            try await store.markKnownGood(runID: first.id)
            try await store.recordReviewLabel(runID: first.id, caseID: "case-1", label: .pass, reviewer: "dana")

            var cases = F.cases(3)
            cases[2].status = .failed
            var second = F.record(id: first.id, verdict: .pass, startedAt: F.date(minutes: 1), cases: cases)
            second.gates.removeLast()
            try await store.save(second, cases: cases)

            #expect(try await store.run(id: first.id) == second)
            #expect(try await store.caseResults(runID: first.id) == cases)
            #expect(try await store.runs().count == 1)
            let gateCount = try await store.read { db in try GateResultRow.fetchCount(db) }
            #expect(gateCount == 1)
            #expect(try await store.reviewLabels(runID: first.id).map(\.caseID) == ["case-1"])
            #expect(try await store.knownGoodVersions(agent: "support-bot").map(\.runID) == [first.id])

            // A re-save that no longer passes cannot vouch for its version any more.
            let failing = F.record(id: first.id, verdict: .fail, startedAt: F.date(minutes: 1), cases: cases)
            try await store.save(failing, cases: cases)
            #expect(try await store.knownGoodVersions(agent: "support-bot").isEmpty)
            #expect(try await store.run(id: first.id)?.verdict == .fail)
        }
    }

    @Test func recentRunsAreTheLastCompletedRunsOfAPipelineOldestFirst() async throws {
        try await F.withStore { store in
            for minute in 1...6 {
                try await F.save(store, id: "nightly-\(minute)", pipeline: "refunds", mode: .monitor, minutes: minute)
            }
            try await F.save(store, id: "nightly-stopped", pipeline: "refunds", mode: .monitor, minutes: 7, stopReason: .maxCost)
            try await F.save(store, id: "other-pipeline", pipeline: "billing", mode: .monitor, minutes: 8)

            #expect(try await store.recentRuns(pipeline: "refunds", limit: 3).map(\.id) == ["nightly-4", "nightly-5", "nightly-6"])
            #expect(try await store.recentRuns(pipeline: "refunds").count == 6)
            #expect(try await store.recentRuns(pipeline: "none").isEmpty)
        }
    }

    @Test func rejectsDuplicateCasesAndKeepsThePreviousSave() async throws {
        try await F.withStore { store in
            let record = try await F.save(store, id: "run-dup", caseCount: 4)
            // The duplicate comes after a full batch of cases: nothing of the new save may land.
            var cases = F.cases(HistoryStore.caseBatchSize + 10)
            cases.append(F.caseResult(index: 999, id: "case-3"))
            let replacement = F.record(id: "run-dup", verdict: .fail, cases: cases)
            await #expect(throws: HistoryError.invalidCases(runID: "run-dup", reason: "case id 'case-3' appears twice")) {
                try await store.save(replacement, cases: cases)
            }
            #expect(try await store.run(id: "run-dup") == record)
            #expect(try await store.caseResults(runID: "run-dup").count == 4)

            var sameIndex = F.cases(2)
            sameIndex[1].index = 0
            await #expect(throws: HistoryError.self) { try await store.save(F.record(id: "run-idx", cases: sameIndex), cases: sameIndex) }
            #expect(try await store.run(id: "run-idx") == nil)
        }
    }

    @Test func savesARunWithoutCases() async throws {
        try await F.withStore { store in
            let record = F.record(id: "empty", verdict: .inconclusive, cases: [])
            try await store.save(record, cases: [])
            #expect(try await store.run(id: "empty") == record)
            #expect(try await store.caseResults(runID: "empty").isEmpty)
            #expect(try await store.caseOutcomes(runID: "empty").isEmpty)
        }
    }

    @Test func redactsSecretsBeforeTheyReachTheFile() async throws {
        let secret = "sk-live-0123456789abcdef"
        try await F.withStore(redactor: Redactor(secrets: [secret])) { store in
            var cases = F.cases(2)
            cases[0].answer?.text = "the key is \(secret)"
            let record = F.record(id: "run-secret", cases: cases, ci: ["job_url": "https://bot:hunter22@ci.example.com/jobs/1"])
            try await store.save(record, cases: cases)
            try await store.recordDeployment(agent: "support-bot", environment: "production", version: "1.4.0", note: "token \(secret)")

            let stored = try await store.caseResults(runID: "run-secret")
            #expect(stored[0].answer?.text == "the key is [REDACTED]")
            #expect(try await store.run(id: "run-secret")?.ci["job_url"] == "https://[REDACTED]@ci.example.com/jobs/1")
            #expect(try await store.deployments(agent: "support-bot").first?.note == "token [REDACTED]")
            let bytes =
                try Data(contentsOf: URL(fileURLWithPath: store.path)) + (try? Data(contentsOf: URL(fileURLWithPath: store.path + "-wal"))).orEmpty
            #expect(bytes.range(of: Data(secret.utf8)) == nil)
            #expect(bytes.range(of: Data("hunter22".utf8)) == nil)
        }
    }
}

extension Optional where Wrapped == Data {
    fileprivate var orEmpty: Data { self ?? Data() }
}
