import ArgumentParser
import EvalGateKit
import Foundation

/// `evalgate history migrate --from PATH_OR_URL --to URL`: copies a whole history between backends.
struct HistoryMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a whole history (runs, cases, gates, deployments, approvals, labels, known-good marks, audit log) to another backend.",
        discussion: """
            Copies between SQLite files and PostgreSQL databases in either direction, then checks that every table has the same \
            row count and checksum on both sides and that the target's audit log verifies. The audit log is copied entry for entry \
            (same sequence numbers and hashes), so anchors taken on the source still hold. The target must be empty (a new history) \
            or an earlier copy of the source: running the command again copies only what is missing, and a row the target holds \
            with other values stops it. See docs/history.md.
            """)

    @Option(help: "The history to copy: a SQLite file path (or sqlite:PATH) or a postgres:// URL.")
    var from: String

    @Option(help: "Where to copy it: a postgres:// URL or a SQLite file path (created when missing).")
    var to: String

    // No --format: `history`'s own --format would take it (ArgumentParser gives a parent's
    // options precedence after the subcommand's name).

    func validate() throws {
        if HistoryLocation(from) == HistoryLocation(to) { throw ValidationError("--from and --to name the same history") }
    }

    func run() async throws {
        let sourceLocation = HistoryLocation(from)
        let targetLocation = HistoryLocation(to)
        if case .sqlite(let path) = sourceLocation, !FileManager.default.fileExists(atPath: path) {
            printError("error: no history at \(path) (--from must name an existing history)")
            throw ExitStatus.cannotRun.code
        }
        let source: any RunHistory
        let target: any RunHistory
        do {
            source = try await sourceLocation.open()
            target = try await targetLocation.open()
        } catch {
            printError("error: \(error)")
            throw ExitStatus.cannotRun.code
        }
        let report: HistoryCopy.Report
        do {
            report = try await HistoryCopy(from: source, to: target).run { line in printError("  \(line)") }
        } catch {
            printError("error: migrating \(sourceLocation) to \(targetLocation): \(error.localizedDescription)")
            throw ExitStatus.cannotRun.code
        }
        await source.close()
        await target.close()
        print("copied \(sourceLocation) to \(targetLocation): \(report.inserted) rows inserted")
        var rows = [["TABLE", "ROWS", "SHA256"]]
        for table in HistoryTable.allCases {
            rows.append([table.rawValue, String(report.counts[table] ?? 0), String((report.checksums[table] ?? "").prefix(16))])
        }
        print(table(rows))
        print(
            "counts and checksums match; audit log verifies (\(report.audit.entries) entries, head \(report.audit.head.map { "\($0.sequence) \($0.hash.prefix(12))" } ?? "none"))"
        )
    }
}
