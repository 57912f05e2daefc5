import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The Kubernetes recipes in `ci-recipes/kubernetes/`: every manifest validates against the
/// Kubernetes OpenAPI schemas (`kubernetes-validate` from PyPI, offline), the Jobs inside the Argo
/// AnalysisTemplate too; and the sharded gate's containers, run here as the cluster would run them
/// (one process per completion index, then the merge Job), gate the repository's refund agent.
@Suite("Kubernetes recipes")
struct KubernetesRecipeTests {
    static let files = ["kubernetes/sharded-gate.yaml", "kubernetes/nightly-sweep-cronjob.yaml", "kubernetes/argo-sharded-analysis.yaml"]

    /// `kubernetes-validate` on a manifest file: nil when valid, else its complaint.
    static func schemaViolations(_ path: String) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "kubernetes_validate", "--strict", "--kubernetes-version", "1.31", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("No module named") {
            Issue.record("kubernetes-validate is not installed: scripts/bootstrap installs it (pip install kubernetes-validate)")
            return text
        }
        return process.terminationStatus == 0 ? nil : text
    }

    @Test(arguments: ["kubernetes/sharded-gate.yaml", "kubernetes/nightly-sweep-cronjob.yaml"])
    func manifestsValidateAgainstTheKubernetesSchemas(file: String) throws {
        #expect(try Self.schemaViolations(RepositoryPaths.path("ci-recipes/\(file)")) == nil)
    }

    /// Argo's AnalysisTemplate is a custom resource the Kubernetes schemas do not know; the Jobs
    /// its metrics run are Kubernetes Jobs, and those validate.
    @Test func analysisTemplateJobsValidate() throws {
        let template = try CIRecipes.document("kubernetes/argo-sharded-analysis.yaml")
        #expect(template["kind"] == "AnalysisTemplate")
        let metrics = try #require(template["spec"]?["metrics"]?.arrayValue)
        #expect(metrics.compactMap { $0["name"]?.stringValue } == ["shards", "gate"])
        let folder = TemporaryDirectory()
        for metric in metrics {
            let name = try #require(metric["name"]?.stringValue)
            #expect(metric["failureLimit"] == 0)
            let spec = try #require(metric["provider"]?["job"]?["spec"])
            let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string("evalgate-\(name)")], "spec": spec]
            let path = folder.write("\(name).json", job.compactJSON)
            #expect(try Self.schemaViolations(path) == nil, "\(name)")
        }
    }

    /// A broken manifest is caught, so the checks above can fail.
    @Test func validatorRejectsABrokenJob() throws {
        let folder = TemporaryDirectory()
        let path = folder.write(
            "broken.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  completions: eight\n  paralelism: 2\n  template: {spec: {containers: [{name: a, image: b}]}}\n"
        )
        #expect(try Self.schemaViolations(path) != nil)
    }

    /// The Indexed Job's shard containers and the merge Job's container, run as Kubernetes would
    /// (8 processes with JOB_COMPLETION_INDEX 0…7 and the manifest's environment, the merge
    /// started beside them and waiting), with the history a SQLite file instead of the Secret's
    /// PostgreSQL URL and the agent the reference agent.
    @Test func shardedGateJobsGateTheRefundAgent() async throws {
        let documents = try CIRecipes.documents("kubernetes/sharded-gate.yaml")
        #expect(documents.count == 2)
        let shardJob = documents[0]
        let mergeJob = documents[1]
        #expect(shardJob["spec"]?["completionMode"] == "Indexed")
        let completions = try #require(shardJob["spec"]?["completions"]?.doubleValue.map { Int($0) })
        let shardContainer = try #require(CIRecipes.containers(in: shardJob).first)
        let mergeContainer = try #require(CIRecipes.containers(in: mergeJob).first)
        func plainEnvironment(_ container: [String: JSONValue]) -> [String: String] {
            var environment: [String: String] = [:]
            for entry in container["env"]?.arrayValue ?? [] {
                if let name = entry["name"]?.stringValue, let value = entry["value"]?.stringValue { environment[name] = value }
            }
            return environment
        }
        let shardEnvironment = plainEnvironment(shardContainer)
        #expect(shardEnvironment["EVALGATE_SHARD_COUNT"] == String(completions))
        let shardCommand = ((shardContainer["command"]?.arrayValue ?? []) + (shardContainer["args"]?.arrayValue ?? [])).compactMap(\.stringValue)
        #expect(Array(shardCommand.prefix(2)) == ["sh", "-c"])
        let mergeCommand = ((mergeContainer["command"]?.arrayValue ?? []) + (mergeContainer["args"]?.arrayValue ?? [])).compactMap(\.stringValue)
        #expect(mergeCommand.first == "evalgate")

        try await withReferenceAgent { agent in
            let folder = TemporaryDirectory(prefix: "evalgate-k8s")
            let base = [
                "EVALGATE_HISTORY": folder.file("history.sqlite"), "EVALGATE_HOME": folder.file("home"),
                "PATH": RepositoryPaths.productsFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            ]
            func tool(_ executable: String, _ environment: [String: String]) -> CommandLineTool {
                var tool = CommandLineTool(workingDirectory: RepositoryPaths.root, environment: base.merging(environment) { $1 })
                tool.executable = executable
                return tool
            }
            let url = "http://\(agent.host):\(agent.port)"
            // The merge Job starts with the shards and waits for them.
            let mergeArguments = Array(mergeCommand.dropFirst()).map { $0.replacingOccurrences(of: "/tmp/", with: folder.path + "/") }
            async let merged = tool(RepositoryPaths.executable("evalgate"), plainEnvironment(mergeContainer)).runDetached(
                mergeArguments, timeout: 300)
            let shardOutputs = try await withThrowingTaskGroup(of: CommandLineTool.Output.self) { tasks in
                for index in (0..<completions).shuffled() {
                    let environment = shardEnvironment.merging(["JOB_COMPLETION_INDEX": String(index), "REFUND_AGENT_URL": url]) { $1 }
                    tasks.addTask { try await tool("/bin/sh", environment).runDetached(Array(shardCommand.dropFirst()), timeout: 300) }
                }
                var outputs: [CommandLineTool.Output] = []
                for try await output in tasks { outputs.append(output) }
                return outputs
            }
            for output in shardOutputs { #expect(output.status == 0, "a recorded shard (exit 7) completes its pod: \(output.stderr)") }
            let merge = try await merged
            let history = try await HistoryStore.open(path: folder.file("history.sqlite"))
            let decided = try #require(try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 20).first { $0.merge != nil })
            #expect(decided.merge?.count == completions && decided.merge?.missingShards == [], "\(String(describing: decided.merge))")
            #expect(decided.merge?.group == "refund-agent-2.5.0")
            #expect(decided.selectedCases == decided.merge?.shards.reduce(0) { $0 + $1.cases })
            let recommendation = try JSONCoding.decoder().decode(
                Recommendation.self, from: Data(contentsOf: URL(fileURLWithPath: folder.file("recommendation.json"))))
            #expect(recommendation.runID == decided.id)

            // The same gate unsharded, in a history of its own, decides the same: same exit code,
            // gates and verdict (the merge Job exits 0 exactly when this run does).
            let whole = try await tool(RepositoryPaths.executable("evalgate"), shardEnvironment.merging(["REFUND_AGENT_URL": url]) { $1 })
                .runDetached(
                    [
                        "run", "pipelines/refund-agent.yaml", "--history", folder.file("whole.sqlite"), "--output", folder.file("whole.json"),
                        "--quiet",
                    ],
                    timeout: 300)
            #expect(merge.status == whole.status, "\(merge.stdout)\n\(merge.stderr)\n---\n\(whole.stdout)")
            let wholeRecord = try ResultFile.read(path: folder.file("whole.json")).record
            #expect(decided.verdict == wholeRecord.verdict)
            #expect(decided.gates.map(\.name) == wholeRecord.gates.map(\.name))
            #expect(decided.gates.map(\.outcome) == wholeRecord.gates.map(\.outcome))
            #expect(decided.selectedCases == wholeRecord.selectedCases)
            #expect(decided.summary.passed == wholeRecord.summary.passed && decided.summary.failed == wholeRecord.summary.failed)
        }
    }

    /// A shard that fails for real (its agent is down) fails its pod: only 7 becomes 0.
    @Test func shardContainerPassesOtherCodesThrough() async throws {
        let documents = try CIRecipes.documents("kubernetes/sharded-gate.yaml")
        let container = try #require(CIRecipes.containers(in: documents[0]).first)
        let command = ((container["command"]?.arrayValue ?? []) + (container["args"]?.arrayValue ?? [])).compactMap(\.stringValue)
        let folder = TemporaryDirectory()
        var tool = CommandLineTool(
            workingDirectory: RepositoryPaths.root,
            environment: [
                "PATH": RepositoryPaths.productsFolder + ":/usr/bin:/bin", "JOB_COMPLETION_INDEX": "0", "EVALGATE_SHARD_COUNT": "8",
                "EVALGATE_HISTORY": folder.file("h.sqlite"), "EVALGATE_HOME": folder.file("home"), "AGENT_VERSION": "2.5.0",
                // An unusable history: evalgate exits 4, and so does the pod.
                "EVALGATE_SHARD_GROUP": "x", "REFUND_AGENT_URL": "http://127.0.0.1:9",
            ])
        tool.executable = "/bin/sh"
        _ = folder.write("h.sqlite", "this is not a database")
        let output = try await tool.runDetached(Array(command.dropFirst()), timeout: 120)
        #expect(output.status == EvalGateKit.ExitStatus.cannotRun.rawValue, "\(output.stderr)")
    }
}
