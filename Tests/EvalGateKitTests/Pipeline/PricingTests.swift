import Foundation
import Testing

@testable import EvalGateKit

/// A case's cost is its token counts times the prices, in integers: no binary rounding on the way.
@Suite("Pricing")
struct PricingTests {
    func pricing(_ input: String, _ output: String) throws -> Pricing {
        Pricing(inputPer1K: try #require(Money(exactly: input)), outputPer1K: try #require(Money(exactly: output)))
    }

    @Test(arguments: [
        // $0.15 / $0.60 per million tokens: 1.5e-7 and 6e-7 a token.
        ("0.00015", "0.0006", 1, 0, "0.00000015"), ("0.00015", "0.0006", 1234, 567, "0.0005253"),
        // $0.0375 per million tokens is 3.75e-8 a token: beyond micro- and nano-units, exact here.
        ("0.0000375", "0.00015", 1, 1, "0.0000001875"), ("0.0000375", "0", 3, 0, "0.0000001125"),
        ("1", "1", 50, 0, "0.05"), ("0.05", "0", 1000, 0, "0.05"), ("0", "0", 1_000_000, 1_000_000, "0"),
    ])
    func costsTokensExactly(input: String, output: String, inputTokens: Int, outputTokens: Int, expected: String) throws {
        let cost = try pricing(input, output).exactCost(of: TokenUsage(inputTokens: inputTokens, outputTokens: outputTokens))
        #expect(cost == Money(exactly: expected))
        #expect(cost.description == expected)
    }

    @Test func theStoredDoubleReadsBackAsTheExactCost() throws {
        let pricing = try pricing("0.0000375", "0.00015")
        for tokens in stride(from: 1, to: 200_000, by: 997) {
            let usage = TokenUsage(inputTokens: tokens, outputTokens: tokens / 3)
            #expect(Money(approximating: pricing.cost(of: usage)) == pricing.exactCost(of: usage))
        }
    }

    @Test func aPriceFinerThanNineDecimalsRoundsOnceToThePicoUnit() throws {
        // 1e-10 per 1,000 tokens is 1e-13 a token: 5 tokens are half a pico-unit, rounded to even (0).
        let pricing = try pricing("0.0000000001", "0")
        #expect(pricing.exactCost(of: TokenUsage(inputTokens: 5, outputTokens: 0)) == .zero)
        #expect(pricing.exactCost(of: TokenUsage(inputTokens: 15, outputTokens: 0)) == Money(clamping: 2))
    }

    @Test func absurdTokenCountsClampInsteadOfTrapping() throws {
        let pricing = try pricing("1000000", "1000000")
        #expect(pricing.exactCost(of: TokenUsage(inputTokens: .max, outputTokens: .max)) == .max)
    }

    @Test func pricesAreReadFromYAMLAsWritten() throws {
        let node = try YAMLDocument.parse(Data("{input_per_1k: 0.00015, output_per_1k: 6e-4}".utf8), displayPath: "p.yaml", limits: .pipeline)
        let reader = YAMLReader(file: "p.yaml", interpolation: nil)
        let entries = try #require(node.flatMap { reader.mapping($0, "'pricing'", allowed: ["input_per_1k", "output_per_1k"]) })
        #expect(reader.money(entries["input_per_1k"], "'pricing.input_per_1k'", range: 0...1_000_000) == Money(exactly: "0.00015"))
        #expect(reader.money(entries["output_per_1k"], "'pricing.output_per_1k'", range: 0...1_000_000) == Money(exactly: "0.0006"))
        #expect(!reader.diagnostics.hasErrors)
        let bad = try YAMLDocument.parse(Data("{a: 0.0000000000001, b: -1, c: lots}".utf8), displayPath: "p.yaml", limits: .pipeline)
        let badEntries = try #require(bad.flatMap { reader.mapping($0, "'x'", allowed: ["a", "b", "c"]) })
        #expect(reader.money(badEntries["a"], "'a'", range: 0...1_000_000) == nil)
        #expect(reader.money(badEntries["b"], "'b'", range: 0...1_000_000) == nil)
        #expect(reader.money(badEntries["c"], "'c'", range: 0...1_000_000) == nil)
        let messages = reader.diagnostics.diagnostics.map(\.message)
        #expect(messages.contains("'a' has more decimal places than evalgate holds exactly (12), found '0.0000000000001'"))
        #expect(messages.contains("'b' must be between 0 and 1000000, found -1"))
        #expect(messages.contains("'c' must be a number, found 'lots'"))
    }
}
