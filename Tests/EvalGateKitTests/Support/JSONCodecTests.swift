import Foundation
import Testing

@testable import EvalGateKit

/// evalgate's JSON is its Codable types through `JSONCoding`; the few hand-written fast paths the
/// benchmark needs must give exactly what the reference gives.
@Suite("JSON codec")
struct JSONCodecTests {
    static let documents: [String] = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"[0, -0, 0.5, -12.25, 123456789012345, 1e3, 2E-7, 1.5e300]"#,
        #""plain""#,
        #""escapes \" \\ \/ \b \f \n \r \t \u00e9 \u20AC \ud83d\ude00""#,
        #"{"unicode":"é€😀","empty":{},"list":[]}"#,
        #"  {"spaced" :  [ 1 , 2 ]  }  "#,
        #"{"dup":1,"dup":2}"#,
        #"[1,2,]"#,
        #"{"a":"\ud800"}"#,
        #"12345678901234567890"#,
        "[\(String(repeating: "[", count: 600))\(String(repeating: "]", count: 600))]",
        #"{"x":tru}"#,
        #"nul"#,
        "",
    ]

    /// The fast parser accepts exactly what `JSONSerialization` accepts, with the same values; what
    /// it declines goes to `JSONSerialization` itself.
    @Test(arguments: documents)
    func theFastParserAgreesWithJSONSerialization(text: String) throws {
        let data = Data(text.utf8)
        let reference = Result { JSONValue(foundation: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) }
        let fast = data.withUnsafeBytes { JSONValue.FastParser.parse($0) }
        switch reference {
        case .success(let value):
            #expect(try JSONValue(parsing: data) == value)
            if let fast { #expect(fast == value, "fast path differs on \(text)") }
        case .failure:
            #expect(fast == nil, "the fast path accepted what JSONSerialization rejects: \(text)")
            #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: data) }
        }
    }

    /// The result file is streamed (record head, then the journal's case records spliced in), and
    /// must be byte for byte what encoding the whole document with the Codable types gives.
    @Test func theStreamedResultFileIsTheCodableDocument() throws {
        let cases =
            HistoryFixtures.cases(9)
            + JournalJSON.probes.map {
                var probe = $0
                probe.index += 100
                probe.id += "-probe"
                return probe
            }
        let record = HistoryFixtures.record(id: "run-json", cases: cases)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("result.json").path
        try ResultFile.write(record, cases: try cases.map { try $0.journalJSON() }, to: path)
        let streamed = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(streamed == (try ResultFile.encode(record, cases: cases)))
        let read = try ResultFile.read(path: path)
        #expect(read.record == record)
        // (The probes hold NaN, which is never equal to itself; their bytes were compared above.)
        #expect(read.cases.count == cases.count && Array(read.cases.prefix(9)) == Array(cases.prefix(9)))
    }

    /// A run's journal round-trips through the Codable types.
    @Test func theJournalRoundTrips() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("journal.jsonl").path
        let cases = HistoryFixtures.cases(12)
        do {
            let journal = try RunJournal(path: path, redactor: .none)
            for result in cases { try journal.append(result) }
            try journal.sync()
        }
        let reopened = try RunJournal(path: path, redactor: .none)
        #expect(Array(reopened.orderedResults()) == cases)
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let decoded = try JSONCoding.decoder().decode(CaseResult.self, from: Data(line.utf8))
            #expect(try JSONCoding.encoder().encode(decoded) == Data(line.utf8))
        }
    }
}
