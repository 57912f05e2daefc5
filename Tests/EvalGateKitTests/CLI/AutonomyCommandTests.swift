import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `evalgate autonomy`, `autonomy promote` and `autonomy demote`, as the built binary, with the
/// evidence made by real runs against the reference agent (tier 1 of the built-in policy: the step
/// up to approve-each needs 3 consecutive passing monitor runs, approved by the agent owner).
@Suite("autonomy (CLI)", .serialized)
struct AutonomyCommandTests {
    static func assessment(_ folder: RunFolder) async throws -> (AutonomyAssessment, [AutonomyChange]) {
        let output = try await folder.run(["autonomy", "kb-agent", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        struct Output: Decodable {
            var assessment: AutonomyAssessment
            var changes: [AutonomyChange]
        }
        let decoded = try JSONCoding.decoder().decode(Output.self, from: Data(output.stdout.utf8))
        return (decoded.assessment, decoded.changes)
    }

    static func auditCount(_ folder: RunFolder) async throws -> Int {
        let log = try await folder.run(["audit", "log", "--format", "json"])
        return try JSONCoding.decoder().decode([AuditEntry].self, from: Data(log.stdout.utf8)).count
    }

    @Test func aStepUpIsRefusedWithoutEvidenceGrantedWithItAndAFailedMonitorRunRecommendsADown() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            #expect(try await folder.run(["run", "pass.yaml", "--quiet"]).status == 0)

            let shown = try await folder.run(["autonomy", "kb-agent"])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("Autonomy: draft-only (level 1 of 4, no change recorded: every agent starts here)"), "\(shown.stdout)")
            #expect(shown.stdout.contains("NOT MET  the newest 3 monitor runs passed"), "\(shown.stdout)")
            #expect(shown.stdout.contains("0 of the 3 needed; only 0 monitor runs recorded"), "\(shown.stdout)")
            #expect(shown.stdout.contains("Who may approve: agent owner"))

            // Refused: no evidence yet; a role that may not approve; a level that is not the next. Nothing is written.
            let entries = try await Self.auditCount(folder)
            let promote = ["autonomy", "promote", "kb-agent", "--to", "approve-each", "--by", "Ana Ortiz", "--role", "agent owner"]
            let refused = try await folder.run(promote)
            #expect(refused.status == EvalGateKit.ExitStatus.autonomyRefused.rawValue, "\(refused.stderr)")
            #expect(
                refused.stderr.contains("error: refused: the evidence for approve-each is not there yet: the newest 3 monitor runs passed — not met"),
                "\(refused.stderr)")
            let wrongRole = try await folder.run(["autonomy", "promote", "kb-agent", "--to", "approve-each", "--by", "Ana", "--role", "intern"])
            #expect(wrongRole.status == 11 && wrongRole.stderr.contains("the role 'intern' may not approve the step up to approve-each"))
            let skip = try await folder.run(["autonomy", "promote", "kb-agent", "--to", "broadened", "--by", "Ana", "--role", "agent owner"])
            #expect(skip.status == 11 && skip.stderr.contains("from draft-only the next level is approve-each, not broadened"), "\(skip.stderr)")
            let unknown = try await folder.run(["autonomy", "promote", "kb-agent", "--to", "sky", "--by", "Ana", "--role", "agent owner"])
            #expect(unknown.status == EvalGateKit.ExitStatus.invalidInput.rawValue && unknown.stderr.contains("'sky' is not an autonomy level"))
            let nobody = try await folder.run(["autonomy", "no-such-agent"])
            #expect(nobody.status == 3 && nobody.stderr.contains("no run of agent 'no-such-agent'"), "\(nobody.stderr)")
            #expect(try await Self.auditCount(folder) == entries)
            #expect(try await Self.assessment(folder).1.isEmpty)

            // Three passing monitor runs: granted.
            var monitorRuns: [String] = []
            for _ in 0..<3 {
                #expect(try await folder.run(["run", "pass.yaml", "--monitor", "--quiet"]).status == 0)
                monitorRuns.insert(
                    try await folder.run(["history", "--agent", "kb-agent", "--limit", "1", "--ids"]).stdout.trimmingCharacters(
                        in: .whitespacesAndNewlines), at: 0)
            }
            let ready = try await Self.assessment(folder).0
            #expect(ready.next?.ready == true && ready.next?.criteria.first?.runIDs == monitorRuns)
            let granted = try await folder.run(promote + ["--reason", "three clean nights"])
            #expect(granted.status == 0, "\(granted.stderr)")
            #expect(granted.stdout.contains("Promoted kb-agent from draft-only to approve-each: approved by Ana Ortiz (agent owner); audit entry #"))
            let (after, changes) = try await Self.assessment(folder)
            #expect(after.level == "approve-each" && after.next?.level == "execute-within-limits")
            #expect(changes.count == 1 && changes[0].role == "agent owner" && changes[0].reason == "three clean nights")
            // The change keeps the evidence it rested on, with the runs.
            let evidence = try JSONCoding.decoder().decode(AutonomyAssessment.self, from: Data(changes[0].evidenceJSON.utf8))
            #expect(evidence.level == "draft-only" && evidence.next?.criteria.first?.runIDs == monitorRuns)

