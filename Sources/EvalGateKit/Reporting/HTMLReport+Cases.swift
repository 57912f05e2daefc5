import Foundation

extension HTMLReport {
    /// Caps on what one case shows; the JSON result has the rest.
    enum CaseLimits {
        static let preview = 160
        static let fullText = 4_000
        static let json = 1_500
        static let reason = 1_000
        static let steps = 25
        static let callsPerStep = 25
    }

    /// The cases the page lists: those not passing first (critical ones first), then the passing ones,
    /// each group in run order, at most `limit` in all.
    static func listedCases(_ cases: [CaseResult], limit: Int) -> (listed: [CaseResult], omitted: Int, omittedNotPassing: Int) {
        let notPassing = cases.filter { !$0.passed }.sorted { ($0.critical ? 0 : 1, $0.index) < ($1.critical ? 0 : 1, $1.index) }
        let passing = cases.filter(\.passed).sorted { $0.index < $1.index }
        let listed = Array((notPassing + passing).prefix(max(0, limit)))
        return (listed, cases.count - listed.count, max(0, notPassing.count - listed.count))
    }

    func caseSection(cases: [CaseResult]) -> Markup {
        guard !cases.isEmpty else {
            return "<section id=\"cases\"><h2>Cases</h2><p class=\"empty-state\">No case has a result.</p></section>"
        }
        let (listed, omitted, omittedNotPassing) = Self.listedCases(cases, limit: caseRowLimit)
        let flaky = Set(record.summary.flakyCases)
        let tags = Array(Set(cases.flatMap(\.tags))).sorted()
        let tagOptions: [Markup] = tags.prefix(500).map { tag in
            let value = tagValue(tag)
            return "<option value=\"\(value)\">\(value)</option>"
        }
        let statusOptions: [Markup] = CaseResult.Status.allCases.map { status in
            let count = cases.filter { $0.status == status }.count
            return "<option value=\"\(text(status.rawValue))\">\(text(status.rawValue)) (\(count))</option>"
        }
        var note: Markup = "<p class=\"muted\" id=\"case-count\">All \(cases.count) cases are listed, those not passing first.</p>"
        if omitted > 0 {
            let notPassing: Markup = omittedNotPassing > 0 ? ", \(omittedNotPassing) of them not passing" : ", all of them passing"
            note = """
                <p class="alert alert-info" id="omitted-cases"><strong>\(listed.count) of \(cases.count) cases are listed</strong> (those not passing first). \
                \(omitted) more cases are not shown here\(notPassing); the JSON result has every case.</p>
                """
        }
        let bodies: [Markup] = listed.map { caseBody($0, flaky: flaky.contains($0.id)) }
        return """
            <section id="cases">
            <h2>Cases</h2>
            \(note)
            <div class="filters" id="filters" hidden>
            <label>Find <input type="search" id="filter-text" placeholder="id, input, answer, reason…" autocomplete="off"></label>
            <label>Status <select id="filter-status"><option value="">all</option>\(statusOptions)</select></label>
            <label>Tag <select id="filter-tag"><option value="">all tags</option>\(tagOptions)</select></label>
            <span id="filter-count" aria-live="polite"></span>
            </div>
            <noscript><p class="muted">Filtering needs JavaScript; every listed case is shown.</p></noscript>
            <table class="cases" id="case-table">
            <colgroup><col class="c-id"><col class="c-status"><col class="c-tags"><col class="c-score"><col class="c-input"><col class="c-answer"><col class="c-why"><col class="c-attempts"><col class="c-latency"><col class="c-cost"></colgroup>
            <thead><tr><th scope="col">Case</th><th scope="col">Status</th><th scope="col">Tags</th><th scope="col" class="num">Score</th><th scope="col">Input</th>\
            <th scope="col">Answer</th><th scope="col">Why</th><th scope="col" class="num" title="attempts">Tries</th><th scope="col" class="num">Latency</th><th scope="col" class="num">Cost <span class="unit">\(text(record.summary.currency ?? "USD"))</span></th></tr></thead>
            \(bodies.joined(separator: "\n"))
            </table>
            </section>
            """
    }

    /// A tag as it appears in an `<option>` value and a row's `data-tags`: the same text both ways,
    /// so the filter's comparison in the script is exact.
    func tagValue(_ tag: String) -> Markup {
        text(tag, limit: 200)
    }

