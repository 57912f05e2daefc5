import Foundation
import Testing

@testable import EvalGateKit

@Suite("Run history: known-good versions, deployments and baselines")
struct KnownGoodHistoryTests {
    typealias F = HistoryFixtures

    @Test func onlyPassingRunsCanBeMarkedKnownGood() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "run-fail", version: "1.5.0", verdict: .fail)
            try await F.save(store, id: "run-unsure", version: "1.5.0", verdict: .inconclusive)
            await #expect(throws: HistoryError.notPassing(runID: "run-fail", verdict: .fail)) { try await store.markKnownGood(runID: "run-fail") }
            await #expect(throws: HistoryError.notPassing(runID: "run-unsure", verdict: .inconclusive)) {
                try await store.markKnownGood(runID: "run-unsure")
            }
            await #expect(throws: HistoryError.runNotFound("run-none")) { try await store.markKnownGood(runID: "run-none") }
            #expect(try await store.knownGoodVersions(agent: "support-bot").isEmpty)
        }
    }

    @Test func lastPassingRunIsTheNewestPassOfThatVersionInAnyMode() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "a", version: "1.4.0", verdict: .pass, mode: .release, minutes: 1)
            try await F.save(store, id: "b", version: "1.4.0", verdict: .pass, mode: .monitor, minutes: 2)
            try await F.save(store, id: "c", version: "1.4.0", verdict: .fail, mode: .monitor, minutes: 3)
            try await F.save(store, id: "d", version: "1.5.0", verdict: .pass, minutes: 4)
            try await F.save(store, id: "e", agent: "sales-bot", version: "1.4.0", verdict: .pass, minutes: 5)

            #expect(try await store.lastPassingRun(agent: "support-bot", version: "1.4.0")?.id == "b")
            #expect(try await store.lastPassingRun(agent: "support-bot", version: "1.5.0")?.id == "d")
            #expect(try await store.lastPassingRun(agent: "support-bot", version: "9.9.9") == nil)
        }
    }

    @Test func knownGoodVersionsListEachVersionOnceNewestFirst() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "v13-a", version: "1.3.0", minutes: 1)
            try await F.save(store, id: "v14-a", version: "1.4.0", minutes: 2)
            try await F.save(store, id: "v13-b", version: "1.3.0", minutes: 3)
            try await F.save(store, id: "v15-a", version: "1.5.0", minutes: 4)
            try await F.save(store, id: "v16-a", version: "1.6.0", minutes: 5)
            try await F.save(store, id: "other", agent: "sales-bot", version: "7.0.0", minutes: 6)
            // Marked out of order: the runs' times decide, not when they were marked.
            for id in ["v15-a", "v13-a", "v14-a", "v13-b", "other"] { try await store.markKnownGood(runID: id) }

            let versions = try await store.knownGoodVersions(agent: "support-bot")
            #expect(versions.map(\.version) == ["1.5.0", "1.3.0", "1.4.0"])
            #expect(versions.map(\.runID) == ["v15-a", "v13-b", "v14-a"])
            #expect(versions[0].at == F.date(minutes: 4).addingTimeInterval(95))

            #expect(try await store.lastKnownGood(agent: "support-bot", excluding: nil).map { [$0.version, $0.runID] } == ["1.5.0", "v15-a"])
            #expect(try await store.lastKnownGood(agent: "support-bot", excluding: "1.5.0").map { [$0.version, $0.runID] } == ["1.3.0", "v13-b"])
            #expect(try await store.lastKnownGood(agent: "support-bot", excluding: "1.6.0")?.version == "1.5.0")
            #expect(try await store.lastKnownGood(agent: "nobody", excluding: nil) == nil)

            try await store.markKnownGood(runID: "v15-a", false)
            #expect(try await store.lastKnownGood(agent: "support-bot", excluding: nil)?.version == "1.3.0")
        }
    }

    @Test func deploymentsRecordWhatWasLiveWhen() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "20251009-promote", version: "1.4.0")
            #expect(try await store.liveVersion(agent: "support-bot", environment: "production") == nil)

            try await store.recordDeployment(
                agent: "support-bot", environment: "production", version: "1.3.2", recordedBy: "argo", at: F.date(minutes: 1))
            try await store.recordDeployment(
                agent: "support-bot", environment: "production", version: "1.4.0", recordedBy: "dana", note: "after promote",
                runID: "20251009", at: F.date(minutes: 2))
            try await store.recordDeployment(agent: "support-bot", environment: "staging", version: "1.5.0-rc1", at: F.date(minutes: 3))
            try await store.recordDeployment(agent: "sales-bot", environment: "production", version: "2.0.0", at: F.date(minutes: 4))
            // A rollback recorded at the same instant as the previous deployment still counts as later.
            try await store.recordDeployment(
                agent: "support-bot", environment: "production", version: "1.3.2", note: "rollback", at: F.date(minutes: 2))

            #expect(try await store.liveVersion(agent: "support-bot", environment: "production") == "1.3.2")
            #expect(try await store.liveVersion(agent: "support-bot", environment: "staging") == "1.5.0-rc1")
            let production = try await store.deployments(agent: "support-bot", environment: "production")
            #expect(production.map(\.version) == ["1.3.2", "1.4.0", "1.3.2"])
            #expect(production.map(\.note) == ["rollback", "after promote", nil])
            #expect(production[1].runID == "20251009-promote")
            #expect(production[1].recordedBy == "dana")
            #expect(production[1].recordedAt == F.date(minutes: 2))
            #expect(try await store.deployments(agent: "support-bot").map(\.environment) == ["staging", "production", "production", "production"])
            #expect(try await store.deployments(agent: "support-bot", limit: 1).map(\.version) == ["1.5.0-rc1"])
            await #expect(throws: HistoryError.runNotFound("missing")) {
                try await store.recordDeployment(agent: "support-bot", environment: "production", version: "1.4.0", runID: "missing")
            }
        }
    }

}
