import ArgumentParser
import EvalGateKit
import Foundation

struct EvalGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgate",
        abstract: "Release gate for AI agents: run golden datasets, apply risk-tier gates, recommend promote, block or roll back.",
        discussion: "Exit codes: \(ExitStatus.summary) See README.md.",
        version: EvalGate.version,
        subcommands: [
            ValidateCommand.self, RunCommand.self, HistoryCommand.self, CompareCommand.self, DeployCommand.self, ReportCommand.self,
            TiersCommand.self, SweepCommand.self, ApproveCommand.self, ReviewCommand.self, AuditCommand.self, InitCommand.self, ImportCommand.self,
            MergeCommand.self, AttestCommand.self, KeygenCommand.self, ServeCommand.self, RejectCommand.self, ReleaseStatusCommand.self,
            AutonomyCommand.self, ApproveChangeCommand.self,
        ]
    )
}

/// The library's exit statuses as ArgumentParser ends a command with them.
extension ExitStatus {
    var code: ExitCode { ExitCode(rawValue) }

    /// Ends the command with the verdict's status: returns for a pass, throws the code otherwise.
    static func finish(with verdict: Verdict) throws {
        let status = ExitStatus(verdict)
        if status != .pass { throw status.code }
    }
}

/// Writes to standard error without buffering surprises.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
