import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The streamed reading of a shard's result file: the same record and case documents as decoding
/// the whole file, whatever its whitespace; a file cut anywhere is an error with its place.
@Suite("Shard result file")
struct ShardResultFileTests {
    typealias F = HistoryFixtures

    static func write(_ folder: TemporaryDirectory, _ name: String, cases: [CaseResult]) throws -> String {
        let path = folder.file(name)
        let encoder = JSONCoding.encoder()
        try ResultFile.write(F.record(id: "run-1", cases: cases), cases: try cases.map { try encoder.encode($0) }, to: path)
        return path
    }

    static func documents(_ path: String) throws -> [Data] {
        var documents: [Data] = []
        try ShardResultFile.forEachCase(path: path) { documents.append($0) }
        return documents
    }

    @Test func readsTheRecordAndEveryCaseDocumentAsWritten() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-shard-file")
        let cases = F.cases(40)
        let path = try Self.write(folder, "result.json", cases: cases)
        let head = try ShardResultFile.head(path: path)
        let whole = try ResultFile.read(path: path)
        #expect(head.record == whole.record && head.cases == 40)
        let encoder = JSONCoding.encoder()
        #expect(try Self.documents(path) == cases.map { try encoder.encode($0) }, "the documents as they stand in the file")
        #expect(try Self.documents(path).map { try JSONCoding.decoder().decode(CaseResult.self, from: $0) } == cases)

        // Pretty-printed, with whitespace between every token: the same documents, no whitespace left.
        let pretty = JSONCoding.encoder(pretty: true)
        var text = String(decoding: try pretty.encode(F.record(id: "run-1", cases: cases)), as: UTF8.self)
        while text.last?.isWhitespace == true || text.last == "}" { text.removeLast() }
        text +=
            ",\n  \"cases\" : [\n" + (try cases.map { String(decoding: try pretty.encode($0), as: UTF8.self) }).joined(separator: " ,\r\n\t")
            + "\n  ]\n}\n\n"
        let spaced = folder.write("pretty.json", text)
        #expect(try ShardResultFile.head(path: spaced).record == whole.record)
        #expect(try Self.documents(spaced) == cases.map { try encoder.encode($0) })
        #expect(try Self.documents(spaced).allSatisfy { !$0.contains(0x0A) }, "a journal line holds one case")
    }

    @Test func aFileCutAnywhereIsALocatedError() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-shard-file")
        let path = try Self.write(folder, "result.json", cases: F.cases(3))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var cut = 1
        while cut < bytes.count - 2 {
            let part = folder.write("cut.json", data: bytes.prefix(cut))
            #expect(throws: ShardResultFile.Failure.self, "cut at \(cut) of \(bytes.count) bytes") { _ = try ShardResultFile.head(path: part) }
            cut += 13
        }
        // At the end of the cases, inside a string: the place is named.
        let inCases = folder.write("cut.json", data: bytes.prefix(bytes.count - 40))
        do {
            _ = try ShardResultFile.head(path: inCases)
            Issue.record("a cut file was read")
        } catch let failure as ShardResultFile.Failure {
            #expect(failure.path == inCases && failure.line == 1 && failure.column > 1)
            #expect(failure.description.hasPrefix("\(inCases):1:") && failure.description.contains("truncated"), "\(failure)")
        }
        // Not a result file, trailing bytes, no cases.
        for (name, text) in [
            ("array.json", "[1, 2]"), ("trailing.json", String(decoding: bytes, as: UTF8.self) + "x"),
            ("no-cases.json", "{\"id\": \"run-1\"}"), ("empty.json", ""), ("control.json", "{\"cases\": [{\"id\": \"a\tb\"}]}"),
            // Whitespace between two values is not a separator: `[1 2]` must not be read as `[12]`.
            ("spaced-numbers.json", "{\"x\": [1 2], \"cases\": []}"), ("adjacent.json", "{\"cases\": [{\"a\": 1 \"b\": 2}]}"),
            ("adjacent-values.json", "{\"cases\": [{\"a\": [true false]}]}"),
        ] {
            let file = folder.write(name, text)
            #expect(throws: ShardResultFile.Failure.self, "\(name)") { _ = try ShardResultFile.head(path: file) }
        }
        #expect(throws: ShardResultFile.Failure.self) { _ = try ShardResultFile.head(path: folder.file("missing.json")) }
    }
}
