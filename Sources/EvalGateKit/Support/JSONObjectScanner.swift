import Foundation

/// Finds the members of a JSON object document without parsing their values: one pass over the
/// bytes that steps over strings (escapes included) and nested containers.
///
/// The history stores each case's document whole and a handful of its top-level members as columns.
/// Decoding those with `JSONDecoder` parsed the whole document (answer, trajectory, scores) for ten
/// scalars, and was most of saving a run. The scanner only checks what it steps over for balance;
/// callers validate the values they read and fall back to a full decoder when anything is off.
struct JSONObjectScanner {
    /// Byte ranges of the top-level members' values, by key, or `nil` when `bytes` is not one JSON
    /// object, a key has escapes or repeats, or the brackets do not balance.
    static func members(of bytes: UnsafeBufferPointer<UInt8>) -> [String: Range<Int>]? {
        var scanner = JSONObjectScanner(bytes: bytes)
        var members: [String: Range<Int>] = [:]
        let scanned = scanner.scanObject { key, range in
            guard let name = String(validating: key, as: UTF8.self) else { return false }
            return members.updateValue(range, forKey: name) == nil
        }
        return scanned ? members : nil
    }

    /// Byte ranges of the values of the members named `keys` (in their order; `nil` for one that
    /// is absent), without making strings of the other keys. `nil` as for `members(of:)`, or when
    /// one of `keys` repeats.
    static func members(of bytes: UnsafeBufferPointer<UInt8>, named keys: [StaticString]) -> [Range<Int>?]? {
        var scanner = JSONObjectScanner(bytes: bytes)
        var found = [Range<Int>?](repeating: nil, count: keys.count)
        let scanned = scanner.scanObject { key, range in
            for (position, name) in keys.enumerated()
            where name.utf8CodeUnitCount == key.count && memcmp(name.utf8Start, key.baseAddress!, key.count) == 0 {
                guard found[position] == nil else { return false }
                found[position] = range
            }
            return true
        }
        return scanned ? found : nil
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    /// Walks the top-level object, handing each member's raw key and value range to `member`,
    /// which returns false to stop (a repeated key). False when the document is not well formed.
    private mutating func scanObject(_ member: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool) -> Bool {
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return finished() }
        while true {
            skipWhitespace()
            guard let key = plainKey() else { return false }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            let start = position
            guard skipValue(), member(key, start..<position) else { return false }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            guard consume(UInt8(ascii: "}")) else { return false }
            return finished()
        }
    }

    private mutating func finished() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
            position += 1
        }
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
