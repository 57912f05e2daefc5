import Foundation

extension HTMLReport {
    /// The sequential run's chart: the running pass rate against the answered cases, with the
    /// anytime-valid pass and fail boundaries (as rates: the fewest passes that pass the gate at n,
    /// and the most that fail it, over n) and the tier's threshold; the crossing marked.
    func sequentialChart() -> Markup {
        guard let sequential = record.sequential, let trace = sequential.trace, trace.horizon > 0 else { return "" }
        let gate = trace.gate
        let boundaries = gate.boundaries()
        let width = 900.0
        let height = 340.0
        let left = 64.0
        let right = 24.0
        let top = 36.0
        let bottom = 52.0
        let x = SVGChart.Scale(domain: (0, Double(trace.horizon)), pixels: (left, width - right))
        let y = SVGChart.Scale(domain: (0, 1), pixels: (height - bottom, top))
        let crossing = sequential.crossing("pass-rate")
        var chart = SVGChart(
            id: "chart-sequential", width: width, height: height, title: "Overall pass rate as the sequential run went",
            description:
                "The running pass rate after each answered case, with the anytime-valid pass boundary above and fail boundary below, and the threshold of \(text(Format.percent(trace.threshold))).\(crossing.map { " The \(text($0.outcome.rawValue)) boundary was crossed after \($0.answered) answered cases." } ?? " No boundary was crossed.")"
        )
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            chart.add(SVGChart.line(left, y(tick), width - right, y(tick), class: "grid"))
            chart.add(SVGChart.text(text(Format.percent(tick, digits: 0)), x: left - 6, y: y(tick) + 4, anchor: .end, class: "axis-label"))
        }
        for tick in SVGChart.ticks(upTo: Double(trace.horizon), count: 5) where tick <= Double(trace.horizon) {
            chart.add(SVGChart.text(text(String(Int(tick))), x: x(tick), y: height - bottom + 18, anchor: .middle, class: "axis-label"))
        }
        chart.add(SVGChart.text("answered cases", x: (left + width - right) / 2, y: height - 10, anchor: .middle, class: "axis-label"))
        chart.add(SVGChart.text("Overall pass rate, sequential", x: left, y: 16, class: "chart-title"))
        chart.add(SVGChart.line(left, y(0), width - right, y(0), class: "axis"))
        chart.add(SVGChart.line(left, y(trace.threshold), width - right, y(trace.threshold), class: "threshold"))

        // Boundaries as rates, sampled to at most ~300 points each.
        let step = max(1, trace.horizon / 300)
        var passLine: [(x: Double, y: Double)] = []
        var failLine: [(x: Double, y: Double)] = []
        for n in stride(from: 1, through: trace.horizon, by: step) {
            if boundaries.pass[n] != Int.max { passLine.append((x(Double(n)), y(Double(boundaries.pass[n]) / Double(n)))) }
            if boundaries.fail[n] >= 0 { failLine.append((x(Double(n)), y(Double(boundaries.fail[n]) / Double(n)))) }
        }
        if passLine.count > 1 { chart.add(SVGChart.polyline(passLine, class: "boundary boundary-pass")) }
        if failLine.count > 1 { chart.add(SVGChart.polyline(failLine, class: "boundary boundary-fail")) }

        let path = trace.points.filter { $0.count == 2 && $0[0] > 0 }.map { (x(Double($0[0])), y(Double($0[1]) / Double($0[0]))) }
        if path.count > 1 { chart.add(SVGChart.polyline(path, class: "estimate")) }
        if let crossing, crossing.answered > 0 {
            let rate = Double(crossing.passed) / Double(crossing.answered)
            chart.add(
                SVGChart.group(
                    class: "crossing crossing-\(crossing.outcome == .pass ? "pass" : "fail")",
                    tooltip:
                        "\(text(crossing.boundary.description)): \(crossing.passed) of \(crossing.answered) passed (\(text(Format.percent(rate))))",
                    SVGChart.circle(x: x(Double(crossing.answered)), y: y(rate), radius: 5, class: "crossing-mark")))
        }
        return """
            <figure class="figure" id="figure-sequential">
            <figcaption><h3>Sequential pass-rate gate</h3></figcaption>
            \(chart.markup)
            <p class="legend"><span class="key key-estimate"></span> running pass rate \
            <span class="key key-boundary-pass"></span> pass boundary (\(text(Format.percent(trace.requireLowerBound ? (1 - trace.confidence) / 2 : 1 - trace.confidence, digits: 1))) one-sided) \
            <span class="key key-boundary-fail"></span> fail boundary \
            <span class="key key-threshold"></span> threshold · a run stops once every gate is decided (docs/sequential.md)</p>
            </figure>
            """
    }
}
