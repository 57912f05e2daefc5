import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `evalgate merge --files` streams its shards (docs/benchmarks.md, "Sharded runs"): many shard
/// files, their cases in any order and with any whitespace, give the unsharded run's result case
/// by case and gate by gate; a cut file or a case given twice is refused, recording nothing.
@Suite("Sharded merge streams (CLI)")
struct ShardMergeStreamingTests {
    typealias Project = ShardedRunTests.Project

    /// A shard's result file rewritten: its cases in the given order, everything pretty-printed.
    static func rewritten(_ record: RunRecord, cases: [CaseResult]) throws -> String {
        let pretty = JSONCoding.encoder(pretty: true)
        var text = String(decoding: try pretty.encode(record), as: UTF8.self)
        while text.last?.isWhitespace == true || text.last == "}" { text.removeLast() }
        let documents = try cases.map { String(decoding: try pretty.encode($0), as: UTF8.self) }
        return text + ",\n  \"cases\" : [\n" + documents.joined(separator: " ,\n\t") + "\n  ]\n}\n"
    }

    @Test func manyShardFilesInAnyOrderMergeToTheUnshardedRun() async throws {
        try await withReferenceAgent { agent in
            let folder = TemporaryDirectory(prefix: "evalgate-merge-stream")
            folder.write("datasets/cases.jsonl", Project.dataset(count: 300))
            folder.write("pipeline.yaml", Project.pipeline(url: agent.chatCompletionsURL, dataset: "cases.jsonl"))
            let tool = CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file(".evalgate")])
            let run: @Sendable ([String]) async throws -> CommandLineTool.Output = { arguments in
                try await tool.runDetached(arguments, timeout: 300)
            }
            let whole = try await run(["run", "pipeline.yaml", "--history", "whole.sqlite", "--output", "whole.json", "--quiet"])
            #expect([0, 1].contains(whole.status), "\(whole.stderr)")
            let wholeResult = try ResultFile.read(path: folder.file("whole.json"))
            #expect(wholeResult.cases.count == 300)

            let count = 12
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for index in (1...count).shuffled() {
                    tasks.addTask {
                        let output = try await run(
                            [
                                "run", "pipeline.yaml", "--shard", "\(index)/\(count)", "--shard-group", "many", "--history",
                                "shards-\(index).sqlite",
                                "--output", "shard-\(index).json", "--quiet",
                            ])
                        #expect(output.status == EvalGateKit.ExitStatus.partial.rawValue, "shard \(index): \(output.stderr)")
                    }
                }
                try await tasks.waitForAll()
            }
            let files = (1...count).map { "shard-\($0).json" }

            // The files as the shards wrote them, given in any order.
            let merged = try await run(
                ["merge", "--files"] + files.shuffled() + ["--history", "merged.sqlite", "--output", "merged.json", "--quiet"])
            #expect(merged.status == whole.status, "\(merged.stderr)")
            let mergedResult = try ResultFile.read(path: folder.file("merged.json"))
            ShardedRunTests.expectSameDecision(mergedResult, wholeResult, "12 files")

            // Each file's cases in reverse (not in id or run order), pretty-printed: the same run.
            for index in 1...count {
                let shard = try ResultFile.read(path: folder.file("shard-\(index).json"))
                #expect(shard.cases.count > 1)
                folder.write("reversed-\(index).json", try Self.rewritten(shard.record, cases: shard.cases.reversed()))
            }
            let reversed = try await run(
                ["merge", "--files"] + (1...count).map { "reversed-\($0).json" } + [
                    "--history", "reversed.sqlite", "--output", "reversed.json", "--quiet",
                ])
            #expect(reversed.status == whole.status, "\(reversed.stderr)")
            let reversedResult = try ResultFile.read(path: folder.file("reversed.json"))
            ShardedRunTests.expectSameDecision(reversedResult, wholeResult, "reversed files")
            #expect(reversedResult.cases == mergedResult.cases, "the same case documents")
            #expect(reversedResult.record.summary == mergedResult.record.summary)
            let history = try await HistoryLocation("sqlite:" + folder.file("reversed.sqlite")).open()
            let stored = try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 5)
            #expect(stored.count == 1 && stored.first?.merge?.shards.count == count)
            #expect(try await history.caseResults(runID: reversedResult.record.id) == reversedResult.cases)
            #expect(try await history.verifyAudit().isIntact)

            func refused(_ replacing: Int, with name: String) async throws -> CommandLineTool.Output {
                let given = files.map { $0 == "shard-\(replacing).json" ? name : $0 }
                let output = try await run(["merge", "--files"] + given + ["--history", "refused.sqlite", "--quiet"])
                #expect(output.status == EvalGateKit.ExitStatus.invalidInput.rawValue, "\(name): \(output.stdout) \(output.stderr)")
                return output
            }
            // A file cut short (a CI artifact upload that died): its place, and nothing recorded.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.file("shard-5.json")))
            folder.write("cut-5.json", data: bytes.prefix(bytes.count * 2 / 3))
            let cut = try await refused(5, with: "cut-5.json")
            #expect(cut.stderr.contains("cut-5.json:1:") && cut.stderr.contains("truncated"), "\(cut.stderr)")
            // A case twice in one shard's file.
            let second = try ResultFile.read(path: folder.file("shard-2.json"))
            folder.write("twice-2.json", try Self.rewritten(second.record, cases: second.cases + [second.cases[0]]))
            let twice = try await refused(2, with: "twice-2.json")
            #expect(twice.stderr.contains("'\(second.cases[0].id)' is twice in shard 2/12"), "\(twice.stderr)")
            // A case that is not a case result.
            let text = try Self.rewritten(second.record, cases: second.cases).replacingOccurrences(of: "\"status\" : \"", with: "\"status\" : \"x")
            folder.write("broken-2.json", text)
            let broken = try await refused(2, with: "broken-2.json")
            #expect(broken.stderr.contains("is not a case result"), "\(broken.stderr)")
            if FileManager.default.fileExists(atPath: folder.file("refused.sqlite")) {
                let refusedHistory = try await HistoryLocation("sqlite:" + folder.file("refused.sqlite")).open()
                #expect(try await refusedHistory.runs(agent: nil, pipeline: nil, verdict: nil, limit: 5).isEmpty)
            }
        }
    }
}
