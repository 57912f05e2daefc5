import Foundation

extension HTMLReport {
    /// Most tags one bar chart shows; the table under the summary has them all.
    static let chartTagLimit = 40
    /// Most runs the trend charts show, this one included.
    static let trendRunLimit = 30

    func chartSection(cases: [CaseResult]) -> Markup {
        """
        <section id="charts">
        <h2>Charts</h2>
        <figure class="figure" id="figure-tags">
        <figcaption><h3>Pass rate by tag</h3></figcaption>
        \(tagChart())
        <p class="legend"><span class="key key-bar"></span> pass rate of answered cases \
        <span class="key key-ci"></span> \(text(Format.percent(record.summary.passRate.confidence, digits: 0))) Wilson interval \
        <span class="key key-threshold"></span> the gate's threshold · bar colour: the gate's outcome (grey: no gate)</p>
        </figure>
        <figure class="figure" id="figure-latency">
        <figcaption><h3>Latency of answered cases</h3></figcaption>
        \(latencyChart(cases: cases))
        </figure>
        \(sequentialChart())
        <figure class="figure" id="figure-trend">
        <figcaption><h3>Trend over runs of this pipeline</h3></figcaption>
        \(trendCharts())
        </figure>
        </section>
        """
    }

    // MARK: - Pass rate by tag

    func tagChart() -> Markup {
        let summary = record.summary
        let gates = Dictionary(record.gates.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var tags = summary.tags
        if tags.count > Self.chartTagLimit {
            // Keep the tags a reader needs: those with a gate, then the lowest pass rates.
            let kept = Set(
                tags.sorted {
                    (gates["tag-pass-rate:\($0.tag)"] == nil ? 1 : 0, $0.passRate.estimate) < (
                        gates["tag-pass-rate:\($1.tag)"] == nil ? 1 : 0, $1.passRate.estimate
                    )
                }
                .prefix(Self.chartTagLimit).map(\.tag))
            tags = tags.filter { kept.contains($0.tag) }
        }
        struct Row {
            var label: String
            var interval: ProportionInterval
            var gate: GateResult?
            var errors: Int
            var overall: Bool
        }
        let rows =
            [Row(label: "all cases", interval: summary.passRate, gate: gates["pass-rate"], errors: summary.errors, overall: true)]
            + tags.map { Row(label: $0.tag, interval: $0.passRate, gate: gates["tag-pass-rate:\($0.tag)"], errors: $0.errors, overall: false) }

        let width = 900.0
        let labelEnd = 204.0
        let plotStart = 214.0
        let plotEnd = 706.0
        let valueStart = 718.0
        let top = 30.0
        let rowHeight = 28.0
        let bottom = 10.0
        let height = top + Double(rows.count) * rowHeight + bottom
        let x = SVGChart.Scale(domain: (0, 1), pixels: (plotStart, plotEnd))
        let gated = rows.filter { $0.gate?.thresholdValue != nil }.count
        var chart = SVGChart(
            id: "chart-tags", width: width, height: height, title: "Pass rate by tag",
            description:
                "Pass rate of answered cases overall and for \(tags.count) tag\(tags.count == 1 ? "" : "s"), each with its confidence interval; \(gated) threshold marker\(gated == 1 ? "" : "s")."
        )
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            chart.add(SVGChart.line(x(tick), top - 6, x(tick), height - bottom, class: "grid"))
            chart.add(SVGChart.text(text(Format.percent(tick, digits: 0)), x: x(tick), y: top - 12, anchor: .middle, class: "axis-label"))
        }
        for (index, row) in rows.enumerated() {
            let rowTop = top + Double(index) * rowHeight
            let middle = rowTop + rowHeight / 2
            let interval = row.interval
            var shapes = Markup()
            let outcome: Markup = row.gate.map { Self.word($0.outcome) } ?? "none"
            let kind: Markup = row.overall ? "overall-bar" : "tag-bar"
            let value: Markup
            if interval.trials > 0 {
                shapes += SVGChart.rect(
                    x: plotStart, y: middle - 7, width: x(interval.estimate) - plotStart, height: 14, class: "bar \(kind) outcome-\(outcome)")
                shapes += SVGChart.line(x(interval.lower), middle, x(interval.upper), middle, class: "ci")
                shapes += SVGChart.line(x(interval.lower), middle - 5, x(interval.lower), middle + 5, class: "ci")
                shapes += SVGChart.line(x(interval.upper), middle - 5, x(interval.upper), middle + 5, class: "ci")
                value =
                    "\(text(Format.percent(interval.estimate))) · \(interval.successes)/\(interval.trials)\(row.errors > 0 ? " · \(row.errors) err" : "")"
            } else {
                shapes += SVGChart.rect(x: plotStart, y: middle - 7, width: 0, height: 14, class: "bar \(kind) outcome-\(outcome)")
                value = "no answered case\(row.errors > 0 ? " · \(row.errors) err" : "")"
            }
            var thresholdNote: Markup = "no gate"
            if let gate = row.gate {
                thresholdNote = "threshold \(text(gate.threshold)), gate \(Self.word(gate.outcome))"
                if let threshold = gate.thresholdValue {
                    shapes += SVGChart.line(x(threshold), rowTop + 2, x(threshold), rowTop + rowHeight - 2, class: "threshold")
                }
            }
            shapes += SVGChart.text(
                text(Self.shorten(row.label, to: 26)), x: labelEnd, y: middle + 4, anchor: .end, class: row.overall ? "row-label strong" : "row-label"
            )
            shapes += SVGChart.text(value, x: valueStart, y: middle + 4, class: "value-label")
            let tooltip: Markup = """
                \(text(row.label)): \(text(Format.percent(interval.estimate))) passed (\(interval.successes) of \(interval.trials) answered), \
                \(text(Format.percent(interval.confidence, digits: 0))) CI \(text(Format.percent(interval.lower)))–\(text(Format.percent(interval.upper))); \(thresholdNote)
                """
            chart.add(SVGChart.group(class: row.overall ? "row overall" : "row", tooltip: tooltip, shapes))
            if row.overall, rows.count > 1 {
                chart.add(SVGChart.line(8, rowTop + rowHeight, width - 8, rowTop + rowHeight, class: "separator"))
            }
        }
        let hidden = summary.tags.count - tags.count
        let note: Markup = hidden > 0 ? "<p class=\"muted\">\(hidden) more tags are in the table under Summary.</p>" : ""
        return chart.markup + note
    }

