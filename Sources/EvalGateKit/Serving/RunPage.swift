import Foundation

/// One run: verdict, recommendation and gates at the top, links to the full report, the baseline
/// comparison and the review queue, then its cases a page at a time (a 100,000-case run is never
/// read whole), each linked to its conversation and trajectory.
struct RunPage: Sendable {
    typealias Markup = HTMLReport.Markup

    var record: RunRecord
    var page: CasePage
    var pageSize: Int
    var status: CaseResult.Status?
    var approvals: [Approval]
    var labels: [ReviewLabel]
    /// A message after an action (approved, labelled).
    var notice: String?

    static func path(_ runID: String) -> String { "/runs/\(DashboardLayout.percentEncoded(runID))" }

    func render(layout: DashboardLayout) -> Markup {
        let base = Self.path(record.id)
        let gateRows = record.gates.map { gate -> Markup in
            """
            <tr><td>\(Markup.escape(gate.name))</td><td>\(DashboardLayout.verdict(gate.outcome))</td><td>\(Markup.escape(gate.measured))</td>\
            <td>\(Markup.escape(gate.threshold))</td><td>\(Markup.escape(gate.sentence))</td></tr>
            """
        }
        let human: Markup =
            record.humanReview.map { review -> Markup in
                let kappa = review.judgeAgreement.map { String(format: "%.2f", $0) } ?? "not yet defined"
                return """
                    <div class="alert ok" id="human-review">Human review: \(review.labels.count) labels, \(review.overridden.count) changed the machine's outcome. \
                    Judge agreement (Cohen's κ over \(review.labelCount) labels for this agent): <strong id="kappa">\(Markup.escape(kappa))</strong></div>
                    """
            } ?? ""
        let notice: Markup = self.notice.map { "<div class=\"alert ok\" role=\"status\" id=\"notice\">\(Markup.escape($0))</div>" } ?? ""
        let approvalItems = approvals.map {
            "<li>\(Markup.escape($0.approvedBy)): \(Markup.escape($0.reason)) · \(DashboardLayout.time($0.approvedAt))</li>" as Markup
        }
        var approveForm: Markup = ""
        if record.verdict == .inconclusive {
            if layout.may(.approver) {
                approveForm = """
                    <form method="post" action="\(Markup.escape(base))/approve" id="approve-form">\(layout.csrfField())
                    <label for="reason">Why the missing evidence is acceptable</label><input name="reason" id="reason" size="60" required>
                    <button type="submit">Approve \(Markup.escape(record.version)) as known-good</button></form>
                    """
            } else {
                approveForm = "<p class=\"muted\">Approving this run needs an approver's sign-in.</p>"
            }
        }
        let statuses: [(String, CaseResult.Status?)] = [("all", nil), ("failed", .failed), ("errors", .error), ("passed", .passed)]
        let statusLinks = statuses.map { label, value -> Markup in
            let query = value.map { "?status=\($0.rawValue)" } ?? ""
            let mark: Markup = value == status ? " aria-current=\"true\"" : ""
            return "<a href=\"\(Markup.escape(base + query))\"\(mark)>\(Markup.escape(label))</a>"
        }
        let labelByCase = Dictionary(labels.map { ($0.caseID, $0) }, uniquingKeysWith: { _, last in last })
        let caseRows = page.cases.map { result -> Markup in
            let label: Markup = labelByCase[result.id].map { "\(Markup.escape($0.label.rawValue)) by \(Markup.escape($0.reviewer))" } ?? ""
            return """
                <tr class="case status-\(Markup.escape(result.status.rawValue))"><td class="num">\(result.index)</td>\
                <td><a href="\(Markup.escape(base))/cases/\(Markup.escape(DashboardLayout.percentEncoded(result.id)))">\(Markup.escape(result.id))</a></td>\
                <td>\(Markup.escape(result.status.rawValue))</td><td class="num">\(Markup.escape(String(format: "%.2f", result.score)))</td>\
                <td>\(Markup.escape(String(result.headline.prefix(200))))</td><td>\(label)</td></tr>
                """
        }
        let pageIndex = page.offset / max(1, pageSize)
        let pageCount = max(1, (page.total + pageSize - 1) / max(1, pageSize))
        func pageLink(_ index: Int, _ text: String) -> Markup {
            var query = "page=\(index + 1)"
            if let status { query += "&status=\(status.rawValue)" }
            return
                "<a href=\"\(Markup.escape(base))?\(Markup.escape(query))\" rel=\"\(index < pageIndex ? "prev" : "next")\">\(Markup.escape(text))</a>"
        }
        var pager: [Markup] = ["<span id=\"page-position\">page \(pageIndex + 1) of \(pageCount) · \(page.total) cases</span>"]
        if pageIndex > 0 { pager.append(pageLink(pageIndex - 1, "← previous")) }
        if pageIndex + 1 < pageCount { pager.append(pageLink(pageIndex + 1, "next →")) }
        let reviewCount = record.summary.reviewQueue.count
        let body: Markup = """
            <h1>\(DashboardLayout.verdict(record.verdict)) \(DashboardLayout.agentLink(record.agent)) <strong>\(Markup.escape(record.version))</strong> \
            <span class="muted">run <code>\(Markup.escape(record.id))</code></span></h1>
            \(notice)
            <p class="lead" id="recommendation"><strong>\(Markup.escape(record.recommendation.action.rawValue.uppercased()))</strong>: \(Markup.escape(record.recommendation.summary))</p>
            \(human)
            <dl class="facts">
            <dt>Pipeline</dt><dd>\(Markup.escape(record.pipeline))</dd><dt>Mode</dt><dd>\(Markup.escape(record.mode.rawValue))</dd>
            <dt>Environment</dt><dd>\(Markup.escape(record.environment))</dd><dt>Started</dt><dd>\(DashboardLayout.time(record.startedAt))</dd>
            <dt>Pass rate</dt><dd>\(DashboardLayout.interval(record.summary.passRate))</dd>
            <dt>Cases</dt><dd>\(record.summary.passed) passed, \(record.summary.failed) failed, \(record.summary.errors) errors of \(record.selectedCases)</dd>
            </dl>
            <p><a href="\(Markup.escape(base))/report?page=\(pageIndex + 1)" id="full-report">Full report</a> · \
            <a href="\(Markup.escape(base))/compare" id="compare-link">Compare with baseline</a> · \
            <a href="\(Markup.escape(base))/review" id="review-link">Review queue (\(reviewCount) queued)</a></p>
            <h2>Gates</h2>
            <table id="gates"><thead><tr><th>Gate</th><th>Outcome</th><th>Measured</th><th>Threshold</th><th>Why</th></tr></thead><tbody>\(gateRows)</tbody></table>
            <h2>Approvals</h2>
            <ul id="approvals">\(approvalItems.isEmpty ? ["<li class=\"muted\">none</li>"] : approvalItems)</ul>
            \(approveForm)
            <h2>Cases</h2>
            <p class="filters">Show: \(statusLinks.joined(separator: " · "))</p>
            <p class="pager">\(pager.joined(separator: " "))</p>
            <table id="cases"><thead><tr><th>#</th><th>Case</th><th>Status</th><th>Score</th><th>Outcome</th><th>Label</th></tr></thead><tbody>\(caseRows)</tbody></table>
            <p class="pager">\(pager.joined(separator: " "))</p>
            """
        return layout.page(title: "\(record.agent) \(record.version) · run \(record.id)", current: "run", body)
    }
}

