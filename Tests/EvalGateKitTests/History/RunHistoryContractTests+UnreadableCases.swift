import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// A run's cases come to the history from its journal. A journal record that cannot be read back
/// (the file cut short, a disk error) must fail the recording inside the history's transaction:
/// nothing is stored, rather than a run that looks complete with cases missing.
extension RunHistoryContractTests {
    @Test(arguments: HistoryBackend.allCases)
    func aRunWhoseJournalCannotBeReadBackIsNotRecorded(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            let folder = TemporaryDirectory()
            let path = folder.file("journal.jsonl")
            let journal = try RunJournal(path: path, redactor: .none)
            let cases = F.cases(6)
            for result in cases { try journal.append(result) }
            try journal.flush()
            // The last record loses its end.
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).int64Value
            #expect(truncate(path, off_t(size - 20)) == 0)

            let auditBefore = try await history.auditLog(agent: nil, since: nil, limit: 100).count
            let unreadable = UnreadableRecords()
            var documents = CaseDocuments(journal.orderedRecords(unreadable: unreadable))
            documents.verify = { try unreadable.check() }
            do {
                try await history.record(F.record(id: "run-cut", cases: cases), cases: documents, knownGood: false)
                Issue.record("a run with an unreadable case was recorded")
            } catch {
                #expect("\(error)".contains("could not be read back"), "\(error)")
            }
            #expect(unreadable.count == 1)
            #expect(try await history.run(id: "run-cut") == nil, "nothing of the run is stored")
            await #expect(throws: HistoryError.runNotFound("run-cut")) { _ = try await history.caseResults(runID: "run-cut") }
            #expect(try await history.auditLog(agent: nil, since: nil, limit: 100).count == auditBefore, "no audit entry for a run not recorded")

            // The same journal read whole (nothing cut) records every case.
            let whole = try RunJournal(path: folder.file("whole.jsonl"), redactor: .none)
            for result in cases { try whole.append(result) }
            let complete = UnreadableRecords()
            var all = CaseDocuments(whole.orderedRecords(unreadable: complete))
            all.verify = { try complete.check() }
            try await history.record(F.record(id: "run-whole", cases: cases), cases: all, knownGood: false)
            #expect(try await history.caseResults(runID: "run-whole") == cases)
        }
    }
}
