import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Pipelines for the kb agent on the in-process reference agent, one per outcome, in a temporary folder.
struct RunFolder {
    let folder = TemporaryDirectory(prefix: "evalgate-run")

    init(agentURL: String) {
        let questions = (1...30).map { index -> JSONValue in
            ["id": .string("q-\(index)"), "input": .string("Question \(index): how many PTO days do I get?"), "tags": ["handbook-qa"]]
        }
        folder.write("datasets/handbook.jsonl", PipelineFixture.jsonl(questions))
        folder.write("datasets/few.jsonl", PipelineFixture.jsonl(Array(questions.prefix(10))))
        // 30 answered cases, every one passing: all tier 1 gates pass.
        folder.write("pass.yaml", Self.pipeline(url: agentURL, dataset: "handbook.jsonl", assert: "{type: not-contains, value: ZZZ-NEVER-SAID}"))
        // 10 cases, every one failing: pass-rate fails, min-cases (30) is inconclusive.
        folder.write("fail.yaml", Self.pipeline(url: agentURL, dataset: "few.jsonl", assert: "{type: contains, value: ZZZ-NEVER-SAID}"))
        // Nothing listens on port 9: every case is an infrastructure error.
        folder.write(
            "down.yaml",
            Self.pipeline(url: "http://127.0.0.1:9/v1/chat/completions", dataset: "handbook.jsonl", assert: "{type: not-contains, value: x}"))
        folder.write("invalid.yaml", Self.pipeline(url: agentURL, dataset: "handbook.jsonl", assert: "{type: contians, value: x}"))
    }

    static func pipeline(url: String, dataset: String, assert: String) -> String {
        """
        version: 1
        agent:
          name: kb-agent
          version: "3.1.0"
          risk_tier: 1
          endpoint:
            type: openai-chat
            url: \(url)
            model: kb-agent
            timeout: 3s
            retries: 0
            max_concurrency: 4
            pricing: {input_per_1k: 0.00015, output_per_1k: 0.0006}
        datasets: [datasets/\(dataset)]
        assert: [\(assert)]
        baseline: {from: none}
        """
    }

    var path: String { folder.path }

    func tool(_ environment: [String: String] = [:]) -> CommandLineTool {
        CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file(".evalgate")].merging(environment) { $1 })
    }

    /// Runs evalgate in the folder; the folder lives at least until the tool has finished.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandLineTool.Output {
        defer { withExtendedLifetime(folder) {} }
        return try await tool(environment).runDetached(arguments)
    }
}

