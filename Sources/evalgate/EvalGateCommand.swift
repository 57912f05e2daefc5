import ArgumentParser
import EvalGateKit
import Foundation

struct EvalGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgate",
        abstract: "Release gate for AI agents: run golden datasets, apply risk-tier gates, recommend promote, block or roll back.",
        discussion: """
            Exit codes: 0 pass/valid, 1 gate failed, 2 inconclusive, 3 invalid input, 4 could not run, \
            5 interrupted, 64 usage error. See README.md.
            """,
        version: EvalGate.version,
        subcommands: [ValidateCommand.self, RunCommand.self, HistoryCommand.self, CompareCommand.self, DeployCommand.self, ReportCommand.self, TiersCommand.self, SweepCommand.self, ApproveCommand.self, ReviewCommand.self]
    )
}

/// Exit codes are public API: CI systems and deploy tooling act on them.
enum ExitStatus: Int32 {
    case pass = 0
    case fail = 1
    case inconclusive = 2
    case invalidInput = 3
    case cannotRun = 4
    case interrupted = 5
    case usage = 64

    var code: ExitCode { ExitCode(rawValue) }
}

/// Writes to standard error without buffering surprises.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
