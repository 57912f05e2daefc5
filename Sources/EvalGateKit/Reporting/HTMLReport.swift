import Foundation

/// A self-contained HTML page about one run: the verdict and recommendation first, then the gates,
/// charts, the baseline comparison, the summary numbers and the cases, filterable in the browser.
///
/// The page fetches nothing: styles, the charts (SVG drawn here) and one small script are inline.
/// Answers, inputs, case ids, tags and reasons are untrusted (prompt-injection datasets are full of
/// markup), so every piece of text is escaped through ``Markup``, and a Content-Security-Policy lets only
/// the script carrying this page's random nonce run: a case's `<script>` stays inert even if escaping
/// were ever to miss one.
public struct HTMLReport: Sendable {
    /// Most case rows one page lists; the JSON result has every case. Browsers struggle with pages
    /// of tens of thousands of rows, and a reader looks at the cases that did not pass first.
    public static let defaultCaseRowLimit = 2_000

    let context: ReportContext
    /// Base64 of 16 random bytes, fresh for every page.
    let nonce: String
    let caseRowLimit: Int

    init(context: ReportContext, nonce: String = HTMLReport.makeNonce(), caseRowLimit: Int = HTMLReport.defaultCaseRowLimit) {
        self.context = context
        self.nonce = nonce
        self.caseRowLimit = caseRowLimit
    }

    public static func render(context: ReportContext, cases: [CaseResult]) -> String {
        HTMLReport(context: context).page(cases: cases).text
    }

    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    var record: RunRecord { context.record }

    /// Any text into the page: redacted first (escaping would hide a secret from a later redaction),
    /// cut to `limit` characters, then escaped. Short cuts (previews, tags) end in "…"; long ones say
    /// how much is missing.
    func text(_ raw: String, limit: Int? = nil, multiline: Bool = false) -> Markup {
        let redacted = context.redactor(raw)
        guard let limit, redacted.count > limit else { return .escape(redacted, multiline: multiline) }
        let kept = Markup.escape(String(redacted.prefix(limit)), multiline: multiline)
        guard limit >= 500 else { return kept + "…" }
        let omitted = redacted.count - limit
        return kept + "<span class=\"cut\">… \(omitted) more character\(omitted == 1 ? "" : "s") in the JSON result</span>"
    }

    // MARK: - The page

    func page(cases: [CaseResult]) -> Markup {
        let verdict = record.verdict
        return """
            <!DOCTYPE html>
            <html lang="en" data-verdict="\(Self.word(verdict))">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-\(Markup.escape(nonce))'; base-uri 'none'; form-action 'none'">
            <meta name="referrer" content="no-referrer">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light">
            <meta name="generator" content="evalgate \(text(record.evalgateVersion))">
            <title>\(Self.label(verdict)) · \(text(record.agent)) \(text(record.version)) · evalgate</title>
            <style>\(Self.styleSheet)</style>
            </head>
            <body>
            <a class="skip" href="#cases">Skip to the cases</a>
            \(header())
            <main>
            \(warnings())
            \(recommendation())
            \(keyNumbers())
            <nav class="toc" aria-label="Sections"><a href="#gates">Gates</a> <a href="#charts">Charts</a> <a href="#baseline">Baseline</a> <a href="#summary">Summary</a> <a href="#cases">Cases</a> <a href="#provenance">Provenance</a></nav>
            \(gateSection())
            \(chartSection(cases: cases))
            \(baselineSection())
            \(summarySection())
            \(caseSection(cases: cases))
            \(provenance())
            </main>
            <script nonce="\(Markup.escape(nonce))">\(Self.script)</script>
            </body>
            </html>

            """
    }

