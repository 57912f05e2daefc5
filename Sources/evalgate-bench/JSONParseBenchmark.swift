import EvalGateKit
import Foundation

/// Lines per second of `JSONValue(parsing:)` against `JSONSerialization` plus conversion (what it
/// replaced), over every line of JSON Lines files, and a check that both give the same value or
/// the same error for every line.
struct JSONParseBenchmark {
    struct Measurement: Encodable {
        var file: String
        var lines: Int
        var parsePerSecond: Double
        var serializationPerSecond: Double
        var mismatches: Int
    }

    var rounds: Int

    func measure(file: String) throws -> Measurement {
        let lines = try Data(contentsOf: URL(fileURLWithPath: file)).split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
        var mismatches = 0
        for (number, line) in lines.enumerated() {
            let fast = Result { try JSONValue(parsing: line) }
            let reference = Result { try Self.serializationParse(line) }
            switch (fast, reference) {
            case (.success(let a), .success(let b)) where a == b && a.compactJSON == b.compactJSON: continue
            case (.failure(let a), .failure(let b)) where "\(a)" == "\(b)": continue
            default:
                mismatches += 1
                if mismatches <= 10 {
                    FileHandle.standardError.write(Data("mismatch at \(file):\(number + 1): \(fast) vs \(reference)\n".utf8))
                }
            }
        }
        let clock = ContinuousClock()
        var count = 0
        let parseTime = clock.measure {
            for _ in 0..<rounds { for line in lines { if (try? JSONValue(parsing: line)) != nil { count += 1 } } }
        }
        let serializationTime = clock.measure {
            for _ in 0..<rounds { for line in lines { if (try? Self.serializationParse(line)) != nil { count += 1 } } }
        }
        let total = Double(lines.count * rounds)
        return Measurement(
            file: file, lines: lines.count, parsePerSecond: total / ScorerBenchmark.seconds(parseTime),
            serializationPerSecond: total / ScorerBenchmark.seconds(serializationTime), mismatches: mismatches)
    }

    /// The parse `JSONValue(parsing:)` did before it had its own reader.
    static func serializationParse(_ data: Data) throws -> JSONValue {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let nsError = error as NSError
            throw Failure(message: nsError.userInfo["NSDebugDescription"] as? String ?? nsError.localizedDescription)
        }
        return JSONValue(foundation: object)
    }

    /// Prints as `JSONValue.ParseError` does, so errors compare by text.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
