/// The report a person reads in a terminal or a CI log: the verdict first, then the gates, per-tag
/// pass rates with intervals, the baseline difference, the recommendation and the worst cases.
public struct ConsoleReport: Sendable {
    public var useColor: Bool
    public var worstCases: Int

    public init(useColor: Bool, worstCases: Int = 10) {
        self.useColor = useColor
        self.worstCases = worstCases
    }

    func paint(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func mark(_ outcome: GateOutcome) -> String {
        switch outcome {
        case .pass: return paint("PASS", "32")
        case .fail: return paint("FAIL", "31;1")
        case .inconclusive: return paint("INCONCLUSIVE", "33;1")
        }
    }

    public func render(_ record: RunRecord, cases: [CaseResult], redactor: Redactor = .none) -> String {
        var lines: [String] = []
        let summary = record.summary
        let headline =
            "\(mark(record.verdict)) \(record.agent) \(record.version) · \(record.pipeline) · tier \(record.tier) (\(record.tierName)) · \(record.mode.rawValue) mode"
        lines.append(headline)
        lines.append(paint(TerminalText.sanitize(record.recommendation.summary), "1"))
        if record.tlsVerificationDisabled {
            lines.append(paint("WARNING: TLS certificate verification is OFF for this pipeline (insecure_skip_tls_verify).", "31"))
        }
        if let exception = record.exception {
            lines.append(
                paint(TerminalText.sanitize("EXCEPTION: tier thresholds loosened, approved by \(exception.approvedBy): \(exception.reason)"), "33"))
        }
        lines += changeControlLines(record)
        if let sequential = record.sequential {
            lines.append(paint(sequential.headline, "1"))
            for line in sequential.crossingLines { lines.append("  \(TerminalText.sanitize(line))") }
        }
        lines.append("")
        lines.append("Gates")
        let nameWidth = min(32, record.gates.map(\.name.count).max() ?? 10)
        let quietTagGates = record.gates.filter { $0.name.hasPrefix("tag-pass-rate:") && $0.outcome == .pass }
        for gate in record.gates where !(quietTagGates.count > 3 && gate.name.hasPrefix("tag-pass-rate:") && gate.outcome == .pass) {
            let safeName = TerminalText.sanitize(gate.name)
            let name = safeName.padding(toLength: max(nameWidth, safeName.count), withPad: " ", startingAt: 0)
            lines.append(
                "  \(mark(gate.outcome).padding(toLength: useColor ? 12 + 9 : 12, withPad: " ", startingAt: 0)) \(name)  \(gate.measured)  [\(gate.threshold)]"
            )
            if gate.outcome != .pass { lines.append("      \(TerminalText.sanitize(gate.sentence))") }
        }
        if quietTagGates.count > 3 {
            lines.append("  \(mark(.pass)) \(quietTagGates.count) per-tag pass-rate gates (see Per tag below)")
        }
        lines.append("")
        lines.append(
            "Results: \(summary.passed) passed, \(summary.failed) failed, \(summary.errors) errors of \(summary.total) cases · pass rate \(Format.percent(summary.passRate.estimate)) (\(Format.percent(summary.passRate.confidence, digits: 0)) CI \(Format.percent(summary.passRate.lower))–\(Format.percent(summary.passRate.upper)))"
        )
        if let latency = summary.latency {
            lines.append(
                "Latency: p50 \(Format.milliseconds(latency.p50)) · p95 \(Format.milliseconds(latency.p95)) · p99 \(Format.milliseconds(latency.p99)) · max \(Format.milliseconds(latency.max))"
            )
        }
        if let cost = summary.totalCost {
            lines.append(
                "Cost: \(Format.money(cost, summary.currency)) total · \(Format.money(summary.costPerCase ?? 0, summary.currency)) per case · \(summary.usage.inputTokens) in / \(summary.usage.outputTokens) out tokens"
            )
        }
        if !summary.tags.isEmpty {
            lines.append("")
            lines.append("Per tag")
            let width = min(28, summary.tags.map(\.tag.count).max() ?? 8)
            for tag in summary.tags {
                let rate = tag.passRate
                let bar = Self.bar(rate.estimate, width: 20)
                let safeTag = TerminalText.sanitize(tag.tag)
                lines.append(
                    "  \(safeTag.padding(toLength: max(width, safeTag.count), withPad: " ", startingAt: 0))  \(bar) \(Format.percent(rate.estimate).leftPad(6)) [\(Format.percent(rate.lower))–\(Format.percent(rate.upper))]  \(tag.passed)/\(tag.passed + tag.failed)\(tag.errors > 0 ? " (+\(tag.errors) errors)" : "")"
                )
            }
        }
        if !summary.metrics.isEmpty {
            lines.append("")
            lines.append("Metrics")
            for metric in summary.metrics {
                lines.append("  \(metric.name): mean \(String(format: "%.3f", metric.mean)) over \(metric.count) (\(metric.passed) passed)")
            }
        }
        if let baseline = record.baseline {
            lines.append("")
            lines.append(
                "Against baseline \(baseline.baselineVersion ?? "?") (run \(baseline.baselineRunID ?? "?")): \(baseline.sharedCases) shared cases, \(baseline.regressedCases.count) regressed, \(baseline.fixedCases.count) fixed"
            )
            if !baseline.regressedCases.isEmpty {
                lines.append(
                    "  regressed: \(baseline.regressedCases.prefix(15).joined(separator: ", "))\(baseline.regressedCases.count > 15 ? ", … (\(baseline.regressedCases.count - 15) more)" : "")"
                )
            }
        }
        let rec = record.recommendation
        lines.append("")
        lines.append("Recommendation: \(paint(rec.action.rawValue.uppercased(), "1"))\(rec.targetVersion.map { " → \($0)" } ?? "")")
        if let advice = rec.rerunAdvice { lines.append("  next: \(advice)") }
        if !rec.authority.approvers.isEmpty { lines.append("  approve: \(rec.authority.approvers.joined(separator: ", "))") }
        if !rec.authority.rollback.isEmpty { lines.append("  roll back: \(rec.authority.rollback.joined(separator: ", "))") }
        if !rec.authority.notify.isEmpty { lines.append("  notify: \(rec.authority.notify.joined(separator: ", "))") }
        if let notes = rec.authority.notes { lines.append("  \(notes)") }
        lines += signOffLines(rec)
        lines += autonomyLines(rec)
        let worst = cases.filter { !$0.passed }.sorted {
            ($0.status == .error ? 0 : 1, $0.critical ? 0 : 1, $0.score, $0.index) < (
                $1.status == .error ? 0 : 1, $1.critical ? 0 : 1, $1.score, $1.index
            )
        }
        if !worst.isEmpty {
            lines.append("")
            lines.append("Worst cases (\(min(worstCases, worst.count)) of \(worst.count) not passing)")
            for result in worst.prefix(worstCases) {
                let label = result.status == .error ? paint("ERROR", "33") : paint("FAIL", "31")
                lines.append("  \(label) \(result.id) [\(result.tags.joined(separator: ","))] \(result.location)")
                lines.append("      input:  \(TerminalText.sanitize(redactor(result.input.text), limit: 120))")
                if let answer = result.answer { lines.append("      answer: \(TerminalText.sanitize(redactor(answer.text), limit: 120))") }
                lines.append("      why:    \(TerminalText.sanitize(redactor(result.headline), limit: 200))")
            }
        }
        if !summary.reviewQueue.isEmpty {
            lines.append("")
            lines.append(
                "Human review queued: \(summary.reviewQueue.count) cases: \(summary.reviewQueue.prefix(10).joined(separator: ", ")) (label them in review-queue.json, then `evalgate review \(record.id) --labels FILE`)"
            )
        }
        if let review = record.humanReview {
            let kappa = review.judgeAgreement.map { String(format: "%.2f", $0) } ?? "not yet defined"
            lines.append(
                "Human labels: \(review.labels.count) (\(review.overridden.count) overrode the machine) · judge agreement (Cohen's kappa over \(review.labelCount) labels): \(kappa)"
            )
        }
        if !summary.flakyCases.isEmpty { lines.append("Flaky across repeats: \(summary.flakyCases.prefix(10).joined(separator: ", "))") }
        return redactor(lines.joined(separator: "\n"))
    }

    static func bar(_ fraction: Double, width: Int) -> String {
        let filled = Int((fraction * Double(width)).rounded())
        return String(repeating: "█", count: max(0, min(width, filled))) + String(repeating: "░", count: max(0, width - filled))
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