    func header() -> Markup {
        let verdict = record.verdict
        let duration = record.endedAt.timeIntervalSince(record.startedAt)
        var facts: [Markup] = [
            fact("Pipeline", "\(text(record.pipeline)) <span class=\"muted\">\(text(record.pipelineFile))</span>"),
            fact("Risk tier", "\(record.tier) · \(text(record.tierName))"),
            fact("Mode", text(record.mode.rawValue)),
            fact("Environment", text(record.environment)),
            fact("Run", "<code>\(text(record.id))</code>"),
            fact("Started", "<time>\(text(record.startedAt.formatted(.iso8601)))</time>"),
            fact("Ended", "<time>\(text(record.endedAt.formatted(.iso8601)))</time> <span class=\"muted\">(\(text(Self.duration(duration))))</span>"),
            fact(
                "Cases",
                "\(record.selectedCases) selected of \(record.availableCases)\(record.missingCases > 0 ? " · \(record.missingCases) without a result" : "")"
            ),
        ]
        if let owner = record.owner { facts.append(fact("Owner", text(owner))) }
        return """
            <header class="masthead verdict-\(Self.word(verdict))"><div class="wrap">
            <p class="eyebrow">evalgate run report</p>
            <h1><span class="verdict-badge verdict-\(Self.word(verdict))">\(Self.label(verdict))</span> <span class="agent">\(text(record.agent))</span> <span class="version">\(text(record.version))</span></h1>
            <dl class="facts">\(facts)</dl>
            </div></header>
            """
    }

    func fact(_ term: Markup, _ value: Markup) -> Markup {
        "<div><dt>\(term)</dt><dd>\(value)</dd></div>"
    }

    /// What must not be missed: an insecure connection, loosened thresholds, a partial run.
    func warnings() -> Markup {
        var alerts: [Markup] = []
        if record.tlsVerificationDisabled {
            alerts.append(
                """
                <div class="alert alert-danger" role="alert" id="warning-tls"><strong>TLS certificate verification is OFF</strong> for this pipeline \
                (<code>insecure_skip_tls_verify</code>). Anyone between evalgate and the agent could have supplied these answers; \
                do not let this run decide a release.</div>
                """)
        }
        if let exception = record.exception {
            let expires: Markup = exception.expires.map { " Expires \(text($0))." } ?? " No expiry date."
            alerts.append(
                """
                <div class="alert alert-warning" role="alert" id="warning-exception"><strong>Gate exception in force:</strong> the tier's thresholds \
                are loosened for this pipeline, approved by <strong>\(text(exception.approvedBy))</strong>: \(text(exception.reason)).\(expires)</div>
                """)
        }
        let changeControl = changeControlAlert()
        if !changeControl.text.isEmpty { alerts.append(changeControl) }
        if let sequential = record.sequential {
            let crossings = sequential.crossingLines.map { "<br>\(text($0))" as Markup }
            alerts.append(
                """
                <div class="alert alert-info" role="status" id="sequential-run"><strong>Sequential run.</strong> \(text(sequential.headline))\(crossings)</div>
                """)
        }
        if (record.missingCases > 0 && record.sequential?.stop == nil) || record.stopReason != nil {
            let reason: Markup = record.stopReason.map { ": \(text($0.rawValue))" } ?? ""
            alerts.append(
                """
                <div class="alert alert-warning" role="alert" id="warning-partial"><strong>Partial run</strong>\(reason). \
                \(record.missingCases) of \(record.selectedCases) selected cases have no result.</div>
                """)
        }
        return alerts.joined(separator: "\n")
    }

