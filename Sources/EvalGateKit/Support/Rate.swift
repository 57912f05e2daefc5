/// A rate threshold (a pass rate, an error rate) held as the exact decimal that was written:
/// `0.95`, `95%`, `99.9%`.
///
/// A gate compares a count of cases, k of n, with it. In binary floating point `99.9%` parses to
/// 0.9990000000000001, above 999 of 1000, so a run exactly at the bar failed (issue 12). Here the
/// comparison is k/n ≥ t ⇔ k·10¹² ≥ t·10¹²·n, in integers. Statistical comparisons (a Wilson bound,
/// a bootstrap interval) are estimates to begin with and use `doubleValue`.
public struct Rate: FixedPointDecimal {
    /// The rate in 10⁻¹² units: 0.95 is 950_000_000_000.
    public let units: Int128

    /// A rate of `units` 10⁻¹² units, clamped to the range `FixedPoint` holds.
    public init(clamping units: Int128) {
        self.units = Swift.min(Swift.max(units, -FixedPoint.limit), FixedPoint.limit)
    }

    /// `0.95` or `95%`, exactly; `nil` when the text is not a number or has more than 12 decimal
    /// places (10 for a percentage).
    public init?(exactly text: String) {
        let trimmed = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard case .success(let units) = FixedPoint.parse(trimmed) else { return nil }
        if text.hasSuffix("%") {
            guard units % 100 == 0 else { return nil }
            self.units = units / 100
        } else {
            self.units = units
        }
    }

    public var fixedPointUnits: Int128 { units }

    public static let valueName = "a rate"

    /// Whether `count` of `total` is at least this rate, exactly. `total` must be positive.
    public func isReached(by count: Int, of total: Int) -> Bool {
        compare(count, of: total) >= 0
    }

    /// Whether `count` of `total` is above this rate, exactly. `total` must be positive.
    public func isExceeded(by count: Int, of total: Int) -> Bool {
        compare(count, of: total) > 0
    }

    /// The sign of count/total − rate. With |count|, |total| < 2⁶³ and |units| ≤ 2⁶³ both products fit in `Int128`.
    func compare(_ count: Int, of total: Int) -> Int {
        precondition(total > 0, "a rate of no cases")
        let left = Int128(count) * FixedPoint.one
        let right = units * Int128(total)
        return left < right ? -1 : (left == right ? 0 : 1)
    }
}
