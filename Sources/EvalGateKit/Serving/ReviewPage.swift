import Foundation

/// A run's review queue: each queued case with why it was queued, the input and the answer, and —
/// for a signed-in reviewer — a form to label it pass or fail with a note. A label re-decides the
/// run through `HumanReview.apply`, the path `evalgate review` takes.
struct ReviewPage: Sendable {
    typealias Markup = HTMLReport.Markup

    var record: RunRecord
    /// The queued cases (and any labelled since), in run order.
    var queued: [CaseResult]
    var labels: [ReviewLabel]
    var notice: String?

    func render(layout: DashboardLayout) -> Markup {
        let base = RunPage.path(record.id)
        let labelByCase = Dictionary(labels.map { ($0.caseID, $0) }, uniquingKeysWith: { _, last in last })
        let items = queued.map { result -> Markup in
            let label = labelByCase[result.id]
            let current: Markup =
                label.map {
                    "<p class=\"labelled\">Labelled <strong>\(Markup.escape($0.label.rawValue))</strong> by \(Markup.escape($0.reviewer))\(Markup.escape($0.note.map { ": \($0)" } ?? ""))</p>"
                } ?? "<p class=\"muted\">not labelled yet</p>"
            let slug = Markup.escape(DashboardLayout.percentEncoded(result.id))
            let form: Markup =
                layout.may(.reviewer)
                ? """
                <form method="post" action="\(Markup.escape(base))/review" class="label-form">\(layout.csrfField())
                <input type="hidden" name="case" value="\(Markup.escape(result.id))">
                <label><input type="radio" name="label" value="pass" required> pass</label> <label><input type="radio" name="label" value="fail"> fail</label>
                <label>Note <input name="note" size="50"></label> <button type="submit">Record label</button></form>
                """
                : "<p class=\"muted\">Labelling needs a reviewer's sign-in.</p>"
            return """
                <div class="review-case" id="review-\(slug)" data-case="\(Markup.escape(result.id))">
                <h3><a href="\(Markup.escape(base))/cases/\(slug)">\(Markup.escape(result.id))</a> <span class="muted">machine: \(Markup.escape(result.status.rawValue)), score \(Markup.escape(String(format: "%.2f", result.score)))</span></h3>
                <p>Queued because: \(Markup.escape(result.review ?? "labelled"))</p>
                <div class="sides"><div><h4>Input</h4><pre>\(Markup.escape(String(result.input.text.prefix(4000)), multiline: true))</pre></div>\
                <div><h4>Answer</h4><pre>\(Markup.escape(String((result.answer?.text ?? "(no answer)").prefix(4000)), multiline: true))</pre></div></div>
                \(current)
                \(form)
                </div>
                """
        }
        let kappa = record.humanReview?.judgeAgreement.map { String(format: "%.2f", $0) } ?? "not yet defined"
        let notice: Markup = self.notice.map { "<div class=\"alert ok\" role=\"status\" id=\"notice\">\(Markup.escape($0))</div>" } ?? ""
        let body: Markup = """
            <h1>Review queue of \(DashboardLayout.agentLink(record.agent)) \(Markup.escape(record.version)) <span class="muted">run</span> \(DashboardLayout.runLink(record.id))</h1>
            \(notice)
            <p id="review-status">Verdict now: \(DashboardLayout.verdict(record.verdict)) <span id="verdict-word">\(HTMLReport.word(record.verdict))</span> · \
            <strong>\(Markup.escape(record.recommendation.action.rawValue.uppercased()))</strong> · judge agreement (Cohen's κ): <strong id="kappa">\(Markup.escape(kappa))</strong></p>
            \(items.isEmpty ? ["<p class=\"muted\" id=\"queue-empty\">No cases of this run are queued for review.</p>"] : items)
            """
        return layout.page(title: "Review · run \(record.id)", current: "review", body)
    }
}

/// Every open review item across the portfolio, by agent and run.
struct ReviewQueuePage: Sendable {
    typealias Markup = HTMLReport.Markup

    var agents: [AgentPortfolio]
    var agentFilter: String?

    func render(layout: DashboardLayout) -> Markup {
        let rows = agents.filter { agentFilter == nil || $0.agent == agentFilter }.flatMap { entry in
            entry.openReview.map { item -> Markup in
                """
                <tr><td>\(DashboardLayout.agentLink(entry.agent))</td><td>\(DashboardLayout.runLink(item.runID))</td><td class="num">\(item.caseIDs.count)</td>\
                <td><a href="\(Markup.escape(RunPage.path(item.runID)))/review">review</a></td></tr>
                """
            }
        }
        let body: Markup = """
            <h1>Review queue</h1>
            <table id="review-queue"><thead><tr><th>Agent</th><th>Run</th><th>Open cases</th><th></th></tr></thead>
            <tbody>\(rows.isEmpty ? ["<tr><td colspan=\"4\" class=\"muted\">Nothing waits for review.</td></tr>"] : rows)</tbody></table>
            """
        return layout.page(title: "Review queue", current: "review", body)
    }
}

/// Sign-in: a name and a password (users file) or a token (token file).
struct LoginPage: Sendable {
    typealias Markup = HTMLReport.Markup

    var kind: ServeCredentials.Kind
    /// The double-submit CSRF token (also in a cookie).
    var csrfToken: String
    var next: String
    var error: String?

    func render(layout: DashboardLayout) -> Markup {
        let error: Markup = self.error.map { "<div class=\"alert bad\" role=\"alert\" id=\"login-error\">\(Markup.escape($0))</div>" } ?? ""
        let secretLabel = kind == .users ? "Password" : "Token"
        let body: Markup = """
            <h1>Sign in</h1>
            \(error)
            <form method="post" action="/login" id="login-form">
            <input type="hidden" name="csrf" value="\(Markup.escape(csrfToken))"><input type="hidden" name="next" value="\(Markup.escape(next))">
            <p><label for="user">Name\(kind == .tokens ? " (optional)" : "")</label><input name="user" id="user" autocomplete="username"></p>
            <p><label for="secret">\(Markup.escape(secretLabel))</label><input name="secret" id="secret" type="password" autocomplete="current-password" required></p>
            <p><button type="submit" id="login-submit">Sign in</button></p>
            </form>
            """
        return layout.page(title: "Sign in", current: "login", body)
    }
}

/// What went wrong, with the status, in the dashboard's frame.
struct ErrorPage: Sendable {
    typealias Markup = HTMLReport.Markup

    var status: Int
    var message: String

    func render(layout: DashboardLayout) -> Markup {
        let body: Markup = """
            <h1>\(status == 404 ? "Not found" : "Error \(status)")</h1>
            <div class="alert bad" role="alert" id="error-message">\(Markup.escape(message))</div>
            <p><a href="/">Back to the portfolio</a></p>
            """
        return layout.page(title: "Error \(status)", current: "error", body)
    }
}
