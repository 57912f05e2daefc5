import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// The built `evalgate` against a real PostgreSQL server: `--history postgres://…` on the commands
/// that read and write history, `history migrate` both ways, and many processes writing at once.
@Suite("PostgreSQL history from the command line", .serialized)
struct PostgresHistoryCommandTests {
    typealias F = HistoryFixtures

    /// A password never reaches the terminal, whichever command prints the location.
    static func expectNoPassword(_ output: CommandLineTool.Output, _ password: String, _ what: String) {
        #expect(!output.stdout.contains(password) && !output.stderr.contains(password), "\(what) printed the password")
    }

    @Test func historyMigrateRoundTripsSQLitePostgreSQLSQLite() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-migrate")
        let source = folder.file("source/history.sqlite")
        let original = try await HistoryLocation(source).open()
        try await RunHistoryContractTests.fillAuditedHistory(original)
        try await F.save(original, id: "later", version: "1.5.0", minutes: 30, caseCount: 40)
        let tool = CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file(".evalgate")])
        let anchor = try await tool.runDetached(["audit", "anchor", "--history", source, "--out", folder.file("anchor.json")])
        #expect(anchor.status == 0, "\(anchor.stderr)")
        try await TestPostgres.withDatabase { url in
            let password = try #require(HistoryLocation(url).secrets.first)
            let forward = try await tool.runDetached(["history", "migrate", "--from", source, "--to", url])
            #expect(forward.status == 0, "\(forward.stderr)")
            #expect(forward.stdout.contains("counts and checksums match; audit log verifies (7 entries"), "\(forward.stdout)")
            Self.expectNoPassword(forward, password, "history migrate")

            // Every command that opens history takes the URL.
            let listed = try await tool.runDetached(["history", "--history", url, "--format", "json"])
            #expect(listed.status == 0, "\(listed.stderr)")
            let runs = try? JSONCoding.decoder().decode([RunRecord].self, from: Data(listed.stdout.utf8))
            #expect(runs?.map(\.id) == ["later", "run-fail", "run-pass"], "\(listed.stdout.prefix(300))\(listed.stderr)")
            let verify = try await tool.runDetached(["audit", "verify", "--history", url, "--anchor", folder.file("anchor.json")])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let deploy = try await tool.runDetached([
                "deploy", "record", "support-bot", "1.5.0", "--history", url, "--by", "deployer", "--run", "later",
            ])
            #expect(deploy.status == 0, "\(deploy.stderr)")
            let deployments = try await tool.runDetached(["deploy", "list", "support-bot", "--history", url, "--format", "json"])
            #expect(deployments.stdout.contains("\"1.5.0\""), "\(deployments.stdout)")
            let log = try await tool.runDetached(["audit", "log", "--history", url])
            #expect(log.stdout.contains("deployment-recorded"), "\(log.stdout)")
            for output in [listed, verify, deploy, deployments, log] { Self.expectNoPassword(output, password, "a command") }
            // The password may come from PGPASSWORD instead.
            let withoutPassword = url.replacingOccurrences(of: ":\(password)@", with: "@")
            let fromEnvironment = try await CommandLineTool(workingDirectory: folder.path, environment: ["PGPASSWORD": password])
                .runDetached(["history", "--history", withoutPassword, "--ids"])
            #expect(fromEnvironment.status == 0 && fromEnvironment.stdout.contains("later"), "\(fromEnvironment.stderr)")

            // Rerunning copies nothing (the target went on, so it is no longer a copy of the source: refused).
            let rerun = try await tool.runDetached(["history", "migrate", "--from", source, "--to", url])
            #expect(rerun.status != 0 && rerun.stderr.contains("is not a copy of the source's"), "\(rerun.stderr)")

            // And back to a new SQLite file, with the deployment recorded on PostgreSQL.
            let back = folder.file("back/history.sqlite")
            let backward = try await tool.runDetached(["history", "migrate", "--from", url, "--to", back])
            #expect(backward.status == 0, "\(backward.stderr)")
            #expect(backward.stdout.contains("audit log verifies (8 entries"), "\(backward.stdout)")
            #expect(backward.stdout.range(of: "\ndeployment +2 ", options: .regularExpression) != nil, "\(backward.stdout)")
            let again = try await tool.runDetached(["history", "migrate", "--from", url, "--to", back])
            #expect(again.status == 0 && again.stdout.contains(": 0 rows inserted"), "\(again.stdout)\(again.stderr)")
            let verifyBack = try await tool.runDetached(["audit", "verify", "--history", back, "--anchor", folder.file("anchor.json")])
            #expect(verifyBack.status == 0, "\(verifyBack.stdout)")
            let copied = try await HistoryLocation(back).open()
            #expect(try await copied.caseResults(runID: "later") == original.caseResults(runID: "later"))
            #expect(try await copied.deployments(agent: "support-bot").count == 2)
        }
    }

    @Test func aBadHistoryURLIsAClearErrorForEveryCommand() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-bad-url")
        let tool = CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file(".evalgate")])
        for arguments in [["history"], ["audit", "verify"], ["deploy", "list", "bot"]] {
            let output = try await tool.runDetached(arguments + ["--history", "postgres://gate:hunter22@/evalgate"])
            #expect(output.status == ExitStatus.cannotRun.rawValue, "\(arguments)")
            #expect(output.stderr.contains("invalid history URL postgres://[REDACTED]@/evalgate: it names no host"), "\(output.stderr)")
            #expect(!output.stderr.contains("hunter22"))
        }
        let viaEnvironment = try await CommandLineTool(
            workingDirectory: folder.path, environment: ["EVALGATE_HISTORY": "postgres://gate@127.0.0.1:9/evalgate?sslmode=disable"]
        ).runDetached(["history"])
        #expect(viaEnvironment.status == ExitStatus.cannotRun.rawValue)
        #expect(viaEnvironment.stderr.contains("cannot reach the history database postgres://gate@127.0.0.1:9/evalgate"), "\(viaEnvironment.stderr)")
    }

    /// 16 `evalgate run` processes of different agents and 4 processes recording deployments, all
    /// at once against one database: nothing lost, no serialisation error or deadlock reaches a
    /// user, every run readable, the audit log intact. Run by scripts/test (EVALGATE_LOAD_TEST=1);
    /// the figures go to docs/benchmarks.md.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["EVALGATE_LOAD_TEST"] == "1"))
    func manyProcessesShareOneDatabase() async throws {
        let runners = 16
        let deployers = 4
        let deploymentsEach = 10
        try await withReferenceAgent { agent in
            try await TestPostgres.withDatabase { url in
                let folder = RunFolder(agentURL: agent.chatCompletionsURL)
                for index in 0..<runners {
                    folder.folder.write(
                        "agent-\(index).yaml",
                        RunFolder.pipeline(
                            url: agent.chatCompletionsURL, dataset: "handbook.jsonl", assert: "{type: not-contains, value: ZZZ-NEVER-SAID}"
                        )
                        .replacingOccurrences(of: "name: kb-agent", with: "name: agent-\(index)"))
                }
                let tool = folder.tool(["EVALGATE_PHASE_TIMES": "1"])
                let started = Date()
                let outputs = try await withThrowingTaskGroup(of: [(String, CommandLineTool.Output)].self) { group in
                    for index in 0..<runners {
                        group.addTask {
                            [("run agent-\(index)", try await tool.runDetached(["run", "agent-\(index).yaml", "--history", url], timeout: 600))]
                        }
                    }
                    for deployer in 0..<deployers {
                        group.addTask {
                            var outputs: [(String, CommandLineTool.Output)] = []
                            for number in 0..<deploymentsEach {
                                let output = try await tool.runDetached(
                                    ["deploy", "record", "agent-\(deployer)", "3.1.\(number)", "--history", url, "--by", "deployer-\(deployer)"],
                                    timeout: 600)
                                outputs.append(("deploy agent-\(deployer) 3.1.\(number)", output))
                            }
                            return outputs
                        }
                    }
                    var all: [(String, CommandLineTool.Output)] = []
                    for try await outputs in group { all += outputs }
                    return all
                }
                let wall = Date().timeIntervalSince(started)
                for (what, output) in outputs {
                    #expect(output.status == 0, "\(what): \(output.stderr)")
                    for symptom in ["40001", "40P01", "deadlock", "serializ", "could not"] {
                        #expect(!output.stderr.contains(symptom) && !output.stdout.contains(symptom), "\(what): \(output.stderr)")
                    }
                }

                let history = try await HistoryLocation(url).open()
                let runs = try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 100)
                #expect(runs.count == runners && Set(runs.map(\.agent)).count == runners)
                var cases = 0
                var gates = 0
                for run in runs {
                    let results = try await history.caseResults(runID: run.id)
                    #expect(results.count == 30 && run.verdict == .pass, "\(run.id)")
                    cases += results.count
                    gates += run.gates.count
                }
                for deployer in 0..<deployers {
                    let recorded = try await history.deployments(agent: "agent-\(deployer)", environment: nil, limit: 100)
                    #expect(Set(recorded.map(\.version)) == Set((0..<deploymentsEach).map { "3.1.\($0)" }))
                    #expect(try await history.liveVersion(agent: "agent-\(deployer)", environment: "production") == "3.1.\(deploymentsEach - 1)")
                }
                let log = try await history.auditLog(agent: nil, since: nil, limit: 10_000)
                #expect(log.count == 1 + runners + deployers * deploymentsEach)
                #expect(log.map(\.sequence) == Array(1...Int64(log.count)))
                let verification = try await history.verifyAudit(anchor: nil)
                #expect(verification.isIntact, "\(verification.problems)")
                await history.close()

                // Each run's "record" phase: its one history transaction (waiting for the write lock included).
                let recordTimes = outputs.compactMap { _, output -> Double? in
                    guard let range = output.stderr.range(of: #"record [0-9.]+ s"#, options: .regularExpression) else { return nil }
                    return Double(output.stderr[range].dropFirst("record ".count).dropLast(2))
                }
                #expect(recordTimes.count == runners)
                let rows = runs.count + cases + gates + deployers * deploymentsEach + log.count
                let figures = String(
                    format:
                        "postgres-load: %d run processes + %d deploy processes (%d deployments): wall %.1f s, %d rows written, %.0f rows/s overall; record phase mean %.3f s, max %.3f s",
                    runners, deployers, deployers * deploymentsEach, wall, rows, Double(rows) / wall,
                    recordTimes.reduce(0, +) / Double(max(1, recordTimes.count)), recordTimes.max() ?? 0)
                print(figures)
                try? figures.write(toFile: "/tmp/evalgate-postgres-load.txt", atomically: true, encoding: .utf8)
            }
        }
    }
}