    func recommendation() -> Markup {
        let rec = record.recommendation
        let target: Markup =
            rec.targetVersion.map { " <span class=\"arrow\" aria-hidden=\"true\">→</span> <span class=\"target\">\(text($0))</span>" } ?? ""
        var facts: [Markup] = [fact("Evaluated", text(rec.evaluatedVersion))]
        if let live = rec.liveVersion { facts.append(fact("Live", text(live))) }
        if let version = rec.targetVersion { facts.append(fact("Target", text(version))) }
        if let run = rec.targetEvidenceRunID { facts.append(fact("Target's evidence", "run <code>\(text(run))</code>")) }
        facts.append(fact("Environment", text(rec.environment)))
        let authority = rec.authority
        let people: (String, [String]) -> Markup = { term, names in
            self.fact(self.text(term), names.isEmpty ? "<span class=\"muted\">none listed</span>" : self.text(names.joined(separator: ", ")))
        }
        var authorityFacts = [people("Approvers", authority.approvers), people("Roll back", authority.rollback), people("Notify", authority.notify)]
        if let notes = authority.notes { authorityFacts.append(fact("Notes", text(notes, limit: 2_000))) }
        let advice: Markup = rec.rerunAdvice.map { "<p class=\"next\"><strong>Next:</strong> \(text($0, limit: 2_000))</p>" } ?? ""
        let evidence: Markup =
            rec.evidence.isEmpty
            ? ""
            : """
            <h3>Evidence</h3>
            <ul class="evidence">\(rec.evidence.prefix(50).map { "<li>\(text($0, limit: 600))</li>" as Markup })</ul>
            """
        return """
            <section class="card recommendation action-\(text(rec.action.rawValue))" id="recommendation" aria-labelledby="recommendation-title">
            <h2 id="recommendation-title">Recommendation: <span class="action">\(text(rec.action.rawValue.uppercased()))</span>\(target)</h2>
            <p class="lead">\(text(rec.summary, limit: 4_000))</p>
            \(advice)
            <dl class="facts compact">\(facts)</dl>
            \(evidence)
            <h3>Authority</h3>
            <dl class="facts compact authority">\(authorityFacts)</dl>
            \(signOffSection())
            \(autonomy())
            </section>
            """
    }

    /// The numbers a reader wants at a glance, as tiles.
    func keyNumbers() -> Markup {
        let summary = record.summary
        let rate = summary.passRate
        var tiles: [Markup] = [
            tile("Passed", "\(summary.passed)", "of \(summary.total) cases", tone: "pass"),
            tile("Failed", "\(summary.failed)", "wrong answers", tone: summary.failed > 0 ? "fail" : "none"),
            tile(
                "Errors", "\(summary.errors)", "no answer · \(text(Format.percent(summary.errorRate))) of cases",
                tone: summary.errors > 0 ? "inconclusive" : "none"),
            tile(
                "Pass rate", text(Format.percent(rate.estimate)),
                "\(text(Format.percent(rate.confidence, digits: 0))) CI \(text(Format.percent(rate.lower)))–\(text(Format.percent(rate.upper))) · n=\(rate.trials)"
            ),
        ]
        if let latency = summary.latency {
            tiles.append(
                tile(
                    "Latency p95", text(Format.milliseconds(latency.p95)),
                    "p50 \(text(Format.milliseconds(latency.p50))) · p99 \(text(Format.milliseconds(latency.p99)))"))
        }
        if let cost = summary.totalCost {
            tiles.append(
                tile("Cost", text(Format.money(cost, summary.currency)), "\(text(Format.money(summary.costPerCase ?? 0, summary.currency))) per case")
            )
        }
        return "<section class=\"tiles\" aria-label=\"Key numbers\">\(tiles)</section>"
    }

    func tile(_ label: Markup, _ value: Markup, _ note: Markup, tone: Markup = "none") -> Markup {
        "<div class=\"tile tone-\(tone)\"><div class=\"tile-label\">\(label)</div><div class=\"tile-value\">\(value)</div><div class=\"tile-note\">\(note)</div></div>"
    }

