import Foundation
import Testing

@testable import EvalGateKit

/// Diagnostics read like a compiler's, and their JSON (`evalgate validate --format json`) is one flat,
/// stable object per problem.
@Suite("Diagnostics")
struct DiagnosticTests {
    @Test func textIsFileLineColumnSeverityMessageAndHint() {
        let located = Diagnostic(
            .error, SourceLocation(file: "pipelines/a.yaml", line: 12, column: 5), "unknown key 'treshold'", hint: "did you mean 'threshold'?")
        #expect(located.description == "pipelines/a.yaml:12:5: error: unknown key 'treshold'\n    hint: did you mean 'threshold'?")
        #expect(Diagnostic(.warning, SourceLocation(file: "a.jsonl", line: 3), "slow regex").description == "a.jsonl:3: warning: slow regex")
        #expect(Diagnostic(.note, SourceLocation(file: "a.jsonl"), "empty file").description == "a.jsonl: note: empty file")
    }

    @Test func jsonIsOneFlatObjectAndRoundTrips() throws {
        let diagnostic = Diagnostic(.error, SourceLocation(file: "p.yaml", line: 2, column: 7), "bad", hint: "fix it")
        let text = String(decoding: try JSONCoding.encoder().encode(diagnostic), as: UTF8.self)
        #expect(text == #"{"column":7,"file":"p.yaml","hint":"fix it","line":2,"message":"bad","severity":"error"}"#)
        #expect(try JSONCoding.decoder().decode(Diagnostic.self, from: Data(text.utf8)) == diagnostic)
        let bare = try JSONCoding.decoder().decode(Diagnostic.self, from: Data(#"{"file":"p.yaml","message":"m","severity":"note"}"#.utf8))
        #expect(bare.location == SourceLocation(file: "p.yaml") && bare.hint == nil)
        #expect(throws: DecodingError.self) {
            try JSONCoding.decoder().decode(Diagnostic.self, from: Data(#"{"file":"p","message":"m","severity":"fatal"}"#.utf8))
        }
    }

    @Test func theEngineCountsErrorsAndSortsByPlace() {
        var engine = DiagnosticsEngine()
        engine.warning(SourceLocation(file: "b.yaml", line: 1), "w")
        engine.error(SourceLocation(file: "a.yaml", line: 9, column: 1), "late")
        engine.note(SourceLocation(file: "a.yaml", line: 2), "n")
        #expect(engine.hasErrors && engine.errors.map(\.message) == ["late"])
        #expect(engine.sorted.map(\.message) == ["n", "late", "w"])
        #expect(Diagnostic.Severity.note < .warning && Diagnostic.Severity.warning < .error)
        let error = InvalidInputError(engine.diagnostics)
        #expect(error.description.split(separator: "\n").count == 3)
    }
}
