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

    @Test(arguments: [0.0, -0.0, 1, -1, 0.1, 1e-7, 1.5e300, 123_456_789_012, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, .nan, .infinity, -.infinity])
    func numbersAreWrittenAsJSONEncoderWritesThem(number: Double) throws {
        var writer = JournalJSON.Writer()
        writer.value(number)
        let reference = try JSONCoding.encoder().encode(number)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
    }
}
