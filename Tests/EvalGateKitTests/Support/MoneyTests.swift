import Foundation
import Testing

@testable import EvalGateKit

@Suite("Money and rates")
struct MoneyTests {
    @Test(arguments: [
        ("0.05", Int128(50_000_000_000)), ("12", 12_000_000_000_000), ("-3.5", -3_500_000_000_000), ("1.5e-7", 150_000),
        ("0.000000000001", 1), (".5", 500_000_000_000), ("5.", 5_000_000_000_000), ("+0.10", 100_000_000_000), ("1E3", 1_000_000_000_000_000),
        ("0", 0), ("000.0500", 50_000_000_000), ("2.5e0", 2_500_000_000_000), ("1e-12", 1), ("0e999", 0),
    ])
    func parsesDecimalTextExactly(text: String, picoUnits: Int128) {
        #expect(Money(exactly: text)?.picoUnits == picoUnits)
    }

    @Test(arguments: ["", ".", "-", "abc", "0.05 USD", "1e", "1e+", "nan", "inf", "1.2.3", "0x10", "1e5000", "0.0000000000001", "1e-13", "9300000"])
    func rejectsWhatIsNotAnExactAmount(text: String) {
        #expect(Money(exactly: text) == nil)
    }

    @Test func distinguishesWhyTextDoesNotParse() {
        #expect(FixedPoint.parse("0.0000000000001") == .failure(.tooPrecise))
        #expect(FixedPoint.parse("10000000") == .failure(.outOfRange))
        #expect(FixedPoint.parse("ten") == .failure(.notANumber))
        #expect(FixedPoint.parse("0.0000000000005", rounding: .toNearestOrEven) == .success(0))
        #expect(FixedPoint.parse("0.0000000000015", rounding: .toNearestOrEven) == .success(2))
        #expect(FixedPoint.parse("0.0000000000005", rounding: .toNearestOrAwayFromZero) == .success(1))
        #expect(FixedPoint.parse("0.00000000000001", rounding: .up) == .success(1))
        #expect(FixedPoint.parse("-0.00000000000001", rounding: .up) == .success(0))
    }

    @Test func fortyTimesFiveCentsIsTwoAndItsMeanIsFiveCents() {
        var total = Money.zero
        for _ in 0..<40 { total += Money(exactly: "0.05")! }
        #expect(total == 2)
        #expect(total.dividedRoundingUp(by: 40) == Money(exactly: "0.05"))
        // The same sum in Double drifts: this is the defect the type exists for.
        #expect((0..<40).reduce(0.0) { sum, _ in sum + 0.05 } / 40 != 0.05)
    }

    @Test func meanRoundsUpSoItNeverUnderstatesAndComparesLikeTheExactQuotient() {
        let limit = Money(exactly: "0.05")!
        // One pico-unit over in total: the exact mean is 0.05 + 1/40 pico, above the limit.
        let total = limit * 40 + Money(clamping: 1)
        let mean = total.dividedRoundingUp(by: 40)
        #expect(mean > limit)
        #expect(mean.description == "0.050000000001")
        #expect(Money(exactly: "1")!.dividedRoundingUp(by: 3).description == "0.333333333334")
        #expect(Money(exactly: "-1")!.dividedRoundingUp(by: 3).description == "-0.333333333333")
    }

    @Test func describesAndFormatsExactly() {
        #expect(Money(exactly: "0.0500")!.description == "0.05")
        #expect(Money(exactly: "2")!.description == "2")
        #expect(Money(exactly: "1.5e-7")!.description == "0.00000015")
        #expect(Money(exactly: "-0.25")!.description == "-0.25")
        #expect(Money(exactly: "0.05")!.formatted(places: 4) == "0.0500")
        #expect(Money(exactly: "0.00005")!.formatted(places: 4) == "0.0001")
        #expect(Money(exactly: "0.000049999")!.formatted(places: 4) == "0.0000")
        #expect(Money(exactly: "-0.00005")!.formatted(places: 4) == "-0.0001")
        #expect(Money(exactly: "12.5")!.formatted(places: 0) == "13")
        #expect(Money(exactly: "0.050000000001")!.formatted(places: 12) == "0.050000000001")
    }

