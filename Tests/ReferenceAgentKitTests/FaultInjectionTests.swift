import AsyncHTTPClient
import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@Suite("Fault injection and statistics")
struct FaultInjectionTests {
    static var question: [String: Any] { ["model": "kb-agent", "messages": [["role": "user", "content": "When is payday?"]]] }

    @Test(arguments: [("500", 500), ("503", 503), ("429", 429)])
    func errorStatuses(fault: String, status: Int) async throws {
        try await withReferenceAgent { agent in
            let reply = try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": fault])
            #expect(reply.status == status)
            #expect(try reply.json()["error"] != nil)
            if status == 429 {
                #expect(reply.headers.first(name: "Retry-After") == "1")
            }
            #expect(await agent.statistics().faultsInjected == [fault: 1])
        }
    }

    @Test func malformedIsA200ThatIsNotJSON() async throws {
        try await withReferenceAgent { agent in
            let reply = try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": "malformed"])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "Content-Type") == "application/json")
            #expect((try? JSONSerialization.jsonObject(with: reply.body)) == nil)
        }
    }

    @Test(arguments: ["truncated", "reset"])
    func brokenConnectionsFailTheRequest(fault: String) async throws {
        try await withReferenceAgent { agent in
            await #expect(throws: (any Error).self) {
                _ = try await TestHTTP.post(
                    agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": fault], timeout: .seconds(5))
            }
            // The server is still fine afterwards.
            let reply = try await TestHTTP.get(agent.baseURL + "/healthz")
            #expect(reply.status == 200 && reply.text == "ok")
        }
    }

    @Test func hangTimesOutTheClientAndIsReleasedOnStop() async throws {
        let agent = try await ReferenceAgentHarness.start()
        await #expect(throws: (any Error).self) {
            _ = try await TestHTTP.post(
                agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": "hang"], timeout: .milliseconds(300))
        }
        let start = ContinuousClock.now
        await agent.stop()
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func slowDripDeliversTheWholeAnswerSlowly() async throws {
        try await withReferenceAgent { agent in
            let start = ContinuousClock.now
            let reply = try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": "slow-drip"])
            #expect(ContinuousClock.now - start > .milliseconds(500))
            #expect(reply.text.contains("last business day"))
        }
    }

    @Test func hugeBodyIsFiftyMebibytesOfValidJSON() async throws {
        try await withReferenceAgent { agent in
            await #expect(throws: (any Error).self) {
                _ = try await TestHTTP.post(
                    agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": "huge"], maximumBody: 1 << 20)
            }
            let reply = try await TestHTTP.post(
                agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": "huge"], maximumBody: 64 << 20)
            #expect(reply.body.count == 50 * 1024 * 1024)
            #expect(reply.headers.first(name: "Content-Length") == String(50 * 1024 * 1024))
            #expect(try reply.json()["choices"] != nil)
        }
    }

    @Test func faultCountFaultsOnlyTheFirstRequestsOfAKey() async throws {
        try await withReferenceAgent { agent in
            let headers = ["X-Fault": "503", "X-Fault-Count": "2", "X-Fault-Key": "retry-test"]
            var statuses: [Int] = []
            for _ in 0..<3 {
                statuses.append(try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question, headers: headers).status)
            }
            #expect(statuses == [503, 503, 200])
            // Another key has its own count.
            var other = headers
            other["X-Fault-Key"] = "another-test"
            #expect(try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question, headers: other).status == 503)
        }
    }

    @Test func unknownFaultIsABadRequest() async throws {
        try await withReferenceAgent { agent in
            let reply = try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": "gremlins"])
            #expect(reply.status == 400)
            #expect(reply.text.contains("slow-drip"))
        }
    }

    @Test func rateLimitEveryNthRequest() async throws {
        try await withReferenceAgent(ReferenceAgentConfiguration(rateLimitEvery: 3)) { agent in
            var statuses: [Int] = []
            for _ in 0..<6 {
                statuses.append(try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question).status)
            }
            #expect(statuses == [200, 200, 429, 200, 200, 429])
        }
    }

    @Test func randomFaultsFollowTheSeed() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            try await withReferenceAgent(ReferenceAgentConfiguration(errorRate: 0.5, seed: seed)) { agent in
                var statuses: [Int] = []
                for _ in 0..<12 {
                    statuses.append(try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question).status)
                }
                return statuses
            }
        }
        let first = try await statuses(seed: 7)
        #expect(try await statuses(seed: 7) == first)
        #expect(first.contains(500) && first.contains(200))
    }

    @Test func fixedLatencyDelaysAnswers() async throws {
        try await withReferenceAgent(ReferenceAgentConfiguration(latency: .milliseconds(120))) { agent in
            let start = ContinuousClock.now
            _ = try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question)
            #expect(ContinuousClock.now - start >= .milliseconds(120))
        }
    }

    @Test func statsCountRequestsByPathAgentAndFault() async throws {
        try await withReferenceAgent { agent in
            _ = try await TestHTTP.get(agent.baseURL + "/healthz")
            _ = try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question)
            _ = try await TestHTTP.post(agent.chatCompletionsURL, json: Self.question, headers: ["X-Fault": "500"])
            _ = try await TestHTTP.post(agent.triageURL, json: ["ticket": "where is my parcel?"])
            let reply = try await TestHTTP.get(agent.baseURL + "/stats")
            let stats = try JSONDecoder().decode(ReferenceAgentStatistics.self, from: reply.body)
            #expect(stats.total == 4)
            #expect(stats.byPath == ["/healthz": 1, "/v1/chat/completions": 2, "/api/triage": 1])
            #expect(stats.byAgent == ["kb-agent": 2, "triage-agent": 1])
            #expect(stats.faultsInjected == ["500": 1])
            #expect(try reply.json()["faults_injected_total"] as? Int == 1)

            let reset = try await TestHTTP.send(
                agent.baseURL + "/stats", method: .DELETE, body: nil, headers: [:], timeout: .seconds(5), maximumBody: 1024)
            #expect(reset.status == 204)
            #expect(await agent.statistics() == ReferenceAgentStatistics())
        }
    }
}
