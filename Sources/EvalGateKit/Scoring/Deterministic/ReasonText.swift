import Foundation

/// Builds the pieces of scorer reasons, so every reason quotes, counts and rounds the same way
/// and stays one readable line however long or hostile the answer is.
enum ReasonText {
    /// Longest quoted excerpt, in characters, before it is cut with "…".
    static let quoteLimit = 80

    /// `'text'`, with control characters escaped and long text cut to `limit` characters plus "…".
    static func quote(_ text: some StringProtocol, limit: Int = quoteLimit) -> String {
        "'" + excerpt(text, limit: limit) + "'"
    }

    /// A JSON value for a reason: strings quoted like text, everything else as compact JSON.
    static func quote(_ value: JSONValue, limit: Int = quoteLimit) -> String {
        if case .string(let text) = value { return quote(text, limit: limit) }
        return excerpt(value.compactJSON, limit: limit)
    }

    /// Text cut to `limit` characters plus "…", with newlines, tabs and other control characters escaped.
    static func excerpt(_ text: some StringProtocol, limit: Int = quoteLimit) -> String {
        var output = ""
        var count = 0
        var scalars = 0
        for character in text {
            if count == limit {
                output += "…"
                break
            }
            count += 1
            for scalar in character.unicodeScalars {
                scalars += 1
                // One character can carry any number of combining marks; bound those too.
                if scalars > limit * 4 {
                    output += "…"
                    return output
                }
                switch scalar {
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                        output += String(format: "\\u{%X}", scalar.value)
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        return output
    }

    /// `1 time`, `3 times`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }

    /// A number as a person writes it: `42`, `0.125`, `1.5e-07`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-infinity" : "infinity") }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    /// A score or similarity with two decimals: `0.73`.
    static func score(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// `'a', 'b', 'c'`, at most `limit` items and then "…".
    static func list(_ items: [String], limit: Int = 10) -> String {
        var parts = items.prefix(limit).map { quote($0) }
        if items.count > limit { parts.append("… (\(items.count - limit) more)") }
        return parts.joined(separator: ", ")
    }

    /// `[a, b, c]` for tool names, at most `limit` items.
    static func sequence(_ names: [String], limit: Int = 12) -> String {
        var parts = names.prefix(limit).map { excerpt($0, limit: 40) }
        if names.count > limit { parts.append("… (\(names.count - limit) more)") }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    /// An RFC 6901 pointer as shown in reasons: the root reads `(root)`.
    static func pointer(_ pointer: String) -> String {
        pointer.isEmpty ? "(root)" : excerpt(pointer, limit: 120)
    }
}
