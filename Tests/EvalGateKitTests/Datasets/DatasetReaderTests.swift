import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

@Suite("Golden datasets")
struct DatasetReaderTests {
    func read(_ name: String, _ contents: String, tags: [String] = [], critical: Bool = false) -> (cases: [GoldenCase], diagnostics: [Diagnostic]) {
        let folder = TemporaryDirectory()
        let path = folder.write(name, contents)
        let reference = DatasetReference(path: name, resolvedPath: path, tags: tags, critical: critical)
        return withExtendedLifetime(folder) { DatasetReader(reference: reference, displayPath: name).readAll() }
    }

    @Test func readsJSONLinesWithEveryField() throws {
        let line =
            #"{"id": "c1", "input": "hi", "expected": "hello", "tags": ["greeting"], "metadata": {"cluster": "k"}, "critical": true, "threshold": 0.5, "repeat": 3, "review": "always", "tools": {"lookup": {"ok": true}, "refund": [{"match": {"order": "A-1"}, "result": {"id": "R"}}]}, "assert": [{"type": "not-contains", "value": "bye", "weight": 2, "metric": "politeness"}]}"#
        let (cases, diagnostics) = read("d.jsonl", line + "\n\n", tags: ["file-tag"])
        #expect(diagnostics.isEmpty)
        let goldenCase = try #require(cases.first)
        #expect(goldenCase.id == "c1")
        #expect(goldenCase.input == .text("hi"))
        #expect(goldenCase.expected == "hello")
        #expect(goldenCase.tags == ["file-tag", "greeting"])
        #expect(goldenCase.cluster == "k")
        #expect(goldenCase.critical)
        #expect(goldenCase.threshold == 0.5)
        #expect(goldenCase.repeatCount == 3)
        #expect(goldenCase.review == .always)
        #expect(goldenCase.toolFixtures["lookup"]?.result(for: [:]) == ["ok": true])
        #expect(goldenCase.toolFixtures["refund"]?.result(for: ["order": "a-1"]) == ["id": "R"])
        #expect(goldenCase.toolFixtures["refund"]?.result(for: ["order": "B-2"]) == nil)
        #expect(goldenCase.scorers.first?.negated == true)
        #expect(goldenCase.scorers.first?.type == "contains")
        #expect(goldenCase.scorers.first?.metric == "politeness")
        #expect(goldenCase.location.description == "d.jsonl:1:1")
    }

    @Test func acceptsOpenAIEvalsAndInspectSamples() {
        let lines = [
            #"{"input": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}], "ideal": ["4"]}"#,
            #"{"id": 7, "input": "Capital of France?", "target": "Paris", "metadata": {"source": "inspect"}}"#,
        ].joined(separator: "\n")
        let (cases, diagnostics) = read("evals.jsonl", lines)
        #expect(diagnostics.isEmpty)
        #expect(cases.map(\.id) == ["evals-1", "7"])
        #expect(cases[0].input == .messages([ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "2+2?")]))
        #expect(cases[0].input.text == "2+2?")
        #expect(cases[0].expected == "4")
        #expect(cases[1].expected == "Paris")
        #expect(cases[1].metadata["source"] == "inspect")
    }

    @Test func reportsProblemsWithFileAndLine() {
        let lines = [
            "{\"id\": \"ok\", \"input\": \"x\"}", "{not json}", "[1, 2]", "{\"id\": \"x\", \"inptu\": \"y\"}",
            "{\"id\": \"z\", \"input\": \"y\", \"tags\": \"a\", \"threshold\": 4}",
        ].joined(separator: "\n")
        let (cases, diagnostics) = read("bad.jsonl", lines)
        #expect(cases.map(\.id) == ["ok"])
        #expect(diagnostics.contains { $0.location.line == 2 && $0.message.hasPrefix("invalid JSON") })
        #expect(diagnostics.contains { $0.location.line == 3 && $0.message == "a case must be an object, found array" })
        #expect(diagnostics.contains { $0.location.line == 4 && $0.message == "unknown case key 'inptu' (did you mean 'input'?)" })
        #expect(diagnostics.contains { $0.location.line == 5 && $0.message == "case 'z': 'threshold' must be between 0 and 1" })
    }

    @Test func readsYAMLDatasetsWithLineNumbers() {
        let yaml = """
            - id: q1
              input: How many PTO days?
              expected: 25 days
              tags: [pto]
            - id: q2
              input: VPN?
              assert:
                - {type: icontains, value: vpn}
            """
        let (cases, diagnostics) = read("qa.yaml", yaml)
        #expect(diagnostics.isEmpty)
        #expect(cases.map(\.id) == ["q1", "q2"])
        #expect(cases[1].location.line == 5)
        #expect(cases[1].scorers.first?.type == "icontains")
    }

    @Test func readsCSVWithQuotedMultilineFields() {
        let csv =
            "id,input,expected,tags,priority\nt1,\"Printer on fire, \"\"urgent\"\"\nsecond line\",hardware,ops;p1,high\nt2,Password reset,account,,low\n"
        let (cases, diagnostics) = read("t.csv", csv)
        #expect(diagnostics.isEmpty)
        #expect(cases.count == 2)
        #expect(cases[0].input == .text("Printer on fire, \"urgent\"\nsecond line"))
        #expect(cases[0].tags == ["ops", "p1"])
        #expect(cases[0].metadata["priority"] == "high")
        #expect(cases[1].location.line == 4)
        #expect(cases[1].expected == "account")
    }

    @Test func csvProblemsAreReported() {
        #expect(read("t.csv", "question,answer\nx,y\n").diagnostics.first?.message == "the CSV header has no 'input' column")
        let found = read("t.csv", "id,input\na,b,c\nd,\"unterminated\n").diagnostics
        #expect(found.contains { $0.location.line == 2 && $0.message == "row has 3 fields, the header has 2" })
        #expect(found.contains { $0.message == "unterminated quoted field" })
    }

    @Test func missingDatasetSaysWhereItResolved() {
        let reference = DatasetReference(
            path: "../nope.jsonl", resolvedPath: "/tmp/definitely-not-here/nope.jsonl", location: SourceLocation(file: "p.yaml", line: 9, column: 5))
        let (_, diagnostics) = DatasetReader(reference: reference).readAll()
        #expect(
            diagnostics.first?.description.hasPrefix(
                "p.yaml:9:5: error: dataset '../nope.jsonl' not found (resolved to /tmp/definitely-not-here/nope.jsonl)") == true)
    }

    @Test func shippedDatasetsLoadWithoutProblems() throws {
        for folder in ["refund-agent", "triage-agent", "kb-agent"] {
            let directory = (RepositoryPaths.goldenDatasets as NSString).appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { DatasetFormat(path: $0) != nil }
            #expect(!files.isEmpty)
            for file in files {
                let path = (directory as NSString).appendingPathComponent(file)
                let (cases, diagnostics) = DatasetReader(reference: DatasetReference(path: file, resolvedPath: path)).readAll()
                #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(file): \(diagnostics.first?.description ?? "")")
                #expect(!cases.isEmpty)
            }
        }
    }
}
