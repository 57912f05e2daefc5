import Foundation

extension JSONValue {
    /// A strict RFC 8259 reader for the common case: evalgate's one hand-written JSON parser, kept
    /// because the benchmark needs it (every dataset line and agent response is parsed, and
    /// `JSONSerialization`'s Foundation objects cost 5-10 times the parse; docs/benchmarks.md).
    /// `JSONCodecTests` checks it against `JSONSerialization` value for value.
    /// It returns `nil`, and the caller falls back to
    /// `JSONSerialization`, on anything where the two could differ: malformed text, trailing commas,
    /// duplicate keys, surrogate escapes that do not pair, a UTF-8 byte order mark inside a string,
    /// numbers with an exponent or more than 15 characters, nesting deeper than 500.
    struct FastParser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var depth = 0
        /// Reused for strings with escapes.
        var scratch: [UInt8] = []

        static let maxDepth = 500

        static func parse(_ raw: UnsafeRawBufferPointer) -> JSONValue? {
            var parser = FastParser(bytes: raw.bindMemory(to: UInt8.self))
            parser.skipWhitespace()
            guard let value = parser.value() else { return nil }
            parser.skipWhitespace()
            return parser.position == parser.bytes.count ? value : Optional.none
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func value() -> JSONValue? {
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "\""): return string().map(JSONValue.string)
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            // Spelled out: `nil` in a ternary would be read as JSONValue's own nil literal, `.null`.
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : Optional.none
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : Optional.none
            case UInt8(ascii: "n"): return literal("null") ? .null : Optional.none
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return nil
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
            position += count
            return true
        }

        mutating func object() -> JSONValue? {
            guard depth < Self.maxDepth else { return nil }
            depth += 1
            defer { depth -= 1 }
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                position += 1
                skipWhitespace()
                guard let member = value() else { return nil }
                // A repeated key: JSONSerialization decides which one wins.
                guard members.updateValue(member, forKey: key) == nil else { return nil }
                skipWhitespace()
                guard position < bytes.count else { return nil }
                switch bytes[position] {
                case UInt8(ascii: ","):
                    position += 1
                    skipWhitespace()
                case UInt8(ascii: "}"):
                    position += 1
                    return .object(members)
                default:
                    return nil
                }
            }
        }

        mutating func array() -> JSONValue? {
            guard depth < Self.maxDepth else { return nil }
            depth += 1
            defer { depth -= 1 }
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                guard let item = value() else { return nil }
                items.append(item)
                skipWhitespace()
                guard position < bytes.count else { return nil }
                switch bytes[position] {
                case UInt8(ascii: ","):
                    position += 1
                    skipWhitespace()
                case UInt8(ascii: "]"):
                    position += 1
                    return .array(items)
                default:
                    return nil
                }
            }
        }

        /// Reads a string starting at its opening quote.
        mutating func string() -> String? {
            position += 1
            let start = position
            var ascii = true
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    return ascii ? String(decoding: text, as: UTF8.self) : Self.validated(text)
                }
                if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
                if byte < 0x20 { return nil }
                if byte >= 0x80 { ascii = false }
                position += 1
            }
            return nil
        }

        /// The rest of a string that has escapes, from its first character at `start`.
        mutating func escapedString(from start: Int) -> String? {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return scratch.withUnsafeBufferPointer { Self.validated($0) }
                case UInt8(ascii: "\\"):
                    guard position + 1 < bytes.count else { return nil }
                    let escape = bytes[position + 1]
                    position += 2
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                    case UInt8(ascii: "b"): scratch.append(0x08)
                    case UInt8(ascii: "f"): scratch.append(0x0C)
                    case UInt8(ascii: "n"): scratch.append(0x0A)
                    case UInt8(ascii: "r"): scratch.append(0x0D)
                    case UInt8(ascii: "t"): scratch.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var code = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(code) {
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                                return nil
                            }
                            position += 2
                            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { return nil }
                        scratch.append(contentsOf: UTF8.encode(scalar)!)
                    default:
                        return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    scratch.append(byte)
                    position += 1
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - position >= 4 else { return nil }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                code = code << 4 | UInt32(digit)
                position += 1
            }
            return code
        }

        /// Non-ASCII text as a string, or `nil` when it is not valid UTF-8 or holds a byte order
        /// mark (which Foundation's UTF-8 decoding may drop).
        static func validated(_ text: UnsafeBufferPointer<UInt8>) -> String? {
            var index = 0
            while index + 2 < text.count {
                if text[index] == 0xEF, text[index + 1] == 0xBB, text[index + 2] == 0xBF { return nil }
                index += 1
            }
            return String(validating: text, as: UTF8.self)
        }

        /// Integers and decimals without an exponent, up to 15 characters: exact as Int64, and
        /// correctly rounded by `Double(_:)` as by `JSONSerialization`.
        mutating func number() -> JSONValue? {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            let integerDigits = position - integerStart
            guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
            var isInteger = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                let fractionStart = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
                guard position > fractionStart else { return nil }
            }
            if position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"): break
                default: return nil  // an exponent, or not a number
                }
            }
            guard position - start <= 15 else { return nil }
            if isInteger {
                var total: Int64 = 0
                for index in integerStart..<position { total = total * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                return .number(Double(start == integerStart ? total : -total))
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else { return nil }
            return .number(number)
        }
    }
}
