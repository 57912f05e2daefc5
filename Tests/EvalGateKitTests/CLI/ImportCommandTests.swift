import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `evalgate import` end to end: the built binary, its exit codes, what it prints and writes.
@Suite("evalgate import (CLI)")
struct ImportCommandTests {
    static func fixture(_ relative: String) -> String { RepositoryPaths.path("Tests/EvalGateKitTests/Import/Fixtures/\(relative)") }

    @Test func promptfooImportWritesValidPipelinesAndRefusesToOverwrite() throws {
        let folder = TemporaryDirectory()
        let tool = CommandLineTool(workingDirectory: folder.path)
        let config = Self.fixture("promptfoo/customer-support/promptfooconfig.yaml")
        let output = try tool.run(["import", "promptfoo", config, "--out", "imported"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("wrote imported/pipelines/customer-support-acme-vllm.yaml"))
        #expect(output.stdout.contains("wrote imported/golden-datasets/customer-support/cases.jsonl (20 cases)"))
        #expect(output.stdout.contains("${ACME_LLM_KEY}, ${AGENT_API_TOKEN}, ${OPENAI_API_KEY}"))
        #expect(output.stderr.contains("customer-support/promptfooconfig.yaml:65:9: warning: assertion 'python' skipped"))
        #expect(output.stderr.contains("customer-support/tests/refunds.csv:4: warning: assertion 'javascript' skipped"))
        #expect(!output.stderr.contains(": error:"), "\(output.stderr)")

        let environment = ["ACME_LLM_KEY": "k", "AGENT_API_TOKEN": "t", "OPENAI_API_KEY": "o"]
        let validate = try CommandLineTool(workingDirectory: folder.path, environment: environment).run(["validate", "imported/pipelines"])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("imported/pipelines/customer-support-support-api.yaml: valid, 20 cases"))

        let pipeline = folder.file("imported/pipelines/customer-support-acme-vllm.yaml")
        let before = try String(contentsOfFile: pipeline, encoding: .utf8)
        try "changed by hand\n".write(toFile: pipeline, atomically: true, encoding: .utf8)
        let again = try tool.run(["import", "promptfoo", config, "--out", "imported"])
        #expect(again.status == 4)
        #expect(again.stderr.contains("would overwrite"))
        #expect(again.stderr.contains("--force"))
        #expect(try String(contentsOfFile: pipeline, encoding: .utf8) == "changed by hand\n")

        let forced = try tool.run(["import", "promptfoo", config, "--out", "imported", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: pipeline, encoding: .utf8) == before)
    }

    @Test func nothingConvertibleWritesNoFilesAndExits3() throws {
        let folder = TemporaryDirectory()
        let output = try CommandLineTool(workingDirectory: folder.path).run(
            ["import", "promptfoo", Self.fixture("promptfoo/redteam-only/promptfooconfig.yaml"), "--out", "out"])
        #expect(output.status == 3)
        #expect(output.stderr.contains("warning: 'redteam' skipped (plugin 'harmful:hate'"))
        #expect(output.stderr.contains("warning: provider 'file://agent_provider.py' skipped"))
        #expect(output.stderr.contains("error: no provider could be converted"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
    }

    @Test func openAIEvalsImport() throws {
        let folder = TemporaryDirectory()
        let tool = CommandLineTool(workingDirectory: folder.path, environment: ["OPENAI_API_KEY": "o"])
        let output = try tool.run(["import", "openai-evals", Self.fixture("openai-evals/registry/evals/test-basic.yaml")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("wrote ./pipelines/test-match.yaml"))
        #expect(output.stderr.contains("note: FuzzyMatch mapped to contains-any"))
        #expect(try tool.run(["validate"]).status == 0)

        let unknown = try tool.run(["import", "openai-evals", Self.fixture("openai-evals/registry/evals/custom.yaml"), "--out", "other"])
        #expect(unknown.status == 3)
        #expect(unknown.stderr.contains("unknown evals class 'evals.elsuite.travel.planner:TravelPlannerEval'"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("other")))
    }

    @Test func inspectImportNeedsAKnownScorer() throws {
        let folder = TemporaryDirectory()
        let tool = CommandLineTool(workingDirectory: folder.path)
        let samples = Self.fixture("inspect/capitals.csv")
        let output = try tool.run(["import", "inspect", samples, "--scorer", "includes", "--name", "Capitals", "--tier", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        let pipeline = try String(contentsOfFile: folder.file("pipelines/capitals.yaml"), encoding: .utf8)
        #expect(pipeline.contains("risk_tier: 2"))

        let bad = try tool.run(["import", "inspect", samples, "--scorer", "choice"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("includes"))
    }
}
