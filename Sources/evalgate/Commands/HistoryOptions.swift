import ArgumentParser
import EvalGateKit
import Foundation

/// `--history` and `--home`, shared by the commands that read or write the history.
struct HistoryOptions: ParsableArguments {
    @Option(help: "History database (default: $EVALGATE_HISTORY or <home>/history.sqlite).")
    var history: String?

    @Option(help: "State folder (default: $EVALGATE_HOME or .evalgate).")
    var home: String?

    var settings: EvaluationSettings { EvaluationSettings(home: home, historyPath: history) }

    func open() async throws -> any RunHistory {
        do {
            return try await HistoryLocation(settings.historyPath, environment: settings.processEnvironment).open()
        } catch {
            printError("error: \(error)")
            throw ExitStatus.cannotRun.code
        }
    }
}

extension Verdict: ExpressibleByArgument {}

func table(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    var widths = Array(repeating: 0, count: first.count)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    return rows.map { row in
        row.enumerated().map { index, cell in index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }.joined(separator: "\n")
}

func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm'Z'"
    return formatter.string(from: date)
}
