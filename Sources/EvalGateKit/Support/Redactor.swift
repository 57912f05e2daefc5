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
    static func redactURLCredentials(_ text: String) -> String {
        guard text.contains("://"), text.contains("@") else { return text }
        var output = ""
        var rest = text[...]
        while let scheme = rest.range(of: "://") {
            output += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == " " || $0 == "\"" || $0 == "\n" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                output += "\(mask)@"
                rest = rest[rest.index(after: at)...]
            }
        }
        output += rest
        return output
    }
}