/// `evalgate run` end to end: the built binary, its exit codes, what it prints and the files it writes.
@Suite("evalgate run (CLI)")
struct RunCommandTests {
    @Test(arguments: [
        ("pass.yaml", Int32(0), "PASS kb-agent 3.1.0", "Promote kb-agent 3.1.0"),
        ("fail.yaml", 1, "FAIL kb-agent 3.1.0", "Block kb-agent 3.1.0"),
        ("down.yaml", 2, "INCONCLUSIVE kb-agent 3.1.0", "Inconclusive:"),
    ])
    func exitCodeFollowsTheVerdict(pipeline: String, status: Int32, headline: String, recommendation: String) async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            let output = try await folder.run(["run", pipeline])
            #expect(output.status == status, "\(output.stdout)\n\(output.stderr)")
            let lines = output.stdout.components(separatedBy: "\n")
            #expect(lines.first?.hasPrefix(headline) == true, "\(output.stdout)")
            #expect(lines.dropFirst().first?.hasPrefix(recommendation) == true, "\(output.stdout)")
            #expect(output.stdout.contains("Result: ") && output.stdout.contains("Recommendation: "))
            // Outside GitHub Actions there are no workflow commands, and a CI log gets plain progress lines.
            #expect(!output.stdout.contains("::error") && !output.stdout.contains("::warning"))
            #expect(output.stderr.contains("progress: ["), "\(output.stderr)")
            #expect(!output.stdout.contains("\u{1B}["), "stdout is not a terminal: no colour")
        }
    }

    @Test func invalidPipelineExits3WithDiagnostics() async throws {
        let folder = RunFolder(agentURL: "http://127.0.0.1:9/v1/chat/completions")
        let output = try await folder.run(["run", "invalid.yaml"])
        #expect(output.status == 3, "\(output.stderr)")
        #expect(output.stderr.contains("invalid.yaml:"), "\(output.stderr)")
        #expect(output.stderr.contains("error:"))
        #expect(output.stderr.contains("contians"))
        #expect(output.stdout.isEmpty)
    }

    @Test(arguments: [
        (["run", "pass.yaml", "--no-such-flag"], "--no-such-flag"),
        (["run", "pass.yaml", "--report", "pdf"], "unknown report format 'pdf'"),
        (["run", "pass.yaml", "--limit", "0"], "--limit must be at least 1"),
        (["run"], "give a pipeline file"),
        (["run", "pass.yaml", "--sequential", "--limit", "5"], "--sequential cannot be combined with --limit or --sample"),
        (["run", "pass.yaml", "--sequential", "--sample", "5"], "--sequential cannot be combined with --limit or --sample"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) async throws {
        let output = try await RunFolder(agentURL: "http://127.0.0.1:9/v1").run(arguments)
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test func junitReportIsWrittenWhereAsked() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            let output = try await folder.run(["run", "fail.yaml", "--report", "junit=out/junit.xml", "--report", "markdown"])
            #expect(output.status == 1, "\(output.stderr)")
            #expect(output.stdout.contains("Report (junit): out/junit.xml"))
            let path = folder.folder.file("out/junit.xml")
            let xml = try String(contentsOfFile: path, encoding: .utf8)
            #expect(xml.components(separatedBy: "<testcase ").count - 1 > 10, "10 cases plus the gates")
            #expect(xml.components(separatedBy: "<failure ").count - 1 >= 11, "10 failed cases and the pass-rate gate")
            if let verdict = try JUnitConsumer.validate(path: path) {
                #expect(verdict.valid, "\(verdict.output)")
            }
            // Without a path, a report goes into the run folder.
            let markdown = try #require(output.stdout.components(separatedBy: "\n").first { $0.hasPrefix("Report (markdown): ") })
            #expect(markdown.hasSuffix("/report.md"))
            #expect(FileManager.default.fileExists(atPath: String(markdown.dropFirst("Report (markdown): ".count))))
        }
    }

    @Test func quietPrintsOnlyTheVerdictLine() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            let output = try await folder.run(["run", "pass.yaml", "--quiet"])
            #expect(output.status == 0, "\(output.stderr)")
            let lines = output.stdout.split(separator: "\n")
            #expect(lines.count == 1, "\(output.stdout)")
            #expect(lines.first?.hasPrefix("PASS: Promote kb-agent 3.1.0 to production") == true, "\(output.stdout)")
            #expect(!output.stderr.contains("progress"), "\(output.stderr)")
        }
    }

    @Test func phaseTimesAreOnStandardErrorWhenAskedAndOnlyThen() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            let asked = try await folder.run(["run", "pass.yaml", "--quiet"], environment: ["EVALGATE_PHASE_TIMES": "1"])
            #expect(asked.status == 0, "\(asked.stderr)")
            let line = try #require(asked.stderr.split(separator: "\n").first { $0.hasPrefix("phases: ") }, "\(asked.stderr)")
            let names = line.dropFirst("phases: ".count).split(separator: ", ").map { $0.split(separator: " ")[0] }
            #expect(names == ["plan", "run", "decide", "record", "report"])
            // Each phase is a time in seconds; together they fit inside the run.
            let seconds = line.split(separator: ", ").compactMap { Double($0.split(separator: " ").dropLast().last ?? "") }
            #expect(seconds.count == 5 && seconds.allSatisfy { $0 >= 0 } && seconds.reduce(0, +) < 60, "\(line)")
            #expect(asked.stdout.split(separator: "\n").count == 1, "\(asked.stdout)")

            let plain = try await folder.run(["run", "pass.yaml", "--quiet"])
            #expect(!plain.stderr.contains("phases:"), "\(plain.stderr)")
        }
    }

    @Test func githubActionsGetsAnnotationsAndAJobSummary() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            let summaryPath = folder.folder.write("step-summary.md", "# Earlier step\n\nbuild ok\n")
            let output = try await folder.run(["run", "fail.yaml"], environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summaryPath])
            #expect(output.status == 1, "\(output.stderr)")
            let commands = output.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
            #expect(
                commands.contains { $0.hasPrefix("::error file=fail.yaml,title=evalgate kb-agent 3.1.0%3A gate pass-rate fail::") }, "\(commands)")
            #expect(
                commands.contains { $0.hasPrefix("::warning file=fail.yaml,title=evalgate kb-agent 3.1.0%3A gate min-cases inconclusive::") },
                "\(commands)")
            #expect(commands.last?.hasPrefix("::error title=evalgate recommendation%3A block::Block kb-agent 3.1.0") == true, "\(commands)")
            let summary = try String(contentsOfFile: summaryPath, encoding: .utf8)
            #expect(summary.hasPrefix("# Earlier step\n\nbuild ok\n"), "the job summary is appended to, not replaced")
            #expect(summary.contains("## ❌ evalgate: FAIL · kb-agent 3.1.0"), "\(summary)")
            #expect(summary.contains("| pass-rate | ❌ fail |"))
        }
    }

    /// Under a real terminal (util-linux `script` gives the binary a pseudo-terminal), stdout is in
    /// colour unless NO_COLOR is set or --no-color is given.
    @Test(arguments: [
        ([String: String](), [String](), true),
        (["NO_COLOR": "1"], [], false),
        ([:], ["--no-color"], false),
    ])
    func colourOnlyOnATerminalAndNeverWithNoColor(environment: [String: String], flags: [String], coloured: Bool) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            Issue.record("util-linux 'script' is missing (apt-get install -y bsdutils); it gives the binary a terminal")
            return
        }
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            var tool = folder.tool(environment)
            let command = ([tool.executable, "run", "fail.yaml"] + flags).map(Self.shellQuoted).joined(separator: " ") + " 2>/dev/null"
            tool.executable = "/usr/bin/script"
            defer { withExtendedLifetime(folder) {} }
            let output = try await tool.runDetached(["--quiet", "--return", "--command", command, "/dev/null"])
            #expect(output.status == 1, "\(output.stdout)\n\(output.stderr)")
            #expect(output.stdout.contains("Block kb-agent 3.1.0"), "\(output.stdout)")
            #expect(output.stdout.contains("\u{1B}[") == coloured, "\(output.stdout.debugDescription)")
        }
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
