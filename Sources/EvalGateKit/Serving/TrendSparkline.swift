import Foundation

/// A small pass-rate chart of an agent's recent runs: the estimate as a line, its Wilson interval
/// as a band, and a dot per run coloured by verdict. Drawn on the server; the page needs no script.
struct TrendSparkline: Sendable {
    typealias Markup = HTMLReport.Markup

    var runs: [RunDigest]
    var width: Double = 160
    var height: Double = 36
    var confidence: Double = 0.95

    var markup: Markup {
        guard !runs.isEmpty else { return "<span class=\"muted\">no runs</span>" }
        let rates = runs.map { $0.passRate(confidence: confidence) }
        let step = runs.count > 1 ? (width - 6) / Double(runs.count - 1) : 0
        func x(_ index: Int) -> Double { runs.count > 1 ? 3 + Double(index) * step : width / 2 }
        func y(_ value: Double) -> Double { 3 + (1 - value) * (height - 6) }
        let upper = rates.enumerated().map { "\(Self.number(x($0.offset))),\(Self.number(y($0.element.upper)))" }
        let lower = rates.enumerated().reversed().map { "\(Self.number(x($0.offset))),\(Self.number(y($0.element.lower)))" }
        let band = Markup.escape((upper + lower).joined(separator: " "))
        let line = Markup.escape(
            rates.enumerated().map { "\(Self.number(x($0.offset))),\(Self.number(y($0.element.estimate)))" }.joined(separator: " "))
        let dots = zip(runs, rates).enumerated().map { index, pair -> Markup in
            let (run, rate) = pair
            let tip = Markup.escape(
                "\(run.version) \(run.verdict.rawValue): \(Self.percent(rate.estimate)) [\(Self.percent(rate.lower))–\(Self.percent(rate.upper))]"
            )
            return
                "<circle class=\"dot-\(HTMLReport.word(run.verdict))\" cx=\"\(Markup.escape(Self.number(x(index))))\" cy=\"\(Markup.escape(Self.number(y(rate.estimate))))\" r=\"2.2\"><title>\(tip)</title></circle>"
        }
        let last = rates[rates.count - 1]
        let label = Markup.escape(
            "Pass rate of the last \(runs.count) runs, newest \(Self.percent(last.estimate)) (interval \(Self.percent(last.lower))–\(Self.percent(last.upper)))"
        )
        return """
            <svg class="spark" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-label="\(label)">\
            <polygon class="band" points="\(band)"/><polyline class="line" points="\(line)"/>\(dots)</svg>
            """
    }

    /// A coordinate with at most two decimals. The portfolio draws thousands of them, and
    /// `String(format:)` (what `Markup.coordinate` uses) dominated its rendering time.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(magnitude / 100)" }
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `Format.percent` (one decimal) without `String(format:)`.
    static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "0.0%" }
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }
}
