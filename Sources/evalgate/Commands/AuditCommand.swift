import ArgumentParser
import EvalGateKit
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The history's tamper-evident audit log: who decided what, on which evidence (docs/audit.md).",
        subcommands: [Log.self, Verify.self, Anchor.self])

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log", abstract: "List audit entries, oldest first: runs decided, known-good marks, approvals, deployments, labels.")

        @OptionGroup var store: HistoryOptions

        @Option(help: "Only entries about this agent.")
        var agent: String?

        @Option(help: "Only entries appended at or after this time: 2026-11-30, 2026-11-30T09:00:00Z, or an age such as 36h or 7d.")
        var since: String?

        @Option(help: "At most this many entries (the newest).")
        var limit: Int = 1000

        @Option(help: "Output format: table, or json (the entries with their evidence and hashes).")
        var format: OutputFormat = .table

        func validate() throws {
            if let since, SinceText.date(since) == nil {
                throw ValidationError("--since must be a date (2026-11-30), a time (2026-11-30T09:00:00Z) or an age (36h, 7d)")
            }
            if limit <= 0 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let history = try await store.open()
            let entries = try await history.auditLog(agent: agent, since: since.flatMap { SinceText.date($0) }, limit: limit)
            if format == .json {
                try printJSON(entries)
                return
            }
            if entries.isEmpty {
                print("no audit entries\(agent.map { " for \($0)" } ?? "") in \(history.location)")
                return
            }
            var rows = [["SEQ", "TIME", "ACTOR", "EVENT", "AGENT", "RUN", "SUBJECT", "HASH"]]
            for entry in entries {
                rows.append([
                    String(entry.sequence), entry.date.map(timestamp) ?? entry.recordedAt, entry.actor, entry.event.rawValue, entry.agent ?? "",
                    entry.runID ?? "", entry.subject ?? "", String(entry.hash.prefix(12)),
                ])
            }
            print(table(rows))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the audit chain and check every run, gate result, approval, deployment and label against its entry.",
            discussion: """
                Names the first entry that was edited, deleted or reordered, and every row that differs from what its \
                entry recorded. Exit codes: 0 intact, 6 audit trail broken, 3 unreadable anchor, 4 history unusable.
                """)

        @OptionGroup var store: HistoryOptions

        @Option(help: "An anchor written earlier by `evalgate audit anchor`: the log must still extend it.")
        var anchor: String?

        @Option(help: "Output format: table (a sentence per problem), or json (the verification).")
        var format: OutputFormat = .table

        func run() async throws {
            var head: AuditHead?
            if let anchor {
                do {
                    head = try AuditAnchor.read(path: anchor).head
                } catch {
                    for diagnostic in error.diagnostics { printError(diagnostic.description) }
                    throw ExitStatus.invalidInput.code
                }
            }
            let history = try await store.open()
            let verification: AuditVerification
            do {
                verification = try await history.verifyAudit(anchor: head)
            } catch {
                printError("error: \(error.localizedDescription)")
                throw ExitStatus.cannotRun.code
            }
            if format == .json {
                try printJSON(verification)
            } else if verification.isIntact {
                let headText = verification.head.map { " up to entry \($0.sequence) (sha256:\($0.hash))" } ?? ""
                print("audit log intact: \(verification.entries) entries\(headText)\(head == nil ? "" : ", extending the anchor")")
            } else {
                for problem in verification.problems { printError("error: \(problem.message)") }
                printError("audit trail broken: \(verification.problems.count) problem(s) in \(history.location)")
            }
            if !verification.isIntact { throw ExitStatus.auditBroken.code }
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "anchor",
            abstract: "Write the audit log's head to a file for safekeeping (e.g. a CI artifact); check it later with `verify --anchor`.")

        @OptionGroup var store: HistoryOptions

        @Option(help: "Where to write the anchor (JSON).")
        var out: String

        func run() async throws {
            let history = try await store.open()
            guard let head = try await history.auditHead() else {
                printError("error: the audit log of \(history.location) has no entries")
                throw ExitStatus.cannotRun.code
            }
            do {
                try ResultFile.writeJSON(AuditAnchor(history: history.location, head: head, writtenAt: Date()), to: out)
            } catch {
                printError("error: cannot write \(out): \(error.localizedDescription)")
                throw ExitStatus.cannotRun.code
            }
            print("anchored entry \(head.sequence) (sha256:\(head.hash)) in \(out)")
        }
    }
}

/// `--since` values: an ISO 8601 date or time, or an age counted back from now.
enum SinceText {
    static func date(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let last = trimmed.last, "hd".contains(last), let amount = Double(trimmed.dropLast()), amount >= 0 {
            return now.addingTimeInterval(-amount * (last == "h" ? 3600 : 86400))
        }
        if let time = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return time }
        if let time = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return time }
        return try? Date(trimmed + "T00:00:00Z", strategy: Date.ISO8601FormatStyle())
    }
}