/// One case of a run: what was asked, what came back, the trajectory of tool calls, every score.
struct CaseDetailPage: Sendable {
    typealias Markup = HTMLReport.Markup

    var record: RunRecord
    var result: CaseResult
    var label: ReviewLabel?

    func render(layout: DashboardLayout) -> Markup {
        let json = (try? JSONCoding.encoder(pretty: true).encode(result)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let scoreRows = result.scores.map { score -> Markup in
            """
            <tr><td>\(Markup.escape(score.scorer))</td><td class="num">\(Markup.escape(String(format: "%.2f", score.score)))</td>\
            <td>\(Markup.escape(score.passed ? "passed" : "failed"))</td><td>\(Markup.escape(score.reason))</td></tr>
            """
        }
        let label: Markup =
            self.label.map {
                "<p id=\"label\">Labelled <strong>\(Markup.escape($0.label.rawValue))</strong> by \(Markup.escape($0.reviewer))\(Markup.escape($0.note.map { ": \($0)" } ?? ""))</p>"
            } ?? ""
        let body: Markup = """
            <h1>Case <code>\(Markup.escape(result.id))</code> <span class="muted">of run</span> \(DashboardLayout.runLink(record.id))</h1>
            <p>\(Markup.escape(result.status.rawValue)) · score \(Markup.escape(String(format: "%.2f", result.score))) · \(Markup.escape(Format.milliseconds(result.latencyMilliseconds)))\
            \(Markup.escape(result.review.map { " · queued for review: \($0)" } ?? ""))</p>
            \(label)
            <h2>Input</h2><pre id="input">\(Markup.escape(result.input.text, multiline: true))</pre>
            <h2>Answer</h2><pre id="answer">\(Markup.escape(result.answer?.text ?? "(no answer)", multiline: true))</pre>
            <h2>Scores</h2><table id="scores"><thead><tr><th>Scorer</th><th>Score</th><th>Outcome</th><th>Reason</th></tr></thead><tbody>\(scoreRows)</tbody></table>
            <h2>Conversation and trajectory (JSON)</h2><pre id="case-json">\(Markup.escape(json, multiline: true))</pre>
            """
        return layout.page(title: "\(result.id) · run \(record.id)", current: "case", body)
    }
}

/// Regressed and fixed cases against the run's baseline, the two answers side by side.
struct ComparePage: Sendable {
    typealias Markup = HTMLReport.Markup

