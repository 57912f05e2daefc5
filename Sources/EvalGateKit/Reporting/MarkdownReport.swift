/// A report for GitHub's job summary and pull-request comments.
public enum MarkdownReport {
    static func icon(_ outcome: GateOutcome) -> String {
        switch outcome {
        case .pass: return "✅"
        case .fail: return "❌"
        case .inconclusive: return "⚠️"
        }
    }

    /// Table cells: untrusted text cannot break the table or inject markup.
    static func cell(_ text: String, limit: Int = 160) -> String {
        var escaped = ""
        for character in TerminalText.sanitize(text, limit: limit) {
            switch character {
            case "|": escaped += "\\|"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "`": escaped += "\\`"
            case "*", "_", "[", "]", "#", "!": escaped += "\\\(character)"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    public static func render(_ record: RunRecord, cases: [CaseResult]) -> String {
        var lines: [String] = []
        let rec = record.recommendation
        lines.append("## \(icon(record.verdict)) evalgate: \(record.verdict.rawValue.uppercased()) · \(cell(record.agent)) \(cell(record.version))")
        lines.append("")
        lines.append(
            "**Recommendation: \(rec.action.rawValue.uppercased())\(rec.targetVersion.map { " → \(cell($0))" } ?? "")** — \(cell(rec.summary, limit: 600))"
        )
        lines.append("")
        lines.append(
            "Pipeline `\(record.pipeline)` · tier \(record.tier) (\(cell(record.tierName))) · \(record.mode.rawValue) mode · run `\(record.id)`")
        if record.tlsVerificationDisabled {
            lines.append("")
            lines.append("> ⚠️ TLS certificate verification is **off** for this pipeline.")
        }
        if let exception = record.exception {
            lines.append("")
            lines.append("> ⚠️ Tier thresholds loosened under an exception approved by **\(cell(exception.approvedBy))**: \(cell(exception.reason))")
        }
        lines += changeControlLines(record)
        if let sequential = record.sequential {
            lines.append("")
            lines.append("> \(cell(sequential.headline, limit: 600))")
            for line in sequential.crossingLines { lines.append(">\n> \(cell(line, limit: 600))") }
        }
        lines.append("")
        lines.append("| Gate | Outcome | Measured | Threshold |")
        lines.append("|---|---|---|---|")
        for gate in record.gates {
            lines.append("| \(cell(gate.name)) | \(icon(gate.outcome)) \(gate.outcome.rawValue) | \(cell(gate.measured)) | \(cell(gate.threshold)) |")
        }
        let summary = record.summary
        lines.append("")
        lines.append(
            "**\(summary.passed)** passed · **\(summary.failed)** failed · **\(summary.errors)** errors of \(summary.total) · pass rate \(Format.percent(summary.passRate.estimate)) (CI \(Format.percent(summary.passRate.lower))–\(Format.percent(summary.passRate.upper)))\(summary.latency.map { " · p95 \(Format.milliseconds($0.p95))" } ?? "")"
        )
        if let trials = summary.trials { lines += trialLines(trials) }
        if let baseline = record.baseline {
            lines.append("")
            lines.append("### Against baseline \(cell(baseline.baselineVersion ?? "?"))")
            lines.append(
                "\(baseline.sharedCases) shared cases · \(baseline.regressedCases.count) regressed · \(baseline.fixedCases.count) fixed · McNemar \(Format.pValueClause(baseline.mcnemar.pValueTwoSided, spaced: true))\(baseline.bootstrap.map { " · mean score difference \(Format.signedPercent($0.meanDifference)) (CI \(Format.signedPercent($0.lower)) to \(Format.signedPercent($0.upper)))" } ?? "")"
            )
            if !baseline.regressedCases.isEmpty {
                lines.append("")
                lines.append(
                    "Regressed: " + baseline.regressedCases.prefix(30).map { "`\(cell($0))`" }.joined(separator: ", ")
                        + (baseline.regressedCases.count > 30 ? " …" : ""))
            }
        }
        if !summary.tags.isEmpty {
            lines.append("")
            lines.append("<details><summary>Per-tag pass rates</summary>")
            lines.append("")
            lines.append("| Tag | Pass rate | Interval | Passed | Errors |")
            lines.append("|---|---|---|---|---|")
            for tag in summary.tags {
                lines.append(
                    "| \(cell(tag.tag)) | \(Format.percent(tag.passRate.estimate)) | \(Format.percent(tag.passRate.lower))–\(Format.percent(tag.passRate.upper)) | \(tag.passed)/\(tag.passed + tag.failed) | \(tag.errors) |"
                )
            }
            lines.append("")
            lines.append("</details>")
        }
        let failing = cases.filter { !$0.passed }.prefix(15)
        if !failing.isEmpty {
            lines.append("")
            lines.append("<details><summary>Cases not passing (\(failing.count) shown)</summary>")
            lines.append("")
            lines.append("| Case | Status | Why |")
            lines.append("|---|---|---|")
            for result in failing { lines.append("| \(cell(result.id)) | \(result.status.rawValue) | \(cell(result.headline)) |") }
            lines.append("")
            lines.append("</details>")
        }
        lines += conversationLines(cases)
        if !summary.reviewQueue.isEmpty {
            lines.append("")
            lines.append("Human review queued: \(summary.reviewQueue.count) cases.")
        }
        if let review = record.humanReview {
            lines.append("")
            lines.append(
                "Human labels: \(review.labels.count) (\(review.overridden.count) overrode the machine) · judge agreement κ = \(review.judgeAgreement.map { String(format: "%.2f", $0) } ?? "n/a") over \(review.labelCount) labels"
            )
        }
        if let advice = rec.rerunAdvice {
            lines.append("")
            lines.append("Next: \(cell(advice, limit: 600))")
        }
        let authority = rec.authority
        if !authority.approvers.isEmpty || !authority.rollback.isEmpty {
            lines.append("")
            lines.append(
                "Approvers: \(cell(authority.approvers.joined(separator: ", "))) · Rollback: \(cell(authority.rollback.joined(separator: ", "))) · Notify: \(cell(authority.notify.joined(separator: ", ")))"
            )
        }
        lines += signOffLines(rec)
        lines += autonomyLines(rec)
        if let audit = record.audit {
            lines.append("")
            lines.append("Audit log: recorded as entry #\(audit.sequence) (`\(audit.hash.prefix(16))…`); check with `evalgate audit verify`.")
        }
        if let merge = record.merge {
            lines.append("")
            let missing =
                merge.missingShards.isEmpty ? "" : " · **missing: \(merge.missingShards.map { "\($0)/\(merge.count)" }.joined(separator: ", "))**"
            lines.append("Merged from \(merge.shards.count) of \(merge.count) shards (group \(cell(merge.group)))\(missing).")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
