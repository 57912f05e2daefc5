import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `caseDocuments(runID:fromIndex:limit:)` in the `RunHistory` contract: a run's stored case
/// documents page by page, in run order, as stored (what `evalgate merge` streams from a shard).
extension RunHistoryContractTests {
    @Test(arguments: HistoryBackend.allCases)
    func caseDocumentsArePagedInRunOrder(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            let cases = F.cases(25)
            try await history.save(F.record(id: "run-pages", cases: cases), cases: cases.reversed())
            try await history.save(F.record(id: "run-other", cases: F.cases(3, prefix: "other")), cases: F.cases(3, prefix: "other"))
            var pages: [[(index: Int, document: Data)]] = []
            var next = 0
            while true {
                let page = try await history.caseDocuments(runID: "run-pa", fromIndex: next, limit: 10)
                guard !page.isEmpty else { break }
                pages.append(page)
                next = page.last!.index + 1
            }
            #expect(pages.map(\.count) == [10, 10, 5])
            let documents = pages.flatMap { $0 }
            #expect(documents.map(\.index) == Array(0..<25))
            let decoder = JSONCoding.decoder()
            #expect(try documents.map { try decoder.decode(CaseResult.self, from: $0.document) } == cases)
            #expect(
                try documents.map { try decoder.decode(CaseResult.self, from: $0.document) } == (try await history.caseResults(runID: "run-pages")))
            #expect(try await history.caseDocuments(runID: "run-pages", fromIndex: 24, limit: 10).map(\.index) == [24])
            #expect(try await history.caseDocuments(runID: "run-pages", fromIndex: 0, limit: 0).isEmpty)
            await #expect(throws: HistoryError.runNotFound("nope")) {
                _ = try await history.caseDocuments(runID: "nope", fromIndex: 0, limit: 10)
            }
        }
    }
}
