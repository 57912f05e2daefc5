import Foundation
import Testing

@testable import ReferenceAgentKit

@Suite("Standard input mode")
struct StdioTests {
    @Test func answersAKnowledgeBaseQuestion() throws {
        let output = try ReferenceAgentStdio.answer(
            caseJSON: Data(#"{"id": "kb-1", "input": "How do I connect to the VPN?", "metadata": {}}"#.utf8), agent: "kb-agent")
        let object = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(object["id"] as? String == "kb-1")
        #expect((object["answer"] as? String)?.contains("GlobalProtect") == true)
        #expect((object["usage"] as? [String: Int])?["input_tokens"] != nil)
    }

    @Test func triageAnswerIsAnObjectAndMessagesAreAccepted() throws {
        let input = #"{"id": 7, "input": [{"role": "user", "content": "Package never arrived, tracking says delivered"}]}"#
        let output = try ReferenceAgentStdio.answer(caseJSON: Data(input.utf8), agent: "triage-agent")
        let object = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(object["id"] as? String == "7")
        #expect((object["answer"] as? [String: String])?["category"] == "shipping")
    }

    @Test func rejectsUnreadableInputAndTheRefundAgent() {
        #expect(throws: ReferenceAgentStdio.Failure.self) {
            try ReferenceAgentStdio.answer(caseJSON: Data("not json".utf8), agent: "kb-agent")
        }
        #expect(throws: ReferenceAgentStdio.Failure.unknownAgent("refund-agent")) {
            try ReferenceAgentStdio.answer(caseJSON: Data(#"{"input": "hi"}"#.utf8), agent: "refund-agent")
        }
    }
}
