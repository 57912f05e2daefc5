import ArgumentParser
import EvalGateKit
import Foundation

struct ApproveChangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve-change",
        abstract: "Approve a change that loosened an agent's gates (change control), or show the change awaiting approval.",
        discussion: """
            A run whose effective gates are looser than the agent's last decided run's is inconclusive until the change is \
            approved by the roles its tier's policy names (tier 3: two approvers, one of them the risk role, when a safety \
            control is reduced; the escalation role too when the gates sit far from the tier's other agents). Each approval \
            is an audit entry. Exit 0: the change is approved and the next run decides normally; 10: it still needs another \
            role; 3: refused (a role the policy does not name, nothing pending, an approver who already approved) and nothing \
            was written. See docs/change-control.md.
            """
    )

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The agent whose change of gates is approved.")
    var agent: String

    @Flag(help: "Show the change awaiting approval, who approved it so far and who still must; write nothing.")
    var show = false

    @Option(help: "Who approves (default: the CI identity or OS user).")
    var by: String?

    @Option(help: "The approver's role, one the tier's policy names (e.g. 'agent owner', 'risk officer').")
    var role: String?

    @Option(help: "Why the looser gates are acceptable.")
    var reason: String?

    @Option(help: "The change's id (or a prefix) as --show prints it, so a newer change is not approved by mistake.")
    var change: String?

    @Option(help: "Output format: table (text) or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if !show {
            guard role != nil else { throw ValidationError("--role is required (or --show)") }
            guard reason != nil else { throw ValidationError("--reason is required (or --show)") }
        }
    }

    func run() async throws {
        let history = try await store.open()
        let approver = ChangeControlApprover(history: history)
        let pending: ChangeControlApprover.PendingChange
        do {
            if show {
                pending = try await approver.pending(agent: agent, change: change)
            } else {
                pending = try await approver.approve(
                    agent: agent, by: AuditActor.resolve(by: by), role: role ?? "", reason: reason ?? "", change: change)
            }
        } catch let failure as ChangeControlApprover.Failure {
            if show, case .nothingPending = failure {
                print("\(failure.localizedDescription).")
                return
            }
            printError("error: \(failure.localizedDescription)")
            throw ExitStatus.invalidInput.code
        } catch let error as HistoryError {
            printError("error: \(error.localizedDescription)")
            throw ExitStatus.cannotRun.code
        }
        switch format {
        case .json:
            let data = try JSONCoding.encoder(pretty: true).encode(
                Shown(agent: agent, runID: pending.run.id, block: pending.block, approvals: pending.approvals, missing: pending.missing))
            print(String(decoding: data, as: UTF8.self))
        case .table:
            if !show, let approval = pending.approvals.last {
                print(
                    "Recorded: \(approval.approvedBy) (\(approval.role)) approves change \(approval.changeID.prefix(12))… of \(agent)'s gates — \(approval.reason)"
                )
            }
            print(Self.describe(pending))
        }
        if !pending.isApproved { throw ExitStatus.changePending.code }
    }

    struct Shown: Encodable {
        var agent: String
        var runID: String
        var block: ChangeControlBlock
        var approvals: [ChangeApproval]
        var missing: [String]
    }

    static func describe(_ pending: ChangeControlApprover.PendingChange) -> String {
        let block = pending.block
        var lines = ["Change \(block.changeID) of \(pending.run.agent)'s gates (held run \(pending.run.id), tier \(pending.run.tier)):"]
        for change in block.loosened { lines.append("  loosened: \(change)\(change.safety ? " (safety control)" : "")") }
        for deviation in block.peerDeviations { lines.append("  peers: \(deviation)") }
        lines.append("Needs: \(block.requirement.summary)")
        for approval in pending.approvals {
            lines.append("  approved by \(approval.approvedBy) (\(approval.role)) at \(timestamp(approval.approvedAt)): \(approval.reason)")
        }
        if pending.isApproved {
            lines.append("Approved: the next run of the pipeline is decided by these gates, which then become the reference.")
        } else {
            lines.append("Still needed: \(pending.missing.joined(separator: ", "))")
            lines.append("Approve with: \(block.command)")
        }
        return lines.joined(separator: "\n")
    }
}