    static func shorten(_ text: String, to length: Int) -> String {
        text.count > length ? String(text.prefix(length - 1)) + "…" : text
    }

    // MARK: - Latency histogram

    func latencyChart(cases: [CaseResult]) -> Markup {
        let values = cases.filter { $0.status != .error }.map(\.latencyMilliseconds).filter { $0.isFinite && $0 >= 0 }
        guard let largest = values.max(), let stats = record.summary.latency ?? LatencySummary(values) else {
            return "<p class=\"empty-state\" id=\"latency-empty\">No case was answered, so there is no latency to show.</p>"
        }
        let limits: [(name: String, value: Double)] = record.gates.compactMap { gate in
            guard gate.name.hasPrefix("latency-"), let value = gate.thresholdValue else { return nil }
            return (String(gate.name.dropFirst("latency-".count)), value)
        }
        // A limit far beyond every measurement would squash the histogram; name it under the chart instead.
        let drawnLimits = limits.filter { $0.value <= max(largest, stats.p99) * 1.5 }
        let upper = max(1, ([largest, stats.p99] + drawnLimits.map(\.value)).max() ?? 1)
        let target = min(40, max(10, Int((2 * Double(values.count).squareRoot()).rounded())))
        let step = SVGChart.niceStep(span: upper, count: target)
        let binCount = max(1, Int((upper / step).rounded(.down)) + 1)
        var counts = Array(repeating: 0, count: binCount)
        for value in values { counts[min(binCount - 1, Int(value / step))] += 1 }

        let width = 900.0
        let height = 300.0
        let left = 56.0
        let right = 24.0
        let top = 50.0
        let bottom = 44.0
        let x = SVGChart.Scale(domain: (0, Double(binCount) * step), pixels: (left, width - right))
        let yTicks = SVGChart.ticks(upTo: Double(counts.max() ?? 1), count: 4)
        let y = SVGChart.Scale(domain: (0, yTicks.last ?? 1), pixels: (height - bottom, top))
        var chart = SVGChart(
            id: "chart-latency", width: width, height: height, title: "Latency distribution",
            description:
                "Histogram of \(values.count) answered cases' latency in bins of \(text(Format.milliseconds(step))); p50 \(text(Format.milliseconds(stats.p50))), p95 \(text(Format.milliseconds(stats.p95))), p99 \(text(Format.milliseconds(stats.p99)))."
        )
        for tick in yTicks {
            chart.add(SVGChart.line(left, y(tick), width - right, y(tick), class: "grid"))
            chart.add(
                SVGChart.text(
                    text(tick == tick.rounded() ? String(Int(tick)) : String(format: "%.1f", tick)), x: left - 6, y: y(tick) + 4, anchor: .end,
                    class: "axis-label"))
        }
        for (index, count) in counts.enumerated() where count > 0 {
            let start = Double(index) * step
            let tooltip: Markup =
                "\(text(Format.milliseconds(start)))–\(text(Format.milliseconds(start + step))): \(count) case\(count == 1 ? "" : "s")"
            let bar = SVGChart.rect(
                x: x(start) + 1, y: y(Double(count)), width: x(start + step) - x(start) - 2, height: y(0) - y(Double(count)), class: "bar hist-bar")
            chart.add(SVGChart.group(class: "bin", tooltip: tooltip, bar))
        }
        chart.add(SVGChart.line(left, y(0), width - right, y(0), class: "axis"))
        let labelEvery = max(1, Int((Double(binCount) / 10).rounded(.up)))
        for edge in stride(from: 0, through: binCount, by: labelEvery) {
            let value = Double(edge) * step
            chart.add(SVGChart.line(x(value), y(0), x(value), y(0) + 4, class: "axis"))
            chart.add(SVGChart.text(text(Format.milliseconds(value)), x: x(value), y: y(0) + 18, anchor: .middle, class: "axis-label"))
        }
        chart.add(SVGChart.text("latency per answered case", x: (left + width - right) / 2, y: height - 6, anchor: .middle, class: "axis-title"))
        chart.add(SVGChart.text("cases", x: 14, y: (top + height - bottom) / 2, anchor: .middle, class: "axis-title", rotate: -90))
        for (index, marker) in [("p50", stats.p50), ("p95", stats.p95), ("p99", stats.p99)].enumerated() {
            let position = x(marker.1)
            let labelY = 14 + Double(index) * 12
            let nearRight = position > width - 160
            chart.add(
                SVGChart.group(
                    class: "percentile", tooltip: "\(text(marker.0)): \(text(Format.milliseconds(marker.1)))",
                    SVGChart.line(position, labelY + 3, position, y(0), class: "marker marker-\(text(marker.0))")
                        + SVGChart.text(
                            "\(text(marker.0)) \(text(Format.milliseconds(marker.1)))", x: nearRight ? position - 4 : position + 4, y: labelY,
                            anchor: nearRight ? .end : .start, class: "marker-label")))
        }
        for (index, limit) in drawnLimits.enumerated() {
            let position = x(limit.value)
            let nearLeft = position < left + 160
            chart.add(
                SVGChart.group(
                    class: "limit", tooltip: "\(text(limit.name)) limit \(text(Format.milliseconds(limit.value)))",
                    SVGChart.line(position, top - 4, position, y(0), class: "threshold")
                        + SVGChart.text(
                            "\(text(limit.name)) limit", x: nearLeft ? position + 4 : position - 4, y: top + 10 + Double(index) * 12,
                            anchor: nearLeft ? .start : .end, class: "threshold-label")))
        }
        let offChart = limits.filter { limit in !drawnLimits.contains { $0.name == limit.name } }
        let note: Markup =
            offChart.isEmpty
            ? ""
            : "<p class=\"muted\">Limits beyond the axis: \(text(offChart.map { "\($0.name) ≤ \(Format.milliseconds($0.value))" }.joined(separator: ", "))).</p>"
        return chart.markup + note
    }