            // A failed monitor run recommends one level down: in the recommendation JSON and every report.
            let failed = try await folder.run([
                "run", "fail.yaml", "--monitor", "--report", "markdown=out/report.md", "--report", "html=out/report.html",
            ])
            #expect(failed.status == 1, "\(failed.stderr)")
            #expect(failed.stdout.contains("autonomy: STEP DOWN from approve-each to draft-only"), "\(failed.stdout)")
            let recommendationPath = try #require(
                failed.stdout.components(separatedBy: "\n").first { $0.hasPrefix("Recommendation: /") || $0.hasPrefix("Recommendation: .") })
            let recommendation = try JSONCoding.decoder().decode(
                Recommendation.self,
                from: Data(
                    contentsOf: URL(
                        fileURLWithPath: String(recommendationPath.dropFirst("Recommendation: ".count)), relativeTo: URL(fileURLWithPath: folder.path)
                    )))
            #expect(recommendation.autonomy?.level == "approve-each" && recommendation.autonomy?.recommendedLevel == "draft-only")
            #expect(recommendation.autonomy?.stepDown == true)
            let markdown = try String(contentsOfFile: folder.folder.file("out/report.md"), encoding: .utf8)
            #expect(markdown.contains("**Autonomy: step down from approve-each to draft-only**"), "\(markdown)")
            let html = try String(contentsOfFile: folder.folder.file("out/report.html"), encoding: .utf8)
            #expect(html.contains("id=\"autonomy-step-down\"") && html.contains("step down from approve-each"))
            let quiet = try await folder.run(["run", "fail.yaml", "--monitor", "--quiet"])
            #expect(quiet.stdout.contains("Autonomy: step down from approve-each to draft-only"), "\(quiet.stdout)")

            // `evalgate autonomy` names the open recommendation until someone records the step down.
            let pending = try await Self.assessment(folder).0.pendingStepDown
            let pendingJSON = try await folder.run(["autonomy", "kb-agent", "--format", "json"]).stdout
            #expect(pending?.recommendedLevel == "draft-only" && pending?.runID.isEmpty == false, "\(pendingJSON)")
            #expect(try await folder.run(["autonomy", "kb-agent"]).stdout.contains("STEP DOWN RECOMMENDED to draft-only by monitor run"))

            // Stepping down is always allowed (with a reason); to the same level it is refused.
            let demote = ["autonomy", "demote", "kb-agent", "--to", "draft-only", "--by", "Ana Ortiz", "--reason", "monitor run failed"]
            let down = try await folder.run(demote)
            #expect(down.status == 0 && down.stdout.contains("Stepped kb-agent down from approve-each to draft-only"), "\(down.stderr)")
            let again = try await folder.run(demote)
            #expect(again.status == 11 && again.stderr.contains("draft-only is not below the current level draft-only"), "\(again.stderr)")
            let noReason = try await folder.run(["autonomy", "demote", "kb-agent", "--to", "draft-only", "--by", "Ana", "--reason", " "])
            #expect(noReason.status == 3 && noReason.stderr.contains("--reason must not be empty"))

            let log = try await folder.run(["audit", "log", "--agent", "kb-agent", "--format", "json"])
            let events = try JSONCoding.decoder().decode([AuditEntry].self, from: Data(log.stdout.utf8)).filter { $0.event == .autonomyChanged }
            #expect(events.map { $0.evidence["to"] } == ["approve-each", "draft-only"] && events.map(\.actor) == ["Ana Ortiz", "Ana Ortiz"])
            #expect(try await folder.run(["audit", "verify"]).status == 0)
            #expect(try await Self.assessment(folder).0.pendingStepDown == nil)
            let table = try await folder.run(["autonomy", "kb-agent"])
            #expect(table.stdout.contains("demote approve-each → draft-only") && table.stdout.contains("promote draft-only → approve-each"))
        }
    }

    @Test func aTierWithoutALadderIsInvalidInput() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            #expect(try await folder.run(["run", "pass.yaml", "--quiet"]).status == 0)
            folder.folder.write(
                "plain-tiers.yaml",
                """
                version: 1
                tiers:
                  1: {name: internal, min_pass_rate: 0.8}
                """)
            let output = try await folder.run(["autonomy", "kb-agent", "--policy", "plain-tiers.yaml"])
            #expect(output.status == 3 && output.stderr.contains("tier 1 of plain-tiers.yaml defines no autonomy levels"), "\(output.stderr)")
            folder.folder.write("broken-tiers.yaml", "version: 1\ntiers:\n  1: {name: internal, autonomy: {levels: [{name: a}, {name: b}]}}\n")
            let broken = try await folder.run(["autonomy", "kb-agent", "--policy", "broken-tiers.yaml"])
            #expect(broken.status == 3 && broken.stderr.contains("broken-tiers.yaml:3:"), "\(broken.stderr)")
        }
    }
}
