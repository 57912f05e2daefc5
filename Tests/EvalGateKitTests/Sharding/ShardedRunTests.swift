import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// A sharded run end to end with the built binary: shards as parallel processes against the
/// reference agent, merged from a shared history or from their result files, equal to the
/// unsharded run case by case and gate by gate; and every way shards can fail to fit together.
@Suite("Sharded runs (CLI)")
struct ShardedRunTests {
    /// 48 cases in two tags; every fifth fails, so the gates have something to measure.
    struct Project {
        let folder = TemporaryDirectory(prefix: "evalgate-shards")

        init(agentURL: String) {
            folder.write("datasets/cases.jsonl", Self.dataset(count: 48))
            folder.write("pipeline.yaml", Self.pipeline(url: agentURL, dataset: "cases.jsonl"))
            folder.write("datasets/other.jsonl", Self.dataset(count: 40))
            folder.write("other.yaml", Self.pipeline(url: agentURL, dataset: "other.jsonl"))
        }

        static func dataset(count: Int) -> String {
            PipelineFixture.jsonl(
                (1...count).map { index -> JSONValue in
                    let assertion: JSONValue =
                        index % 5 == 0 ? ["type": "contains", "value": "ZZZ-NEVER-SAID"] : ["type": "not-contains", "value": "ZZZ-NEVER-SAID"]
                    return [
                        "id": .string("case-\(index)"), "input": .string("Question \(index): how many PTO days do I get?"),
                        "tags": [index % 2 == 0 ? "billing" : "returns"], "assert": [assertion],
                    ]
                })
        }

