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
        folder.write("bad.yaml", """
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
                _ = try PipelineLoader(environment: [:]).load(path: path)
            } catch {
                Issue.record("example \(index + 1) does not load:\n\(error.description)\n\(example)")
            }
        }
        let jsonBlocks = text.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        for block in jsonBlocks {
            var diagnostics = DiagnosticsEngine()
            let parsed = GoldenCase.parse(try JSONValue(parsing: block), location: SourceLocation(file: "doc"), defaults: .init(dataset: "doc", fallbackIDPrefix: "doc"), diagnostics: &diagnostics)
            #expect(parsed != nil && diagnostics.diagnostics.isEmpty)
            for spec in parsed?.assertions ?? [] {
                #expect(ScorerRegistry.validate(spec, expected: parsed?.expected) == nil)
            }
        }
    }
}
