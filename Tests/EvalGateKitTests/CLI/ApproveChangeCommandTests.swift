import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Change control end to end (docs/change-control.md): the built binary against the reference
/// agent, a pipeline edited to loosen its gates, `approve-change` by the roles tier 3 needs.
@Suite("approve-change (CLI)", .serialized)
struct ApproveChangeCommandTests {
    /// Tier 3 as shipped but small enough for 30 cases: the same authority and change-control keys.
    static func tiers(floor: String = "0.95") -> String {
        """
        version: 1
        tiers:
          3:
            name: external-high-risk
            min_pass_rate: \(floor)
            must_pass_tags: [handbook-qa]
            min_cases: 20
            authority:
              approvers: [agent owner, risk officer]
              rollback: [agent owner]
              risk_role: risk officer
              escalation_role: CoE lead
            peer_deviation: 0.05
        """
    }

    static func pipeline(url: String, agent: String = "kb-agent", minPassRate: String) -> String {
        """
        version: 1
        agent:
          name: \(agent)
          version: "3.1.0"
          risk_tier: 3
          endpoint: {type: openai-chat, url: \(url), model: kb-agent, timeout: 3s, retries: 0, max_concurrency: 4}
        tiers: tiers.yaml
        datasets: [datasets/handbook.jsonl]
        assert: [{type: not-contains, value: ZZZ-NEVER-SAID}]
        baseline: {from: none}
        gates:
          min_pass_rate: \(minPassRate)
        """
    }

    @Test func loosenedGatesHoldTheRunUntilTheRiskRoleApproves() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            folder.folder.write("tiers.yaml", Self.tiers())
            folder.folder.write("kb.yaml", Self.pipeline(url: agent.chatCompletionsURL, minPassRate: "0.99"))
            let environment = ["GITHUB_ACTOR": "ci-bot"]

            // The first decided run sets the reference: 0.99.
            let first = try await folder.run(["run", "kb.yaml"], environment: environment)
            #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
            let firstRecord = try Self.result(folder, first.stdout)
            let control = try #require(firstRecord.changeControl)
            #expect(control.block == nil && control.gates.value("min_pass_rate") == "0.99" && control.gatesSHA256.count == 64)
            #expect(control.datasetsSHA256.count == 64 && control.scorersSHA256.count == 64 && control.guardedCases?.ids.count == 30)

