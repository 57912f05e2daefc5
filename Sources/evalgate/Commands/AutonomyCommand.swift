import ArgumentParser
import EvalGateKit
import Foundation

struct AutonomyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autonomy",
        abstract: "An agent's autonomy level, the evidence for its next step up, and recorded steps up and down (docs/autonomy.md).",
        discussion: """
            Exit codes: 0 shown or recorded, 11 step refused (evidence missing, a role that may not approve, not exactly \
            the next level, not a lower level; nothing written), 3 invalid input (unknown agent or level, no ladder in the \
            tier policy), 4 history unusable.
            """,
        subcommands: [Show.self, Promote.self, Demote.self], defaultSubcommand: Show.self)

    /// `--policy`: the tier policy the ladder is read from.
    struct PolicyOption: ParsableArguments {
        @Option(help: "The tier policy file (default: the policy the agent's newest run's pipeline loads, else the built-in policy).")
        var policy: String?
    }

    /// Records a step (promote or demote) through the agent's ladder and prints it: the change as
    /// JSON, or `summary` with the audit entry that recorded it. Refusals map to exit codes.
    static func record(
        agent: String, store: HistoryOptions, policy: String?, format: OutputFormat,
        _ step: (AutonomyLadder, any RunHistory) async throws -> AutonomyChange, summary: (AutonomyChange) -> String
    ) async throws {
        let history = try await store.open()
        let ladder = try await AutonomyCommand.ladder(agent: agent, history: history, policy: policy)
        let change: AutonomyChange
        do {
            change = try await step(ladder, history)
        } catch {
            throw AutonomyCommand.fail(error)
        }
        if format == .json {
            try printJSON(change)
            return
        }
        let head = try? await history.auditHead()
        print(TerminalText.sanitize(summary(change) + (head.map { "; audit entry #\($0.sequence)" } ?? "")))
    }

    /// Resolves the ladder of `agent`, mapping failures to exit codes.
    static func ladder(agent: String, history: any RunHistory, policy: String?) async throws -> AutonomyLadder {
        do {
            let ladder = try await AutonomyLadder.resolve(agent: agent, history: history, policyPath: policy)
            if let note = ladder.note { printError("note: \(note)") }
            return ladder
        } catch {
            throw fail(error)
        }
    }

    /// Prints why, and returns the exit code to throw: 11 for a refused step, 3 for bad input, 4 for the history.
    static func fail(_ error: any Error) -> ExitCode {
        switch error {
        case let error as AutonomyError:
            printError("error: \(error.localizedDescription)")
            return (error.isRefusal ? ExitStatus.autonomyRefused : ExitStatus.invalidInput).code
        case let error as InvalidInputError:
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            return ExitStatus.invalidInput.code
        case let error as HistoryError:
            printError("error: \(error.localizedDescription)")
            if case .autonomyLevelChanged = error { return ExitStatus.autonomyRefused.code }
            return ExitStatus.cannotRun.code
        default:
            printError("error: \(error)")
            return ExitStatus.cannotRun.code
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "The agent's level, each criterion of the next step met or not (with the numbers and runs behind it), who may approve.")

        @OptionGroup var store: HistoryOptions
        @OptionGroup var policyOption: PolicyOption

        @Argument(help: "Agent name (as in the pipeline's agent.name).")
        var agent: String

        @Option(help: "Output format: table, or json (the assessment and the recorded changes).")
        var format: OutputFormat = .table

        struct Output: Encodable {
            var assessment: AutonomyAssessment
            var changes: [AutonomyChange]
            var note: String?

            enum CodingKeys: String, CodingKey {
                case assessment, changes, note
            }
        }

        func run() async throws {
            let history = try await store.open()
            let ladder = try await AutonomyCommand.ladder(agent: agent, history: history, policy: policyOption.policy)
            let record: AutonomyRecord
            let assessment: AutonomyAssessment
            do {
                record = try await AutonomyRecord.read(agent: agent, from: history)
                assessment = try AutonomyAssessment.make(ladder: ladder, record: record, now: Date())
            } catch {
                throw AutonomyCommand.fail(error)
            }
            if format == .json {
                try printJSON(Output(assessment: assessment, changes: record.changes, note: ladder.note))
                return
            }
            print(TerminalText.sanitize("\(agent) · tier \(assessment.tier) (\(assessment.tierName)) · \(assessment.policy)"))
            let since = assessment.since.map { "since \(timestamp($0))" } ?? "no change recorded: every agent starts here"
            print(TerminalText.sanitize("Autonomy: \(assessment.level) (\(assessment.position), \(since))"))
            print(TerminalText.sanitize("Ladder: \(assessment.levels.joined(separator: " → "))"))
            if let pending = assessment.pendingStepDown {
                print(
                    TerminalText.sanitize(
                        "STEP DOWN RECOMMENDED to \(pending.recommendedLevel) by monitor run \(pending.runID) (\(timestamp(pending.at))): \(pending.reason ?? "")"
                    ))
            }
            print("")
            if let next = assessment.next {
                print(TerminalText.sanitize("Next step: \(next.level)\(next.description.map { " — \($0)" } ?? "")"))
                for criterion in next.criteria {
                    let mark = criterion.met ? "MET    " : "NOT MET"
                    print(TerminalText.sanitize("  \(mark)  \(criterion.requirement)"))
                    print(TerminalText.sanitize("           \(criterion.measured)"))
                    if !criterion.runIDs.isEmpty {
                        let shown = criterion.runIDs.prefix(10).joined(separator: ", ")
                        print("           runs: \(shown)\(criterion.runIDs.count > 10 ? ", … (\(criterion.runIDs.count - 10) more)" : "")")
                    }
                    if !criterion.deploymentIDs.isEmpty {
                        print("           deployments: \(criterion.deploymentIDs.map(String.init).joined(separator: ", "))")
                    }
                }
                print(TerminalText.sanitize("Who may approve: \(next.approvers.joined(separator: ", "))"))
                if next.ready {
                    print(
                        TerminalText.sanitize(
                            "Ready: every criterion is met. Record it: evalgate autonomy promote \(agent) --to \(next.level) --by NAME --role ROLE"))
                } else {
                    let unmet = next.criteria.filter { !$0.met }.count
                    print("Not ready: \(unmet) of \(next.criteria.count) criteria not met.")
                }
            } else {
                print(TerminalText.sanitize("\(assessment.level) is the top level: there is no step up."))
            }
            if !record.changes.isEmpty {
                print("")
                print("Changes (newest first)")
                var rows = [["RECORDED", "CHANGE", "BY", "ROLE", "REASON"]]
                for change in record.changes.prefix(20) {
                    rows.append(
                        [
                            timestamp(change.recordedAt), "\(change.direction.rawValue) \(change.fromLevel) → \(change.toLevel)", change.changedBy,
                            change.role ?? "", change.reason ?? "",
                        ].map { TerminalText.sanitize($0) })
                }
                print(table(rows))
            }
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "promote",
            abstract: "Record a step up to the next level: only when every criterion is met and the role may approve it.",
            discussion:
                "Refused (exit 11, nothing written) when evidence is missing, the role may not approve, or LEVEL is not exactly the next level.")

        @OptionGroup var store: HistoryOptions
        @OptionGroup var policyOption: PolicyOption

        @Argument(help: "Agent name.")
        var agent: String

        @Option(help: "The level to step up to: exactly the next one.")
        var to: String

        @Option(help: "Who approves (a name); the audit log names them.")
        var by: String

        @Option(help: "The role they approve in; one of the level's approvers in the tier policy.")
        var role: String

        @Option(help: "Why (optional).")
        var reason: String?

        @Option(help: "Output format: table, or json (the recorded change).")
        var format: OutputFormat = .table

        func run() async throws {
            try await AutonomyCommand.record(agent: agent, store: store, policy: policyOption.policy, format: format) { ladder, history in
                try await ladder.promote(to: to, by: by, role: role, reason: reason, history: history)
            } summary: { change in
                "Promoted \(agent) from \(change.fromLevel) to \(change.toLevel): approved by \(change.changedBy) (\(change.role ?? ""))"
            }
        }
    }

    struct Demote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demote", abstract: "Record a step down to any lower level: always allowed, with a reason.")

        @OptionGroup var store: HistoryOptions
        @OptionGroup var policyOption: PolicyOption

        @Argument(help: "Agent name.")
        var agent: String

        @Option(help: "The lower level to step down to.")
        var to: String

        @Option(help: "Who steps it down (a name); the audit log names them.")
        var by: String

        @Option(help: "Their role (optional).")
        var role: String?

        @Option(help: "Why (a failed monitor run, an incident).")
        var reason: String

        @Option(help: "Output format: table, or json (the recorded change).")
        var format: OutputFormat = .table

        func run() async throws {
            try await AutonomyCommand.record(agent: agent, store: store, policy: policyOption.policy, format: format) { ladder, history in
                try await ladder.demote(to: to, by: by, role: role, reason: reason, history: history)
            } summary: { change in
                "Stepped \(agent) down from \(change.fromLevel) to \(change.toLevel): \(change.changedBy) — \(change.reason ?? "")"
            }
        }
    }
}
