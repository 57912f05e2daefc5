import EvalGateKit
import Foundation

/// Records per second through a run journal: `append` (encode, redact, write), `orderedResults`
/// (read back and decode, as the end of a run does three times) and `rawRecord` (copied into the
/// result file), over the cases of an existing journal.
struct JournalBenchmark {
    struct Measurement: Encodable {
        var differingFromJSONEncoder: Int
        var records: Int
        var appendPerSecond: Double
        var orderedResultsPerSecond: Double
        var rawRecordPerSecond: Double
    }

    var source: String
    var records: Int

    func measure() throws -> Measurement {
        let decoder = JSONCoding.decoder()
        var results: [CaseResult] = []
        let lines = try Data(contentsOf: URL(fileURLWithPath: source)).split(separator: 0x0A)
        for line in lines where results.count < records {
            results.append(try decoder.decode(CaseResult.self, from: Data(line)))
        }
        guard !results.isEmpty else { throw CocoaError(.fileReadCorruptFile) }
        // Repeat the recorded cases under fresh ids and indexes up to the requested count.
        let recorded = results.count
        while results.count < records {
            var copy = results[results.count % recorded]
            copy.index = results.count
            copy.id = "\(copy.id)-\(results.count)"
            results.append(copy)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-bench-journal-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let journal = try RunJournal(path: folder + "/journal.jsonl", redactor: .none)
        let clock = ContinuousClock()
        let appendTime = try clock.measure {
            for result in results { try journal.append(result) }
            try journal.sync()
        }
        var count = 0
        let readTime = clock.measure {
            for result in journal.orderedResults() { count += result.attempts }
        }
        var bytes = 0
        let rawTime = clock.measure {
            for id in journal.orderedIDs { bytes += (try? journal.rawRecord(id))?.count ?? 0 }
        }
        // Every record must be exactly what JSONEncoder writes: the journal's format is the result file's.
        let encoder = JSONCoding.encoder()
        var differing = 0
        for result in results where try journal.rawRecord(result.id) != encoder.encode(result) {
            differing += 1
        }
        let total = Double(results.count)
        return Measurement(
            differingFromJSONEncoder: differing,
            records: results.count, appendPerSecond: total / ScorerBenchmark.seconds(appendTime),
            orderedResultsPerSecond: total / ScorerBenchmark.seconds(readTime), rawRecordPerSecond: total / ScorerBenchmark.seconds(rawTime))
    }
}