            // Loosened to 0.96 (still above the tier's 0.95): inconclusive, naming the control.
            folder.folder.write("kb.yaml", Self.pipeline(url: agent.chatCompletionsURL, minPassRate: "0.96"))
            let held = try await folder.run(
                [
                    "run", "kb.yaml", "--report", "console", "--report", "markdown=\(folder.folder.file("held.md"))", "--report",
                    "html=\(folder.folder.file("held.html"))",
                ], environment: environment)
            #expect(held.status == EvalGateKit.ExitStatus.inconclusive.rawValue, "\(held.stdout)\n\(held.stderr)")
            #expect(held.stdout.contains("CHANGE CONTROL: inconclusive"), "\(held.stdout)")
            #expect(held.stdout.contains("loosened: min_pass_rate 0.99 → 0.96 (safety control)"), "\(held.stdout)")
            let heldRecord = try Self.result(folder, held.stdout)
            let block = try #require(heldRecord.changeControl?.block)
            #expect(block.requirement.approvers == 2 && block.requirement.requiredRoles == ["risk officer"])
            #expect(heldRecord.recommendation.changeControl == block && heldRecord.recommendation.action == .rerun)
            #expect(heldRecord.recommendation.rerunAdvice?.contains("evalgate approve-change kb-agent --by NAME --role ROLE") == true)
            let markdown = try String(contentsOfFile: folder.folder.file("held.md"), encoding: .utf8)
            #expect(markdown.contains("Change control: inconclusive until approved") && markdown.contains("`min_pass_rate` 0.99 → 0.96"))
            let html = try String(contentsOfFile: folder.folder.file("held.html"), encoding: .utf8)
            #expect(html.contains("id=\"change-control\"") && html.contains("<code>min_pass_rate</code> 0.99 → 0.96"))
            #expect(html.contains("Effective gates SHA-256") && html.contains(heldRecord.changeControl?.gatesSHA256 ?? "-"))
            // The recommendation file deploy tooling reads carries the block.
            let recommendation = try JSONCoding.decoder().decode(
                Recommendation.self,
                from: Data(contentsOf: URL(fileURLWithPath: folder.folder.file(".evalgate/runs/\(heldRecord.id)/recommendation.json"))))
            #expect(
                recommendation.changeControl?.missing == ["risk officer", "1 more approver (agent owner, risk officer, CoE lead)"],
                "\(String(describing: recommendation.changeControl))")

            // The dashboard's portfolio marks the held agent.
            let portfolio = try await Self.history(folder).portfolio(trendLength: 5)
            let row = PortfolioPage(agents: portfolio).row(try #require(portfolio.first { $0.agent == "kb-agent" })).text
            #expect(row.contains("change control</span>") && row.contains("missing: risk officer"), "\(row)")

            let shown = try await folder.run(["approve-change", "kb-agent", "--show"])
            #expect(shown.status == EvalGateKit.ExitStatus.changePending.rawValue, "\(shown.stdout)\n\(shown.stderr)")
            #expect(shown.stdout.contains("Change \(block.changeID)") && shown.stdout.contains("Still needed: risk officer"), "\(shown.stdout)")

            // Bad input: no role, an agent with no runs.
            #expect(
                try await folder.run(["approve-change", "kb-agent", "--by", "dana", "--reason", "x"]).status == EvalGateKit.ExitStatus.usage.rawValue)
            let unknown = try await folder.run(["approve-change", "nobody", "--by", "dana", "--role", "agent owner", "--reason", "x"])
            #expect(
                unknown.status == EvalGateKit.ExitStatus.invalidInput.rawValue && unknown.stderr.contains("no run of 'nobody'"), "\(unknown.stderr)")
            let stale = try await folder.run([
                "approve-change", "kb-agent", "--by", "dana", "--role", "agent owner", "--reason", "x", "--change", "abc",
            ])
            #expect(stale.status == EvalGateKit.ExitStatus.invalidInput.rawValue && stale.stderr.contains("is not the change awaiting approval"))

            // A role the policy does not name: refused, nothing written.
            let intern = try await folder.run(["approve-change", "kb-agent", "--by", "ivan", "--role", "intern", "--reason", "why not"])
            #expect(intern.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(intern.stderr.contains("'intern' is not a role tier 3's policy lets approve"), "\(intern.stderr)")
            #expect(try await Self.history(folder).changeApprovals(agent: "kb-agent").isEmpty)

            // One role is not enough on tier 3 when a safety control is reduced.
            let owner = try await folder.run([
                "approve-change", "kb-agent", "--by", "dana", "--role", "Agent Owner", "--reason", "0.96 still clears the tier", "--change",
                String(block.changeID.prefix(12)),
            ])
            #expect(owner.status == EvalGateKit.ExitStatus.changePending.rawValue, "\(owner.stdout)\n\(owner.stderr)")
            #expect(owner.stdout.contains("Recorded: dana (agent owner)") && owner.stdout.contains("Still needed: risk officer"), "\(owner.stdout)")
            let stillHeld = try await folder.run(["run", "kb.yaml"], environment: environment)
            #expect(stillHeld.status == EvalGateKit.ExitStatus.inconclusive.rawValue, "\(stillHeld.stdout)")
            let again = try await folder.run(["approve-change", "kb-agent", "--by", "dana", "--role", "risk officer", "--reason", "me again"])
            #expect(again.status == EvalGateKit.ExitStatus.invalidInput.rawValue && again.stderr.contains("dana already approved"), "\(again.stderr)")

            // The risk officer: approved, and the next run is decided by the new gates.
            let risk = try await folder.run(["approve-change", "kb-agent", "--by", "rita", "--role", "risk officer", "--reason", "reviewed"])
            #expect(risk.status == 0, "\(risk.stdout)\n\(risk.stderr)")
            #expect(risk.stdout.contains("Approved: the next run"), "\(risk.stdout)")
            let decided = try await folder.run(["run", "kb.yaml"], environment: environment)
            #expect(decided.status == 0, "\(decided.stdout)\n\(decided.stderr)")
            let decidedRecord = try Self.result(folder, decided.stdout)
            #expect(
                decidedRecord.changeControl?.block == nil && decidedRecord.changeControl?.approvals.map(\.role) == ["agent owner", "risk officer"])
            #expect(decided.stdout.contains("CHANGE APPROVED: looser gates in force, approved by dana (agent owner), rita (risk officer)"))

            // The new gates are the reference now: the next run needs nobody, and tightening needs nobody either.
            folder.folder.write("kb.yaml", Self.pipeline(url: agent.chatCompletionsURL, minPassRate: "0.98"))
            let tightened = try await folder.run(["run", "kb.yaml"], environment: environment)
            #expect(tightened.status == 0, "\(tightened.stdout)\n\(tightened.stderr)")
            #expect(try await folder.run(["approve-change", "kb-agent", "--show"]).stdout.contains("no change of kb-agent's gates awaits approval"))

            // The audit log: each change of the gates once, each approval, and the chain intact.
            let log = try await Self.history(folder).auditLog(agent: "kb-agent", since: nil, limit: 100)
            #expect(log.filter { $0.event == .thresholdsChanged }.map { $0.evidence["direction"] } == ["loosened", "tightened"])
            #expect(log.first { $0.event == .thresholdsChanged }?.evidence["changes"] == "min_pass_rate 0.99 → 0.96")
            #expect(log.filter { $0.event == .changeApproved }.map(\.actor) == ["dana", "rita"])
            #expect(try await folder.run(["audit", "verify"]).status == 0)

            // A second pipeline of the agent starts from the agent's bar (0.98): 0.96 needs approval…
            folder.folder.write("kb-monitor.yaml", Self.pipeline(url: agent.chatCompletionsURL, minPassRate: "0.96"))
            #expect(try await folder.run(["run", "kb-monitor.yaml"]).status == EvalGateKit.ExitStatus.inconclusive.rawValue)
            let show = try await folder.run(["approve-change", "kb-agent", "--show", "--format", "json"])
            #expect(
                show.status == EvalGateKit.ExitStatus.changePending.rawValue && show.stdout.contains("\"key\" : \"min_pass_rate\""), "\(show.stdout)")
            for (name, role) in [("dana", "agent owner"), ("rita", "risk officer")] {
                _ = try await folder.run(["approve-change", "kb-agent", "--by", name, "--role", role, "--reason", "monitoring bar"])
            }
            // …and once approved, each pipeline keeps its own bar: alternating runs need nobody.
            #expect(try await folder.run(["run", "kb-monitor.yaml"]).status == 0)
            #expect(try await folder.run(["run", "kb.yaml"]).status == 0)
            #expect(try await folder.run(["run", "kb-monitor.yaml"]).status == 0)
        }
    }

    @Test func gatesFarBelowThePeersNeedTheEscalationRole() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            // A tier floor of 0.80 that every peer tightens well above.
            folder.folder.write("tiers.yaml", Self.tiers(floor: "0.80"))
            for (name, rate) in [("peer-a", "0.99"), ("peer-b", "1"), ("peer-c", "0.995")] {
                folder.folder.write("\(name).yaml", Self.pipeline(url: agent.chatCompletionsURL, agent: name, minPassRate: rate))
                let output = try await folder.run(["run", "\(name).yaml"])
                #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
            }
            // A new agent at the tier's floor, 4.5 points below the peers' median (0.995): allowed.
            folder.folder.write("near.yaml", Self.pipeline(url: agent.chatCompletionsURL, agent: "near-bot", minPassRate: "0.95"))
            #expect(try await folder.run(["run", "near.yaml"]).status == 0)

            // 0.9 is 9.25 points below the median of 0.95, 0.99, 0.995 and 1 (0.9925): the escalation role must approve.
            folder.folder.write("far.yaml", Self.pipeline(url: agent.chatCompletionsURL, agent: "far-bot", minPassRate: "0.9"))
            let far = try await folder.run(["run", "far.yaml"])
            #expect(far.status == EvalGateKit.ExitStatus.inconclusive.rawValue, "\(far.stdout)\n\(far.stderr)")
            #expect(far.stdout.contains("peers: min_pass_rate 0.9 is more than 0.05 below the median 0.9925 of 4 peers"), "\(far.stdout)")
            let owner = try await folder.run(["approve-change", "far-bot", "--by", "dana", "--role", "agent owner", "--reason", "new agent"])
            #expect(
                owner.status == EvalGateKit.ExitStatus.changePending.rawValue && owner.stdout.contains("Still needed: CoE lead"), "\(owner.stdout)")
            let coe = try await folder.run(["approve-change", "far-bot", "--by", "carl", "--role", "CoE lead", "--reason", "pilot"])
            #expect(coe.status == 0, "\(coe.stdout)\n\(coe.stderr)")
            #expect(try await folder.run(["run", "far.yaml"]).status == 0)
        }
    }

    /// The result file a run names on its `Result:` line.
    static func result(_ folder: RunFolder, _ stdout: String) throws -> RunRecord {
        let line = try #require(stdout.components(separatedBy: "\n").first { $0.hasPrefix("Result: ") })
        var path = String(line.dropFirst("Result: ".count)).trimmingCharacters(in: .whitespaces)
        if !path.hasPrefix("/") { path = folder.folder.file(path) }
        return try ResultFile.read(path: path).record
    }

    static func history(_ folder: RunFolder) async throws -> any RunHistory {
        try await HistoryLocation(folder.folder.file(".evalgate/history.sqlite")).open()
    }
}
