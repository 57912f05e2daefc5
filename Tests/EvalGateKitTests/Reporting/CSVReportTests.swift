import Testing

@testable import EvalGateKit

@Suite("CSV export")
struct CSVReportTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""), ("+1+1", "'+1+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"), ("plain", "plain"), ("a,b", "\"a,b\""), ("line\nbreak", "\"line\nbreak\""),
    ])
    func formulaCellsAreDefused(_ input: String, _ expected: String) {
        #expect(CSVReport.cell(input) == expected)
    }

    @Test func rendersOneRowPerCase() {
        let result = CaseResult(
            index: 0, id: "=cmd|' /C calc'!A0", dataset: "d.jsonl", tags: ["a", "b"], critical: true, cluster: nil, input: .text("q"), expected: nil,
            answer: AgentAnswer(text: "@evil"), scores: [ScoreResult(scorer: "contains", score: 0, passed: false, reason: "missing 'x'")], score: 0,
            status: .failed, error: nil, attempts: 1, latencyMilliseconds: 12, usage: nil, cost: nil, location: "d.jsonl:1")
        let csv = CSVReport.render([result])
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first == CSVReport.columns.joined(separator: ","))
        #expect(lines[1].hasPrefix("0,'=cmd|' /C calc'!A0,d.jsonl,failed,0.0000,a;b,true,12.0,,1,,contains: missing 'x',q,'@evil"))
    }
}
