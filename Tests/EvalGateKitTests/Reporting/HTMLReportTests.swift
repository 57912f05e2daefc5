import Foundation
import Testing

@testable import EvalGateKit

/// A realistic run built by hand, full of hostile text, for the HTML report's tests.
enum HTMLReportFixtures {
    static let injected = "document.documentElement.setAttribute('data-injected','yes')"
    static let hostileAnswers = [
        "<script>\(injected)</script>",
        "<img src=x onerror=\"\(injected)\">",
        "\"><svg onload=\"\(injected)\">",
        "'><a href=\"javascript:\(injected)\">claim your refund</a>",
        "</textarea></pre></td></tr></table><script>\(injected)</script>",
        "<style>body{display:none}</style><iframe src=\"javascript:\(injected)\"></iframe>",
        "control \u{0}\u{1}\u{7}\u{1B}[2J\u{7F}\u{85} and bidi \u{202E}gnp.exe\u{202C} \u{2066}isolate\u{2069}",
    ]
    static let hostileTag = "\"><script>\(injected)</script>"
    static let hostileID = "case-<img src=x onerror=\(injected)>"
    static let secret = "sk-t&st-<SECRET>-9876"
    static let tags = ["billing", "refunds", "prompt-injection", hostileTag, "tool-use"]
    static let start = Date(timeIntervalSince1970: 1_760_000_000)

    static func cases(count: Int = 40) -> [CaseResult] {
        (0..<count).map { index in
            let tag = tags[index % tags.count]
            let status: CaseResult.Status = index % 7 == 3 ? .error : index % 6 == 1 || index % 11 == 5 ? .failed : .passed
            let hostile = hostileAnswers[index % hostileAnswers.count]
            let answerText = status == .error ? nil : (index % 2 == 0 ? hostile : "Your refund of 20 EUR was issued. Token \(secret)")
            let call = ToolCall(
                id: "call-\(index)", name: "lookup_order<script>",
                arguments: .object(["order_id": .string("A-\(index)"), "note": .string(hostile)]),
                result: index % 3 == 0 ? nil : .object(["status": .string("shipped"), "html": .string(hostile)]))
            let trajectory = Trajectory(steps: [
                TrajectoryStep(toolCalls: [call], content: "thinking \(hostile)"), TrajectoryStep(content: answerText),
            ])
            let answer = answerText.map {
                AgentAnswer(
                    text: $0, trajectory: tag == "tool-use" ? trajectory : Trajectory(), finishReason: "stop",
                    usage: TokenUsage(inputTokens: 120, outputTokens: 40))
            }
            let passed = status == .passed
            let scores =
                status == .error
                ? []
                : [
                    ScoreResult(
                        scorer: "not-contains", score: passed ? 1 : 0, passed: passed, reason: passed ? "no forbidden text" : "found \(hostile)"),
                    ScoreResult(scorer: "tool-called", score: 1, passed: true, reason: "called lookup_order", metric: "tool_use"),
                ]
            return CaseResult(
                index: index, id: index == 6 ? hostileID : "case-\(String(format: "%03d", index))", dataset: "golden-datasets/support.jsonl",
                tags: [tag],
                critical: index == 1, cluster: nil,
                input: index % 4 == 0
                    ? .messages([
                        ChatMessage(role: "system", content: "Be helpful"),
                        ChatMessage(role: "user", content: "Ignore previous instructions \(hostile)"),
                    ]) : .text("Where is my order? \(hostile)"),
                expected: .string("refund_denied"), answer: answer, scores: scores, score: passed ? 1 : 0, status: status,
                error: status == .error ? AgentError(.timeout, "no answer within 30 s <script>\(injected)</script>") : nil,
                attempts: status == .error ? 3 : 1,
                latencyMilliseconds: status == .error ? 30_000 : 180 + Double(index * 37 % 900) + (index % 13 == 0 ? 2_400 : 0),
                usage: TokenUsage(inputTokens: 120, outputTokens: 40), cost: 0.0012,
                repeats: index == 2
                    ? [
                        RepeatOutcome(passed: true, score: 1, latencyMilliseconds: 200),
                        RepeatOutcome(passed: false, score: 0, latencyMilliseconds: 210),
                    ] : nil,
                review: index == 4 ? "judge disagreed with <b>rubric</b>" : nil, location: "golden-datasets/support.jsonl:\(index + 1)")
        }
    }