    // MARK: - Trend

    func trendCharts() -> Markup {
        let earlier = context.trend.filter { $0.id != record.id }
        guard !earlier.isEmpty else {
            return """
                <p class="empty-state" id="trend-empty">No earlier runs of this pipeline are in the history yet, so there is no trend to draw. \
                It appears once a later run finds this one.</p>
                """
        }
        let runs = Array(earlier.suffix(Self.trendRunLimit - 1)) + [record]
        let passThreshold = record.gates.first { $0.name == "pass-rate" }?.thresholdValue
        let latencyThreshold = record.gates.first { $0.name == "latency-p95" }?.thresholdValue
        let note: Markup = earlier.count > runs.count - 1 ? "<p class=\"muted\">The last \(runs.count) of \(earlier.count + 1) runs.</p>" : ""
        return """
            <div class="chart-pair">
            \(trendChart(runs, id: "chart-trend-pass-rate", title: "Pass rate per run", value: { $0.summary.passRate.trials > 0 ? $0.summary.passRate.estimate : nil },
                         interval: { $0.summary.passRate.trials > 0 ? ($0.summary.passRate.lower, $0.summary.passRate.upper) : nil },
                         fixedUpper: 1, threshold: passThreshold, format: { Format.percent($0) }, tickFormat: { Format.percent($0, digits: 0) }))
            \(trendChart(runs, id: "chart-trend-latency", title: "p95 latency per run", value: { $0.summary.latency?.p95 }, interval: { _ in nil },
                         fixedUpper: nil, threshold: latencyThreshold, format: { Format.milliseconds($0) }, tickFormat: { Format.milliseconds($0) }))
            </div>
            \(note)
            """
    }

