import EvalGateTestSupport
import Testing

@testable import ReferenceAgentKit

@Suite("Triage agent")
struct TriageAgentTests {
    @Test func answersWithResultAndUsage() async throws {
        try await withReferenceAgent { agent in
            let reply = try await TestHTTP.post(
                agent.triageURL, json: ["ticket": "I was charged twice for my March invoice!", "ticket_id": "T-1001"])
            #expect(reply.status == 200)
            let body = try reply.json()
            let result = try #require(body["result"] as? [String: String])
            #expect(result == ["category": "billing", "priority": "P2", "team": "billing-ops"])
            #expect(body["ticket_id"] as? String == "T-1001")
            let usage = try #require(body["usage"] as? [String: Int])
            #expect((usage["input_tokens"] ?? 0) > 0 && (usage["output_tokens"] ?? 0) > 0)
        }
    }

    @Test func rejectsABodyWithoutTicket() async throws {
        try await withReferenceAgent { agent in
            let reply = try await TestHTTP.post(agent.triageURL, json: ["text": "hello"])
            #expect(reply.status == 400)
        }
    }

    @Test(arguments: [
        ("Our whole site is down, every customer gets 502 errors", "technical", "P1"),
        ("Someone logged in to my account from Russia and changed my email, I think I was hacked", "security", "P1"),
        ("Got a phishing email pretending to be your support team", "security", "P2"),
        ("My parcel tracking hasn't updated in 6 days", "shipping", "P3"),
        ("I can't reset my password, the reset link expired", "account", "P3"),
        ("Feature request: dark mode for the dashboard would be great", "feedback", "P4"),
        ("The CSV export throws an error for reports over 10k rows", "technical", "P3"),
    ])
    func triagesByRules(ticket: String, category: String, priority: String) {
        let decision = TriageAgent(variant: .good).triage(ticket)
        #expect(decision.category == category)
        #expect(decision.priority == priority)
    }
}

@Suite("Knowledge-base agent")
struct KnowledgeBaseAgentTests {
    @Test(arguments: [
        ("How many PTO days do I get per year?", "25 days"),
        ("how do i set up the vpn on my new laptop", "GlobalProtect"),
        ("What's the deadline for the security awareness training?", "March 15"),
        ("Do we get paid extra for being on call?", "$300 per week"),
        ("Can I roll over unused vacation days?", "5 unused PTO days"),
    ])
    func answersFromTheHandbook(question: String, fact: String) {
        #expect(KnowledgeBaseAgent(variant: .good).answer(question).contains(fact))
    }

    @Test(arguments: ["Who won the chili cook-off last year?", "Can I bring my dog on Fridays?", "?"])
    func saysItDoesNotKnow(question: String) {
        #expect(KnowledgeBaseAgent(variant: .good).answer(question).contains("#help-hr"))
    }

    @Test func answersOverHTTP() async throws {
        try await withReferenceAgent { agent in
            let reply = try await TestHTTP.post(
                agent.chatCompletionsURL,
                json: ["model": "kb-agent", "messages": [["role": "user", "content": "What's the hotel limit in London?"]]])
            let choice = try #require((reply.json()["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "stop")
            let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
            #expect(content.contains("$350"))
        }
    }
}