    @Test func doubleIsTheNearestAndReadsBackAsTheSameAmount() throws {
        #expect(Money(exactly: "0.05")!.doubleValue == 0.05)
        #expect(Money(approximating: 0.1 + 0.2) == Money(exactly: "0.3"))
        #expect(Money(approximating: .nan) == nil)
        #expect(Money(approximating: .infinity) == nil)
        #expect(Money(approximating: 1e300) == nil)
        // Every amount below 1,000 units with 12 decimal places survives a trip through Double.
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<20_000 {
            let amount = Money(clamping: Int128(Int64.random(in: 0...999_999_999_999_999, using: &generator)))
            let back = try #require(Money(approximating: amount.doubleValue))
            #expect(back == amount, "\(amount)")
            if back != amount { break }
        }
    }

    @Test func arithmeticClampsInsteadOfTrapping() {
        #expect(Money.max + 1 == Money.max)
        #expect(Money.max * Int.max == Money.max)
        #expect(Money.zero - Money.max - Money.max == Money(clamping: -FixedPoint.limit))
        #expect(Money(exactly: "0.05")! * 3 == Money(exactly: "0.15"))
    }

    @Test func codesAsAPlainJSONNumber() throws {
        struct Box: Codable, Equatable {
            var cost: Money
            var rate: Rate
        }
        let box = Box(cost: Money(exactly: "0.05")!, rate: Rate(exactly: "99.9%")!)
        let data = try JSONCoding.encoder().encode(box)
        #expect(String(decoding: data, as: UTF8.self) == #"{"cost":0.05,"rate":0.999}"#)
        #expect(try JSONCoding.decoder().decode(Box.self, from: data) == box)
        #expect(throws: DecodingError.self) { try JSONCoding.decoder().decode(Box.self, from: Data(#"{"cost":"inf","rate":1}"#.utf8)) }
    }

    @Test(arguments: [
        ("0.95", 57, 60, true), ("0.95", 56, 60, false), ("95%", 57, 60, true), ("99.9%", 999, 1000, true),
        ("99.9%", 998, 1000, false), ("0.7", 7, 10, true), ("1", 10, 10, true), ("1", 9, 10, false), ("0", 0, 10, true),
        ("0.333333333333", 1, 3, true), ("0.333333333334", 1, 3, false),
    ])
    func rateComparesCountsExactly(text: String, count: Int, total: Int, reached: Bool) throws {
        let rate = try #require(Rate(exactly: text))
        #expect(rate.isReached(by: count, of: total) == reached)
    }

    @Test func rateIsExceededOnlyAboveIt() throws {
        let rate = try #require(Rate(exactly: "5%"))
        #expect(!rate.isExceeded(by: 3, of: 60))
        #expect(rate.isExceeded(by: 4, of: 60))
        // Counts as large as Int allows do not overflow.
        #expect(Rate(exactly: "0.5")!.isReached(by: Int.max / 2 + 1, of: Int.max))
        #expect(!Rate(exactly: "0.5")!.isReached(by: Int.max / 2, of: Int.max))
    }

    @Test func rateParsesPercentagesAndLiterals() {
        #expect(Rate(exactly: "95%") == Rate(exactly: "0.95"))
        #expect(Rate(exactly: "99.9%")?.description == "0.999")
        #expect(Rate(exactly: "0.0000000000001%") == nil)
        #expect(Rate(exactly: "high") == nil)
        let literal: Rate = 0.95
        #expect(literal == Rate(exactly: "0.95"))
        #expect(Rate(exactly: "0.95")!.doubleValue == 0.95)
    }

    /// The arithmetic fast paths of `doubleValue` and `init?(approximating:)` agree with the decimal
    /// text paths they shortcut, on amounts across the range a case cost takes and beyond it.
    @Test func fastConversionsAgreeWithTheTextPaths() {
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<20_000 {
            let scale = Int128(1) << Int128(generator.nextInt(below: 62))
            let units = Int128(generator.nextInt(below: Int(Swift.min(scale, 1 << 61)))) * (generator.nextInt(below: 2) == 0 ? 1 : -1)
            let amount = Money(clamping: units)
            let viaText = Double(amount.description)!
            #expect(amount.doubleValue == viaText, "\(amount)")
            if units.magnitude < 1_000 * FixedPoint.one {
                #expect(Money(approximating: amount.doubleValue) == amount, "\(amount)")
            }
        }
        // Binary noise is read as the decimal it was meant to be, by either path.
        #expect(Money(approximating: 0.1 + 0.2) == Money(exactly: "0.3"))
        #expect(Money(approximating: 1e300) == nil)
    }
}
