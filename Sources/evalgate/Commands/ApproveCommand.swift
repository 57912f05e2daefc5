import ArgumentParser
import EvalGateKit
import Foundation

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract:
            "Sign a release run off in a reviewer role (--role), or make an inconclusive run's version known-good on a person's word (--reason).",
        discussion: """
            With --role: records the sign-off of one of the roles the run's tier names (authority.approvers, e.g. \
            "agent owner", "risk officer"); `evalgate release-status` is ready once every role signed off. A role the tier \
            does not name, or a person signing a second role of the same run, exits 9 and records nothing. An inconclusive \
            run not yet approved also needs --reason: the first sign-off records the approval that makes its version known-good.
            Without --role: approves an inconclusive run (e.g. the first release, which has no baseline) so its version is \
            known-good. A run with a failed gate cannot be approved. The approval (who, why, when) is kept in the history.
            """
    )

    @OptionGroup var store: HistoryOptions

    @Argument(help: "The run (id or unique prefix).")
    var run: String

    @Option(help: "Who approves (a name with release authority for the agent's tier).")
    var by: String

    @Option(help: "The reviewer role signing off, as the tier's authority.approvers names it (e.g. \"risk officer\").")
    var role: String?

    @Option(help: "Why (required without --role, and for an inconclusive run).")
    var reason: String?

    @Option(help: "Output format: table, or json (the sign-off and where the run's sign-off stands).")
    var format: OutputFormat = .table

    func validate() throws {
        if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by must name a person") }
        if role == nil && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason is required without --role (why the missing evidence is acceptable)")
        }
        if let role, role.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--role must name a role") }
    }

    func run() async throws {
        let history = try await store.open()
        guard let record = try await history.run(id: run) else {
            printError("error: no run '\(run)'")
            throw ExitStatus.invalidInput.code
        }
        if let role {
            try await signOff(record, role: role, history: history)
        } else {
            try await approve(record, history: history)
        }
    }

    /// The bridging approval of an inconclusive run (the behaviour from before sign-offs).
    func approve(_ record: RunRecord, history: any RunHistory) async throws {
        let reason = reason ?? ""
        do {
            try await history.approve(runID: record.id, approvedBy: by, reason: reason)
        } catch let error as HistoryError {
            printError("error: \(error.localizedDescription)")
            throw ExitStatus.invalidInput.code
        }
        let open = record.gates.filter { $0.outcome != .pass }.map(\.name)
        print("Approved \(record.agent) \(record.version) (run \(record.id)) as known-good: \(by) — \(reason)")
        if !open.isEmpty { print("Gates left open by the run and covered by this approval: \(open.joined(separator: ", "))") }
    }

    func signOff(_ record: RunRecord, role: String, history: any RunHistory) async throws {
        do {
            // Every check before anything is written: the role, the verdict, one person per role.
            let canonical = try ReleaseReview.requiredRole(role, of: record)
            if record.verdict == .fail { throw ReleaseReview.Failure.failedRun(runID: record.id) }
            if let other = try await history.signOffs(runID: record.id).first(where: {
                $0.signedBy == by && $0.decision == .approve && $0.role != canonical
            }) {
                throw HistoryError.signOffConflict(runID: record.id, signer: by, role: other.role)
            }
            // The first sign-off of an inconclusive run also approves its missing evidence, once.
            if record.verdict == .inconclusive, try await history.approvals(runID: record.id).isEmpty {
                guard let reason = reason?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else {
                    throw ReleaseReview.Failure.reasonRequired(
                        "run \(record.id) is inconclusive: signing it off also approves its missing evidence, so --reason must say why")
                }
                try await history.approve(runID: record.id, approvedBy: by, reason: reason)
            }
            let result = try await ReleaseReview.record(.approve, runID: record.id, role: canonical, by: by, reason: reason, history: history)
            try SignOffOutput.print(result.signOff, status: result.status, record: record, format: format)
        } catch let error as ReleaseReview.Failure {
            throw SignOffOutput.fail(error)
        } catch let error as HistoryError {
            throw SignOffOutput.fail(error)
        }
    }
}

/// What `approve --role` and `reject` print, and how they fail.
enum SignOffOutput {
    struct JSON: Encodable {
        var signOff: SignOff
        var status: ReleaseSignOff

        enum CodingKeys: String, CodingKey {
            case signOff, status
        }
    }

    static func print(_ signOff: SignOff, status: ReleaseSignOff, record: RunRecord, format: OutputFormat) throws {
        if format == .json {
            try printJSON(JSON(signOff: signOff, status: status))
            return
        }
        let verb = signOff.decision == .approve ? "Signed off" : "Rejected"
        Swift.print(
            "\(verb) \(record.agent) \(record.version) (run \(record.id)) as \(signOff.role): \(signOff.signedBy)\(signOff.reason.map { " — \($0)" } ?? "")"
        )
        Swift.print("Sign-off: \(status.sentence).")
        if status.state == .rejected, !record.recommendation.authority.notify.isEmpty {
            Swift.print("Notify: \(record.recommendation.authority.notify.joined(separator: ", ")).")
        }
    }

    /// Prints the error and returns the exit code: 9 for a role that may not sign, 3 otherwise.
    static func fail(_ error: any Error) -> ExitCode {
        printError("error: \(error.localizedDescription)")
        switch error {
        case ReleaseReview.Failure.roleNotRequired, HistoryError.signOffConflict: return ExitStatus.notAuthorized.code
        case HistoryError.database, HistoryError.unreachable, HistoryError.readOnly, HistoryError.server, HistoryError.corrupted,
            HistoryError.cannotOpen:
            return ExitStatus.cannotRun.code
        default: return ExitStatus.invalidInput.code
        }
    }
}