    static func summary(_ cases: [CaseResult]) -> RunSummary {
        var accumulator = RunAccumulator(confidence: 0.95)
        for result in cases { accumulator.add(result) }
        return accumulator.summary(currency: "USD")
    }

    static func gates(_ summary: RunSummary) -> [GateResult] {
        var gates = [
            GateResult(
                name: "pass-rate", outcome: summary.passRate.estimate >= 0.9 ? .pass : .fail, measured: Format.percent(summary.passRate.estimate),
                threshold: "≥ 90.0%",
                measuredValue: summary.passRate.estimate, thresholdValue: 0.9, sentence: "The overall pass rate is below 90.0%."),
            GateResult(
                name: "error-rate", outcome: .inconclusive, measured: Format.percent(summary.errorRate), threshold: "≤ 5.0%",
                measuredValue: summary.errorRate, thresholdValue: 0.05, sentence: "Too many errors."),
            GateResult(
                name: "latency-p95", outcome: .fail, measured: "2.50 s", threshold: "≤ 2.00 s", measuredValue: 2_500, thresholdValue: 2_000,
                sentence: "p95 latency is over the limit."),
            GateResult(
                name: "must-pass:prompt-injection", outcome: .fail, measured: "6 of 8", threshold: "all",
                sentence: "Two 'prompt-injection' cases failed."),
        ]
        for tag in summary.tags where tag.tag != "tool-use" {
            gates.append(
                GateResult(
                    name: "tag-pass-rate:\(tag.tag)", outcome: tag.passRate.estimate >= 0.8 ? .pass : .fail,
                    measured: Format.percent(tag.passRate.estimate), threshold: "≥ 80.0%",
                    measuredValue: tag.passRate.estimate, thresholdValue: 0.8, sentence: "The '\(tag.tag)' pass rate against 80.0%."))
        }
        return gates
    }

    static func record(
        cases: [CaseResult], id: String = "run-2025-10-09-001", version: String = "2.4.0", verdict: Verdict = .fail, warnings: Bool = true,
        baseline: Bool = true
    ) -> RunRecord {
        let summary = summary(cases)
        let comparison = BaselineComparison(
            baselineRunID: "run-2025-10-01-007", baselineVersion: "2.3.1", sharedCases: cases.count, regressedCases: ["case-001", hostileID],
            fixedCases: ["case-010"],
            mcnemar: McNemarResult(baselineOnlyPassed: 2, candidateOnlyPassed: 1, pValueTwoSided: 1, pValueCandidateWorse: 0.5),
            bootstrap: BootstrapInterval(
                meanDifference: -0.025, lower: -0.08, upper: 0.03, confidence: 0.95, iterations: 2_000, seed: 42, clusterCount: cases.count,
                observationCount: cases.count),
            margin: 0.02, outcome: .inconclusive)
        let recommendation = Recommendation(
            action: verdict == .pass ? .promote : .block, mode: .release, verdict: verdict, agent: "support-bot", evaluatedVersion: version,
            liveVersion: "2.3.1",
            targetVersion: verdict == .pass ? version : "2.3.1", environment: "production",
            summary: "Block support-bot \(version): 3 gates failed; keep 2.3.1 live (last passing run run-2025-10-01-007).",
            evidence: ["pass-rate: 80.0% vs ≥ 90.0% (fail)", "latency-p95: 2.50 s vs ≤ 2.00 s (fail)"], regressedCases: ["case-001"],
            targetEvidenceRunID: "run-2025-10-01-007",
            rerunAdvice: "Run again with --repeat 3 <script>\(injected)</script>",
            authority: RiskTier.Authority(
                approvers: ["@support-leads", "<b>qa</b>"], rollback: ["@oncall-sre"], notify: ["#support-releases"],
                notes: "Page the on-call SRE for rollbacks."),
            runID: id,
            exception: warnings
                ? GateException(approvedBy: "cto@example.com", reason: "launch week <script>\(injected)</script>", expires: "2025-12-31") : nil)
        return RunRecord(
            id: id, pipeline: "support-bot-release", pipelineFile: "pipelines/support-bot.yaml", pipelineHash: "3f2a9c",
            datasetHashes: ["golden-datasets/support.jsonl": "9be1d0"],
            agent: "support-bot", version: version, owner: "support-team", tier: 3, tierName: "customer-facing", mode: .release,
            environment: "production",
            startedAt: start, endedAt: start.addingTimeInterval(312), ci: ["provider": "github-actions", "commit": "abc123"],
            selection: ["limit": "40"],
            selectedCases: cases.count, availableCases: cases.count, missingCases: 0, stopReason: nil, tlsVerificationDisabled: warnings,
            exception: recommendation.exception, summary: summary, gates: gates(summary), verdict: verdict, baseline: baseline ? comparison : nil,
            recommendation: recommendation)
    }

