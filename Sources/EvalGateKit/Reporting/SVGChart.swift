import Foundation

/// An inline SVG drawing for the HTML report: a fixed coordinate system that scales with the page,
/// with an accessible name and description so a screen reader says what the chart shows.
///
/// Everything it writes is `Markup`, so untrusted text (tag names, versions) reaches a chart only escaped.
struct SVGChart: Sendable {
    typealias Markup = HTMLReport.Markup

    /// A trusted identifier, unique in the page (for `aria-labelledby`).
    var id: Markup
    var width: Double
    var height: Double
    var title: Markup
    var description: Markup
    var content = Markup()

    init(id: Markup, width: Double, height: Double, title: Markup, description: Markup) {
        self.id = id
        self.width = width
        self.height = height
        self.title = title
        self.description = description
    }

    mutating func add(_ markup: Markup) { content += markup }

    var markup: Markup {
        "<svg class=\"chart\" id=\"\(id)\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(title)\" aria-describedby=\"\(id)-desc\">"
            + "<title>\(title)</title><desc id=\"\(id)-desc\">\(description)</desc>\(content)</svg>"
    }

    // MARK: Shapes

    enum Anchor: String {
        case start, middle, end
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: Markup) -> Markup {
        "<line class=\"\(name)\" x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\"/>"
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, class name: Markup) -> Markup {
        "<rect class=\"\(name)\" x=\"\(x)\" y=\"\(y)\" width=\"\(max(0, width))\" height=\"\(max(0, height))\"/>"
    }

    static func circle(x: Double, y: Double, radius: Double, class name: Markup) -> Markup {
        "<circle class=\"\(name)\" cx=\"\(x)\" cy=\"\(y)\" r=\"\(radius)\"/>"
    }

    static func polyline(_ points: [(x: Double, y: Double)], class name: Markup) -> Markup {
        let list = points.map { "\(Markup.coordinate($0.x)),\(Markup.coordinate($0.y))" }.joined(separator: " ")
        var coordinates = Markup()
        coordinates += Markup.escape(list)
        return "<polyline class=\"\(name)\" points=\"\(coordinates)\"/>"
    }

    static func text(_ content: Markup, x: Double, y: Double, anchor: Anchor = .start, class name: Markup = "label", rotate: Double? = nil) -> Markup
    {
        let transform: Markup = rotate.map { " transform=\"rotate(\($0) \(x) \(y))\"" } ?? ""
        let anchorName: Markup = anchor == .start ? "start" : anchor == .middle ? "middle" : "end"
        return "<text class=\"\(name)\" x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchorName)\"\(transform)>\(content)</text>"
    }

    /// A group with a tooltip: browsers show the `<title>` on hover, screen readers read it.
    static func group(class name: Markup, tooltip: Markup, _ content: Markup) -> Markup {
        "<g class=\"\(name)\"><title>\(tooltip)</title>\(content)</g>"
    }

    // MARK: Scales

    /// Maps a data interval onto a pixel interval (the pixel interval may run backwards, as y does).
    struct Scale: Sendable {
        var domain: (lower: Double, upper: Double)
        var pixels: (start: Double, end: Double)

        init(domain: (lower: Double, upper: Double), pixels: (start: Double, end: Double)) {
            self.domain = domain
            self.pixels = pixels
        }

        func callAsFunction(_ value: Double) -> Double {
            let span = domain.upper - domain.lower
            guard span > 0, value.isFinite else { return pixels.start }
            let fraction = min(1, max(0, (value - domain.lower) / span))
            return pixels.start + fraction * (pixels.end - pixels.start)
        }
    }

    /// A round step (1, 2, 2.5 or 5 × 10ⁿ) that divides `span` into at most about `count` parts, for axis ticks and bins.
    static func niceStep(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite, count > 0 else { return 1 }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let residual = raw / magnitude
        let factor: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10
        return factor * magnitude
    }

    /// Tick values from 0 to at least `upper`, `count` or so of them, on round numbers.
    static func ticks(upTo upper: Double, count: Int) -> [Double] {
        let step = niceStep(span: upper, count: count)
        let last = max(step, (upper / step).rounded(.up) * step)
        return stride(from: 0, through: last + step / 2, by: step).map { $0 }
    }
}
