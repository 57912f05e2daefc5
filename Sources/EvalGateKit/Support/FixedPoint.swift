/// Decimal text ⇄ whole numbers of 10⁻¹² units, the common ground of `Money` and `Rate`.
///
/// Thresholds and prices are decimal numbers people type ("0.05", "99.9%", "1.5e-7"). Binary
/// floating point cannot hold most of them, so a sum or a quotient that is exactly at a threshold
/// lands a hair above or below it (issue 12). Holding them as an integer count of 10⁻¹² units keeps
/// every value with up to 12 decimal places exact. Values stay within ±2⁶³ units (about 9.2 million
/// whole units), so a product of one with a count of cases or tokens (below 2⁶³) fits in `Int128`:
/// comparisons like k/n ≥ t become k·10¹² ≥ t·n with no overflow and no rounding.
enum FixedPoint {
    /// Decimal places held exactly.
    static let fractionDigits = 12
    /// 10¹²: one whole unit.
    static let one: Int128 = 1_000_000_000_000
    /// The largest magnitude held, 2⁶³ − 1 units (about 9.2 × 10⁶ whole units): small enough that a
    /// product with any `Int` count fits in `Int128`.
    static let limit: Int128 = Int128(Int64.max)

    /// What decimal text did not parse to.
    enum ParseFailure: Error, Equatable {
        /// Not a decimal number (`12`, `0.05`, `-3.5`, `1.5e-7`).
        case notANumber
        /// More decimal places than 12: it cannot be held exactly.
        case tooPrecise
        /// Beyond ±9.2 × 10⁶ whole units (`limit`).
        case outOfRange
    }

    /// How a value with more decimal places than are kept is brought onto the grid.
    enum Rounding {
        /// The nearest value; halfway values go to the even one (so repeated rounding has no bias).
        case toNearestOrEven
        /// The nearest value; halfway values go away from zero (how people round figures on paper).
        case toNearestOrAwayFromZero
        /// The next value toward +∞.
        case up
    }

    /// Parses `[+-]digits[.digits][e[+-]digits]` into 10⁻¹² units. Extra decimal places are an error
    /// unless `rounding` says how to drop them.
    static func parse(_ text: String, rounding: Rounding? = nil) -> Result<Int128, ParseFailure> {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var sawDigit = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                guard pointPosition == nil else { return .failure(.notANumber) }
                pointPosition = digits.count
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                sawDigit = true
                // Leading zeros carry no value; dropping them keeps long zero runs cheap.
                if digits.isEmpty, byte == UInt8(ascii: "0"), pointPosition == nil { continue }
                digits.append(byte - UInt8(ascii: "0"))
            } else {
                return .failure(.notANumber)
            }
        }
        guard sawDigit else { return .failure(.notANumber) }
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            guard let parsed = Int(String(decoding: bytes, as: UTF8.self)), abs(parsed) <= 1000 else { return .failure(.notANumber) }
            exponent = parsed
        }
        // value = 0.digits[...] shifted: the number of digits before the point, moved by the exponent.
        let integerDigits = (pointPosition ?? digits.count) + exponent
        // Digits beyond the 12th decimal place, which must be zero or rounded.
        let keptCount = integerDigits + fractionDigits
        var units: Int128 = 0
        for index in 0..<max(0, min(digits.count, keptCount)) {
            units = units * 10 + Int128(digits[index])
            if units > limit { return .failure(.outOfRange) }
        }
        if keptCount > digits.count {
            for _ in 0..<(keptCount - digits.count) {
                units *= 10
                if units > limit { return .failure(.outOfRange) }
            }
        }
        let dropped = keptCount < 0 ? digits : Array(digits.dropFirst(max(0, keptCount)))
        if dropped.contains(where: { $0 != 0 }) {
            guard let rounding else { return .failure(.tooPrecise) }
            // The first dropped digit decides, unless it is 5 and nothing follows (a tie).
            // A negative `keptCount` means zeros come before the dropped digits: far below half.
            let first = keptCount < 0 ? 0 : dropped[0]
            let rest = keptCount < 0 ? true : dropped.dropFirst().contains { $0 != 0 }
            let increment: Bool
            switch rounding {
            case .up: increment = !negative
            case .toNearestOrAwayFromZero: increment = first >= 5
            case .toNearestOrEven: increment = first > 5 || (first == 5 && (rest || units % 2 == 1))
            }
            // For `.up`, a negative value moves toward +∞ by dropping the digits (its magnitude shrinks).
            if increment { units += 1 }
            if units > limit { return .failure(.outOfRange) }
        }
        return .success(negative ? -units : units)
    }

    /// The exact decimal text of `units`: no exponent, no trailing zeros after the point.
    static func text(_ units: Int128) -> String {
        let magnitude = units.magnitude
        let whole = magnitude / UInt128(one)
        let fraction = magnitude % UInt128(one)
        var result = units < 0 ? "-" : ""
        result += String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: fractionDigits - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            result += "." + digits
        }
        return result
    }

    /// `units` rounded to `places` decimal places, every place written ("0.0500").
    static func text(_ units: Int128, places: Int, rounding: Rounding = .toNearestOrAwayFromZero) -> String {
        let places = min(max(places, 0), fractionDigits)
        let step = power10(fractionDigits - places)
        let rounded = roundedDivision(units, by: step, rounding) * step
        let exact = text(rounded)
        guard places > 0 else { return exact }
        var parts = exact.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 { parts.append("") }
        return parts[0] + "." + parts[1] + String(repeating: "0", count: places - parts[1].count)
    }

    static func power10(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<max(0, exponent) { result *= 10 }
        return result
    }

    /// `dividend / divisor` (divisor > 0) rounded as `rounding` says.
    static func roundedDivision(_ dividend: Int128, by divisor: Int128, _ rounding: Rounding) -> Int128 {
        precondition(divisor > 0, "division by a count that is not positive")
        var quotient = dividend / divisor
        let remainder = dividend % divisor
        guard remainder != 0 else { return quotient }
        let twice = remainder.magnitude * 2
        let away: Int128 = dividend < 0 ? -1 : 1
        switch rounding {
        case .up:
            if dividend > 0 { quotient += 1 }
        case .toNearestOrAwayFromZero:
            if twice >= divisor.magnitude { quotient += away }
        case .toNearestOrEven:
            if twice > divisor.magnitude || (twice == divisor.magnitude && quotient % 2 != 0) { quotient += away }
        }
        return quotient
    }
}

