import ArgumentParser
import EvalGateKit
import Foundation

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Record a release reviewer's disagreement with a release run: the release escalates to the body the policy names.",
        discussion: """
            The role must be one the run's tier names (authority.approvers); otherwise exit 9 and nothing is recorded. \
            While a role's newest decision is a rejection, `evalgate release-status` exits 1 and names the escalation body \
            (authority.escalation). The same role signing off later (`evalgate approve RUN --by --role`) supersedes it; \
            both stay in the history and the audit log.
            """
    )

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The run (id or unique prefix).")
    var run: String

    @Option(help: "Who rejects.")
    var by: String

    @Option(help: "The reviewer role, as the tier's authority.approvers names it (e.g. \"risk officer\").")
    var role: String

    @Option(help: "What the disagreement is (for the escalation body).")
    var reason: String

    @Option(help: "Output format: table, or json (the rejection and where the run's sign-off stands).")
    var format: OutputFormat = .table

    func validate() throws {
        if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by must name a person") }
        if role.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--role must name a role") }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say what the disagreement is") }
    }

    func run() async throws {
        let history = try await store.open()
        do {
            let result = try await ReleaseReview.record(.reject, runID: run, role: role, by: by, reason: reason, history: history)
            try SignOffOutput.print(result.signOff, status: result.status, record: result.record, format: format)
        } catch let error as ReleaseReview.Failure {
            throw SignOffOutput.fail(error)
        } catch let error as HistoryError {
            throw SignOffOutput.fail(error)
        }
    }
}

struct ReleaseStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release-status",
        abstract: "Whether a version may be deployed: its newest release run passed and every required role signed it off.",
        discussion: """
            For a deploy step. This command's own exit codes: 0 ready (passed, or approved while inconclusive, and every \
            role of the tier's authority.approvers signed off — plus the agent owner when the agent's scope expanded), \
            1 rejected by a reviewer or failed, 2 pending (sign-offs missing, or an inconclusive run not approved), \
            3 no release run of that version, 4 the history cannot be read.
            """
    )

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The agent.")
    var agent: String

    @Argument(help: "The version.")
    var version: String

    @Option(help: "Output format: table, or json ({state, agent, version, runID, verdict, approved, signOff, scopeChange, notify, summary}).")
    var format: OutputFormat = .table

    func run() async throws {
        let history = try await store.open()
        let status: ReleaseStatus
        do {
            status = try await ReleaseReview.releaseStatus(agent: agent, version: version, history: history)
        } catch let error as ReleaseReview.Failure {
            printError("error: \(error.localizedDescription)")
            throw ExitStatus.invalidInput.code
        } catch {
            printError("error: \(error.localizedDescription)")
            throw ExitStatus.cannotRun.code
        }
        if format == .json {
            try printJSON(status)
        } else {
            print("\(status.state.rawValue.uppercased()) \(status.summary)")
            let signOff = status.signOff
            if !signOff.required.isEmpty {
                var rows = [["ROLE", "STATE", "BY", "WHEN", "REASON"]]
                for role in signOff.required {
                    let decision = (signOff.signedOff + signOff.rejected).first { SignOffRole.key($0.role) == SignOffRole.key(role) }
                    rows.append([
                        role, decision.map { $0.decision == .approve ? "signed off" : "rejected" } ?? "pending", decision?.signedBy ?? "-",
                        decision.map { timestamp($0.recordedAt) } ?? "-", decision?.reason ?? "",
                    ])
                }
                print(table(rows))
            }
        }
        switch status.state {
        case .ready: return
        case .rejected, .failed: throw ExitCode(1)
        case .pending: throw ExitCode(2)
        }
    }
}