        static func pipeline(url: String, dataset: String) -> String {
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
                timeout: 5s
                retries: 0
                max_concurrency: 4
                pricing: {input_per_1k: 0.00015, output_per_1k: 0.0006}
            datasets: [datasets/\(dataset)]
            baseline: {from: none}
            """
        }

        func tool() -> CommandLineTool {
            CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file(".evalgate")])
        }

        func run(_ arguments: [String]) async throws -> CommandLineTool.Output {
            defer { withExtendedLifetime(folder) {} }
            return try await tool().runDetached(arguments, timeout: 180)
        }

        /// Runs every shard of `count` as parallel processes, started in a random order.
        func runShards(count: Int, group: String, history: String, extra: [String] = []) async throws -> [Int: CommandLineTool.Output] {
            try await withThrowingTaskGroup(of: (Int, CommandLineTool.Output).self) { tasks in
                for index in (1...count).shuffled() {
                    tasks.addTask {
                        let output = try await run(
                            [
                                "run", "pipeline.yaml", "--shard", "\(index)/\(count)", "--shard-group", group, "--history", history, "--output",
                                "shard-\(group)-\(index).json", "--quiet",
                            ] + extra)
                        return (index, output)
                    }
                }
                var outputs: [Int: CommandLineTool.Output] = [:]
                for try await (index, output) in tasks { outputs[index] = output }
                return outputs
            }
        }

        func result(_ name: String) throws -> (record: RunRecord, cases: [CaseResult]) {
            try ResultFile.read(path: folder.file(name))
        }
    }

    /// The merged run equals the unsharded run: the same cases in the same order with the same
    /// outcomes, the same gates with the same outcomes (and the same measurements, but for
    /// latency, which no two runs share), the same verdict and exit code.
    static func expectSameDecision(
        _ merged: (record: RunRecord, cases: [CaseResult]), _ whole: (record: RunRecord, cases: [CaseResult]), _ label: String
    ) {
        #expect(merged.cases.map(\.id) == whole.cases.map(\.id), "\(label)")
        #expect(merged.cases.map(\.index) == whole.cases.map(\.index), "\(label)")
        #expect(merged.cases.map(\.status) == whole.cases.map(\.status), "\(label)")
        #expect(merged.cases.map(\.score) == whole.cases.map(\.score), "\(label)")
        #expect(merged.record.gates.map(\.name) == whole.record.gates.map(\.name), "\(label)")
        #expect(merged.record.gates.map(\.outcome) == whole.record.gates.map(\.outcome), "\(label)")
        for (mergedGate, wholeGate) in zip(merged.record.gates, whole.record.gates) where !mergedGate.name.contains("latency") {
            #expect(mergedGate.measured == wholeGate.measured, "\(label): \(mergedGate.name)")
        }
        #expect(merged.record.verdict == whole.record.verdict, "\(label)")
        #expect(merged.record.selectedCases == whole.record.selectedCases, "\(label)")
        #expect(merged.record.missingCases == 0, "\(label)")
        #expect(merged.record.summary.passed == whole.record.summary.passed, "\(label)")
        #expect(merged.record.summary.failed == whole.record.summary.failed, "\(label)")
        #expect(merged.record.selection == whole.record.selection, "\(label)")
    }

    @Test func mergedShardsEqualTheUnshardedRun() async throws {
        try await withReferenceAgent { agent in
            let project = Project(agentURL: agent.chatCompletionsURL)
            let whole = try await project.run(["run", "pipeline.yaml", "--history", "whole.sqlite", "--output", "whole.json", "--quiet"])
            #expect([0, 1].contains(whole.status), "\(whole.stderr)")
            let wholeResult = try project.result("whole.json")
            #expect(wholeResult.record.summary.failed == 9)

            for count in [1, 2, 3, 8] {
                let group = "g\(count)"
                let shards = try await project.runShards(count: count, group: group, history: "shared.sqlite")
                var shared = 0
                for (index, output) in shards {
                    #expect(output.status == EvalGateKit.ExitStatus.partial.rawValue, "shard \(index)/\(count): \(output.stderr)")
                    #expect(output.stderr.contains("decide with `evalgate merge --group \(group)`"), "\(output.stderr)")
                    let shard = try project.result("shard-\(group)-\(index).json")
                    #expect(shard.record.verdict == .inconclusive)
                    #expect(shard.record.stopReason == .shard)
                    #expect(shard.record.shard?.index == index && shard.record.shard?.count == count && shard.record.shard?.group == group)
                    #expect(shard.record.shard?.runSelectedCases == 48)
                    #expect(shard.cases.allSatisfy { Shard.index(of: $0.id, count: count) == index })
                    shared += shard.cases.count
                }
                #expect(shared == 48, "shards of \(count) cover every case once")

                // From the shared history, by group.
                let merged = try await project.run(["merge", "--group", group, "--history", "shared.sqlite", "--output", "merged-\(count).json"])
                #expect(merged.status == whole.status, "\(count) shards: \(merged.stdout)\n\(merged.stderr)")
                let mergedResult = try project.result("merged-\(count).json")
                Self.expectSameDecision(mergedResult, wholeResult, "\(count) shards")
                #expect(mergedResult.record.merge?.count == count)
                #expect(mergedResult.record.merge?.missingShards == [])
                #expect(mergedResult.record.merge?.shards.map(\.index) == Array(1...count))
                #expect(mergedResult.record.shard == nil && mergedResult.record.stopReason == nil)
            }

            // A shard's and a merged run's result files follow the documented schema.
            for name in ["shard-g3-2.json", "merged-3.json"] {
                #expect(try ResultSchemaTests.ownViolations(project.folder.file(name)) == [], "\(name)")
                let python = try #require(try ResultSchemaTests.pythonViolations(project.folder.file(name)), "python3 with jsonschema is needed")
                #expect(python == [], "\(name)")
            }

            // From the shards' result files, into a history of its own (SQLite per CI job).
            let files = (1...3).map { "shard-g3-\($0).json" }
            let fromFiles = try await project.run(
                ["merge", "--files"] + files + [
                    "--history", "merge-job.sqlite", "--output", "from-files.json", "--report", "markdown=merged.md", "--report", "html=merged.html",
                ])
            #expect(fromFiles.status == whole.status, "\(fromFiles.stderr)")
            // The reports say where the run came from: its shards and its audit entry.
            let markdown = try String(contentsOfFile: project.folder.file("merged.md"), encoding: .utf8)
            #expect(markdown.contains("Merged from 3 of 3 shards (group g3)"), "\(markdown)")
            #expect(markdown.contains("Audit log: recorded as entry #"), "\(markdown)")
            let html = try String(contentsOfFile: project.folder.file("merged.html"), encoding: .utf8)
            #expect(html.contains("Merged from shards") && html.contains("Audit log entry"))
            Self.expectSameDecision(try project.result("from-files.json"), wholeResult, "3 shard files")

            // The merged run is in the history like any run; the shards never count as runs of
            // the pipeline's trend (they stopped as shards).
            let listed = try await project.run(["history", "--history", "shared.sqlite", "--format", "json"])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains("\"shard\""), "\(listed.stdout.prefix(400))")
        }
    }

    /// With a shared PostgreSQL history no files move between jobs: the shards record into it
    /// and the merge finds them by group.
    @Test(.enabled(if: !TestPostgres.isSkipped)) func shardsMeetInASharedPostgreSQLHistory() async throws {
        try await TestPostgres.withDatabase { url in
            try await withReferenceAgent { agent in
                let project = Project(agentURL: agent.chatCompletionsURL)
                let whole = try await project.run(["run", "pipeline.yaml", "--history", "whole.sqlite", "--output", "whole.json", "--quiet"])
                #expect([0, 1].contains(whole.status), "\(whole.stderr)")
                let shards = try await project.runShards(count: 4, group: "pg", history: url)
                for (index, output) in shards {
                    #expect(output.status == EvalGateKit.ExitStatus.partial.rawValue, "shard \(index): \(output.stderr)")
                }
                let merged = try await project.run(["merge", "--group", "pg", "--history", url, "--output", "pg.json"])
                #expect(merged.status == whole.status, "\(merged.stdout)\n\(merged.stderr)")
                Self.expectSameDecision(try project.result("pg.json"), try project.result("whole.json"), "4 shards in PostgreSQL")
                // The password in the URL is a secret: never printed.
                let password = try #require(URLComponents(string: url)?.password)
                #expect(!merged.stdout.contains(password) && !merged.stderr.contains(password))
                let history = try await HistoryLocation(url).open()
                let runs = try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 20)
                #expect(runs.filter { $0.shard?.group == "pg" }.count == 4)
                #expect(runs.filter { $0.merge?.group == "pg" }.count == 1)
                #expect(try await history.verifyAudit().isIntact)
            }
        }
    }

    @Test func shardsThatDoNotFitAreErrorsAndAMissingShardIsInconclusive() async throws {
        try await withReferenceAgent { agent in
            let project = Project(agentURL: agent.chatCompletionsURL)
            let three = try await project.runShards(count: 3, group: "a", history: "a.sqlite")
            #expect(three.values.allSatisfy { $0.status == EvalGateKit.ExitStatus.partial.rawValue })
            let two = try await project.runShards(count: 2, group: "b", history: "b.sqlite")
            #expect(two.values.allSatisfy { $0.status == EvalGateKit.ExitStatus.partial.rawValue })

            // A missing shard: inconclusive, naming it; never a pass.
            let missing = try await project.run([
                "merge", "--files", "shard-a-1.json", "shard-a-3.json", "--history", "m.sqlite", "--output", "missing.json",
            ])
            #expect(missing.status == EvalGateKit.ExitStatus.inconclusive.rawValue, "\(missing.stdout)\n\(missing.stderr)")
            let partial = try project.result("missing.json")
            #expect(partial.record.verdict == .inconclusive)
            #expect(partial.record.merge?.missingShards == [2])
            let gate = try #require(partial.record.gates.first { $0.name == "shards" })
            #expect(gate.outcome == .inconclusive && gate.sentence.contains("2/3"), "\(gate.sentence)")
            #expect(missing.stdout.contains("2/3"), "\(missing.stdout)")
            func runFolders() -> Set<String> {
                Set((try? FileManager.default.contentsOfDirectory(atPath: project.folder.file(".evalgate/runs"))) ?? [])
            }
            let foldersBefore = runFolders()

            // Shards of different shard counts, the same shard twice, overlapping shards.
            let counts = try await project.run(["merge", "--files", "shard-a-1.json", "shard-b-2.json", "--history", "m.sqlite"])
            #expect(counts.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(counts.stderr.contains("shards of one run share their count"), "\(counts.stderr)")
            let twice = try await project.run(["merge", "--files", "shard-a-1.json", "shard-a-1.json", "--history", "m.sqlite"])
            #expect(twice.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(twice.stderr.contains("given twice"), "\(twice.stderr)")
            try FileManager.default.copyItem(atPath: project.folder.file("shard-a-1.json"), toPath: project.folder.file("copy-a-1.json"))
            let sameIndex = try await project.run(["merge", "--files", "shard-a-1.json", "copy-a-1.json", "--history", "m.sqlite"])
            #expect(sameIndex.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(sameIndex.stderr.contains("shard 1/3 is given twice"), "\(sameIndex.stderr)")

            // A run that is not a shard.
            let whole = try await project.run(["run", "pipeline.yaml", "--history", "w.sqlite", "--output", "whole.json", "--quiet"])
            #expect([0, 1].contains(whole.status))
            let notShard = try await project.run(["merge", "--files", "whole.json", "shard-a-2.json", "--history", "m.sqlite"])
            #expect(notShard.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(notShard.stderr.contains("is not a shard"), "\(notShard.stderr)")

            // A shard of another pipeline (other datasets): another fingerprint.
            let other = try await project.run([
                "run", "other.yaml", "--shard", "2/3", "--shard-group", "a", "--history", "a.sqlite", "--output", "other-2.json", "--quiet",
            ])
            #expect(other.status == EvalGateKit.ExitStatus.partial.rawValue, "\(other.stderr)")
            let foreign = try await project.run(["merge", "--files", "shard-a-1.json", "other-2.json", "shard-a-3.json", "--history", "m.sqlite"])
            #expect(foreign.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(foreign.stderr.contains("are not shards of one run"), "\(foreign.stderr)")
            // In the group, the other pipeline's shard is found too and refused.
            let group = try await project.run(["merge", "--group", "a", "--history", "a.sqlite"])
            #expect(group.status == EvalGateKit.ExitStatus.invalidInput.rawValue, "\(group.stdout)\n\(group.stderr)")

            // A dataset edited since the shards ran: the merge would decide on other inputs.
            project.folder.write("datasets/cases.jsonl", Project.dataset(count: 47))
            let changed = try await project.run(["merge", "--files", "shard-a-1.json", "shard-a-2.json", "shard-a-3.json", "--history", "m.sqlite"])
            #expect(changed.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(changed.stderr.contains("changed since the shards ran"), "\(changed.stderr)")

            // Nothing of these refused merges was recorded: only the inconclusive one, and no run
            // folder is left behind (the two new folders are the whole run's and the other shard's).
            let newFolders = runFolders().subtracting(foldersBefore)
            #expect(newFolders.count == 2, "\(newFolders.sorted())")
            let runs = try await HistoryStore.open(path: project.folder.file("m.sqlite")).runs(agent: nil, pipeline: nil, verdict: nil, limit: 50)
            #expect(runs.count == 1)
            #expect(runs.first?.verdict == .inconclusive)
        }
    }

    /// `--retry-errors` continues a shard as that shard: same index, group and share, exit 7.
    @Test func retryErrorsWorksPerShard() async throws {
        try await withReferenceAgent(ReferenceAgentConfiguration(errorRate: 0.3)) { agent in
            let project = Project(agentURL: agent.chatCompletionsURL)
            let first = try await project.run([
                "run", "pipeline.yaml", "--shard", "2/3", "--shard-group", "r", "--history", "r.sqlite", "--output", "first.json",
            ])
            #expect(first.status == EvalGateKit.ExitStatus.partial.rawValue, "\(first.stderr)")
            let recorded = try project.result("first.json")
            // A shard recommends nothing: no recommendation file, and none named.
            #expect(!first.stdout.contains("recommendation.json"), "\(first.stdout)")
            #expect(!FileManager.default.fileExists(atPath: project.folder.file(".evalgate/runs/\(recorded.record.id)/recommendation.json")))
            #expect(recorded.cases.contains { $0.status == .error }, "the agent's errors give the retry something to do")
            let retried = try await project.run([
                "run", "--retry-errors", recorded.record.id, "--history", "r.sqlite", "--output", "retry.json", "--quiet",
            ])
            #expect(retried.status == EvalGateKit.ExitStatus.partial.rawValue, "\(retried.stderr)")
            let again = try project.result("retry.json")
            #expect(again.record.id == recorded.record.id)
            #expect(again.record.shard == recorded.record.shard)
            #expect(again.cases.map(\.id) == recorded.cases.map(\.id))
            #expect(again.cases.allSatisfy { Shard.index(of: $0.id, count: 3) == 2 })
            // Repeating the shard on a continued run is a usage error: it is kept from the manifest.
            let repeated = try await project.run(["run", "--resume", recorded.record.id, "--shard", "2/3"])
            #expect(repeated.status == EvalGateKit.ExitStatus.usage.rawValue)
        }
    }

    /// A sequential run sharded: each shard runs its whole share, and the merge decides sequentially
    /// over the merged order — the same crossings, at the same cases, as one sequential process
    /// taking that order, and it says where that process would have stopped.
    @Test func aShardedSequentialRunIsMergedSequentially() async throws {
        try await withReferenceAgent { agent in
            let project = Project(agentURL: agent.chatCompletionsURL)
            // One case at a time, so the single process counts cases in its planned order.
            let whole = try await project.run([
                "run", "pipeline.yaml", "--sequential", "--seed", "7", "--concurrency", "1", "--history", "whole.sqlite", "--output", "whole.json",
                "--quiet",
            ])
            #expect([0, 1, 2].contains(whole.status), "\(whole.stderr)")
            let single = try #require(try project.result("whole.json").record.sequential)
            #expect(!single.crossings.isEmpty, "the gates need something to decide: \(single)")

            let shards = try await project.runShards(count: 3, group: "seq", history: "shared.sqlite", extra: ["--sequential", "--seed", "7"])
            for (index, output) in shards {
                #expect(output.status == EvalGateKit.ExitStatus.partial.rawValue, "shard \(index): \(output.stderr)")
                let shard = try project.result("shard-seq-\(index).json")
                #expect(shard.record.selection["sequential"] == "7")
                #expect(shard.record.sequential == nil, "a shard runs its whole share")
            }
            let merged = try await project.run([
                "merge", "--group", "seq", "--history", "shared.sqlite", "--output", "merged.json", "--report", "markdown=merged.md",
            ])
            #expect(merged.status == whole.status, "\(merged.stdout)\n\(merged.stderr)")
            let record = try project.result("merged.json").record
            let sequential = try #require(record.sequential)
            #expect(sequential.casesRun == 48 && sequential.stop == nil && sequential.agentCallsSaved == 0)
            #expect(sequential.crossings == single.crossings)
            if single.stoppedEarly {
                #expect(sequential.wouldHaveStoppedAt == single.casesRun)
                #expect(sequential.wouldHaveStopped == single.stop)
                let markdown = try String(contentsOfFile: project.folder.file("merged.md"), encoding: .utf8)
                #expect(markdown.contains("would have stopped at case \(single.casesRun)"), "\(markdown)")
            }
            let wholeGates = try project.result("whole.json").record.gates
            #expect(record.gates.first { $0.name == "pass-rate" }?.outcome == wholeGates.first { $0.name == "pass-rate" }?.outcome)
            #expect(try ResultSchemaTests.ownViolations(project.folder.file("merged.json")) == [])
        }
    }

    @Test(arguments: [
        (["--shard", "0/4"], "does not exist"), (["--shard", "5/4"], "does not exist"), (["--shard", "two/4"], "is not a shard"),
        (["--shard-group", "x"], "--shard-group needs --shard"),
        (["--shard", "auto"], "found no shard in the environment"),
    ])
    func badShardFlagsAreUsageErrors(arguments: [String], message: String) async throws {
        let folder = TemporaryDirectory()
        let output = try await CommandLineTool(workingDirectory: folder.path).runDetached(["run", "pipeline.yaml"] + arguments)
        #expect(output.status == EvalGateKit.ExitStatus.usage.rawValue, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test func mergeNeedsExactlyOneSource() async throws {
        let folder = TemporaryDirectory()
        let tool = CommandLineTool(workingDirectory: folder.path)
        #expect(try await tool.runDetached(["merge"]).status == EvalGateKit.ExitStatus.usage.rawValue)
        #expect(try await tool.runDetached(["merge", "run-1", "--group", "g"]).status == EvalGateKit.ExitStatus.usage.rawValue)
        let unknown = try await tool.runDetached(["merge", "--group", "nobody", "--history", "h.sqlite"])
        #expect(unknown.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
        #expect(unknown.stderr.contains("no shard of group 'nobody'"), "\(unknown.stderr)")
    }
}
