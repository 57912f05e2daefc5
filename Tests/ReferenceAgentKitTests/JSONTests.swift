import Foundation
import Testing

@testable import ReferenceAgentKit

@Suite("JSON reader and writer")
struct JSONTests {
    @Test func parsesWhatFoundationWrites() throws {
        let object: [String: Any] = [
            "text": "quote \" backslash \\ newline \n tab \t emoji 😀 ünïcödé / slash", "number": 129.99, "int": 42,
            "negative": -0.5, "exponent": 1e-7, "flag": true, "nothing": NSNull(), "list": [1, "two", ["three": 3]],
        ]
        let data = try JSONSerialization.data(withJSONObject: object)
        let parsed = try JSON.parse(data)
        #expect(parsed["text"] == .string("quote \" backslash \\ newline \n tab \t emoji 😀 ünïcödé / slash"))
        #expect(parsed["number"] == .number(129.99))
        #expect(parsed["int"] == .number(42))
        #expect(parsed["exponent"] == .number(1e-7))
        #expect(parsed["flag"] == .bool(true))
        #expect(parsed["nothing"] == .null)
        #expect(parsed["list"] == [1, "two", ["three": 3]])
        // And Foundation reads what the writer writes.
        let written = try #require(
            try JSONSerialization.jsonObject(with: Data(parsed.serialized.utf8)) as? [String: Any])
        #expect(written["text"] as? String == object["text"] as? String)
        #expect(written["number"] as? Double == 129.99)
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSON.parse(#""caf\u00e9 \ud83d\ude00 \/""#) == .string("café 😀 /"))
    }

    @Test func writesSortedCompactJSON() {
        let value: JSON = ["b": 1, "a": [true, .null, 2.5], "c": "x\u{1}y"]
        #expect(value.serialized == #"{"a":[true,null,2.5],"b":1,"c":"x\u0001y"}"#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "1 2", "{\"a\":1}x", "\"\u{1}\""])
    func rejectsInvalidDocuments(text: String) {
        #expect(throws: JSON.ParseError.self) { try JSON.parse(text) }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSON.ParseError.self) { try JSON.parse(deep) }
    }
}