/// A decimal held exactly as a whole number of 10⁻¹² units: `Money` and `Rate` share their
/// conversions, text, literals and JSON through it.
public protocol FixedPointDecimal: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    /// The value in 10⁻¹² units.
    var fixedPointUnits: Int128 { get }
    /// A value of `units` 10⁻¹² units, clamped to the range `FixedPoint` holds.
    init(clamping units: Int128)
    /// How error messages name the kind of value ("an amount of money", "a rate").
    static var valueName: String { get }
}

extension FixedPointDecimal {
    /// The decimal a `Double` stands for, to the nearest 10⁻¹²; `nil` for infinities, NaN and values
    /// beyond the range held.
    ///
    /// It reads the shortest decimal that converts back to the same `Double` (Swift's `description`),
    /// which is the decimal that was written or computed whenever that had at most 15 significant
    /// digits: every value below 1,000 with 12 decimal places does. So an exact value sent through a
    /// `Double` (a case's `cost` in the journal and the JSON result) comes back unchanged, and a value
    /// that picked up binary noise (0.1 + 0.2) comes back as the decimal it was meant to be.
    public init?(approximating value: Double) {
        // Fast path, taken by every exact amount that went through `doubleValue` (a case's cost, on
        // every case): below 1,000 the doubles are closer together than 10⁻¹², so a whole number of
        // 10⁻¹² units whose nearest double is `value` is the only one, and it is the decimal the
        // text path below reads. Anything else (binary noise such as 0.1 + 0.2) takes that path.
        if value.magnitude < 1000 {
            let candidate = Int64((value * 1e12).rounded())
            if Double(candidate) / 1e12 == value {
                self.init(clamping: Int128(candidate))
                return
            }
        }
        guard value.isFinite, case .success(let units) = FixedPoint.parse(value.description, rounding: .toNearestOrEven) else { return nil }
        self.init(clamping: units)
    }

    /// The nearest `Double`, for JSON, display and statistics; comparisons use the exact value.
    public var doubleValue: Double {
        let units = fixedPointUnits
        // Both operands are exact doubles below 2⁵³, and IEEE division rounds once, correctly: the
        // nearest double to the exact quotient. Beyond that, parsing the exact decimal text rounds once.
        if units.magnitude < 1 << 53 { return Double(Int64(units)) / 1e12 }
        return Double(FixedPoint.text(units)) ?? Double(units) / Double(FixedPoint.one)
    }

    /// The exact value, with as many decimal places as it needs: "0.05", "2", "0.00000015".
    public var description: String { FixedPoint.text(fixedPointUnits) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.fixedPointUnits < rhs.fixedPointUnits }

    public init(integerLiteral value: Int) {
        self.init(clamping: Int128(value) * FixedPoint.one)
    }

    /// For literals in code (`maxCost: 0.5`, `minPassRate: 0.95`): the literal's shortest decimal,
    /// which is the literal as written for up to 15 significant digits. Input from files and flags
    /// goes through the types' `init?(exactly:)`.
    public init(floatLiteral value: Double) {
        guard let exact = Self(approximating: value) else { preconditionFailure("literal \(value) is out of range") }
        self = exact
    }

    /// A JSON number, as the result file always had: the exact value's nearest `Double`, which reads
    /// back as the same value (see `init?(approximating:)`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(doubleValue)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Double.self)
        guard let exact = Self(approximating: value) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(value) is not \(Self.valueName) evalgate can hold")
        }
        self = exact
    }
}
