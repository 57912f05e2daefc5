import Foundation

/// Removes secrets from text before it is printed, reported, journaled or stored.
public struct Redactor: Sendable {
    public static let mask = "[REDACTED]"
    /// Longest first, so a secret containing another is masked whole.
    public let secrets: [String]

    public init(secrets: some Sequence<String>) {
        // Very short values would mask ordinary words; secrets that short are not secrets.
        self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }

    public static let none = Redactor(secrets: [])

    public func callAsFunction(_ text: String) -> String {
        var result = Self.redactURLCredentials(text)
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        return result
    }

    /// A copy of a value with every string in it redacted (through its JSON form); the value itself
    /// when nothing needs masking or the masked form no longer decodes.
    public func redact<T: Codable>(_ value: T) -> T {
        guard let data = try? JSONCoding.encoder().encode(value) else { return value }
        let text = String(decoding: data, as: UTF8.self)
        let masked = self(text)
        guard masked != text, let decoded = try? JSONCoding.decoder().decode(T.self, from: Data(masked.utf8)) else { return value }
        return decoded
    }

    /// `https://user:password@host` → `https://[REDACTED]@host`.
    ///
    /// Scans the UTF-8 bytes (every delimiter is ASCII) and returns `text` itself when there is
    /// nothing to mask: it runs on every journal record and history document that has an `@`.
    static func redactURLCredentials(_ text: String) -> String {
        var text = text
        let redacted: [UInt8]? = text.withUTF8 { utf8 in
            var output: [UInt8] = []
            var copied = 0
            var position = 0
            while let separator = schemeSeparator(in: utf8, from: position) {
                let authorityStart = separator + 3
                var end = authorityStart
                var at: Int?
                while end < utf8.count, !isAuthorityEnd(utf8[end]) {
                    if utf8[end] == UInt8(ascii: "@") { at = end }
                    end += 1
                }
                guard let at else {
                    position = authorityStart
                    continue
                }
                output.append(contentsOf: utf8[copied..<authorityStart])
                output.append(contentsOf: mask.utf8)
                output.append(UInt8(ascii: "@"))
                copied = at + 1
                position = at + 1
            }
            guard copied > 0 else { return nil }
            output.append(contentsOf: utf8[copied...])
            return output
        }
        return redacted.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// Where the next `://` at or after `position` starts: `memchr` hops between colons, so text
    /// without URLs costs a memory scan.
    private static func schemeSeparator(in utf8: UnsafeBufferPointer<UInt8>, from position: Int) -> Int? {
        guard let base = utf8.baseAddress else { return nil }
        var position = position
        while position + 2 < utf8.count, let colon = memchr(base + position, Int32(UInt8(ascii: ":")), utf8.count - position - 2) {
            let found = base.distance(to: colon.assumingMemoryBound(to: UInt8.self))
            if utf8[found + 1] == UInt8(ascii: "/"), utf8[found + 2] == UInt8(ascii: "/") { return found }
            position = found + 1
        }
        return nil
    }

    private static func isAuthorityEnd(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "?"), UInt8(ascii: "#"): return true
        default: return false
        }
    }
}
