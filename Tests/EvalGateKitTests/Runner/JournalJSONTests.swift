import Foundation
import Testing

@testable import EvalGateKit

/// The journal writes records by hand; they must be exactly what `JSONEncoder` writes, because the
/// result file and the history copy them as they are and read them back with `JSONDecoder`.
@Suite("Journal records")
struct JournalJSONTests {
    @Test func theHandWrittenEncodingIsInUse() {
        // False would mean a field was added to a result type without teaching the writer about it:
        // records would still be right (it falls back to JSONEncoder) but every run slower.
        #expect(JournalJSON.isExact)
    }

    @Test(arguments: JournalJSON.probes.indices)
    func recordsAreByteForByteWhatJSONEncoderWrites(probe: Int) throws {
        let result = JournalJSON.probes[probe]
        var writer = JournalJSON.Writer()
        writer.write(result)
        let reference = try JSONCoding.encoder().encode(result)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        let decoded = try JSONCoding.decoder().decode(CaseResult.self, from: Data(writer.bytes))
        #expect(try JSONCoding.encoder().encode(decoded) == reference)
    }

    @Test func everyStringEscapeRoundTrips() throws {
        // Every control character, both quotes, backslash, and characters JSONEncoder leaves alone.
        let text = String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }) + "/é€😀\u{2028}\u{FEFF}"
        var writer = JournalJSON.Writer()
        writer.value(text)
        let reference = try JSONCoding.encoder().encode(text)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
    }

    @Test(arguments: [
        0.0, -0.0, 1, -1, 0.1, 1e-7, 1.5e300, 123_456_789_012, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, .nan, .infinity,
        -.infinity,
    ])
    func numbersAreWrittenAsJSONEncoderWritesThem(number: Double) throws {
        var writer = JournalJSON.Writer()
        writer.value(number)
        let reference = try JSONCoding.encoder().encode(number)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
    }

    /// The probes give every coding key of every record type a value, so the byte comparison above
    /// covers every field: a key added to a type's `CodingKeys` without teaching the writer fails here.
    @Test func theProbesUseEveryCodingKey() throws {
        let full = try JSONValue(parsing: JSONCoding.encoder().encode(JournalJSON.probes[0]))
        let bare = try JSONValue(parsing: JSONCoding.encoder().encode(JournalJSON.probes[1]))
        func keys(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue?.keys.map { $0 } ?? []) }
        #expect(keys(full) == Set(CaseResult.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(full["scores"]?.arrayValue?.first) == Set(ScoreResult.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(full["repeats"]?.arrayValue?.first) == Set(RepeatOutcome.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(bare["input"]?.arrayValue?.first) == Set(ChatMessage.CodingKeys.allCases.map(\.rawValue)))
        let answer = full["answer"]
        #expect(keys(answer) == Set(AgentAnswer.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(answer?["usage"]) == Set(TokenUsage.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(answer?["trajectory"]) == Set(Trajectory.CodingKeys.allCases.map(\.rawValue)))
        let step = answer?["trajectory"]?["steps"]?.arrayValue?.first
        #expect(keys(step) == Set(TrajectoryStep.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(step?["toolCalls"]?.arrayValue?.first) == Set(ToolCall.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(full["error"]) == Set(AgentError.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(full["conversation"]) == Set(ConversationRecord.CodingKeys.allCases.map(\.rawValue)))
        #expect(keys(full["conversation"]?["turns"]?.arrayValue?.last) == Set(ConversationTurn.CodingKeys.allCases.map(\.rawValue)))
    }

    /// An input is what the dataset wrote: a string or a message list, never Swift's `{"_0": ...}`.
    @Test func inputsAreAStringOrAMessageList() throws {
        let text = try JSONCoding.encoder().encode(CaseInput.text("Where is my refund?"))
        #expect(String(decoding: text, as: UTF8.self) == #""Where is my refund?""#)
        let messages = try JSONCoding.encoder().encode(CaseInput.messages([ChatMessage(role: "user", content: "hi")]))
        #expect(String(decoding: messages, as: UTF8.self) == #"[{"content":"hi","role":"user"}]"#)
        for input in [CaseInput.text("a"), .messages([ChatMessage(role: "system", content: "s"), ChatMessage(role: "user", content: "u")])] {
            #expect(try JSONCoding.decoder().decode(CaseInput.self, from: JSONCoding.encoder().encode(input)) == input)
        }
    }

    /// Journals, result files and histories written before the stable shape stay readable.
    @Test func earlierRecordsStillDecode() throws {
        let legacyText = Data(#"{"text":{"_0":"old"}}"#.utf8)
        #expect(try JSONCoding.decoder().decode(CaseInput.self, from: legacyText) == .text("old"))
        let legacyMessages = Data(#"{"messages":{"_0":[{"role":"user","content":"old"}]}}"#.utf8)
        #expect(try JSONCoding.decoder().decode(CaseInput.self, from: legacyMessages) == .messages([ChatMessage(role: "user", content: "old")]))
        // A score recorded before `source` existed: judge scores were marked in the reason.
        let judged = Data(#"{"passed":true,"reason":"[judge] fine","score":1,"scorer":"llm-rubric","weight":1}"#.utf8)
        #expect(try JSONCoding.decoder().decode(ScoreResult.self, from: judged).source == .judge)
        let plain = Data(#"{"passed":true,"reason":"found","score":1,"scorer":"contains","weight":1}"#.utf8)
        #expect(try JSONCoding.decoder().decode(ScoreResult.self, from: plain).source == .deterministic)
        #expect(throws: DecodingError.self) { try JSONCoding.decoder().decode(CaseInput.self, from: Data("42".utf8)) }
    }
}
