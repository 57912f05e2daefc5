import EvalGateTestSupport
import Foundation
import Testing

@testable import ReferenceAgentKit

/// The reference agent's deterministic judges, embeddings and flaky knowledge-base answers.
@Suite("Reference judge and embeddings")
struct JudgeTests {
    static func prompt(_ fields: [(String, String)]) -> String {
        var lines = ["Grade this. Here is the data:", "[BEGIN DATA]"]
        for (name, value) in fields { lines += ["************", "[\(name)]: \(value)"] }
        lines += ["************", "[END DATA]", "", "(A) an option line that is not data"]
        return lines.joined(separator: "\n")
    }

    @Test func readsTheDataBlock() {
        let fields = ReferenceJudge.dataFields(Self.prompt([("Rubric", "line one\nline two"), ("Answer", "It is 25 days.")]))
        #expect(fields == ["Rubric": "line one\nline two", "Answer": "It is 25 days."])
    }

    @Test(
        arguments: [
            ("Must mention: 25 days, PTO and accrued monthly.", ["25 days", "PTO", "accrued monthly"]),
            (#"The answer says "16 weeks" and "fully paid"."#, ["16 weeks", "fully paid"]),
            ("Be polite.", nil),
        ] as [(String, [String]?)])
    func requiredKeywords(rubric: String, keywords: [String]?) {
        #expect(ReferenceJudge.requiredKeywords(rubric) == keywords)
    }

    @Test func rubricGradesByKeywordsAndTheModelPicksABehaviour() throws {
        let prompt = Self.prompt([("Rubric", "must mention: 25 days, PTO"), ("Input", "q"), ("Answer", "You get 25 days of PTO.")])
        #expect(ReferenceJudge(model: "judge-a").reply(to: prompt) == #"{"reason":"mentions 25 days, PTO","score":1,"verdict":"pass"}"#)
        #expect(
            ReferenceJudge(model: "judge-contrarian").reply(to: prompt)
                == #"{"reason":"contrarian: mentions 25 days, PTO","score":0,"verdict":"fail"}"#)
        #expect(ReferenceJudge(model: "judge-fenced").reply(to: prompt).hasPrefix("Here is my grade:\n```json\n{"))
        #expect(!ReferenceJudge(model: "judge-malformed").reply(to: prompt).contains("{"))
        let half = Self.prompt([("Rubric", "must mention: 25 days, PTO"), ("Answer", "Some PTO.")])
        #expect(
            ReferenceJudge(model: "judge").reply(to: half) == #"{"reason":"does not mention 25 days (mentions PTO)","score":0.5,"verdict":"fail"}"#)
    }

    @Test(arguments: [
        ("Full-time staff get 25 days of PTO.", "C"), ("Full-time staff get 25 days of PTO, accrued monthly.", "B"),
        ("Staff get 25 days.", "A"), ("Nobody gets any leave.", "D"),
    ])
    func factualityByTokenOverlap(submission: String, choice: String) {
        let prompt = Self.prompt([("Question", "q"), ("Expert", "Full-time staff get 25 days of PTO."), ("Submission", submission)])
        #expect(ReferenceJudge(model: "judge-a").reply(to: prompt).hasSuffix("\n\(choice)"))
    }

    @Test func closedQAAnswersYOrN() {
        let yes = Self.prompt([("Task", "q"), ("Submission", "It is 16 weeks, fully paid."), ("Criterion", "must mention: 16 weeks")])
        #expect(ReferenceJudge(model: "judge-a").reply(to: yes) == "mentions 16 weeks.\nY")
        #expect(ReferenceJudge(model: "judge-contrarian").reply(to: yes).hasSuffix("\nN"))
        let no = Self.prompt([("Task", "q"), ("Submission", "It is 12 weeks."), ("Criterion", "must mention: 16 weeks")])
        #expect(ReferenceJudge(model: "judge-a").reply(to: no).hasSuffix("\nN"))
    }

    @Test func embeddingsAreNormalisedAndSimilarForSimilarTexts() {
        let a = HashingEmbedder.embedding(of: "Parental leave is 16 weeks, fully paid.")
        let b = HashingEmbedder.embedding(of: "parental LEAVE is 16 weeks; fully paid!")
        let c = HashingEmbedder.embedding(of: "Hotels are reimbursed up to $250 per night.")
        #expect(a.count == 128)
        #expect(abs(a.reduce(0) { $0 + $1 * $1 } - 1) < 1e-9)
        let ab = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let ac = zip(a, c).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(ab > 0.99)
        #expect(ac < 0.5)
        #expect(HashingEmbedder.embedding(of: "") == Array(repeating: 0, count: 128))
    }

    @Test func servesJudgesAndEmbeddingsOverHTTP() async throws {
        try await withReferenceAgent { agent in
            let chat = try await TestHTTP.post(
                agent.chatCompletionsURL,
                json: [
                    "model": "judge-a", "temperature": 0,
                    "messages": [
                        ["role": "system", "content": "You grade."],
                        ["role": "user", "content": Self.prompt([("Rubric", "must mention: 25 days"), ("Answer", "25 days")])],
                    ],
                ])
            #expect(chat.status == 200)
            let choices = try #require(try chat.json()["choices"] as? [[String: Any]])
            let message = try #require(choices.first?["message"] as? [String: Any])
            #expect(message["content"] as? String == #"{"reason":"mentions 25 days","score":1,"verdict":"pass"}"#)

            let embeddings = try await TestHTTP.post(
                agent.baseURL + "/v1/embeddings", json: ["model": "embed-small", "input": ["one text", "another"]])
            #expect(embeddings.status == 200)
            let body = try embeddings.json()
            let data = try #require(body["data"] as? [[String: Any]])
            #expect(data.count == 2)
            #expect(data.map { $0["index"] as? Int } == [0, 1])
            #expect((data.first?["embedding"] as? [Double])?.count == 128)
            #expect(body["model"] as? String == "embed-small")
            #expect(body["usage"] != nil)

            let bad = try await TestHTTP.post(agent.baseURL + "/v1/embeddings", json: ["model": "embed-small", "input": 3])
            #expect(bad.status == 400)

            let stats = await agent.statistics()
            #expect(stats.byAgent["judge-a"] == 1)
            #expect(stats.byAgent["embed-small"] == 1)
            #expect(stats.byPath["/v1/embeddings"] == 2)
        }
    }

    @Test func slowJudgeTakesTwoSeconds() async throws {
        try await withReferenceAgent { agent in
            let start = ContinuousClock.now
            let reply = try await TestHTTP.post(
                agent.chatCompletionsURL,
                json: ["model": "judge-slow", "messages": [["role": "user", "content": "[BEGIN DATA]\n[Rubric]: must mention: x\n[END DATA]"]]])
            #expect(reply.status == 200)
            #expect(ContinuousClock.now - start >= .seconds(2))
        }
    }

    @Test func flakyKnowledgeBaseAnswersAreWrongAtTheRequestedRateAndReproducible() async throws {
        func answers() async throws -> [String] {
            try await withReferenceAgent { agent in
                var answers: [String] = []
                for _ in 0..<40 {
                    let reply = try await TestHTTP.post(
                        agent.chatCompletionsURL,
                        json: ["model": "kb-agent", "messages": [["role": "user", "content": "How many PTO days do I get per year?"]]],
                        headers: ["X-Flaky": "0.5"])
                    let choices = try #require(try reply.json()["choices"] as? [[String: Any]])
                    answers.append(try #require((choices.first?["message"] as? [String: Any])?["content"] as? String))
                }
                return answers
            }
        }
        let first = try await answers()
        let wrong = first.filter { $0 == FlakyAnswers.wrongAnswer }.count
        #expect((8...32).contains(wrong), "\(wrong) of 40 wrong")
        #expect(first.filter { $0.contains("25 days") }.count == 40 - wrong)
        #expect(try await answers() == first)
        // Without the header the agent is reliable.
        try await withReferenceAgent { agent in
            let reply = try await TestHTTP.post(
                agent.chatCompletionsURL,
                json: ["model": "kb-agent", "messages": [["role": "user", "content": "How many PTO days do I get per year?"]]])
            #expect(reply.text.contains("25 days"))
        }
    }
}
