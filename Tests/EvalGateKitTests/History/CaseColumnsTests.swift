import Foundation
import Testing

@testable import EvalGateKit

private typealias F = HistoryFixtures

/// Saving a run reads each case's columns by scanning its document; the scan must agree with
/// `JSONDecoder` wherever it answers, and decline (so the decoder decides) wherever it cannot.
@Suite("History: case columns")
struct CaseColumnsTests {
    static var results: [CaseResult] {
        var results = JournalJSON.probes
        results += (0..<6).map {
            F.caseResult(index: $0, status: [.passed, .failed, .error][$0 % 3], critical: $0 == 4, cluster: $0 == 2 ? "c-2" : nil)
        }
        var odd = F.caseResult(index: 9, id: "ünïcödé \"quoted\" \\ id", tags: ["é", "a\"b", ""])
        odd.score = .nan
        odd.latencyMilliseconds = .infinity
        odd.cost = 0.000_012_345_678_901_234_5
        results.append(odd)
        return results
    }

    @Test func scanningADocumentGivesWhatDecodingItGives() async throws {
        let encoder = JSONCoding.encoder()
        for result in Self.results {
            let document = try encoder.encode(result)
            let decoded = try JSONCoding.decoder().decode(CaseResultRow.Columns.self, from: document)
            let scanned = try #require(CaseResultRow.Columns.scan(document), "declined \(result.id)")
            // String forms, so NaN compares equal to itself.
            #expect(String(describing: scanned.columns) == String(describing: decoded))
            #expect(scanned.tagsJSON == String(decoding: try encoder.encode(result.tags), as: UTF8.self))
        }
    }

    @Test(arguments: [
        "", "[]", "{", "{\"index\":1", "{\"index\":1}x", "{\"a\":[1,2}", "{\"a\":{\"b\":]}", "{\"a\":\"unterminated}",
        "{\"a\":1,\"a\":2}", "{\"a\\u0062\":1}", "{\"a\" 1}", "{,}", "{\"a\":}",
    ])
    func theScannerDeclinesWhatIsNotOneWellFormedObject(text: String) {
        let members = Array(text.utf8).withUnsafeBufferPointer { JSONValue.FastParser.members(of: $0, named: ["a", "ab", "index"]) }
        #expect(members == nil)
    }

    @Test func theScannerStepsOverNestedValuesAndStrings() async throws {
        let text = #" { "a" : {"x": ["}", "]", {"y": "\"{"}]}, "b": "q\"}", "c": -1.5e3 , "d": null } "#
        let ranges = try #require(
            Array(text.utf8).withUnsafeBufferPointer { JSONValue.FastParser.members(of: $0, named: ["a", "b", "c", "d", "x", "e"]) })
        let bytes = Array(text.utf8)
        let values = ranges.map { $0.map { String(decoding: bytes[$0], as: UTF8.self) } }
        // `x` is nested, not a member; `e` is absent.
        #expect(values == [#"{"x": ["}", "]", {"y": "\"{"}]}"#, #""q\"}""#, "-1.5e3", "null", nil, nil])
    }

    @Test(arguments: [
        #"{"index":"1","id":"a","dataset":"d","status":"passed","score":1,"critical":false,"tags":[],"latencyMilliseconds":1}"#,
        #"{"index":1,"id":"a","dataset":"d","status":"maybe","score":1,"critical":false,"tags":[],"latencyMilliseconds":1}"#,
        #"{"index":1,"id":"a","dataset":"d","status":"passed","score":nan,"critical":false,"tags":[],"latencyMilliseconds":1}"#,
        #"{"index":1,"id":"a","dataset":"d","status":"passed","score":1,"critical":0,"tags":[],"latencyMilliseconds":1}"#,
        #"{"index":1,"id":"a","dataset":"d","status":"passed","score":1,"critical":false,"tags":[1],"latencyMilliseconds":1}"#,
        #"{"index":1,"id":"a","dataset":"d","status":"passed","score":1,"critical":false,"tags":[]}"#,
        #"{"index":1,"id":"a","dataset":"d","status":"passed","score":1,"critical":false,"tags":[],"latencyMilliseconds":1,"cost":"x"}"#,
    ])
    func documentsWithAWrongMemberAreLeftToTheDecoder(text: String) {
        #expect(CaseResultRow.Columns.scan(Data(text.utf8)) == nil)
    }
}
