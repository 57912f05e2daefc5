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
public struct Money: Sendable, Hashable, Comparable {
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

    /// The decimal a `Double` stands for, to the nearest pico-unit; `nil` for infinities, NaN and
    /// amounts beyond `Money.max`.
    ///
    /// It reads the shortest decimal that converts back to the same `Double` (Swift's `description`),
    /// which is the decimal that was written or computed whenever that had at most 15 significant
    /// digits: every amount below 1,000 units with 12 decimal places does. So an exact amount sent
    /// through a `Double` (a case's `cost` in the journal and the JSON result) comes back unchanged,
    /// and a value that picked up binary noise (0.1 + 0.2) comes back as the decimal it was meant to be.
    public init?(approximating value: Double) {
        guard value.isFinite, case .success(let units) = FixedPoint.parse(value.description, rounding: .toNearestOrEven) else { return nil }
        self.picoUnits = units
    }

    /// The nearest `Double`, for JSON and charts; comparisons use the exact amount.
    public var doubleValue: Double {
        // Parsing the exact decimal text rounds once, correctly; dividing two doubles could round twice.
        Double(FixedPoint.text(picoUnits)) ?? Double(picoUnits) / Double(FixedPoint.one)
    }

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

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.picoUnits < rhs.picoUnits }

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

extension Money: CustomStringConvertible {
    /// The exact amount, with as many decimal places as it needs: "0.05", "2", "0.00000015".
    public var description: String { FixedPoint.text(picoUnits) }
}

extension Money: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) {
        self.init(clamping: Int128(value) * FixedPoint.one)
    }

    /// For literals in code (`maxCost: 0.5`): the literal's shortest decimal, which is the literal as
    /// written for up to 15 significant digits. Input from files and flags goes through `init?(exactly:)`.
    public init(floatLiteral value: Double) {
        guard let exact = Money(approximating: value) else { preconditionFailure("money literal \(value) is out of range") }
        self = exact
    }
}

extension Money: Codable {
    /// A JSON number, as the result file always had: the exact amount's nearest `Double`, which reads
    /// back as the same amount (see `init?(approximating:)`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(doubleValue)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Double.self)
        guard let money = Money(approximating: value) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(value) is not an amount of money evalgate can hold")
        }
        self = money
    }
}
