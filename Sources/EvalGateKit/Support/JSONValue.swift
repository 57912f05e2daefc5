import Foundation

/// A JSON value with value semantics, used wherever evalgate carries data it does not interpret:
/// case inputs and metadata, tool arguments and fixtures, request templates, agent responses.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        switch self {
        case .number(let value): return value
        case .string(let value): return Double(value.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Text for comparison with an agent's answer: strings as they are, everything else as compact JSON.
    public var plainText: String {
        if case .string(let value) = self { return value }
        return compactJSON
    }
}

// MARK: - Conversion

extension JSONValue {
    /// Parses JSON text; throws `JSONValue.ParseError` on malformed input.
    ///
    /// Plain RFC 8259 JSON, which is nearly all of it, is read by `FastParser` straight into values;
    /// whatever it declines (malformed text, trailing commas, duplicate keys, exponents, long
    /// numbers, other encodings) goes through `JSONSerialization`, so what is accepted, the values
    /// and the error messages are exactly `JSONSerialization`'s. Every dataset line and agent
    /// response is parsed here, and the Foundation objects cost 5-10 times the parse itself.
    public init(parsing data: Data) throws {
        if let value = data.withUnsafeBytes({ FastParser.parse($0) }) {
            self = value
            return
        }
        try self.init(serializationParsing: data)
    }

    public init(parsing text: String) throws {
        var text = text
        if let value = text.withUTF8({ FastParser.parse(UnsafeRawBufferPointer($0)) }) {
            self = value
            return
        }
        try self.init(serializationParsing: Data(text.utf8))
    }

    private init(serializationParsing data: Data) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ParseError(message: Self.describe(error))
        }
        self = JSONValue(foundation: object)
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let debug = nsError.userInfo["NSDebugDescription"] as? String { return debug }
        return nsError.localizedDescription
    }

    /// Converts a Foundation JSON object (from `JSONSerialization`).
    public init(foundation object: Any) {
        switch object {
        case is NSNull:
            self = .null
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber too; only booleans have the `char` encoding.
            if String(cString: number.objCType) == "c" {
                self = .bool(number.boolValue)
            } else {
                self = .number(number.doubleValue)
            }
        case let string as String:
            self = .string(string)
        case let array as [Any]:
            self = .array(array.map(JSONValue.init(foundation:)))
        case let dictionary as [String: Any]:
            self = .object(dictionary.mapValues(JSONValue.init(foundation:)))
        default:
            self = .string(String(describing: object))
        }
    }

    /// The Foundation object for `JSONSerialization`.
    public var foundationObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return Int64(value) }
            return value
        case .string(let value): return value
        case .array(let value): return value.map(\.foundationObject)
        case .object(let value): return value.mapValues(\.foundationObject)
        }
    }

    /// Compact JSON with sorted keys, so equal values always serialise to equal text.
    public var compactJSON: String {
        var output = ""
        write(to: &output)
        return output
    }

    public var jsonData: Data { Data(compactJSON.utf8) }

    func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += JSONValue.format(number: value)
        case .string(let value): JSONValue.writeEscaped(value, to: &output)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeEscaped(key, to: &output)
                output += ":"
                members[key]!.write(to: &output)
            }
            output += "}"
        }
    }

    static func format(number value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Writes `string` as a JSON string literal, escaping quotes, backslashes and control characters.
    public static func writeEscaped(_ string: String, to output: inout String) {
        output += "\""
        // Runs without escapes are appended whole: scalar by scalar was most of writing a body.
        let scalars = string.unicodeScalars
        var plainStart = scalars.startIndex
        var index = plainStart
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case "\u{2028}": escape = "\\u2028"
            case "\u{2029}": escape = "\\u2029"
            default: escape = scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : nil
            }
            if let escape {
                output += string[plainStart..<index]
                output += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output += string[plainStart...]
        output += "\""
    }

    public static func escaped(_ string: String) -> String {
        var output = ""
        writeEscaped(string, to: &output)
        return output
    }
}

// MARK: - JSON Pointer (RFC 6901)

extension JSONValue {
    /// Resolves an RFC 6901 JSON Pointer (`/choices/0/message/content`); `""` is the whole value.
    public func value(at pointer: String) -> JSONValue? {
        guard let tokens = JSONValue.pointerTokens(pointer) else { return nil }
        var current = self
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), index >= 0, index < items.count,
                    token == "0" || !token.hasPrefix("0")
                else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Splits a pointer into unescaped reference tokens, or `nil` when it is not a valid pointer.
    public static func pointerTokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }
}

// MARK: - Codable

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
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
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
