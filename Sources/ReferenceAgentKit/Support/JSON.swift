import Foundation

/// A JSON value of unknown shape: tool arguments, tool results and other loosely typed parts of the wire formats.
enum JSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

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
}

/// Shared coders: creating them per request shows up in profiles at a few thousand requests per second.
enum JSONCoding {
    static let decoder = JSONDecoder()

    /// Sorted keys, so that tool arguments and answers are byte-for-byte reproducible.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encodeToString(_ value: some Encodable) -> String {
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> JSON? {
        try? decoder.decode(JSON.self, from: Data(text.utf8))
    }
}