    func gateSection() -> Markup {
        guard !record.gates.isEmpty else {
            return
                "<section id=\"gates\"><h2>Gates</h2><p class=\"empty-state\">The risk tier sets no thresholds, so no gate was evaluated.</p></section>"
        }
        let rows: [Markup] = record.gates.map { gate in
            """
            <tr class="outcome-\(Self.word(gate.outcome))"><td><code>\(text(gate.name))</code></td><td>\(pill(gate.outcome))</td>\
            <td>\(text(gate.measured))</td><td>\(text(gate.threshold))</td><td>\(text(gate.sentence, limit: 2_000))</td></tr>
            """
        }
        let counts = GateOutcome.allCases.map { outcome in (outcome, record.gates.filter { $0.outcome == outcome }.count) }.filter { $0.1 > 0 }
        let tally: String = counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: " · ")
        return """
            <section id="gates">
            <h2>Gates <span class="muted">\(text(tally))</span></h2>
            <table class="gates">
            <colgroup><col class="g-name"><col class="g-outcome"><col class="g-measured"><col class="g-threshold"><col class="g-why"></colgroup>
            <thead><tr><th scope="col">Gate</th><th scope="col">Outcome</th><th scope="col">Measured</th><th scope="col">Threshold</th><th scope="col">Why</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            </section>
            """
    }

    func pill(_ outcome: GateOutcome) -> Markup {
        "<span class=\"pill outcome-\(Self.word(outcome))\">\(Self.word(outcome))</span>"
    }

    func baselineSection() -> Markup {
        guard let baseline = record.baseline else {
            return """
                <section id="baseline"><h2>Baseline</h2>
                <p class="empty-state">This run was not compared with a baseline.</p></section>
                """
        }
        let mcnemar = baseline.mcnemar
        var facts: [Markup] = [
            fact("Baseline version", text(baseline.baselineVersion ?? "unknown")),
            fact("Baseline run", baseline.baselineRunID.map { "<code>\(text($0))</code>" } ?? "<span class=\"muted\">unknown</span>"),
            fact("This version", text(record.version)),
            fact("Shared cases", "\(baseline.sharedCases)"),
            fact("Regressed", "\(baseline.regressedCases.count)"),
            fact("Fixed", "\(baseline.fixedCases.count)"),
            fact(
                "McNemar (exact)",
                "\(text(Format.pValueClause(mcnemar.pValueTwoSided, spaced: true))) two-sided · \(text(Format.pValueClause(mcnemar.pValueCandidateWorse, spaced: true))) that this version is worse "
                    + "<span class=\"muted\">(\(mcnemar.baselineOnlyPassed) passed only in the baseline, \(mcnemar.candidateOnlyPassed) only here)</span>"
            ),
        ]
        if let bootstrap = baseline.bootstrap {
            facts.append(
                fact(
                    "Mean score difference",
                    "\(text(Format.signedPercent(bootstrap.meanDifference))) (\(text(Format.percent(bootstrap.confidence, digits: 0))) bootstrap interval "
                        + "\(text(Format.signedPercent(bootstrap.lower))) to \(text(Format.signedPercent(bootstrap.upper)))) "
                        + "<span class=\"muted\">\(bootstrap.iterations) resamples over \(bootstrap.clusterCount) clusters, seed \(text(String(bootstrap.seed)))</span>"
                ))
        } else {
            facts.append(fact("Mean score difference", "<span class=\"muted\">no bootstrap interval</span>"))
        }
        facts.append(fact("Margin", "\(text(Format.percent(baseline.margin))) allowed regression"))
        facts.append(fact("Outcome", pill(baseline.outcome)))
        return """
            <section id="baseline">
            <h2>Baseline: \(text(baseline.baselineVersion ?? "unknown")) <span class="arrow" aria-hidden="true">→</span> \(text(record.version))</h2>
            <dl class="facts">\(facts)</dl>
            <div class="columns">
            <div><h3>Regressed cases <span class="muted">passed in the baseline, not here</span></h3>\(idList(baseline.regressedCases, empty: "None."))</div>
            <div><h3>Fixed cases <span class="muted">failed in the baseline, pass here</span></h3>\(idList(baseline.fixedCases, empty: "None."))</div>
            </div>
            </section>
            """
    }

    /// Case ids as a wrapped list of chips, at most `limit` of them.
    func idList(_ ids: [String], empty: Markup, limit: Int = 200) -> Markup {
        guard !ids.isEmpty else { return "<p class=\"muted\">\(empty)</p>" }
        let items: [Markup] = ids.prefix(limit).map { "<li><code>\(text($0, limit: 200))</code></li>" }
        let more: Markup = ids.count > limit ? "<p class=\"muted\">and \(ids.count - limit) more; the JSON result lists them all.</p>" : ""
        return "<ul class=\"ids\">\(items)</ul>\(more)"
    }

    func summarySection() -> Markup {
        let summary = record.summary
        let rate = summary.passRate
        var facts: [Markup] = [
            fact("Cases", "\(summary.total): \(summary.passed) passed, \(summary.failed) failed, \(summary.errors) errors"),
            fact(
                "Pass rate",
                "\(text(Format.percent(rate.estimate))) of \(rate.trials) answered (\(text(Format.percent(rate.confidence, digits: 0))) Wilson interval \(text(Format.percent(rate.lower)))–\(text(Format.percent(rate.upper))))"
            ),
            fact("Mean score", text(String(format: "%.3f", summary.meanScore))),
            fact("Error rate", text(Format.percent(summary.errorRate))),
        ]
        if let latency = summary.latency {
            facts.append(
                fact(
                    "Latency",
                    "p50 \(text(Format.milliseconds(latency.p50))) · p95 \(text(Format.milliseconds(latency.p95))) · p99 \(text(Format.milliseconds(latency.p99))) · "
                        + "max \(text(Format.milliseconds(latency.max))) · mean \(text(Format.milliseconds(latency.mean))) over \(latency.count) answered cases"
                ))
        } else {
            facts.append(fact("Latency", "<span class=\"muted\">no answered case</span>"))
        }
        if let cost = summary.totalCost {
            facts.append(
                fact(
                    "Cost",
                    "\(text(Format.money(cost, summary.currency))) total · \(text(Format.money(summary.costPerCase ?? 0, summary.currency))) per case"
                ))
        } else {
            facts.append(fact("Cost", "<span class=\"muted\">unknown (no token usage or no pricing)</span>"))
        }
        facts.append(fact("Tokens", "\(summary.usage.inputTokens) in · \(summary.usage.outputTokens) out"))
        if !summary.errorKinds.isEmpty {
            let kinds: String = summary.errorKinds.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(
                separator: " · ")
            facts.append(fact("Error kinds", text(kinds)))
        }
        var parts: [Markup] = ["<dl class=\"facts\">\(facts)</dl>"]
        if !summary.metrics.isEmpty {
            let rows: [Markup] = summary.metrics.map { metric in
                "<tr><td><code>\(text(metric.name))</code></td><td class=\"num\">\(text(String(format: "%.3f", metric.mean)))</td><td class=\"num\">\(metric.count)</td><td class=\"num\">\(metric.passed)</td></tr>"
            }
            parts.append(
                """
                <h3>Metrics</h3>
                <table class="metrics"><thead><tr><th scope="col">Metric</th><th scope="col">Mean</th><th scope="col">Scored</th><th scope="col">Passed</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
        }
        if !summary.criticalFailures.isEmpty {
            parts.append(
                "<h3>Critical cases not passing <span class=\"count\">\(summary.criticalFailures.count)</span></h3>\(idList(summary.criticalFailures, empty: ""))"
            )
        }
        if !summary.reviewQueue.isEmpty {
            parts.append(
                """
                <h3>Human review queue <span class="count">\(summary.reviewQueue.count)</span></h3>
                <p class="muted">These cases need a person's judgement: <code>evalgate review \(text(record.id))</code></p>
                \(idList(summary.reviewQueue, empty: ""))
                """)
        }
        if !summary.flakyCases.isEmpty {
            parts.append(
                "<h3>Flaky cases <span class=\"count\">\(summary.flakyCases.count)</span></h3><p class=\"muted\">Outcomes differed between repeats.</p>\(idList(summary.flakyCases, empty: ""))"
            )
        }
        if !summary.tags.isEmpty {
            let rows: [Markup] = summary.tags.map { tag in
                let rate = tag.passRate
                return """
                    <tr><td>\(text(tag.tag, limit: 120))</td><td class="num">\(text(Format.percent(rate.estimate)))</td>\
                    <td class="num">\(text(Format.percent(rate.lower)))–\(text(Format.percent(rate.upper)))</td>\
                    <td class="num">\(tag.passed)/\(tag.passed + tag.failed)</td><td class="num">\(tag.errors)</td></tr>
                    """
            }
            parts.append(
                """
                <details class="tag-table"><summary>Pass rates of all \(summary.tags.count) tags as a table</summary>
                <table><thead><tr><th scope="col">Tag</th><th scope="col">Pass rate</th><th scope="col">Interval</th><th scope="col">Passed</th><th scope="col">Errors</th></tr></thead>
                <tbody>\(rows.joined(separator: "\n"))</tbody></table></details>
                """)
        }
        return "<section id=\"summary\"><h2>Summary</h2>\(parts.joined(separator: "\n"))</section>"
    }

    /// Where the run came from, for audits: hashes, selection, CI metadata.
    func provenance() -> Markup {
        var facts: [Markup] = [
            fact("Pipeline file", "<code>\(text(record.pipelineFile))</code>"),
            fact("Pipeline SHA-256", "<code>\(text(record.pipelineHash))</code>"),
        ]
        for (dataset, hash) in record.datasetHashes.sorted(by: { $0.key < $1.key }) {
            facts.append(fact("Dataset \(text(dataset))", "<code>\(text(hash))</code>"))
        }
        if !record.selection.isEmpty {
            facts.append(
                fact("Selection", text(record.selection.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " · "))))
        }
        for (key, value) in record.ci.sorted(by: { $0.key < $1.key }) {
            facts.append(fact("CI \(text(key))", text(value, limit: 300)))
        }
        facts += changeControlFacts()
        if let audit = record.audit {
            facts.append(
                fact("Audit log entry", "#\(text(String(audit.sequence))) <code>\(text(audit.hash))</code> (<code>evalgate audit verify</code>)"))
        }
        if let merge = record.merge {
            let missing = merge.missingShards.isEmpty ? "" : "; missing \(merge.missingShards.map { "\($0)/\(merge.count)" }.joined(separator: ", "))"
            facts.append(fact("Merged from shards", text("\(merge.shards.count) of \(merge.count), group \(merge.group)\(missing)")))
        }
        if let shard = record.shard {
            facts.append(fact("Shard", text("\(shard.index)/\(shard.count) of group \(shard.group) (decided by evalgate merge)")))
        }
        facts.append(fact("Result schema", "<code>\(text(record.schema))</code>"))
        facts.append(fact("evalgate", text(record.evalgateVersion)))
        return """
            <footer id="provenance">
            <h2>Provenance</h2>
            <dl class="facts compact">\(facts)</dl>
            <p class="muted">This page is self-contained and loads nothing from the network. The JSON result of run <code>\(text(record.id))</code> has every case in full.</p>
            </footer>
            """
    }

    static func duration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "unknown duration" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let total = Int(seconds.rounded())
        if total < 3_600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3_600) h \(total % 3_600 / 60) min"
    }

    /// An outcome as a CSS class suffix and as a word in the page.
    static func word(_ outcome: GateOutcome) -> Markup {
        switch outcome {
        case .pass: return "pass"
        case .fail: return "fail"
        case .inconclusive: return "inconclusive"
        }
    }

    static func label(_ outcome: GateOutcome) -> Markup {
        switch outcome {
        case .pass: return "PASS"
        case .fail: return "FAIL"
        case .inconclusive: return "INCONCLUSIVE"
        }
    }
}
