import Foundation

/// A JSON value of unknown shape: tool arguments, tool results and other loosely typed parts of the wire formats.
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var stringValue: String? {
        switch self {
        case .string(let value): return value
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): return String(value)
        default: return nil
        }
    }

    /// Numbers, and strings that hold a number (`"129.99"`, `"$129.99"`), as a model or a fixture may write them.
    var doubleValue: Double? {
        switch self {
        case .number(let value): return value
        case .string(let value):
            return Double(value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "$", with: ""))
        default: return nil
        }
    }

    var intValue: Int? { doubleValue.map { Int($0.rounded()) } }

    var objectValue: [String: JSON]? {
        if case .object(let object) = self { return object }
        return nil
    }

    var arrayValue: [JSON]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(floatLiteral value: Double) { self = .number(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// A shared encoder for the few bodies still written with `Codable` (statistics, error bodies).
enum JSONCoding {
    /// Sorted keys, so that answers are byte-for-byte reproducible.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