    var record: RunRecord
    /// Regressed and fixed cases: (case id, baseline result, this run's result).
    var regressed: [(String, CaseResult?, CaseResult?)]
    var fixed: [(String, CaseResult?, CaseResult?)]

    func render(layout: DashboardLayout) -> Markup {
        guard let baseline = record.baseline else {
            let body: Markup = """
                <h1>Compare \(DashboardLayout.runLink(record.id)) with its baseline</h1>
                <p class="alert" id="no-baseline">This run was not compared with a baseline.</p>
                """
            return layout.page(title: "Compare · run \(record.id)", current: "compare", body)
        }
        func side(_ result: CaseResult?) -> Markup {
            guard let result else { return "<p class=\"muted\">not in the run</p>" }
            return
                "<p>\(Markup.escape(result.status.rawValue)) · \(Markup.escape(String(format: "%.2f", result.score)))</p><pre>\(Markup.escape(String((result.answer?.text ?? "(no answer)").prefix(4000)), multiline: true))</pre>"
        }
        func section(_ title: String, _ id: String, _ rows: [(String, CaseResult?, CaseResult?)]) -> Markup {
            let items = rows.map { caseID, before, after -> Markup in
                """
                <div class="review-case"><h3><a href="\(Markup.escape(RunPage.path(record.id)))/cases/\(Markup.escape(DashboardLayout.percentEncoded(caseID)))">\(Markup.escape(caseID))</a></h3>
                <div class="sides"><div><h4>Baseline \(Markup.escape(baseline.baselineVersion ?? ""))</h4>\(side(before))</div>\
                <div><h4>This run \(Markup.escape(record.version))</h4>\(side(after))</div></div></div>
                """
            }
            return "<h2>\(Markup.escape(title)) (\(rows.count))</h2><div id=\"\(Markup.escape(id))\">\(items)</div>"
        }
        let body: Markup = """
            <h1>Compare \(DashboardLayout.runLink(record.id)) with baseline \(baseline.baselineRunID.map(DashboardLayout.runLink) ?? "—")</h1>
            <p>\(baseline.sharedCases) shared cases · \(DashboardLayout.verdict(baseline.outcome)) · margin \(DashboardLayout.percent(baseline.margin))</p>
            \(section("Regressed", "regressed", regressed))
            \(section("Fixed", "fixed", fixed))
            """
        return layout.page(title: "Compare · run \(record.id)", current: "compare", body)
    }
}
