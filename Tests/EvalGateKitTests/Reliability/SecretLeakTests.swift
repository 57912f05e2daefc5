import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// A whole run with a known secret, then a search of every byte it wrote for it.
@Suite("Secrets stay secret")
struct SecretLeakTests {
    static let secret = "sk-live-7Hq2ZpX9vLmN4wRt"
    static let urlPassword = "hunter2-url-password"

    @Test func noByteTheRunWroteContainsTheSecret() async throws {
        try await withReferenceAgent { agent in
            let folder = TemporaryDirectory()
            // The command agent echoes the secret from its environment into its answer, the worst case.
            let echo =
                "import json, os, sys; case = json.load(sys.stdin); print(json.dumps({'answer': 'token ' + os.environ['AGENT_API_KEY'] + ' for ' + case['id']}))"
            folder.write(
                "echo.yaml",
                """
                version: 1
                agent:
                  name: echo-agent
                  version: "1.0"
                  risk_tier: 1
                  endpoint:
                    type: command
                    argv: [python3, -c, "\(echo)"]
                    env: {AGENT_API_KEY: "${AGENT_API_KEY}"}
                    timeout: 10s
                datasets: [cases.jsonl]
                assert: [{type: not-contains, value: "token"}]
                baseline: {from: none}
                """)
            let host = agent.baseURL.replacingOccurrences(of: "http://", with: "")
            folder.write(
                "chat.yaml",
                """
                version: 1
                agent:
                  name: kb-agent
                  version: "1.0"
                  risk_tier: 1
                  endpoint:
                    type: openai-chat
                    url: http://evalgate:\(Self.urlPassword)@\(host)/v1/chat/completions
                    model: kb-agent
                    headers: {Authorization: "Bearer ${AGENT_API_KEY}", X-Fault: "500"}
                    retries: 0
                datasets: [cases.jsonl]
                assert: [{type: contains, value: "PTO"}]
                baseline: {from: none}
                """)
            folder.write(
                "cases.jsonl",
                PipelineFixture.jsonl([
                    ["id": "s-1", "input": "How many PTO days do I get?"], ["id": "s-2", "input": "What is the expense limit for meals?"],
                ]))
            let environment = ["AGENT_API_KEY": Self.secret, "EVALGATE_HOME": folder.file("home"), "GITHUB_STEP_SUMMARY": folder.file("summary.md")]
            let tool = CommandLineTool(workingDirectory: folder.path, environment: environment)
            var printed = ""
            for pipeline in ["echo.yaml", "chat.yaml"] {
                let output = try await tool.runDetached([
                    "run", pipeline, "--report", "html", "--report", "junit", "--report", "markdown", "--report", "json", "--report", "console",
                    "--output", "out-\(pipeline).json",
                ])
                #expect([1, 2].contains(output.status), "\(pipeline): \(output.stderr)")
                printed += output.stdout + output.stderr
            }
            for run in try await tool.runDetached(["history", "--json"]).stdout.components(separatedBy: "\"id\" : \"").dropFirst().map({
                String($0.prefix { $0 != "\"" })
            }) {
                printed += try await tool.runDetached(["report", run, "--report", "html=-", "--report", "junit=-", "--report", "markdown=-"]).stdout
            }
            #expect(printed.contains("[REDACTED]"), "the echoed secret should have been masked, not dropped")
            #expect(!printed.contains(Self.secret))
            #expect(!printed.contains(Self.urlPassword))
            // Everything but the inputs the test itself wrote.
            let files = folder.allFiles().filter { !$0.hasSuffix(".yaml") && !$0.hasSuffix("cases.jsonl") }
            #expect(files.contains { $0.hasSuffix("history.sqlite") })
            #expect(files.contains { $0.hasSuffix("journal.jsonl") })
            #expect(files.contains { $0.hasSuffix("report.html") })
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                #expect(data.range(of: Data(Self.secret.utf8)) == nil, "secret found in \(file)")
                #expect(data.range(of: Data(Self.urlPassword.utf8)) == nil, "URL password found in \(file)")
            }
        }
    }
}
