/// An amount of money held exactly, as a whole number of pico-units (10⁻¹² of the currency's unit).
///
/// Why not `Double`: 40 cases at 0.05 summed in binary floating point give a mean of
/// 0.050000000000000024, which fails a 0.05 limit (issue 12). Why pico-units rather than micro- or
/// nano-units: prices are per token, and a price of $0.0375 per million tokens is 3.75 × 10⁻⁸ per
/// token; with 12 decimal places every price per 1,000 tokens written with up to 9 decimal places
/// costs an exact amount for any number of tokens. Why not Foundation's `Decimal`: a fixed scale
/// makes sums, comparisons and the one rounding rule (see `dividedRoundingUp(by:)`) plain integer
/// arithmetic that reads the same on every platform.
///
/// Amounts stay within ±(2⁶³ − 1) pico-units, about 9.2 million whole units; arithmetic beyond that
/// clamps to the limit. A clamped amount is above every limit that can be set, so it can only fail
/// a gate or stop a budget, never pass one.
public struct Money: FixedPointDecimal {
    /// The amount in 10⁻¹² units of the currency.
    public let picoUnits: Int128

    public static let zero = Money(clamping: 0)
    /// The largest amount held.
    public static let max = Money(clamping: FixedPoint.limit)

    /// An amount of `picoUnits` 10⁻¹² units, clamped to ±`Money.max`.
    public init(clamping picoUnits: Int128) {
        self.picoUnits = Swift.min(Swift.max(picoUnits, -FixedPoint.limit), FixedPoint.limit)
    }

    /// Decimal text as a person writes it (`0.05`, `12`, `1.5e-7`), exactly; `nil` when the text is
    /// not a number, has more than 12 decimal places, or is beyond `Money.max`.
    public init?(exactly text: String) {
        guard case .success(let units) = FixedPoint.parse(text) else { return nil }
        self.picoUnits = units
    }

    public var fixedPointUnits: Int128 { picoUnits }

    /// What a JSON value that cannot be held is reported as not being.
    public static let valueName = "an amount of money"

    public var isZero: Bool { picoUnits == 0 }

    /// Decimal places held exactly (12).
    public static let fractionDigits = FixedPoint.fractionDigits

    /// Decimal places the exact amount needs: 2 for 0.05, 0 for 2.
    public var decimalPlaces: Int {
        var places = FixedPoint.fractionDigits
        var units = picoUnits
        while places > 0, units % 10 == 0 {
            units /= 10
            places -= 1
        }
        return places
    }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(clamping: lhs.picoUnits + rhs.picoUnits) }

    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }

    public static func - (lhs: Money, rhs: Money) -> Money { Money(clamping: lhs.picoUnits - rhs.picoUnits) }

    /// `count` times this amount, exactly (clamped to `Money.max`).
    public static func * (lhs: Money, rhs: Int) -> Money {
        // |lhs| ≤ 2⁶³ and |rhs| ≤ 2⁶³, so the product fits in Int128.
        Money(clamping: lhs.picoUnits * Int128(rhs))
    }

    /// The mean of `count` amounts whose sum this is, rounded **up** to the next pico-unit.
    ///
    /// Rounding up keeps the figure from ever understating cost, and because every limit is a whole
    /// number of pico-units, `mean ≤ limit` on the rounded figure gives the same answer as on the
    /// exact quotient: for a limit L on the grid, ⌈x⌉ ≤ L exactly when x ≤ L.
    public func dividedRoundingUp(by count: Int) -> Money {
        precondition(count > 0, "a mean over no cases")
        return Money(clamping: FixedPoint.roundedDivision(picoUnits, by: Int128(count), .up))
    }

    /// The amount with `places` decimal places (0…12), rounded half away from zero: "0.0500".
    public func formatted(places: Int) -> String {
        FixedPoint.text(picoUnits, places: places)
    }
}
