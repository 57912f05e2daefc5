import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// A kb-agent project on the in-process reference agent whose tier names two release reviewers,
/// an escalation body and a rollback notification deadline (docs/signoff.md).
struct SignOffFolder {
    let folder = TemporaryDirectory(prefix: "evalgate-signoff")
    let agentURL: String

    static let tiers = """
        version: 1
        tiers:
          1:
            name: internal
            min_pass_rate: 0.80
            max_error_rate: 0.10
            min_cases: 30
            require_baseline: false
            authority:
              approvers: [agent owner, risk officer]
              rollback: [agent owner, on-call engineer]
              notify: ["#agent-incidents", risk officer]
              notes: Anyone listed may roll back alone; the risk officer hears of it within the hour.
              escalation: AI CoE
              notify_within: 1h
        """

    init(agentURL: String) {
        self.agentURL = agentURL
        let questions = (1...30).map { index -> JSONValue in
            ["id": .string("q-\(index)"), "input": .string("Question \(index): how many PTO days do I get?"), "tags": ["handbook-qa"]]
        }
        folder.write("datasets/handbook.jsonl", PipelineFixture.jsonl(questions))
        folder.write("datasets/few.jsonl", PipelineFixture.jsonl(Array(questions.prefix(10))))
        folder.write("tiers.yaml", Self.tiers)
        folder.write("v1.yaml", pipeline(version: "3.1.0", tools: ["lookup_policy"]))
        // 3.2.0 can also update HR records: a scope expansion.
        folder.write("v2.yaml", pipeline(version: "3.2.0", tools: ["lookup_policy", "update_record"]))
        // 10 passing cases of the 30 the tier needs: inconclusive.
        folder.write("few.yaml", pipeline(version: "3.0.0", tools: ["lookup_policy"], dataset: "few.jsonl"))
        // Every case fails.
        folder.write("bad.yaml", pipeline(version: "2.9.0", tools: ["lookup_policy"], assert: "{type: contains, value: ZZZ-NEVER-SAID}"))
        // 3.3.0 answers wrongly: a monitor run of it recommends rolling back.
        folder.write(
            "v3.yaml", pipeline(version: "3.3.0", tools: ["lookup_policy", "update_record"], assert: "{type: contains, value: ZZZ-NEVER-SAID}"))
    }

    func pipeline(
        version: String, tools: [String], assert: String = "{type: not-contains, value: ZZZ-NEVER-SAID}", dataset: String = "handbook.jsonl"
    ) -> String {
        let toolList = tools.map { "      - {type: function, function: {name: \($0), parameters: {type: object}}}" }.joined(separator: "\n")
        return """
            version: 1
            agent:
              name: kb-agent
              version: "\(version)"
              risk_tier: 1
              endpoint:
                type: openai-chat
                url: \(agentURL)
                model: kb-agent
                tools:
            \(toolList)
                timeout: 3s
                retries: 0
            datasets: [datasets/\(dataset)]
            assert: [\(assert)]
            baseline: {from: none}
            """
    }

    func run(_ arguments: [String]) async throws -> CommandLineTool.Output {
        defer { withExtendedLifetime(folder) {} }
        return try await CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file(".evalgate")])
            .runDetached(arguments)
    }

    func recommendation(_ name: String) throws -> Recommendation {
        try JSONCoding.decoder().decode(Recommendation.self, from: Data(contentsOf: URL(fileURLWithPath: folder.file(name))))
    }
}

