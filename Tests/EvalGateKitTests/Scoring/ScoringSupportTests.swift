import Testing

@testable import EvalGateKit

@Suite("Scoring support: numbers, quoting, JSON extraction")
struct ScoringSupportTests {
    @Test(arguments: [
        ("The total is 42.", 42.0, "42"),
        ("Order A-10023", 10023, "10023"),
        ("-3 degrees", -3, "-3"),
        ("it is −7 outside", -7, "−7"),
        ("x = -2.5e3 units", -2500, "-2.5e3"),
        ("$1,234,567.89 due", 1_234_567.89, "1,234,567.89"),
        ("1,2345", 1, "1"),
        ("approx .75", 0.75, ".75"),
        ("3eggs", 3, "3"),
        ("v1.2.3", 1.2, "1.2"),
        ("5-7 days", 5, "5"),
    ])
    func firstNumber(_ text: String, _ value: Double, _ written: String) throws {
        let found = try #require(NumberScanner.firstNumber(in: text))
        #expect(found.value == value)
        #expect(found.text == written)
    }

    @Test(arguments: ["", "no numbers", "e", "-", ".", "-.", String(repeating: "x", count: 100_000)])
    func noNumber(_ text: String) {
        #expect(NumberScanner.firstNumber(in: text) == nil)
    }

    @Test func overflowingNumbersAreSkipped() throws {
        let found = try #require(NumberScanner.firstNumber(in: "1e999 then 4"))
        #expect(found.value == 4)
    }

    @Test(arguments: [
        ("short", "'short'"),
        ("line\nbreak\ttab", #"'line\nbreak\ttab'"#),
        ("bell\u{7}", #"'bell\u{7}'"#),
        (String(repeating: "x", count: 100), "'" + String(repeating: "x", count: 80) + "…'"),
    ])
    func quote(_ text: String, _ quoted: String) {
        #expect(ReasonText.quote(text) == quoted)
    }

    @Test func excerptsBoundOneCharacterWithMillionsOfCombiningMarks() {
        let text = "a" + String(repeating: "\u{301}", count: 1_000_000)
        let quoted = ReasonText.quote(text)
        #expect(quoted.unicodeScalars.count < 400)
        #expect(quoted.hasSuffix("…'"))
    }

    @Test(arguments: [(42.0, "42"), (0.125, "0.125"), (1e-7, "1e-07"), (-3, "-3"), (Double.nan, "NaN")])
    func numbers(_ value: Double, _ text: String) {
        #expect(ReasonText.number(value) == text)
    }

    @Test func listsAndSequencesAreCapped() {
        let names = (1...20).map { "t\($0)" }
        #expect(ReasonText.list(names, limit: 2) == "'t1', 't2', … (18 more)")
        #expect(ReasonText.sequence(Array(names.prefix(2))) == "[t1, t2]")
        #expect(ReasonText.sequence(names).hasSuffix("… (8 more)]"))
    }

    @Test(arguments: [
        ("{\"a\": 1}", AnswerJSON.Source.text),
        ("Sure!\n```json\n{\"a\": 1}\n```", .fencedBlock),
        ("```JSON\r\n{\"a\": 1}\r\n```", .fencedBlock),
        ("```python\nx\n```\n```json\n{\"a\": 1}\n```", .fencedBlock),
    ])
    func answerJSON(_ text: String, _ source: AnswerJSON.Source) throws {
        let parsed = try AnswerJSON.parse(text: text).get()
        #expect(parsed.value == ["a": 1])
        #expect(parsed.source == source)
    }

    @Test(arguments: ["", "   ", "```json\n{\"a\": 1}", "```json", "{'a': 1}"])
    func answerNotJSON(_ text: String) {
        #expect(throws: AnswerJSON.Failure.self) { try AnswerJSON.parse(text: text).get() }
    }

    @Test(arguments: [("  x \n", "x"), ("\u{3000}x\u{A0}", "x"), ("", ""), ("  ", ""), ("a b", "a b")])
    func trimmed(_ text: String, _ result: String) {
        #expect(TextSimilarity.trimmed(text) == result)
    }

    @Test func boundedPrefixCutsOnScalarBoundaries() {
        let text = String(repeating: "é", count: 10)
        let cut = BoundedRegex.boundedPrefix(of: text, limit: 5)
        #expect(cut == "éé")
        #expect(BoundedRegex.boundedPrefix(of: "short", limit: 5) == "short")
    }
}
