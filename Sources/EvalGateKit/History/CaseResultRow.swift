import Foundation
import GRDB

/// One row of the `case_result` table: the full `CaseResult` as JSON, plus the columns a
/// `CaseOutcome` is built from, so baseline comparisons never decode whole results.
struct CaseResultRow: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "case_result"

    var runID: String
    var caseIndex: Int
    var caseID: String
    var dataset: String
    var status: String
    var score: Double
    var critical: Bool
    var cluster: String?
    /// JSON array of strings.
    var tags: String
    var latencyMilliseconds: Double
    var cost: Double?
    var resultJSON: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case runID = "run_id"
        case caseIndex = "case_index"
        case caseID = "case_id"
        case dataset, status, score, critical, cluster, tags
        case latencyMilliseconds = "latency_ms"
        case cost
        case resultJSON = "result_json"
    }

    /// The members of a `CaseResult` document the columns come from; decoding only these skips
    /// building the answer, trajectory and scores.
    struct Columns: Decodable, Equatable {
        var index: Int
        var id: String
        var dataset: String
        var status: CaseResult.Status
        var score: Double
        var critical: Bool
        var cluster: String?
        var tags: [String]
        var latencyMilliseconds: Double
        var cost: Double?
    }

    init(_ columns: Columns, runID: String, tags: String, resultJSON: String) {
        self.runID = runID
        caseIndex = columns.index
        caseID = columns.id
        dataset = columns.dataset
        status = columns.status.rawValue
        score = columns.score
        critical = columns.critical
        cluster = columns.cluster
        self.tags = tags
        latencyMilliseconds = columns.latencyMilliseconds
        cost = columns.cost
        self.resultJSON = resultJSON
    }

    /// Column values in `CodingKeys.allCases` order, for the batched insert statement.
    var values: [(any DatabaseValueConvertible)?] {
        [runID, caseIndex, caseID, dataset, status, score, critical, cluster, tags, latencyMilliseconds, cost, resultJSON]
    }

    /// `INSERT INTO case_result (...) VALUES (...), (...), ...` for `rows` rows at once.
    static func insertSQL(rows: Int) -> String {
        let columns = CodingKeys.allCases.map(\.rawValue)
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO case_result (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ",")
    }
}

extension CaseResultRow.Columns {
    /// The members the columns come from, in `names` order.
    enum Member: Int {
        case index, id, dataset, status, score, critical, cluster, tags, latencyMilliseconds, cost

        static let names: [StaticString] = [
            "index", "id", "dataset", "status", "score", "critical", "cluster", "tags", "latencyMilliseconds", "cost",
        ]
    }

    /// The columns read straight from a case document's bytes, with the tags' JSON text as it
    /// stands there; `nil` when anything is not as `JSONEncoder` writes a `CaseResult` (the caller
    /// then decodes the document instead).
    static func scan(_ document: Data) -> (columns: Self, tagsJSON: String)? {
        document.withUnsafeBytes { raw -> (Self, String)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let ranges = JSONValue.FastParser.members(of: bytes, named: Member.names) else { return nil }
            func slice(_ key: Member) -> UnsafeBufferPointer<UInt8>? {
                ranges[key.rawValue].map { UnsafeBufferPointer(rebasing: bytes[$0]) }
            }
            func value(_ key: Member) -> JSONValue? {
                slice(key).flatMap { JSONValue.FastParser.parse(UnsafeRawBufferPointer($0)) }
            }
            func string(_ key: Member) -> String? {
                if case .string(let text)? = value(key) { return text }
                return nil
            }
            func isNumber(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
                guard let first = text.first, first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
                    return false
                }
                return text.allSatisfy {
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e")
                        || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                }
            }
            /// A number, or one of the strings `JSONCoding` writes for values JSON has no number for.
            func double(_ key: Member) -> Double? {
                guard let text = slice(key) else { return nil }
                if text.first == UInt8(ascii: "\"") {
                    switch string(key) {
                    case "nan": return .nan
                    case "inf": return .infinity
                    case "-inf": return -.infinity
                    default: return nil
                    }
                }
                return isNumber(text) ? Double(String(decoding: text, as: UTF8.self)) : nil
            }
            /// Absent or `null` is nil; anything else must be a number.
            func optionalDouble(_ key: Member) -> Double?? {
                guard let text = slice(key), !text.elementsEqual("null".utf8) else { return .some(nil) }
                return double(key).map { .some($0) } ?? nil
            }
            func optionalString(_ key: Member) -> String?? {
                guard let text = slice(key), !text.elementsEqual("null".utf8) else { return .some(nil) }
                return string(key).map { .some($0) } ?? nil
            }
            guard let indexText = slice(.index), isNumber(indexText), let index = Int(String(decoding: indexText, as: UTF8.self)),
                let id = string(.id), let dataset = string(.dataset),
                let status = string(.status).flatMap(CaseResult.Status.init(rawValue:)),
                let score = double(.score), let latency = double(.latencyMilliseconds),
                let criticalText = slice(.critical), criticalText.elementsEqual("true".utf8) || criticalText.elementsEqual("false".utf8),
                let cluster = optionalString(.cluster), let cost = optionalDouble(.cost),
                let tagsText = slice(.tags), case .array(let tagValues)? = value(.tags)
            else { return nil }
            var tags: [String] = []
            for tag in tagValues {
                guard case .string(let text) = tag else { return nil }
                tags.append(text)
            }
            let columns = Self(
                index: index, id: id, dataset: dataset, status: status, score: score, critical: criticalText.elementsEqual("true".utf8),
                cluster: cluster, tags: tags, latencyMilliseconds: latency, cost: cost)
            return (columns, String(decoding: tagsText, as: UTF8.self))
        }
    }
}
