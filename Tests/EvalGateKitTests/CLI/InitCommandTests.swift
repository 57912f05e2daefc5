import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// `evalgate init` end to end: the built binary probes a real endpoint on loopback and writes a
/// project that validates and runs; an endpoint it cannot use leaves the folder untouched.
@Suite("evalgate init (CLI)")
struct InitCommandTests {
    /// A project folder and a private evalgate home.
    final class Project: @unchecked Sendable {
        let folder = TemporaryDirectory(prefix: "evalgate-init")

        func tool() -> CommandLineTool {
            CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file(".evalgate"), "AGENT_API_KEY": ""])
        }

        func run(_ arguments: [String]) async throws -> CommandLineTool.Output {
            defer { withExtendedLifetime(folder) {} }
            return try await tool().runDetached(arguments)
        }

        func text(_ relative: String) throws -> String { try String(contentsOfFile: folder.file(relative), encoding: .utf8) }
        var files: [String] { folder.allFiles().map { String($0.dropFirst(folder.path.count + 1)) }.sorted() }
    }

    @Test func openAIChatProjectValidatesAndRuns() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            let output = try await project.run([
                "init", "proj", "--endpoint", agent.baseURL, "--model", "kb-agent", "--name", "kb", "--tier", "1", "--pricing", "0.00015,0.0006",
                "--non-interactive",
            ])
            #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
            #expect(project.files == ["proj/golden-datasets/kb/cases.jsonl", "proj/pipelines/kb.yaml", "proj/pipelines/tiers.yaml"])
            #expect(output.stdout.contains("Probed \(agent.chatCompletionsURL) (model kb-agent)"), "\(output.stdout)")
            #expect(output.stdout.contains("proj/pipelines/kb.yaml: valid, 10 cases"), "\(output.stdout)")
            // The next three commands: run, record the live version, the CI step.
            let next = try #require(output.stdout.components(separatedBy: "Next:\n").last)
            #expect(next.contains("cd proj\n  evalgate run pipelines/kb.yaml\n  evalgate deploy record kb 1.0.0 --environment production"), "\(next)")
            #expect(next.contains("uses: OWNER/evalgate@v1"))

            let pipeline = try project.text("proj/pipelines/kb.yaml")
            #expect(pipeline.contains("url: \"${AGENT_URL:-\(agent.chatCompletionsURL)}\""), "\(pipeline)")
            #expect(pipeline.contains("model: \"kb-agent\""))
            #expect(pipeline.contains("pricing: {input_per_1k: 0.00015, output_per_1k: 0.0006}"))
            #expect(pipeline.contains("# headers: {Authorization: \"Bearer ${AGENT_API_KEY}\"}"), "no key was needed: the header is a hint")
            #expect(try project.text("proj/pipelines/tiers.yaml") == TierPolicy.defaultYAML)
            let loaded = try PipelineLoader().load(path: project.folder.file("proj/pipelines/kb.yaml"))
            #expect(loaded.definition.agent.endpoint.model == "kb-agent")
            #expect(loaded.definition.agent.riskTier == 1)

            // The project runs as printed: every case answered (no infrastructure errors). The kb agent
            // fails most generic examples, and ten cases are too few for tier 1 anyway: no pass.
            let tool = CommandLineTool(
                workingDirectory: project.folder.file("proj"), environment: ["EVALGATE_HOME": project.folder.file(".evalgate")])
            let run = try await tool.runDetached(["run", "pipelines/kb.yaml", "--output", "result.json"])
            #expect([1, 2].contains(run.status), "\(run.stdout)\n\(run.stderr)")
            let result = try ResultFile.read(path: project.folder.file("proj/result.json"))
            #expect(result.cases.count == 10)
            #expect(result.cases.allSatisfy { $0.status != .error }, "\(result.cases.map { "\($0.id): \($0.error?.description ?? "")" })")
        }
    }

    /// `--type openai-responses`: the model list and one Responses API request, then a project
    /// whose cases all get answers over that wire format.
    @Test func openAIResponsesProjectValidatesAndRuns() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            let output = try await project.run([
                "init", "proj", "--type", "openai-responses", "--endpoint", agent.baseURL + "/v1", "--model", "kb-agent", "--name", "kb", "--tier",
                "1",
                "--non-interactive",
            ])
            #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
            #expect(output.stdout.contains("Probed \(agent.baseURL)/v1/responses (model kb-agent)"), "\(output.stdout)")
            let pipeline = try project.text("proj/pipelines/kb.yaml")
            #expect(pipeline.contains("type: openai-responses"), "\(pipeline)")
            #expect(pipeline.contains("url: \"${AGENT_URL:-\(agent.baseURL)/v1/responses}\""), "\(pipeline)")
            let tool = CommandLineTool(
                workingDirectory: project.folder.file("proj"), environment: ["EVALGATE_HOME": project.folder.file(".evalgate")])
            let run = try await tool.runDetached(["run", "pipelines/kb.yaml", "--output", "result.json"])
            #expect([1, 2].contains(run.status), "\(run.stdout)\n\(run.stderr)")
            let result = try ResultFile.read(path: project.folder.file("proj/result.json"))
            #expect(result.cases.count == 10 && result.cases.allSatisfy { $0.status != .error })
        }
    }

    /// `--type a2a`: the agent card and one `message/send`, then a project whose cases all get
    /// answers over A2A; a server that is not an A2A agent is named, and nothing is written.
    @Test func a2aProjectValidatesAndRuns() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            let output = try await project.run([
                "init", "proj", "--type", "a2a", "--endpoint", agent.baseURL + "/a2a/kb-agent", "--name", "kb", "--tier", "1", "--non-interactive",
            ])
            #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
            let pipeline = try project.text("proj/pipelines/kb.yaml")
            #expect(pipeline.contains("type: a2a"), "\(pipeline)")
            #expect(pipeline.contains("url: \"${AGENT_URL:-\(agent.baseURL)/a2a/kb-agent}\""), "\(pipeline)")
            let tool = CommandLineTool(
                workingDirectory: project.folder.file("proj"), environment: ["EVALGATE_HOME": project.folder.file(".evalgate")])
            let run = try await tool.runDetached(["run", "pipelines/kb.yaml", "--output", "result.json"])
            #expect([1, 2].contains(run.status), "\(run.stdout)\n\(run.stderr)")
            let result = try ResultFile.read(path: project.folder.file("proj/result.json"))
            #expect(result.cases.count == 10 && result.cases.allSatisfy { $0.status != .error })

            let elsewhere = Project()
            let refused = try await elsewhere.run([
                "init", "--type", "a2a", "--endpoint", agent.baseURL + "/v1/chat/completions", "--non-interactive",
            ])
            #expect(refused.status == 4, "\(refused.stdout)\n\(refused.stderr)")
            #expect(elsewhere.files.isEmpty, "\(elsewhere.files)")
        }
    }

    /// A chat-only server does not serve the Responses API: named, and nothing written.
    @Test func aServerWithoutTheResponsesAPIIsNamed() async throws {
        let project = Project()
        let output = try await withWebhookReceiver(status: 200) { server in
            try await project.run([
                "init", "--type", "openai-responses", "--endpoint", "http://127.0.0.1:\(server.port)", "--model", "m", "--non-interactive",
            ])
        }
        #expect(output.status == 4, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains("the answer is not JSON"), "\(output.stderr)")
        #expect(project.files.isEmpty, "\(project.files)")
    }

    @Test func withoutAModelTheFirstListedOneIsUsed() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            let output = try await project.run(["init", "--endpoint", agent.baseURL + "/v1", "--non-interactive"])
            #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
            #expect(output.stderr.contains("lists 3 models; using the first, 'kb-agent'"), "\(output.stderr)")
            // The name defaults to the model.
            #expect(project.files.contains("pipelines/kb-agent.yaml"), "\(project.files)")
            #expect(output.stdout.contains("\n  evalgate run pipelines/kb-agent.yaml\n"), "\(output.stdout)")
            #expect(!output.stdout.contains("  cd "), "the project is the current folder")
        }
    }

    /// On a terminal, init asks for what the flags leave out, offering defaults; `script` gives it one.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func asksOnATerminal() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            var terminal = project.tool()
            terminal.executable = "/usr/bin/script"
            let command = "\(RepositoryPaths.executable("evalgate")) init --endpoint \(agent.baseURL) --model kb-agent"
            // Endpoint type: the default; tier: 2; prices: none; name: kb-bot.
            let output = try await terminal.runDetached(["-qec", command, "/dev/null"], stdin: "\n2\n\nkb-bot\n")
            #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
            #expect(output.stdout.contains("Endpoint type (openai-chat, openai-responses, a2a, http, command) [openai-chat]: "), "\(output.stdout)")
            #expect(output.stdout.contains("Agent name [kb-agent]: "), "\(output.stdout)")
            #expect(project.files.contains("pipelines/kb-bot.yaml"), "\(project.files)")
            #expect(try project.text("pipelines/kb-bot.yaml").contains("\n  risk_tier: 2\n"))
        }
    }

    @Test func httpEndpointProjectValidatesAndRuns() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            let output = try await project.run([
                "init", "--type", "http", "--endpoint", agent.triageURL, "--input-key", "ticket", "--name", "triage", "--tier", "2",
                "--non-interactive",
            ])
            #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
            let pipeline = try project.text("pipelines/triage.yaml")
            #expect(pipeline.contains("type: http"))
            #expect(pipeline.contains("body: {\"ticket\": \"{{input}}\"}"), "\(pipeline)")
            #expect(pipeline.contains("answer: \"/result\""), "the probe found the answer: \(pipeline)")
            #expect(pipeline.contains("usage: {input_tokens: \"/usage/input_tokens\", output_tokens: \"/usage/output_tokens\"}"), "\(pipeline)")
            #expect(pipeline.contains("# pricing:"), "no prices given: left as a hint")
            let validate = try await project.run(["validate", "pipelines/triage.yaml"])
            #expect(validate.status == 0, "\(validate.stderr)")
            let run = try await project.run(["run", "pipelines/triage.yaml", "--output", "result.json"])
            #expect([0, 1, 2].contains(run.status), "\(run.stdout)\n\(run.stderr)")
            let result = try ResultFile.read(path: project.folder.file("result.json"))
            #expect(result.cases.count == 10)
            #expect(result.cases.allSatisfy { $0.status != .error }, "\(result.cases.map { "\($0.id): \($0.error?.description ?? "")" })")
        }
    }

    @Test func commandEndpointIsProbedWithOneCase() async throws {
        let agentBinary = RepositoryPaths.executable("evalgate-reference-agent")
        let project = Project()
        let output = try await project.run([
            "init", "--type", "command", "--endpoint", "\(agentBinary) --stdio --agent kb-agent", "--name", "kb-local", "--non-interactive",
        ])
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        let pipeline = try project.text("pipelines/kb-local.yaml")
        #expect(pipeline.contains("argv: [\"\(agentBinary)\", \"--stdio\", \"--agent\", \"kb-agent\"]"), "\(pipeline)")
        #expect(!pipeline.contains("Authorization"), "a command gets no HTTP headers")
    }

    @Test func refusedConnectionWritesNothing() async throws {
        let project = Project()
        let output = try await project.run(["init", "--endpoint", "http://127.0.0.1:9", "--non-interactive"])
        #expect(output.status == 4, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains("error: could not reach http://127.0.0.1:9/v1/models"), "\(output.stderr)")
        #expect(output.stderr.contains("Nothing was written."))
        #expect(project.files.isEmpty, "\(project.files)")
    }

    @Test func anEndpointThatWantsAKeyNamesTheVariable() async throws {
        let project = Project()
        let output = try await withWebhookReceiver(status: 401) { server in
            try await project.run(["init", "--endpoint", "http://127.0.0.1:\(server.port)", "--model", "m", "--non-interactive"])
        }
        #expect(output.status == 4, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains("answered 401 Unauthorized: it needs an API key"), "\(output.stderr)")
        #expect(output.stderr.contains("export AGENT_API_KEY=..."))
        #expect(output.stderr.contains("'Authorization: Bearer ${AGENT_API_KEY}'"))
        #expect(project.files.isEmpty, "\(project.files)")
    }

    @Test func anEndpointThatIsNotOpenAICompatibleIsNamed() async throws {
        // Answers every POST with 200 and a plain-text "ok"; GET /v1/models is a 404.
        let project = Project()
        let output = try await withWebhookReceiver(status: 200) { server in
            try await project.run(["init", "--endpoint", "http://127.0.0.1:\(server.port)", "--model", "m", "--non-interactive"])
        }
        #expect(output.status == 4, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains("does not answer like an OpenAI-compatible chat endpoint: the answer is not JSON"), "\(output.stderr)")
        #expect(output.stderr.contains("--type http"))
        #expect(project.files.isEmpty, "\(project.files)")
    }

    @Test func anUnknownModelListsTheKnownOnes() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            let output = try await project.run(["init", "--endpoint", agent.baseURL, "--model", "gpt-9", "--non-interactive"])
            #expect(output.status == 4, "\(output.stderr)")
            #expect(
                output.stderr.contains("does not know the model 'gpt-9'. It lists: kb-agent, refund-agent, refund-conversation-agent."),
                "\(output.stderr)")
            #expect(project.files.isEmpty)
        }
    }

    @Test func filesAreNeverReplacedWithoutForce() async throws {
        try await withReferenceAgent { agent in
            let project = Project()
            let arguments = ["init", "--endpoint", agent.baseURL, "--model", "kb-agent", "--name", "kb", "--non-interactive"]
            #expect(try await project.run(arguments).status == 0)
            project.folder.write("golden-datasets/kb/cases.jsonl", "{\"id\": \"mine\", \"input\": \"my own case\"}\n")
            project.folder.write("pipelines/tiers.yaml", "# my organisation's policy\n" + TierPolicy.defaultYAML)

            let again = try await project.run(arguments)
            #expect(again.status == 3, "\(again.stdout)\n\(again.stderr)")
            #expect(
                again.stderr.contains("these files exist and would be replaced: pipelines/kb.yaml, golden-datasets/kb/cases.jsonl"), "\(again.stderr)"
            )
            #expect(try project.text("golden-datasets/kb/cases.jsonl").contains("my own case"))

            let forced = try await project.run(arguments + ["--force"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try project.text("golden-datasets/kb/cases.jsonl").contains("example-greeting"))
            // An existing tier policy is the organisation's: kept even with --force.
            #expect(try project.text("pipelines/tiers.yaml").hasPrefix("# my organisation's policy"))
            #expect(forced.stdout.contains("Kept pipelines/tiers.yaml; tier 1 comes from it."), "\(forced.stdout)")
        }
    }

    @Test(arguments: [
        (["init", "--non-interactive"], "give the agent's endpoint with --endpoint"),
        (["init", "--endpoint", "http://127.0.0.1:9", "--name", "../evil", "--non-interactive"], "--name: '../evil' is not usable"),
        (["init", "--endpoint", "http://127.0.0.1:9", "--tier", "0", "--non-interactive"], "--tier: 0 is not a risk tier"),
        (["init", "--endpoint", "http://127.0.0.1:9", "--pricing", "cheap", "--non-interactive"], "--pricing: write the prices"),
        (["init", "--endpoint", "http://127.0.0.1:9", "--type", "grpc", "--non-interactive"], "grpc"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) async throws {
        let project = Project()
        let output = try await project.run(arguments)
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(project.files.isEmpty)
    }
}