/// `evalgate approve --role`, `reject` and `release-status` end to end: the built binary against
/// the reference agent, a real history file, the exit codes and what is recorded.
@Suite("release sign-off (CLI)", .serialized)
struct SignOffCommandTests {
    @Test func aReleaseWaitsForEveryRoleAndARejectionEscalates() async throws {
        try await withReferenceAgent { agent in
            let project = SignOffFolder(agentURL: agent.chatCompletionsURL)
            let run = try await project.run(["run", "v1.yaml", "--recommendation", "v1.json"])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("once signed off by agent owner and risk officer"), "\(run.stdout)")
            #expect(run.stdout.contains("Release sign-off (pending): required agent owner, risk officer"), "\(run.stdout)")
            let recommendation = try project.recommendation("v1.json")
            let runID = recommendation.runID
            let signOff = try #require(recommendation.signOff)
            #expect(signOff.state == .pending && signOff.missing == ["agent owner", "risk officer"] && signOff.signedOff.isEmpty)
            #expect(recommendation.notify == nil && recommendation.scopeChange == nil, "a first release expands nothing")

            let pending = try await project.run(["release-status", "kb-agent", "3.1.0"])
            #expect(pending.status == 2, "\(pending.stdout)\(pending.stderr)")
            #expect(pending.stdout.hasPrefix("PENDING kb-agent 3.1.0"), "\(pending.stdout)")

            // A role spelled another way is the same role.
            let dana = try await project.run(["approve", String(runID.prefix(20)), "--by", "Dana Okafor", "--role", "Risk-Officer"])
            #expect(dana.status == 0, "\(dana.stderr)")
            #expect(dana.stdout.contains("Signed off kb-agent 3.1.0 (run \(runID)) as risk officer: Dana Okafor"), "\(dana.stdout)")
            #expect(dana.stdout.contains("waiting for agent owner"), "\(dana.stdout)")

            // Refused, exit 9, nothing written: a role the tier does not list; one person signing two roles.
            let before = try await project.run(["audit", "log", "--format", "json"])
            let stranger = try await project.run(["approve", runID, "--by", "Omar", "--role", "team lead"])
            #expect(stranger.status == EvalGateKit.ExitStatus.notAuthorized.rawValue, "\(stranger.stderr)")
            #expect(stranger.stderr.contains("'team lead' is not a release reviewer of tier 1"), "\(stranger.stderr)")
            #expect(stranger.stderr.contains("the roles are: agent owner, risk officer"), "\(stranger.stderr)")
            let twice = try await project.run(["approve", runID, "--by", "Dana Okafor", "--role", "agent owner"])
            #expect(twice.status == EvalGateKit.ExitStatus.notAuthorized.rawValue, "\(twice.stderr)")
            #expect(twice.stderr.contains("Dana Okafor already signed off run \(runID) as risk officer"), "\(twice.stderr)")
            #expect(try await project.run(["audit", "log", "--format", "json"]).stdout == before.stdout, "nothing was written")

            // A rejection needs a reason; with one, the release escalates.
            let bare = try await project.run(["reject", runID, "--by", "Omar", "--role", "agent owner"])
            #expect(bare.status == EvalGateKit.ExitStatus.usage.rawValue, "\(bare.stderr)")
            let reject = try await project.run([
                "reject", runID, "--by", "Omar", "--role", "agent owner", "--reason", "the PTO answers cite last year's handbook",
            ])
            #expect(reject.status == 0, "\(reject.stderr)")
            #expect(reject.stdout.contains("escalate to AI CoE"), "\(reject.stdout)")
            let rejected = try await project.run(["release-status", "kb-agent", "3.1.0", "--format", "json"])
            #expect(rejected.status == 1, "\(rejected.stdout)\(rejected.stderr)")
            let status = try JSONCoding.decoder().decode(ReleaseStatus.self, from: Data(rejected.stdout.utf8))
            #expect(status.state == .rejected && status.signOff.escalateTo == "AI CoE" && status.runID == runID)
            #expect(status.signOff.rejected.map(\.signedBy) == ["Omar"] && status.signOff.signedOff.map(\.role) == ["risk officer"])
            #expect(status.notify == ["#agent-incidents", "risk officer"])

            // The owner, after the CoE's review, signs off: the newest decision of the role is in force.
            let owner = try await project.run([
                "approve", runID, "--by", "Omar", "--role", "agent owner", "--reason", "CoE agreed: handbook fixed", "--format", "json",
            ])
            #expect(owner.status == 0, "\(owner.stderr)")
            let json = try JSONValue(parsing: Data(owner.stdout.utf8))
            #expect(json["signOff"]?["role"]?.stringValue == "agent owner" && json["signOff"]?["decision"]?.stringValue == "approve")
            #expect(json["status"]?["state"]?.stringValue == "signed-off" && json["status"]?["missing"]?.arrayValue?.isEmpty == true)
            let ready = try await project.run(["release-status", "kb-agent", "3.1.0"])
            #expect(ready.status == 0, "\(ready.stdout)\(ready.stderr)")
            #expect(ready.stdout.hasPrefix("READY kb-agent 3.1.0"), "\(ready.stdout)")
            #expect(ready.stdout.contains("risk officer  signed off  Dana Okafor"), "\(ready.stdout)")

            // Reports show the sign-offs in force; the audit log has every decision.
            let report = try await project.run(["report", runID, "--report", "markdown=report.md", "--report", "html=report.html"])
            #expect(report.status == 0, "\(report.stderr)")
            let markdown = try String(contentsOfFile: project.folder.file("report.md"), encoding: .utf8)
            #expect(markdown.contains("Release sign-off (signed off): required agent owner, risk officer"), "\(markdown)")
            #expect(markdown.contains("- signed off: risk officer — Dana Okafor"), "\(markdown)")
            let html = try String(contentsOfFile: project.folder.file("report.html"), encoding: .utf8)
            #expect(html.contains("id=\"sign-off\"") && html.contains("signed off: agent owner — Omar: CoE agreed: handbook fixed"))
            let log = try await project.run(["audit", "log", "--format", "json"])
            let events = try JSONCoding.decoder().decode([AuditEntry].self, from: Data(log.stdout.utf8)).map(\.event)
            #expect(events.filter { $0 == .releaseSignedOff }.count == 2 && events.filter { $0 == .releaseRejected }.count == 1)
            #expect(try await project.run(["audit", "verify"]).status == 0)

            #expect(try await project.run(["release-status", "kb-agent", "9.9.9"]).status == EvalGateKit.ExitStatus.invalidInput.rawValue)
        }
    }

    @Test func aScopeExpansionNeedsTheOwnerAndARollbackNamesWhomToNotify() async throws {
        try await withReferenceAgent { agent in
            let project = SignOffFolder(agentURL: agent.chatCompletionsURL)
            #expect(try await project.run(["run", "v1.yaml"]).status == 0)
            let expanded = try await project.run(["run", "v2.yaml", "--recommendation", "v2.json", "--report", "markdown=v2.md"])
            #expect(expanded.status == 0, "\(expanded.stdout)\(expanded.stderr)")
            let recommendation = try project.recommendation("v2.json")
            let change = try #require(recommendation.scopeChange)
            #expect(change.addedTools == ["update_record"] && change.removedTools.isEmpty && change.comparedWithVersion == "3.1.0")
            #expect(recommendation.notify == ["#agent-incidents", "risk officer"])
            #expect(recommendation.summary.contains("Scope expanded: tool update_record added since 3.1.0"), "\(recommendation.summary)")
            #expect(recommendation.signOff?.required.contains("agent owner") == true)
            let markdown = try String(contentsOfFile: project.folder.file("v2.md"), encoding: .utf8)
            #expect(markdown.contains("Scope expanded: tool update\\_record added since 3.1.0"), "\(markdown)")
            let log = try await project.run(["audit", "log", "--format", "json"])
            let scope = try JSONCoding.decoder().decode([AuditEntry].self, from: Data(log.stdout.utf8)).first { $0.event == .scopeChanged }
            #expect(scope?.evidence["added_tools"] == "update_record" && scope?.runID == recommendation.runID)
            let result = try await project.run(["history", "--format", "json"])
            let runs = try JSONCoding.decoder().decode([RunRecord].self, from: Data(result.stdout.utf8))
            #expect(runs.first?.scope?.tools == ["lookup_policy", "update_record"])

            // 3.3.0 goes live and fails in production: roll back to 3.2.0 (known-good), no sign-off
            // needed, and tell the notify list within the hour.
            #expect(try await project.run(["deploy", "record", "kb-agent", "3.3.0", "--environment", "production"]).status == 0)
            let monitor = try await project.run(["run", "v3.yaml", "--monitor", "--recommendation", "v3.json"])
            #expect(monitor.status == 1, "\(monitor.stdout)\(monitor.stderr)")
            let rollback = try project.recommendation("v3.json")
            #expect(rollback.action == .rollback && rollback.targetVersion == "3.2.0", "\(rollback.summary)")
            #expect(rollback.notify == ["#agent-incidents", "risk officer"] && rollback.notifyWithin == PolicyDuration(seconds: 3600))
            #expect(rollback.signOff == nil)
            let json = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: project.folder.file("v3.json"))))
            #expect(json["notifyWithin"]?.stringValue == "PT1H" && json["authority"]?["notifyWithin"]?.stringValue == "PT1H")
            #expect(json["authority"]?["escalation"]?.stringValue == "AI CoE")
            let record = try #require(try await HistoryStore.open(path: project.folder.file(".evalgate/history.sqlite")).run(id: rollback.runID))
            #expect(rollback.notifyBy == record.endedAt.addingTimeInterval(3600))
            #expect(rollback.summary.contains("Notify #agent-incidents, risk officer within 1h"), "\(rollback.summary)")
            #expect(rollback.summary.contains("Rollback needs no sign-off"), "\(rollback.summary)")
            #expect(monitor.stdout.contains("Rollback authority is unilateral"), "\(monitor.stdout)")
            // A monitor run is not a release: nothing to sign off.
            let refused = try await project.run(["approve", rollback.runID, "--by", "Dana", "--role", "risk officer"])
            #expect(refused.status == EvalGateKit.ExitStatus.invalidInput.rawValue && refused.stderr.contains("only a release run is signed off"))
        }
    }

    /// An inconclusive run is signed off only with the approval of its missing evidence; a failed
    /// run is never signed off.
    @Test func anInconclusiveRunNeedsItsApprovalAndAFailedRunNone() async throws {
        try await withReferenceAgent { agent in
            let project = SignOffFolder(agentURL: agent.chatCompletionsURL)
            let few = try await project.run(["run", "few.yaml", "--recommendation", "few.json"])
            #expect(few.status == 2, "\(few.stdout)\(few.stderr)")
            let runID = try project.recommendation("few.json").runID
            let waiting = try await project.run(["release-status", "kb-agent", "3.0.0", "--format", "json"])
            #expect(waiting.status == 2, "\(waiting.stdout)")
            #expect(try JSONCoding.decoder().decode(ReleaseStatus.self, from: Data(waiting.stdout.utf8)).approved == false)

            let bare = try await project.run(["approve", runID, "--by", "Dana", "--role", "risk officer"])
            #expect(bare.status == EvalGateKit.ExitStatus.invalidInput.rawValue, "\(bare.stderr)")
            #expect(bare.stderr.contains("is inconclusive: signing it off also approves its missing evidence, so --reason must say why"))
            #expect(try await project.run(["audit", "log", "--format", "json"]).stdout.contains("release-signed-off") == false)

            let dana = try await project.run(["approve", runID, "--by", "Dana", "--role", "risk officer", "--reason", "a 10-case pilot"])
            #expect(dana.status == 0, "\(dana.stderr)")
            let omar = try await project.run(["approve", runID, "--by", "Omar", "--role", "agent owner"])
            #expect(omar.status == 0, "the run is approved already: a sign-off alone \(omar.stderr)")
            let ready = try await project.run(["release-status", "kb-agent", "3.0.0", "--format", "json"])
            #expect(ready.status == 0, "\(ready.stdout)\(ready.stderr)")
            let status = try JSONCoding.decoder().decode(ReleaseStatus.self, from: Data(ready.stdout.utf8))
            #expect(status.state == .ready && status.approved && status.verdict == .inconclusive)
            let log = try await project.run(["audit", "log", "--format", "json"])
            let events = try JSONCoding.decoder().decode([AuditEntry].self, from: Data(log.stdout.utf8)).map(\.event)
            #expect(events.filter { $0 == .approvalRecorded }.count == 1 && events.filter { $0 == .releaseSignedOff }.count == 2)

            let bad = try await project.run(["run", "bad.yaml", "--recommendation", "bad.json"])
            #expect(bad.status == 1, "\(bad.stdout)")
            let badID = try project.recommendation("bad.json").runID
            let refused = try await project.run(["approve", badID, "--by", "Dana", "--role", "risk officer"])
            #expect(refused.status == EvalGateKit.ExitStatus.invalidInput.rawValue && refused.stderr.contains("failed a gate"), "\(refused.stderr)")
            let failed = try await project.run(["release-status", "kb-agent", "2.9.0"])
            #expect(failed.status == 1 && failed.stdout.hasPrefix("FAILED kb-agent 2.9.0"), "\(failed.stdout)")
        }
    }

    @Test(arguments: [
        ("notify_within: soon", "'notify_within' of tier 1 must be a positive duration, found 'soon'"),
        ("notify_within: 0h", "'notify_within' of tier 1 must be a positive duration, found '0h'"),
        ("notify_within: P1M", "'notify_within' of tier 1 must be a positive duration, found 'P1M'"),
        ("escalate_to: AI CoE", "unknown key 'escalate_to'"),
    ])
    func aBadAuthorityIsAnErrorWithItsLocation(line: String, message: String) async throws {
        let project = SignOffFolder(agentURL: "http://127.0.0.1:9/v1/chat/completions")
        project.folder.write("tiers.yaml", SignOffFolder.tiers.replacingOccurrences(of: "notify_within: 1h", with: line))
        let output = try await project.run(["validate", "v1.yaml"])
        #expect(output.status == EvalGateKit.ExitStatus.invalidInput.rawValue, "\(output.stdout)\(output.stderr)")
        let all = output.stdout + output.stderr
        #expect(all.contains("tiers.yaml:15:"), "\(all)")
        #expect(all.contains(message), "\(all)")
    }

    @Test func durationsParseInBothForms() {
        #expect(PolicyDuration(parsing: "1h")?.seconds == 3600 && PolicyDuration(parsing: "PT1H")?.seconds == 3600)
        #expect(PolicyDuration(parsing: "P1DT12H")?.iso8601 == "P1DT12H" && PolicyDuration(parsing: "36h")?.iso8601 == "P1DT12H")
        #expect(PolicyDuration(parsing: "90s")?.iso8601 == "PT1M30S" && PolicyDuration(parsing: "30m")?.description == "30m")
        for bad in ["", "h", "1", "-1h", "1.5h", "P", "PT", "P1M", "P1W", "PT1D", "1h30m", "P1H"] {
            #expect(PolicyDuration(parsing: bad) == nil, "\(bad)")
        }
    }
}