    func trendChart(
        _ runs: [RunRecord], id: Markup, title: Markup, value: (RunRecord) -> Double?, interval: (RunRecord) -> (Double, Double)?,
        fixedUpper: Double?, threshold: Double?, format: (Double) -> String, tickFormat: (Double) -> String
    ) -> Markup {
        let width = 560.0
        let height = 320.0
        let left = 64.0
        let right = 16.0
        let top = 36.0
        let bottom = 84.0
        let values = runs.map(value)
        let measured = values.compactMap { $0 }
        let upper: Double
        let ticks: [Double]
        if let fixedUpper {
            upper = fixedUpper
            ticks = stride(from: 0.0, through: fixedUpper, by: fixedUpper / 4).map { $0 }
        } else {
            var highest = measured.max() ?? 1
            if let threshold, threshold <= highest * 2 { highest = max(highest, threshold) }
            ticks = SVGChart.ticks(upTo: max(highest, 1), count: 4)
            upper = ticks.last ?? highest
        }
        let slot = (width - left - right) / Double(runs.count)
        let xAt = { (index: Int) in left + (Double(index) + 0.5) * slot }
        let y = SVGChart.Scale(domain: (0, upper), pixels: (height - bottom, top))
        var chart = SVGChart(
            id: id, width: width, height: height, title: title,
            description: "\(title) for the last \(runs.count) runs, oldest first; the last point is this run.")
        for tick in ticks {
            chart.add(SVGChart.line(left, y(tick), width - right, y(tick), class: "grid"))
            chart.add(SVGChart.text(text(tickFormat(tick)), x: left - 6, y: y(tick) + 4, anchor: .end, class: "axis-label"))
        }
        chart.add(SVGChart.text(title, x: left, y: 16, class: "chart-title"))
        chart.add(SVGChart.line(left, y(0), width - right, y(0), class: "axis"))
        if let threshold, threshold <= upper {
            chart.add(
                SVGChart.group(
                    class: "limit", tooltip: "threshold \(text(format(threshold)))",
                    SVGChart.line(left, y(threshold), width - right, y(threshold), class: "threshold")
                        + SVGChart.text("threshold", x: width - right - 2, y: y(threshold) - 4, anchor: .end, class: "threshold-label")))
        }
        // The line breaks where a run has no value (no answered case).
        var segment: [(x: Double, y: Double)] = []
        for (index, point) in values.enumerated() {
            if let point {
                segment.append((xAt(index), y(point)))
            } else if !segment.isEmpty {
                chart.add(SVGChart.polyline(segment, class: "trend-line"))
                segment = []
            }
        }
        if !segment.isEmpty { chart.add(SVGChart.polyline(segment, class: "trend-line")) }
        let labelEvery = max(1, Int((Double(runs.count) / 15).rounded(.up)))
        for (index, run) in runs.enumerated() {
            let center = xAt(index)
            let isCurrent = index == runs.count - 1
            if index % labelEvery == 0 || isCurrent {
                chart.add(
                    SVGChart.text(
                        text(Self.shorten(run.version, to: 14)), x: center, y: height - bottom + 14, anchor: .end,
                        class: isCurrent ? "axis-label strong" : "axis-label", rotate: -35))
            }
            guard let point = values[index] else { continue }
            var shapes = Markup()
            if let (lower, upperBound) = interval(run) {
                shapes += SVGChart.line(center, y(lower), center, y(upperBound), class: "ci")
            }
            shapes += SVGChart.circle(
                x: center, y: y(point), radius: isCurrent ? 6 : 4, class: "point verdict-\(Self.word(run.verdict))\(isCurrent ? " current" : "")")
            let tooltip: Markup = """
                \(text(run.version)) · run \(text(run.id)) · \(text(run.startedAt.formatted(.iso8601))) · \(text(format(point))) · \(Self.word(run.verdict))\(isCurrent ? " (this run)" : "")
                """
            chart.add(SVGChart.group(class: "run", tooltip: tooltip, shapes))
        }
        return chart.markup
    }
}
