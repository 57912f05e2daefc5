import Foundation
import Testing

@testable import EvalGateKit

@Suite("Run history: review labels")
struct ReviewHistoryTests {
    typealias F = HistoryFixtures

    @Test func recordsReplacesAndListsLabelsInCaseOrder() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "run-a1", version: "1.4.0", minutes: 1, caseCount: 10)
            try await store.recordReviewLabel(
                runID: "run-a1", caseID: "case-4", label: .pass, reviewer: "dana", note: "judge too strict", at: F.date(minutes: 5))
            try await store.recordReviewLabel(runID: "run-a", caseID: "case-0", label: .pass, reviewer: "li", note: nil, at: F.date(minutes: 6))
            try await store.recordReviewLabel(runID: "run-a1", caseID: "case-4", label: .fail, reviewer: "sam", note: nil, at: F.date(minutes: 7))

            let labels = try await store.reviewLabels(runID: "run-a1")
            #expect(labels.map(\.caseID) == ["case-0", "case-4"])
            #expect(
                labels[1]
                    == ReviewLabel(
                        runID: "run-a1", caseID: "case-4", label: .fail, reviewer: "sam", note: nil, recordedAt: F.date(minutes: 7),
                        agent: "support-bot",
                        version: "1.4.0", automaticStatus: .failed))
            #expect(labels[0].automaticStatus == .passed)

            await #expect(throws: HistoryError.caseNotFound(runID: "run-a1", caseID: "case-99")) {
                try await store.recordReviewLabel(runID: "run-a1", caseID: "case-99", label: .pass, reviewer: "dana")
            }
            await #expect(throws: HistoryError.runNotFound("run-zz")) {
                try await store.recordReviewLabel(runID: "run-zz", caseID: "case-1", label: .pass, reviewer: "dana")
            }
        }
    }

    @Test func poolsAnAgentsLabelsForKappa() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "run-1", version: "1.3.0", minutes: 1, caseCount: 10)
            try await F.save(store, id: "run-2", version: "1.4.0", minutes: 2, caseCount: 10)
            try await F.save(store, id: "run-other", agent: "sales-bot", minutes: 3, caseCount: 10)
            // Statuses from the fixtures: case-4 and case-9 failed, case-6 is an error, the others passed.
            try await store.recordReviewLabel(runID: "run-2", caseID: "case-0", label: .pass, reviewer: "dana")
            try await store.recordReviewLabel(runID: "run-2", caseID: "case-4", label: .fail, reviewer: "dana")
            try await store.recordReviewLabel(runID: "run-1", caseID: "case-1", label: .fail, reviewer: "li")
            try await store.recordReviewLabel(runID: "run-1", caseID: "case-6", label: .fail, reviewer: "li")
            try await store.recordReviewLabel(runID: "run-1", caseID: "case-9", label: .fail, reviewer: "li")
            try await store.recordReviewLabel(runID: "run-other", caseID: "case-0", label: .pass, reviewer: "li")

            let labels = try await store.allReviewLabels(agent: "support-bot")
            #expect(labels.map { "\($0.runID)/\($0.caseID)" } == ["run-1/case-1", "run-1/case-6", "run-1/case-9", "run-2/case-0", "run-2/case-4"])
            #expect(labels.map(\.version) == ["1.3.0", "1.3.0", "1.3.0", "1.4.0", "1.4.0"])

            let pairs = labels.compactMap(\.agreementPair).map { ($0.human, $0.automatic) }
            #expect(pairs.count == 4)
            // The error case says nothing about the answer. Agreement 3/4, chance (1·2 + 3·2)/16 = 1/2: kappa 1/2.
            #expect(CohenKappa.compute(pairs) == 0.5)
        }
    }
}