    /// One case as a `<tbody>`: its summary row and a row with the details, so filtering hides both at once.
    func caseBody(_ result: CaseResult, flaky: Bool) -> Markup {
        let status = text(result.status.rawValue)
        var badges: [Markup] = ["<span class=\"pill status-\(status)\">\(status)</span>"]
        if result.critical { badges.append("<span class=\"pill critical\">critical</span>") }
        if result.review != nil { badges.append("<span class=\"pill review\">review</span>") }
        if flaky { badges.append("<span class=\"pill flaky\">flaky</span>") }
        let tagChips: [Markup] = result.tags.prefix(20).map { "<span class=\"tag\">\(text($0, limit: 60))</span>" }
        let why: Markup = result.headline.isEmpty ? "" : text(result.headline, limit: 240)
        let answer: Markup = result.answer.map { text($0.text, limit: CaseLimits.preview) } ?? "<span class=\"muted\">no answer</span>"
        let cost: Markup = result.cost.map { text(String(format: "%.4f", $0)) } ?? "<span class=\"muted\">—</span>"
        return """
            <tbody class="case status-\(status)" data-status="\(status)" data-tags="\(result.tags.map(tagValue).joined(separator: "\n"))">
            <tr class="case-row"><th scope="row" class="case-id"><code>\(text(result.id, limit: 200))</code></th><td>\(badges.joined(separator: " "))</td>\
            <td>\(tagChips.joined(separator: " "))</td><td class="num">\(text(String(format: "%.2f", result.score)))</td>\
            <td class="text">\(text(result.input.text, limit: CaseLimits.preview))</td><td class="text">\(answer)</td><td class="text why">\(why)</td>\
            <td class="num">\(result.attempts)</td><td class="num">\(text(Format.milliseconds(result.latencyMilliseconds)))</td><td class="num">\(cost)</td></tr>
            <tr class="details-row"><td colspan="10">\(caseDetails(result))</td></tr>
            </tbody>
            """
    }

    func caseDetails(_ result: CaseResult) -> Markup {
        let calls = result.answer?.trajectory.toolCalls.count ?? 0
        var summaryParts: [Markup] = ["\(result.scores.count) scorer\(result.scores.count == 1 ? "" : "s")"]
        if calls > 0 { summaryParts.append("\(calls) tool call\(calls == 1 ? "" : "s")") }
        if result.error != nil { summaryParts.append("error") }
        summaryParts.append("<span class=\"muted\">\(text(result.location, limit: 200))</span>")
        var blocks: [Markup] = [block("Input", input(result.input))]
        if let answer = result.answer {
            var parts: [Markup] = ["<pre class=\"answer\">\(text(answer.text, limit: CaseLimits.fullText, multiline: true))</pre>"]
            if let json = answer.json { parts.append("<p class=\"sub\">As JSON</p>\(jsonBlock(json))") }
            if let reason = answer.finishReason { parts.append("<p class=\"muted\">Finish reason: \(text(reason, limit: 100))</p>") }
            blocks.append(block("Answer", parts.joined()))
        } else {
            blocks.append(block("Answer", "<p class=\"muted\">No answer.</p>"))
        }
        if let expected = result.expected { blocks.append(block("Expected", jsonBlock(expected))) }
        if let error = result.error {
            let status: Markup = error.status.map { " · HTTP \($0)" } ?? ""
            blocks.append(
                block(
                    "Error",
                    "<p><code>\(text(error.kind.rawValue))</code>\(status)</p><pre>\(text(error.message, limit: CaseLimits.reason, multiline: true))</pre>"
                ))
        }
        if !result.scores.isEmpty { blocks.append(block("Scorers", scorerTable(result.scores), wide: true)) }
        if let conversation = result.conversation {
            blocks.append(block("Conversation", conversationList(conversation), wide: true))
        } else if let trajectory = result.answer?.trajectory, !trajectory.steps.isEmpty {
            blocks.append(block("Trajectory", trajectoryList(trajectory), wide: true))
        }
        if let repeats = result.repeats, !repeats.isEmpty {
            let items: [Markup] = repeats.prefix(50).enumerated().map { index, outcome in
                let error: Markup = outcome.error.map { " · \(text($0, limit: 200))" } ?? ""
                return
                    "<li>\(index + 1): \(outcome.passed ? "passed" : "not passed") · score \(text(String(format: "%.2f", outcome.score))) · \(text(Format.milliseconds(outcome.latencyMilliseconds)))\(error)</li>"
            }
            blocks.append(block("Repeats", "<ol class=\"repeats\">\(items)</ol>"))
        }
        var facts: [Markup] = ["<li>Dataset: \(text(result.dataset, limit: 200))</li>", "<li>Attempts: \(result.attempts)</li>"]
        if let cluster = result.cluster { facts.append("<li>Cluster: \(text(cluster, limit: 200))</li>") }
        if let usage = result.usage { facts.append("<li>Tokens: \(usage.inputTokens) in · \(usage.outputTokens) out</li>") }
        if let review = result.review { facts.append("<li>Review: \(text(review, limit: CaseLimits.reason))</li>") }
        blocks.append(block("Run", "<ul class=\"plain\">\(facts)</ul>"))
        return """
            <details><summary>Details · \(summaryParts.joined(separator: " · "))</summary>
            <div class="detail-grid">\(blocks)</div>
            </details>
            """
    }

