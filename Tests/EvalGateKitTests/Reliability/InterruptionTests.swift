import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Interruption and resume: Ctrl-C and kill -9 at random moments lose nothing that finished, the
/// history database stays intact, and `--resume` ends with the same result as an uninterrupted run.
@Suite("Interruption and resume", .serialized)
struct InterruptionTests {
    static func pipeline(url: String, cases: Int) -> (TemporaryDirectory, String) {
        let folder = TemporaryDirectory()
        folder.write(
            "p.yaml",
            """
            version: 1
            agent:
              name: kb-agent
              version: "1.0"
              risk_tier: 1
              endpoint: {type: openai-chat, url: "\(url)", model: kb-agent, max_concurrency: 4, timeout: 10s}
            datasets: [cases.jsonl]
            assert: [{type: not-contains, value: "zzz-never"}]
            baseline: {from: none}
            """)
        let questions = [
            "How many PTO days do I get?", "What is the meal expense limit?", "How do I set up the VPN?", "When is security training due?",
        ]
        folder.write(
            "cases.jsonl", PipelineFixture.jsonl((0..<cases).map { ["id": .string("q-\($0)"), "input": .string(questions[$0 % questions.count])] }))
        return (folder, folder.file("p.yaml"))
    }

    func start(_ arguments: [String], in folder: TemporaryDirectory) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.executable("evalgate"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment
        environment["EVALGATE_HOME"] = folder.file("home")
        environment.removeValue(forKey: "GITHUB_ACTIONS")
        environment.removeValue(forKey: "GITHUB_STEP_SUMMARY")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.write("stderr-\(UUID().uuidString).txt", "")))
        try process.run()
        return process
    }

    func runIDs(_ folder: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.file("home/runs"))) ?? []).sorted()
    }

    @Test func killNineAtRandomMomentsLosesNothingFinished() async throws {
        try await withReferenceAgent(ReferenceAgentConfiguration(latency: .milliseconds(15))) { agent in
            let (folder, pipeline) = Self.pipeline(url: agent.chatCompletionsURL, cases: 160)
            var generator = SeededGenerator(seed: 7)
            for round in 0..<6 {
                let process = try start(["run", pipeline, "--quiet"], in: folder)
                try await Task.sleep(nanoseconds: UInt64(60_000_000 + generator.nextInt(below: 600) * 1_000_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if FileManager.default.fileExists(atPath: folder.file("home/history.sqlite")) {
                    let store = try HistoryStore(path: folder.file("home/history.sqlite"))
                    #expect(try await store.verifyIntegrity(), "round \(round)")
                }
                for id in runIDs(folder) {
                    let journalPath = folder.file("home/runs/\(id)/journal.jsonl")
                    guard FileManager.default.fileExists(atPath: journalPath) else { continue }
                    let journal = try RunJournal(path: journalPath, redactor: .none)
                    #expect(Set(journal.orderedIDs).count == journal.count)
                }
            }
            // Resume the last killed run to completion.
            let last = try #require(runIDs(folder).last)
            let before = try RunJournal(path: folder.file("home/runs/\(last)/journal.jsonl"), redactor: .none).count
            let resumed = try start(["run", "--resume", last, "--quiet"], in: folder)
            resumed.waitUntilExit()
            #expect(resumed.terminationStatus == 2, "a tier-1 run of 160 cases with no cost data ends inconclusive on cost only")
            let result = try ResultFile.read(path: folder.file("home/runs/\(last)/result.json"))
            #expect(result.cases.count == 160)
            #expect(Set(result.cases.map(\.id)).count == 160)
            #expect(result.cases.map(\.index) == Array(0..<160))
            #expect(result.record.missingCases == 0)
            let sent = await agent.statistics().byPath["/v1/chat/completions"] ?? 0
            #expect(before < 160)
            // Compare with an uninterrupted run: same outcomes case by case.
            let fresh = try start(["run", pipeline, "--quiet"], in: folder)
            fresh.waitUntilExit()
            let freshID = try #require(runIDs(folder).last { $0 != last })
            let freshResult = try ResultFile.read(path: folder.file("home/runs/\(freshID)/result.json"))
            #expect(freshResult.cases.map(\.status) == result.cases.map(\.status))
            #expect(freshResult.cases.map(\.answer?.text) == result.cases.map(\.answer?.text))
            #expect(sent > 0)
        }
    }

    @Test func ctrlCStopsCleanlyAndResumeFinishes() async throws {
        try await withReferenceAgent(ReferenceAgentConfiguration(latency: .milliseconds(40))) { agent in
            let (folder, pipeline) = Self.pipeline(url: agent.chatCompletionsURL, cases: 200)
            let process = try start(["run", pipeline], in: folder)
            try await Task.sleep(nanoseconds: 700_000_000)
            kill(process.processIdentifier, SIGINT)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
            #expect(!process.isRunning, "SIGINT must stop the run within its grace period")
            process.waitUntilExit()
            #expect(process.terminationStatus == 5)
            let id = try #require(runIDs(folder).first)
            let partial = try ResultFile.read(path: folder.file("home/runs/\(id)/result.json"))
            #expect(partial.record.stopReason == .interrupted)
            #expect(partial.record.missingCases > 0)
            #expect(partial.record.verdict == .inconclusive)
            #expect(!partial.cases.isEmpty)
            let stderr = try folder.allFiles().filter { $0.contains("stderr-") }.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
            #expect(stderr.contains("--resume \(id)"))
            let store = try HistoryStore(path: folder.file("home/history.sqlite"))
            #expect(try await store.run(id: id)?.stopReason == .interrupted)

            let resumed = try start(["run", "--resume", id, "--quiet"], in: folder)
            resumed.waitUntilExit()
            let complete = try ResultFile.read(path: folder.file("home/runs/\(id)/result.json"))
            #expect(complete.cases.count == 200)
            #expect(complete.record.missingCases == 0)
            #expect(complete.record.stopReason == nil)
            #expect(try await store.run(id: id)?.missingCases == 0)
        }
    }
}
