import Foundation

extension JSONValue.FastParser {
    /// Byte ranges of the values of the top-level members named `keys` (in their order; `nil` for
    /// one that is absent), found without parsing any value: one pass over the bytes that steps
    /// over strings (escapes included) and nested containers. `nil` when `bytes` is not one JSON
    /// object, a key has escapes, one of `keys` repeats, or the brackets do not balance.
    ///
    /// The history stores each case's document whole and a handful of its top-level members as
    /// columns. Decoding those with `JSONDecoder` parsed the whole document (answer, trajectory,
    /// scores) for ten scalars, and was most of saving a run. Only balance is checked in what is
    /// stepped over; callers validate the values they read and fall back to a full decoder.
    static func members(of bytes: UnsafeBufferPointer<UInt8>, named keys: [StaticString]) -> [Range<Int>?]? {
        var scanner = Self(bytes: bytes)
        var found = [Range<Int>?](repeating: nil, count: keys.count)
        scanner.skipWhitespace()
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        scanner.skipWhitespace()
        if scanner.consume(UInt8(ascii: "}")) { return scanner.isFinished() ? found : nil }
        while true {
            scanner.skipWhitespace()
            guard let key = scanner.plainKey() else { return nil }
            scanner.skipWhitespace()
            guard scanner.consume(UInt8(ascii: ":")) else { return nil }
            scanner.skipWhitespace()
            let start = scanner.position
            guard scanner.skipValue() else { return nil }
            for (position, name) in keys.enumerated()
            where name.utf8CodeUnitCount == key.count && memcmp(name.utf8Start, key.baseAddress!, key.count) == 0 {
                guard found[position] == nil else { return nil }
                found[position] = start..<scanner.position
            }
            scanner.skipWhitespace()
            if scanner.consume(UInt8(ascii: ",")) { continue }
            guard scanner.consume(UInt8(ascii: "}")) else { return nil }
            return scanner.isFinished() ? found : nil
        }
    }

    private mutating func isFinished() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// The bytes of a key without escapes (every key evalgate writes); `nil` for any other.
    private mutating func plainKey() -> UnsafeBufferPointer<UInt8>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                defer { position += 1 }
                return UnsafeBufferPointer(rebasing: bytes[start..<position])
            case UInt8(ascii: "\\"):
                return nil
            default:
                position += 1
            }
        }
        return nil
    }

    /// Steps over one value: a string, or everything up to the bracket that closes a container, or
    /// a bare literal or number up to the next delimiter.
    private mutating func skipValue() -> Bool {
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var closers: [UInt8] = []
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"): closers.append(UInt8(ascii: "}"))
                case UInt8(ascii: "["): closers.append(UInt8(ascii: "]"))
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard closers.popLast() == bytes[position] else { return false }
                    if closers.isEmpty {
                        position += 1
                        return true
                    }
                default: break
                }
                position += 1
            }
            return false
        default:
            let start = position
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                    return position > start
                default:
                    position += 1
                }
            }
            return position > start
        }
    }

    private mutating func skipString() -> Bool {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return true
            case UInt8(ascii: "\\"):
                position += 2
            default:
                position += 1
            }
        }
        return false
    }
}