    func block(_ title: Markup, _ content: Markup, wide: Bool = false) -> Markup {
        "<div class=\"detail\(wide ? " wide" : "")\"><h4>\(title)</h4>\(content)</div>"
    }

    func input(_ input: CaseInput) -> Markup {
        switch input {
        case .text(let value):
            return "<pre>\(text(value, limit: CaseLimits.fullText, multiline: true))</pre>"
        case .messages(let messages):
            let shown = messages.suffix(20)
            let earlier: Markup =
                messages.count > shown.count ? "<p class=\"muted\">\(messages.count - shown.count) earlier messages not shown.</p>" : ""
            let items: [Markup] = shown.map { message in
                "<li><span class=\"role\">\(text(message.role, limit: 40))</span><pre>\(text(message.content, limit: CaseLimits.fullText, multiline: true))</pre></li>"
            }
            return "\(earlier)<ol class=\"messages\">\(items)</ol>"
        }
    }

    func scorerTable(_ scores: [ScoreResult]) -> Markup {
        let rows: [Markup] = scores.prefix(100).map { score in
            let metric: Markup = score.metric.map { " <span class=\"muted\">(\(text($0, limit: 80)))</span>" } ?? ""
            let outcome: Markup = score.passed ? "<span class=\"pill status-passed\">pass</span>" : "<span class=\"pill status-failed\">fail</span>"
            return """
                <tr><td><code>\(text(score.scorer, limit: 80))</code>\(metric)</td><td>\(outcome)</td><td class="num">\(text(String(format: "%.2f", score.score)))</td>\
                <td class="num">\(text(String(format: "%g", score.weight)))</td><td class="text">\(text(score.reason, limit: CaseLimits.reason))</td></tr>
                """
        }
        return """
            <table class="scorers"><thead><tr><th scope="col">Scorer</th><th scope="col">Outcome</th><th scope="col" class="num">Score</th><th scope="col" class="num">Weight</th><th scope="col" class="reason">Reason</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    func trajectoryList(_ trajectory: Trajectory) -> Markup {
        let steps: [Markup] = trajectory.steps.prefix(CaseLimits.steps).map { step in
            let content: Markup = step.content.map { "<pre class=\"step-text\">\(text($0, limit: CaseLimits.reason, multiline: true))</pre>" } ?? ""
            let calls: [Markup] = step.toolCalls.prefix(CaseLimits.callsPerStep).map { call in
                let result: Markup = call.result.map { jsonBlock($0) } ?? "<p class=\"muted\">no fixture for this call</p>"
                return """
                    <div class="call"><p><code class="tool">\(text(call.name, limit: 120))</code> <span class="muted">\(text(call.id, limit: 80))</span></p>\
                    <div class="call-io"><div><p class="sub">Arguments</p>\(jsonBlock(call.arguments))</div><div><p class="sub">Result</p>\(result)</div></div></div>
                    """
            }
            let more: Markup =
                step.toolCalls.count > CaseLimits.callsPerStep
                ? "<p class=\"muted\">\(step.toolCalls.count - CaseLimits.callsPerStep) more calls.</p>" : ""
            return "<li>\(content)\(calls)\(more)</li>"
        }
        let more: Markup =
            trajectory.steps.count > CaseLimits.steps ? "<p class=\"muted\">\(trajectory.steps.count - CaseLimits.steps) more steps.</p>" : ""
        return "<ol class=\"steps\">\(steps)</ol>\(more)<p class=\"muted\">Ended: \(text(trajectory.end.rawValue))</p>"
    }

    func jsonBlock(_ value: JSONValue) -> Markup {
        "<pre class=\"json\">\(text(Self.prettyJSON(value), limit: CaseLimits.json, multiline: true))</pre>"
    }

    /// JSON indented by two spaces with sorted keys; short arrays and objects stay on one line.
    static func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
        let compact = value.compactJSON
        guard compact.count > 60 else { return compact }
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members) where !members.isEmpty:
            let lines = members.keys.sorted().map { key in inner + JSONValue.escaped(key) + ": " + prettyJSON(members[key]!, indent: inner) }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return compact
        }
    }
}