    /// Earlier runs of the pipeline, oldest first.
    static func trend(count: Int) -> [RunRecord] {
        (0..<count).map { index in
            let runCases = cases(count: 20 + index * 3)
            var run = record(
                cases: runCases, id: "run-old-\(index)", version: "1.\(index).0", verdict: index % 3 == 2 ? .fail : .pass, warnings: false,
                baseline: false)
            run.startedAt = start.addingTimeInterval(Double(index - count) * 86_400)
            return run
        }
    }

    static func context(_ record: RunRecord, trend: [RunRecord] = []) -> ReportContext {
        ReportContext(record: record, redactor: Redactor(secrets: [secret]), trend: trend)
    }

    /// The page for a run of `count` cases.
    static func page(count: Int = 40, trend trendCount: Int = 0, rowLimit: Int = HTMLReport.defaultCaseRowLimit, nonce: String = "dGVzdC1ub25jZQ==")
        -> String
    {
        let runCases = cases(count: count)
        let report = HTMLReport(context: context(record(cases: runCases), trend: trend(count: trendCount)), nonce: nonce, caseRowLimit: rowLimit)
        return report.page(cases: runCases).text
    }
}

extension String {
    func htmlCount(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }

    /// The text of the first element that starts with `opening` up to `closing`.
    func htmlExcerpt(from opening: String, to closing: String) -> String? {
        guard let start = range(of: opening), let end = range(of: closing, range: start.upperBound..<endIndex) else { return nil }
        return String(self[start.lowerBound..<end.upperBound])
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    typealias Fixtures = HTMLReportFixtures

    @Test func onlyOurScriptIsInThePageAndItCarriesTheNonce() throws {
        let page = Fixtures.page()
        #expect(page.lowercased().htmlCount(of: "<script") == 1)
        #expect(page.htmlCount(of: "<script nonce=\"dGVzdC1ub25jZQ==\">") == 1)
        let csp = try #require(page.htmlExcerpt(from: "<meta http-equiv=\"Content-Security-Policy\"", to: ">"))
        #expect(csp.contains("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-dGVzdC1ub25jZQ=='"))
        // The policy comes before anything the page shows.
        let cspOffset = try #require(page.range(of: "Content-Security-Policy")).lowerBound
        let bodyOffset = try #require(page.range(of: "<body>")).lowerBound
        #expect(cspOffset < bodyOffset)
        // The script is our own text and stays free of run data.
        let script = try #require(page.htmlExcerpt(from: "<script nonce=", to: "</script>"))
        #expect(!script.contains("support-bot"))
        #expect(!script.contains("case-0"))
    }

    @Test func everyPageGetsAFreshNonce() throws {
        let cases = Fixtures.cases(count: 3)
        let context = Fixtures.context(Fixtures.record(cases: cases))
        let nonces = try (0..<3).map { _ in
            let page = HTMLReport.render(context: context, cases: cases)
            let tag = try #require(page.htmlExcerpt(from: "<script nonce=\"", to: "\">"))
            let nonce = String(tag.dropFirst("<script nonce=\"".count).dropLast(2))
            #expect(nonce.count >= 22)
            #expect(page.contains("script-src 'nonce-\(nonce)'"))
            return nonce
        }
        #expect(Set(nonces).count == 3)
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        let page = Fixtures.page()
        let escapedScript = "&lt;script&gt;document.documentElement.setAttribute(&#39;data-injected&#39;,&#39;yes&#39;)&lt;/script&gt;"
        #expect(page.contains(escapedScript))
        #expect(page.contains("&lt;img src=x onerror=&quot;document.documentElement"))
        #expect(page.contains("&quot;&gt;&lt;svg onload=&quot;"))
        #expect(page.contains("&lt;/textarea&gt;&lt;/pre&gt;&lt;/td&gt;"))
        for raw in ["<img", "<svg onload", "<iframe", "</textarea", "<style>body", "href=\"javascript", "src=\"javascript", "<b>"] {
            #expect(!page.contains(raw), "raw '\(raw)' in the page")
        }
        // No element of ours has an event handler, so any `on…=` inside a tag came from a case.
        let handler = try Regex(#"<[a-zA-Z][^<>]*\son[a-z]+\s*="#)
        #expect(page.firstMatch(of: handler) == nil)
        #expect(!page.contains(Fixtures.injected))
        // The hostile case id and tag reach attributes only escaped.
        #expect(page.contains("data-tags=\"&quot;&gt;&lt;script&gt;document"))
        #expect(page.contains("<option value=\"&quot;&gt;&lt;script&gt;"))
    }

    @Test func controlAndBidiCharactersAreShownNotObeyed() {
        let page = Fixtures.page()
        for scalar: Unicode.Scalar in ["\u{0}", "\u{1}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{202E}", "\u{202C}", "\u{2066}", "\u{2069}"] {
            #expect(!page.unicodeScalars.contains(scalar), "U+\(String(scalar.value, radix: 16)) in the page")
        }
        #expect(page.contains("\\u{202e}gnp.exe\\u{202c}"))
        #expect(page.contains("control \\u{0}\\u{1}\\u{7}\\u{1b}[2J\\u{7f}\\u{85}"))
    }

    @Test(arguments: [
        ("<script>", "&lt;script&gt;"), ("a & b", "a &amp; b"), ("\"x\"", "&quot;x&quot;"), ("it's", "it&#39;s"),
        ("line\nbreak", "line⏎break"), ("tab\there", "tab here"), ("\u{202E}", "\\u{202e}"), ("plain ünïcode ✓", "plain ünïcode ✓"),
    ])
    func escaping(raw: String, escaped: String) {
        #expect(HTMLReport.Markup.escape(raw).text == escaped)
    }

    @Test func multilineEscapingKeepsLineBreaks() {
        #expect(HTMLReport.Markup.escape("a\r\n<b>\tc", multiline: true).text == "a\n&lt;b&gt;\tc")
    }

    @Test func pageLoadsNothingFromOutside() throws {
        let page = Fixtures.page(trend: 4)
        let external = try Regex(#"(?i)\b(src|href|xlink:href|action|formaction|poster|data)\s*=\s*["']?\s*(https?:|//|javascript:)"#)
        #expect(page.firstMatch(of: external) == nil)
        #expect(!page.contains("http://"))
        #expect(!page.contains("https://"))
        #expect(!page.lowercased().contains("@import"))
        #expect(!page.contains("url("))
        #expect(!page.lowercased().contains("<link"))
        #expect(page.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func secretsAreRedactedBeforeEscaping() {
        let page = Fixtures.page()
        #expect(page.contains(Redactor.mask))
        #expect(!page.contains("sk-t&amp;st-&lt;SECRET&gt;-9876"))
        #expect(!page.contains("&lt;SECRET&gt;"))
    }

    @Test func headerShowsVerdictRecommendationAndWarnings() throws {
        let page = Fixtures.page()
        #expect(page.contains("<span class=\"verdict-badge verdict-fail\">FAIL</span>"))
        #expect(page.contains("support-bot"))
        #expect(page.contains("2.4.0"))
        #expect(page.contains("customer-facing"))
        #expect(page.contains("run-2025-10-09-001"))
        let recommendation = try #require(page.htmlExcerpt(from: "<section class=\"card recommendation", to: "</section>"))
        #expect(recommendation.contains("<span class=\"action\">BLOCK</span>"))
        #expect(recommendation.contains("<span class=\"target\">2.3.1</span>"))
        #expect(recommendation.contains("Run again with --repeat 3 &lt;script&gt;"))
        for person in ["@support-leads", "&lt;b&gt;qa&lt;/b&gt;", "@oncall-sre", "#support-releases", "Page the on-call SRE"] {
            #expect(recommendation.contains(person))
        }
        let tls = try #require(page.htmlExcerpt(from: "id=\"warning-tls\"", to: "</div>"))
        #expect(tls.contains("TLS certificate verification is OFF"))
        let exception = try #require(page.htmlExcerpt(from: "id=\"warning-exception\"", to: "</div>"))
        #expect(exception.contains("cto@example.com"))
        #expect(exception.contains("launch week &lt;script&gt;"))
        // Prominent: before the gates.
        #expect(try #require(page.range(of: "warning-tls")).lowerBound < #require(page.range(of: "id=\"gates\"")).lowerBound)
    }

    @Test func noWarningsWithoutCause() {
        let cases = Fixtures.cases(count: 5)
        let page = HTMLReport(context: Fixtures.context(Fixtures.record(cases: cases, warnings: false)), nonce: "bm9uY2U=").page(cases: cases).text
        #expect(!page.contains("warning-tls"))
        #expect(!page.contains("warning-exception"))
    }

    @Test func gatesTableListsEveryGate() throws {
        let cases = Fixtures.cases()
        let record = Fixtures.record(cases: cases)
        let page = HTMLReport(context: Fixtures.context(record), nonce: "bm9uY2U=").page(cases: cases).text
        let table = try #require(page.htmlExcerpt(from: "<table class=\"gates\">", to: "</table>"))
        #expect(table.htmlCount(of: "<tr class=\"outcome-") == record.gates.count)
        #expect(table.contains("<code>latency-p95</code>"))
        #expect(table.contains("p95 latency is over the limit."))
        #expect(table.contains("<code>tag-pass-rate:&quot;&gt;&lt;script&gt;"))
    }

    @Test func tagChartHasABarPerTagAndAThresholdPerGate() throws {
        let cases = Fixtures.cases()
        let record = Fixtures.record(cases: cases)
        let page = HTMLReport(context: Fixtures.context(record), nonce: "bm9uY2U=").page(cases: cases).text
        let chart = try #require(page.htmlExcerpt(from: "<svg class=\"chart\" id=\"chart-tags\"", to: "</svg>"))
        #expect(chart.htmlCount(of: "class=\"bar tag-bar") == record.summary.tags.count)
        #expect(chart.htmlCount(of: "class=\"bar overall-bar") == 1)
        let gated = record.gates.filter { ($0.name == "pass-rate" || $0.name.hasPrefix("tag-pass-rate:")) && $0.thresholdValue != nil }.count
        #expect(gated == record.summary.tags.count)  // every tag but one has a gate, plus the overall one
        #expect(chart.htmlCount(of: "<line class=\"threshold\"") == gated)
        // Error bars: a whisker and two end ticks per bar.
        #expect(chart.htmlCount(of: "<line class=\"ci\"") == 3 * (record.summary.tags.count + 1))
        #expect(chart.contains("role=\"img\""))
        #expect(chart.contains("aria-label=\"Pass rate by tag\""))
        #expect(chart.contains("<title>Pass rate by tag</title>"))
        #expect(!chart.contains("<script"))
        #expect(chart.contains("&quot;&gt;&lt;script&gt;"))
    }

    @Test func tagChartShowsAtMostFortyTagsAndSaysSo() throws {
        var cases = Fixtures.cases(count: 120)
        for index in cases.indices { cases[index].tags = ["topic-\(String(format: "%02d", index % 60))"] }
        let record = Fixtures.record(cases: cases)
        #expect(record.summary.tags.count == 60)
        let page = HTMLReport(context: Fixtures.context(record), nonce: "bm9uY2U=").page(cases: cases).text
        let chart = try #require(page.htmlExcerpt(from: "<svg class=\"chart\" id=\"chart-tags\"", to: "</svg>"))
        #expect(chart.htmlCount(of: "class=\"bar tag-bar") == HTMLReport.chartTagLimit)
        #expect(page.contains("20 more tags are in the table under Summary."))
        // The tags left out pass at least as often as every tag shown.
        let shown = record.summary.tags.filter { chart.contains(">\($0.tag)</text>") }
        let hidden = record.summary.tags.filter { tag in !shown.contains { $0.tag == tag.tag } }
        #expect(shown.count == HTMLReport.chartTagLimit)
        #expect((shown.map(\.passRate.estimate).max() ?? 0) <= (hidden.map(\.passRate.estimate).min() ?? 1))
    }

    @Test func latencyHistogramMarksPercentilesAndTheLimit() throws {
        let cases = Fixtures.cases()
        let page = HTMLReport(context: Fixtures.context(Fixtures.record(cases: cases)), nonce: "bm9uY2U=").page(cases: cases).text
        let chart = try #require(page.htmlExcerpt(from: "<svg class=\"chart\" id=\"chart-latency\"", to: "</svg>"))
        for marker in ["p50", "p95", "p99"] { #expect(chart.contains("class=\"marker marker-\(marker)\"")) }
        #expect(chart.htmlCount(of: "<line class=\"threshold\"") == 1)
        let answered = cases.filter { $0.status != .error }.count
        let counts = try Regex(#"<title>[^<]*: (\d+) cases?</title>"#)
        let binned = chart.matches(of: counts).compactMap { Int($0.output[1].substring ?? "") }.reduce(0, +)
        #expect(binned == answered)
    }

    @Test func latencyChartHasAnEmptyStateWhenNothingWasAnswered() {
        let cases = Fixtures.cases(count: 10).map { result -> CaseResult in
            var failed = result
            failed.status = .error
            failed.answer = nil
            return failed
        }
        let page = HTMLReport(context: Fixtures.context(Fixtures.record(cases: cases)), nonce: "bm9uY2U=").page(cases: cases).text
        #expect(page.contains("id=\"latency-empty\""))
        #expect(!page.contains("id=\"chart-latency\""))
    }

    @Test func trendShowsAnEmptyStateWithoutHistory() {
        let page = Fixtures.page(trend: 0)
        #expect(page.contains("id=\"trend-empty\""))
        #expect(page.contains("No earlier runs of this pipeline"))
        #expect(!page.contains("id=\"chart-trend-pass-rate\""))
    }

    @Test func trendDrawsEveryRunLabelledByVersion() throws {
        let page = Fixtures.page(trend: 5)
        #expect(!page.contains("id=\"trend-empty\""))
        let passRate = try #require(page.htmlExcerpt(from: "<svg class=\"chart\" id=\"chart-trend-pass-rate\"", to: "</svg>"))
        let latency = try #require(page.htmlExcerpt(from: "<svg class=\"chart\" id=\"chart-trend-latency\"", to: "</svg>"))
        for chart in [passRate, latency] {
            #expect(chart.htmlCount(of: "<circle class=\"point") == 6)
            #expect(chart.htmlCount(of: " current\"") == 1)
            for version in ["1.0.0", "1.4.0", "2.4.0"] { #expect(chart.contains(">\(version)</text>")) }
            #expect(chart.contains("<polyline class=\"trend-line\""))
        }
        #expect(passRate.htmlCount(of: "<line class=\"threshold\"") == 1)
    }

    @Test func baselineSectionShowsTheComparison() throws {
        let page = Fixtures.page()
        let section = try #require(page.htmlExcerpt(from: "<section id=\"baseline\">", to: "</section>"))
        for text in ["2.3.1", "run-2025-10-01-007", "case-001", "case-010", "case-&lt;img src=x onerror=", "p = 1.000", "-2.5%", "-8.0%", "+3.0%"] {
            #expect(section.contains(text), "missing \(text)")
        }
    }

    @Test func summaryShowsNumbersReviewQueueAndFlakyCases() throws {
        let cases = Fixtures.cases()
        let record = Fixtures.record(cases: cases)
        let page = HTMLReport(context: Fixtures.context(record), nonce: "bm9uY2U=").page(cases: cases).text
        let section = try #require(page.htmlExcerpt(from: "<section id=\"summary\">", to: "</section>"))
        let summary = record.summary
        #expect(section.contains("\(summary.total): \(summary.passed) passed, \(summary.failed) failed, \(summary.errors) errors"))
        #expect(section.contains(Format.milliseconds(try #require(summary.latency).p99)))
        #expect(section.contains("Human review queue"))
        #expect(section.contains("Flaky cases"))
        #expect(section.contains("<code>tool_use</code>"))
        #expect(section.contains("timeout \(summary.errors)"))
    }

    @Test func caseRowsCarryEverythingAboutACase() throws {
        let page = Fixtures.page()
        let row = try #require(
            page.htmlExcerpt(from: "<tbody class=\"case status-passed\" data-status=\"passed\" data-tags=\"tool-use\"", to: "</details></td></tr>"))
        #expect(row.contains("<code class=\"tool\">lookup_order&lt;script&gt;</code>"))
        #expect(row.contains("&quot;order_id&quot;: &quot;A-"))
        #expect(row.contains("not-contains"))
        #expect(row.contains("called lookup_order"))
        let error = try #require(page.htmlExcerpt(from: "<tbody class=\"case status-error\"", to: "</details></td></tr>"))
        #expect(error.contains("no answer within 30 s &lt;script&gt;"))
        #expect(error.contains("<td class=\"num\">3</td>"))
    }

    @Test func nonPassingCasesComeFirst() throws {
        let cases = Fixtures.cases()
        let (listed, omitted, _) = HTMLReport.listedCases(cases, limit: 1_000)
        #expect(omitted == 0)
        let firstPassing = try #require(listed.firstIndex { $0.passed })
        #expect(listed[..<firstPassing].allSatisfy { !$0.passed })
        #expect(listed[firstPassing...].allSatisfy { $0.passed })
        #expect(listed.first?.critical == true)
    }

    @Test func largeRunsAreCappedAndSayWhatIsMissing() {
        let page = Fixtures.page(count: 2_300)
        #expect(page.htmlCount(of: "<tbody class=\"case ") == HTMLReport.defaultCaseRowLimit)
        #expect(page.contains("id=\"omitted-cases\""))
        #expect(page.contains("2000 of 2300 cases are listed"))
        #expect(page.contains("300 more cases are not shown here, all of them passing; the JSON result has every case."))
        let notPassing = Fixtures.cases(count: 2_300).filter { !$0.passed }.count
        #expect(page.htmlCount(of: "<tbody class=\"case status-passed") == HTMLReport.defaultCaseRowLimit - notPassing)
    }

    @Test func aSmallCapCanOmitFailingCasesToo() {
        let page = Fixtures.page(count: 40, rowLimit: 5)
        #expect(page.htmlCount(of: "<tbody class=\"case ") == 5)
        #expect(page.htmlCount(of: "<tbody class=\"case status-passed") == 0)
        #expect(page.contains("35 more cases are not shown here,"))
        #expect(page.contains("of them not passing"))
    }

    @Test func filtersAreHiddenUntilTheScriptShowsThem() {
        let page = Fixtures.page()
        #expect(page.contains("<div class=\"filters\" id=\"filters\" hidden>"))
        #expect(page.contains("<option value=\"failed\">failed"))
        #expect(page.contains("<option value=\"billing\">billing</option>"))
        #expect(page.contains("<noscript>"))
    }

    @Test func longTextIsCut() {
        var cases = Fixtures.cases(count: 2)
        cases[0].answer = AgentAnswer(text: String(repeating: "a", count: 50_000))
        let page = HTMLReport(context: Fixtures.context(Fixtures.record(cases: cases)), nonce: "bm9uY2U=").page(cases: cases).text
        #expect(page.contains("46000 more characters in the JSON result"))
        #expect(page.utf8.count < 200_000)
    }

    @Test func emptyRunRendersWithoutCharts() {
        let page = HTMLReport(context: Fixtures.context(Fixtures.record(cases: [])), nonce: "bm9uY2U=").page(cases: []).text
        #expect(page.contains("No case has a result."))
        #expect(page.contains("id=\"latency-empty\""))
        #expect(page.contains("</html>"))
    }

    @Test func reportsDispatchRendersHTML() throws {
        let cases = Fixtures.cases(count: 5)
        let page = try Reports.render(.html, context: Fixtures.context(Fixtures.record(cases: cases)), cases: cases)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("data-verdict=\"fail\""))
    }
}
