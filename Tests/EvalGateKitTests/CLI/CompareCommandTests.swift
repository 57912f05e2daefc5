import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `evalgate compare` end to end: its JSON, and the tier policy it judges by.
@Suite("evalgate compare (CLI)")
struct CompareCommandTests {
    func comparison(_ output: CommandLineTool.Output) throws -> BaselineComparison {
        try JSONCoding.decoder().decode(BaselineComparison.self, from: Data(output.stdout.utf8))
    }

    @Test func jsonIsTheResultFileBaselineSection() async throws {
        let runs = try await RecordedRunsFolder()
        let output = try runs.run(["compare", runs.baseline.id, runs.candidate.id, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let comparison = try comparison(output)
        #expect(comparison.baselineRunID == runs.baseline.id)
        #expect(comparison.baselineVersion == "1.3.2")
        #expect(comparison.sharedCases == runs.candidate.summary.passed + runs.candidate.summary.failed)
        #expect(comparison.regressedCases.isEmpty && comparison.fixedCases.isEmpty)
        // Exactly the keys of the result file's `baseline` object, nothing printed around them.
        let keys = try #require(try JSONValue(parsing: output.stdout).objectValue?.keys)
        #expect(
            Set(keys) == [
                "baselineRunID", "baselineVersion", "sharedCases", "regressedCases", "fixedCases", "mcnemar", "bootstrap", "margin", "outcome",
            ])
        let resultFile = try JSONValue(parsing: String(decoding: try JSONCoding.encoder().encode(runs.candidate), as: UTF8.self))
        let recordedKeys = try #require(resultFile["baseline"]?.objectValue?.keys)
        #expect(Set(keys) == Set(recordedKeys))
    }

    @Test func marginAndConfidenceComeFromThePipelinesTierPolicy() async throws {
        let runs = try await RecordedRunsFolder()
        let output = try runs.run(["compare", runs.baseline.id, runs.candidate.id, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let comparison = try comparison(output)
        #expect(comparison.margin == RecordedRunsFolder.maxRegression)
        #expect(comparison.bootstrap?.confidence == RecordedRunsFolder.confidence)
        #expect(!output.stderr.contains("note:"), "\(output.stderr)")

        let table = try runs.run(["compare", runs.baseline.id, runs.candidate.id])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Non-inferiority at margin 15.0%"), "\(table.stdout)")
        #expect(table.stdout.contains("(80% bootstrap CI"), "\(table.stdout)")
    }

    @Test func marginFlagOverridesThePolicy() async throws {
        let runs = try await RecordedRunsFolder()
        let output = try runs.run(["compare", runs.baseline.id, runs.candidate.id, "--format", "json", "--margin", "0.07"])
        #expect(output.status == 0, "\(output.stderr)")
        let comparison = try comparison(output)
        #expect(comparison.margin == 0.07)
        #expect(comparison.bootstrap?.confidence == RecordedRunsFolder.confidence)
    }

    @Test func withThePipelineGoneTheBuiltInTierStandsInWithANote() async throws {
        let runs = try await RecordedRunsFolder()
        try runs.remove("pipelines/refunds.yaml")
        let output = try runs.run(["compare", runs.baseline.id, runs.candidate.id, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let builtIn = try #require(TierPolicyLoader.builtIn().tier(3)?.thresholds)
        let comparison = try comparison(output)
        #expect(comparison.margin == builtIn.maxRegression)
        #expect(comparison.bootstrap?.confidence == builtIn.confidence)
        #expect(
            output.stderr.contains("note: the pipeline file pipelines/refunds.yaml of run \(runs.candidate.id) is gone from "), "\(output.stderr)")
        #expect(output.stderr.contains("tier 3 (external-high-risk) of the built-in tier policy"), "\(output.stderr)")
    }

    @Test func aPipelineThatNoLongerLoadsIsInvalidInput() async throws {
        let runs = try await RecordedRunsFolder()
        runs.folder.write("pipelines/refunds.yaml", "version: 1\nagent: {}\n")
        let output = try runs.run(["compare", runs.baseline.id, runs.candidate.id, "--format", "json"])
        #expect(output.status == EvalGateKit.ExitStatus.invalidInput.rawValue, "\(output.stderr)")
        #expect(output.stderr.contains("pipelines/refunds.yaml:"), "\(output.stderr)")
        #expect(output.stderr.contains("error:"))
        #expect(output.stdout.isEmpty)
    }

    @Test func tablePValuesReadAsRelations() async throws {
        let runs = try await RecordedRunsFolder()
        let output = try runs.run(["compare", runs.baseline.id, runs.candidate.id])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("Exact McNemar: two-sided p = 1.000, one-sided (B worse) p = 1.000"), "\(output.stdout)")
    }
}

/// The thresholds `compare` resolves for a recorded run, without the binary.
@Suite("Comparison thresholds")
struct ComparisonThresholdsTests {
    @Test func pipelineThresholdsIncludeItsTighteningsAndTheDecisionsDefaults() async throws {
        let folder = TemporaryDirectory()
        folder.write("datasets/refunds.jsonl", "{\"id\": \"a\", \"input\": \"x\", \"assert\": [{\"type\": \"contains\", \"value\": \"x\"}]}\n")
        folder.write("pipelines/tiers.yaml", "version: 1\ntiers:\n  3: {name: bare, min_pass_rate: 0.9}\n")
        let path = folder.write("pipelines/refunds.yaml", RecordedRunsFolder.pipeline)
        var record = HistoryFixtures.record(id: "r")
        record.pipelineFile = path
        // A tier without max_regression or confidence: margin 0 and the default confidence, as a run's decision uses.
        #expect(try ComparisonThresholds.resolve(for: record) == ComparisonThresholds(margin: 0, confidence: TierThresholds.defaultConfidence))
        folder.write("pipelines/refunds.yaml", RecordedRunsFolder.pipeline + "\ngates: {max_regression: 0.01, confidence: 0.99}\n")
        #expect(try ComparisonThresholds.resolve(for: record) == ComparisonThresholds(margin: 0.01, confidence: 0.99))
    }

    @Test func anUnknownTierWithThePipelineGoneStillResolvesWithANote() async throws {
        var record = HistoryFixtures.record(id: "r")
        record.pipelineFile = "/nonexistent/pipeline.yaml"
        record.tier = 7
        let thresholds = try ComparisonThresholds.resolve(for: record)
        #expect(thresholds.margin == 0 && thresholds.confidence == TierThresholds.defaultConfidence)
        #expect(thresholds.note?.contains("has no tier 7") == true)
    }
}
