import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `evalgate validate` end to end: the built binary, its exit codes, stdout and stderr.
@Suite("evalgate validate (CLI)")
struct ValidateCommandTests {
    @Test func shippedPipelinesAreValid() throws {
        let output = try CommandLineTool(workingDirectory: RepositoryPaths.root).run(["validate"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("pipelines/refund-agent.yaml: valid"))
        #expect(output.stdout.contains("pipelines/kb-agent.yaml: valid"))
        #expect(!output.stdout.contains("tiers.yaml"))
    }

    @Test func invalidPipelinePrintsCompilerStyleDiagnosticsAndExits3() throws {
        let folder = TemporaryDirectory()
        folder.write("cases.jsonl", "{\"id\": \"a\", \"input\": \"x\", \"assert\": [{\"type\": \"contains\", \"value\": \"x\"}]}\n")
        folder.write(
            "bad.yaml",
            """
            version: 1
            agent:
              name: demo
              version: "1"
              risk_tier: 1
              endpoint: {type: openai-chat, url: "http://127.0.0.1:9/v1", model: m, treshold: 3}
            datasets: [cases.jsonl]
            """)
        let output = try CommandLineTool(workingDirectory: folder.path).run(["validate", "bad.yaml"])
        #expect(output.status == 3)
        #expect(output.stderr.contains("bad.yaml:6:"))
        #expect(output.stderr.contains("error: unknown key 'treshold'"))
        #expect(output.stdout.contains("bad.yaml: invalid, 1 error"))
    }

    @Test func jsonFormatIsMachineReadable() throws {
        let folder = TemporaryDirectory()
        folder.write("p.yaml", "version: 1\nagent: {}\n")
        let output = try CommandLineTool(workingDirectory: folder.path).run(["validate", "--format", "json", "p.yaml"])
        #expect(output.status == 3)
        let json = try JSONValue(parsing: output.stdout)
        #expect(json["valid"] == false)
        let diagnostics = try #require(json["pipelines"]?.arrayValue?.first?["diagnostics"]?.arrayValue)
        #expect(diagnostics.contains { $0["message"]?.stringValue == "the pipeline is missing required key 'datasets'" })
        #expect(diagnostics.allSatisfy { $0["line"]?.doubleValue != nil && $0["file"]?.stringValue == "p.yaml" })
    }

    @Test func jsonEncodesEachDiagnosticAsOneFlatObject() throws {
        let folder = TemporaryDirectory()
        folder.write("cases.jsonl", "{\"id\": \"a\", \"input\": \"x\", \"assert\": [{\"type\": \"contains\", \"value\": \"x\"}]}\n")
        folder.write("bad.yaml", Self.misspeltPipeline)
        let output = try CommandLineTool(workingDirectory: folder.path).run(["validate", "--format", "json", "bad.yaml"])
        #expect(output.status == 3)
        #expect(output.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1, "one line: \(output.stdout)")
        let json = try JSONValue(parsing: output.stdout)
        #expect(Set(try #require(json.objectValue).keys) == ["valid", "pipelines"])
        let pipeline = try #require(json["pipelines"]?.arrayValue?.first)
        #expect(Set(try #require(pipeline.objectValue).keys) == ["path", "valid", "cases", "diagnostics"])
        #expect(pipeline["path"] == "bad.yaml" && pipeline["valid"] == false && pipeline["cases"] == 0)
        let diagnostic = try #require(pipeline["diagnostics"]?.arrayValue?.first)
        #expect(Set(try #require(diagnostic.objectValue).keys).subtracting(["hint"]) == ["severity", "file", "line", "column", "message"])
        #expect(diagnostic["severity"] == "error" && diagnostic["file"] == "bad.yaml" && diagnostic["line"] == 6)
        #expect(diagnostic["message"]?.stringValue?.hasPrefix("unknown key 'treshold'") == true)
        // It is the library's `Diagnostic`, and reads back as one.
        let decoded = try JSONCoding.decoder().decode(Diagnostic.self, from: Data(diagnostic.compactJSON.utf8))
        #expect(decoded.location == SourceLocation(file: "bad.yaml", line: 6, column: diagnostic["column"]?.doubleValue.map { Int($0) } ?? -1))
        #expect(decoded.hint == diagnostic["hint"]?.stringValue)
    }

    /// With stdout and stderr in one pipe (a terminal, `2>&1`), the diagnostics come before the
    /// summary line, as a compiler prints them.
    @Test func diagnosticsComeBeforeTheSummaryInOneStream() throws {
        let folder = TemporaryDirectory()
        folder.write("cases.jsonl", "{\"id\": \"a\", \"input\": \"x\", \"assert\": [{\"type\": \"contains\", \"value\": \"x\"}]}\n")
        folder.write("a.yaml", Self.misspeltPipeline)
        folder.write("b.yaml", Self.misspeltPipeline.replacingOccurrences(of: "treshold: 3", with: "retries: 2"))
        let (status, text) = try Self.runMerged(["validate", "a.yaml", "b.yaml"], in: folder.path)
        #expect(status == 3)
        let lines = text.components(separatedBy: "\n")
        let diagnostic = try #require(lines.firstIndex { $0.contains("error: unknown key 'treshold'") }, "\(text)")
        let summaries = [lines.firstIndex { $0 == "a.yaml: invalid, 1 error" }, lines.firstIndex { $0.hasPrefix("b.yaml: valid") }]
        #expect(summaries.allSatisfy { $0 != nil }, "\(text)")
        #expect(summaries.allSatisfy { ($0 ?? -1) > diagnostic }, "\(text)")
        #expect(lines.last(where: { !$0.isEmpty })?.hasPrefix("b.yaml: valid") == true, "\(text)")
    }

    static let misspeltPipeline = """
        version: 1
        agent:
          name: demo
          version: "1"
          risk_tier: 1
          endpoint: {type: openai-chat, url: "http://127.0.0.1:9/v1", model: m, treshold: 3}
        datasets: [cases.jsonl]
        """

    /// Runs evalgate with its stdout and stderr written to the same pipe.
    static func runMerged(_ arguments: [String], in directory: String) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.executable("evalgate"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        try? pipe.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func usageErrorsExit64() throws {
        let output = try CommandLineTool().run(["validate", "--format", "yaml"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--format"))
    }

    @Test func missingFileIsInvalidInput() throws {
        let output = try CommandLineTool().run(["validate", "/nonexistent/pipeline.yaml"])
        #expect(output.status == 3)
        #expect(output.stderr.contains("/nonexistent/pipeline.yaml: error: no such file"))
    }
}

@Suite("Documentation examples")
struct DocumentationExamplesTests {
    /// Every ```yaml block marked `# example: pipeline` in the format reference loads without errors.
    @Test func formatReferenceExamplesLoad() throws {
        let text = try String(contentsOfFile: RepositoryPaths.path("docs/pipeline-format.md"), encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let examples = blocks.filter { $0.hasPrefix("# example: pipeline") }
        #expect(examples.count >= 5)
        let folder = TemporaryDirectory()
        for (index, example) in examples.enumerated() {
            let path = folder.write("pipelines/example-\(index).yaml", example)
            do {
                _ = try PipelineLoader(variables: [:]).load(path: path)
            } catch {
                Issue.record("example \(index + 1) does not load:\n\(error.description)\n\(example)")
            }
        }
        let jsonBlocks = text.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        for block in jsonBlocks {
            var diagnostics = DiagnosticsEngine()
            let parsed = GoldenCase.parse(
                try JSONValue(parsing: block), location: SourceLocation(file: "doc"), defaults: .init(dataset: "doc", fallbackIDPrefix: "doc"),
                diagnostics: &diagnostics)
            #expect(parsed != nil && diagnostics.diagnostics.isEmpty)
            for spec in parsed?.scorers ?? [] {
                #expect(ScorerRegistry.validate(spec, expected: parsed?.expected) == nil)
            }
        }
    }
}
