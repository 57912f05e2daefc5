import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

@Suite("Pipeline validation")
struct PipelineValidatorTests {
    func validate(_ pipeline: String, datasets: [String: String]) -> PipelineValidator.Report {
        let folder = TemporaryDirectory()
        for (name, contents) in datasets { folder.write(name, contents) }
        let path = folder.write("p.yaml", pipeline)
        return withExtendedLifetime(folder) { PipelineValidator(loader: PipelineLoader(variables: [:])).validate(path: path) }
    }

    static func pipeline(tier: Int = 1, assert: String = "", extra: String = "") -> String {
        """
        version: 1
        agent:
          name: demo
          version: "1"
          risk_tier: \(tier)
          endpoint: {type: http, url: "http://127.0.0.1:9/x", answer: /answer}
        datasets:
          - a.jsonl
          - b.jsonl
        \(assert)
        \(extra)
        """
    }

    @Test func duplicateIdsAcrossDatasetsPointAtBothPlaces() {
        let report = validate(
            Self.pipeline(assert: "assert: [{type: contains, value: x}]"),
            datasets: [
                "a.jsonl": "{\"id\": \"same\", \"input\": \"x\"}\n",
                "b.jsonl": "{\"id\": \"other\", \"input\": \"x\"}\n{\"id\": \"same\", \"input\": \"y\"}\n",
            ])
        let duplicate = report.diagnostics.first { $0.message.contains("duplicate case id") }
        #expect(duplicate?.location.line == 2)
        #expect(duplicate?.location.file.hasSuffix("b.jsonl") == true)
        #expect(duplicate?.message.contains("a.jsonl:1:1") == true)
        #expect(!report.isValid)
    }

    @Test func caseWithoutScorersCannotPass() {
        let report = validate(
            Self.pipeline(),
            datasets: [
                "a.jsonl": "{\"id\": \"x\", \"input\": \"q\"}\n",
                "b.jsonl": "{\"id\": \"y\", \"input\": \"q\", \"assert\": [{\"type\": \"equals\"}]}\n",
            ])
        #expect(report.diagnostics.contains { $0.message.contains("case 'x' has no scorers") })
        #expect(report.diagnostics.contains { $0.message.contains("case 'y', scorer 'equals'") })
    }

    @Test func scorerProblemsAreReportedOncePerPipelineEntry() {
        let report = validate(
            Self.pipeline(assert: "assert:\n  - {type: regex, value: \"([a-z\"}\n  - {type: contans, value: x}"),
            datasets: [
                "a.jsonl": "{\"id\": \"1\", \"input\": \"q\"}\n{\"id\": \"2\", \"input\": \"q\"}\n", "b.jsonl": "{\"id\": \"3\", \"input\": \"q\"}\n",
            ])
        let regex = report.diagnostics.filter { $0.message.contains("scorer 'regex'") }
        #expect(regex.count == 1)
        #expect(regex.first?.location.line == 11)
        let unknown = report.diagnostics.filter { $0.message.contains("scorer 'contans'") }
        #expect(unknown.count == 1)
        #expect((unknown.first?.message ?? "").contains("contains") || (unknown.first?.hint ?? "").contains("contains"))
    }

    @Test func toolScorersNeedAChatEndpoint() {
        let report = validate(
            Self.pipeline(assert: "assert: [{type: tool-called, value: refund}]"),
            datasets: ["a.jsonl": "{\"input\": \"q\"}\n", "b.jsonl": "{\"input\": \"r\"}\n"])
        #expect(report.diagnostics.contains { $0.message.contains("checks tool calls") })
    }

    @Test func modelGradedScorersNeedAJudge() {
        let report = validate(
            Self.pipeline(assert: "assert: [{type: llm-rubric, value: polite}]"),
            datasets: ["a.jsonl": "{\"input\": \"q\"}\n", "b.jsonl": "{\"input\": \"r\"}\n"])
        #expect(report.diagnostics.contains { $0.message.contains("needs a judge model") })
    }

    @Test func coverageBelowTierMinimumIsAnError() {
        var lines: [String] = []
        for index in 0..<5 { lines.append("{\"id\": \"pi-\(index)\", \"input\": \"q\", \"tags\": [\"prompt-injection\"]}") }
        let report = validate(
            Self.pipeline(tier: 3, assert: "assert: [{type: contains, value: x}]"),
            datasets: ["a.jsonl": lines.joined(separator: "\n"), "b.jsonl": ""])
        #expect(
            report.diagnostics.contains {
                $0.message == "tier 3 (external-high-risk) needs at least 30 cases tagged 'prompt-injection', the datasets have 5"
            })
        #expect(report.diagnostics.contains { $0.message.contains("requires every 'policy-boundary' case to pass, but no case has that tag") })
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.contains("at least 200 cases") })
        #expect(report.tagCounts["prompt-injection"] == 5)
    }

    @Test(arguments: ["refund-agent.yaml", "triage-agent.yaml", "kb-agent.yaml"])
    func shippedPipelinesAreValid(_ name: String) {
        let report = PipelineValidator(loader: PipelineLoader(variables: [:])).validate(path: RepositoryPaths.path("pipelines/\(name)"))
        #expect(report.isValid, "\(report.diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(report.caseCount >= 100)
    }
}

@Suite("Dataset paths")
struct DatasetPathTests {
    @Test func traversalAndSymlinksSayWhereTheyResolve() throws {
        let outside = TemporaryDirectory()
        let secret = outside.write("elsewhere.jsonl", "{\"id\": \"x\", \"input\": \"q\", \"assert\": [{\"type\": \"contains\", \"value\": \"q\"}]}\n")
        let project = TemporaryDirectory()
        project.write("golden/README", "golden datasets")
        try FileManager.default.createSymbolicLink(atPath: project.file("golden/linked.jsonl"), withDestinationPath: secret)
        let pipeline = project.write(
            "pipelines/p.yaml",
            """
            version: 1
            agent: {name: a, version: "1", risk_tier: 1, endpoint: {type: http, url: "http://127.0.0.1:9/x", answer: /a}}
            datasets:
              - ../golden/linked.jsonl
              - \(secret)
            """)
        let report = PipelineValidator(loader: PipelineLoader(variables: [:])).validate(path: pipeline)
        let resolvedSecret = (secret as NSString).resolvingSymlinksInPath
        #expect(report.diagnostics.contains { $0.severity == .note && $0.message.contains("is a symbolic link; it resolves to \(resolvedSecret)") })
        let outsideWarnings = report.diagnostics.filter { $0.severity == .warning && $0.message.contains("resolves outside the project folder") }
        #expect(outsideWarnings.count == 2)
        #expect(outsideWarnings.first?.location.line == 4)
    }
}
