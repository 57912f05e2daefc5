import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Every hostile input gets a clear error in bounded time and memory, never a crash.
@Suite("Hostile pipeline and dataset input")
struct HostileInputTests {
    func loadErrors(_ data: Data) -> [Diagnostic] {
        let folder = TemporaryDirectory()
        let path = folder.write("pipeline.yaml", data: data)
        do {
            _ = try PipelineLoader(variables: [:]).load(path: path)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func emptyFile() {
        #expect(loadErrors(Data()).first?.message == "the pipeline file is empty")
        #expect(loadErrors(Data("\n  \n".utf8)).first?.message == "the pipeline file is empty")
    }

    @Test func binaryFile() {
        var bytes = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00])
        bytes.append(Data(repeating: 0, count: 64))
        #expect(loadErrors(bytes).first?.message.contains("NUL bytes") == true)
    }

    @Test func invalidUTF8HasLineAndColumn() {
        var bytes = Data("version: 1\nname: caf".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        let found = loadErrors(bytes)
        #expect(found.first?.message == "invalid UTF-8 byte sequence")
        #expect(found.first?.location.line == 2)
        #expect(found.first?.location.column == 10)
    }

    @Test func aliasBombIsRefused() {
        var yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        let start = Date()
        let found = loadErrors(Data(yaml.utf8))
        #expect(found.first?.message.contains("expands to more than") == true)
        #expect(found.first?.hint?.contains("billion laughs") == true)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func deepNestingIsRefused() {
        let depth = 10_000
        let yaml = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let found = loadErrors(Data(yaml.utf8))
        #expect(found.first?.message == "nesting deeper than 64 levels")
        let mappings = (0..<2_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        #expect(loadErrors(Data(mappings.utf8)).first?.message.contains("nesting deeper") == true)
    }

    @Test func duplicateKeysAreErrors() {
        let found = loadErrors(Data("version: 1\nversion: 1\n".utf8))
        #expect(found.first?.message.contains("duplicate key 'version'") == true)
    }

    @Test func syntaxErrorHasLocation() {
        let found = loadErrors(Data("version: 1\nagent: {name: x\n".utf8))
        #expect(found.first?.message.hasPrefix("invalid YAML") == true)
        #expect((found.first?.location.line ?? 0) >= 2)
    }

    @Test func multipleDocumentsAreRefused() {
        #expect(loadErrors(Data("version: 1\n---\nversion: 1\n".utf8)).first?.message == "more than one YAML document in the file")
    }

    @Test func hugeDatasetLineIsReportedNotBuffered() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("big.jsonl")
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.write(Data("{\"id\":\"a\",\"input\":\"ok\"}\n{\"id\":\"b\",\"input\":\"".utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<100 { handle.write(chunk) }
        handle.write(Data("\"}\n{\"id\":\"c\",\"input\":\"ok\"}\n".utf8))
        try handle.close()
        let reader = DatasetReader(reference: DatasetReference(path: "big.jsonl", resolvedPath: path), displayPath: "big.jsonl")
        let (cases, diagnostics) = reader.readAll()
        #expect(cases.map(\.id) == ["a", "c"])
        #expect(diagnostics.first?.location.line == 2)
        #expect(diagnostics.first?.message.contains("over the 16 MiB limit") == true)
    }

    @Test func binaryDatasetIsReportedPerLine() throws {
        let folder = TemporaryDirectory()
        let path = folder.write("bin.jsonl", data: Data([0x00, 0x01, 0xFF, 0x0A, 0x00]))
        let (cases, diagnostics) = DatasetReader(reference: DatasetReference(path: "bin.jsonl", resolvedPath: path)).readAll()
        #expect(cases.isEmpty)
        #expect(diagnostics.contains { $0.message.contains("NUL byte") })
    }
}
