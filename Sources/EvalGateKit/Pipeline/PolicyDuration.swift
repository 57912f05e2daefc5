import Foundation

/// A span of time a policy sets, such as how soon people must be told of a rollback
/// (`authority.notify_within`). Written `90s`, `30m`, `1h`, `2d` or as an ISO 8601 duration
/// (`PT1H`, `P1DT12H`); always encoded as ISO 8601 (`PT1H`), which deploy tooling can parse.
///
/// Years, months and weeks are refused: their length depends on the calendar, and a deadline
/// must not.
public struct PolicyDuration: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// Whole seconds, at least 1.
    public var seconds: Int

    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// Parses `text`; nil when it is not a positive duration in one of the accepted forms.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let seconds = Self.shortForm(trimmed) ?? Self.iso8601(trimmed), seconds > 0 else { return nil }
        self.seconds = seconds
    }

    /// `90s`, `30m`, `1h`, `2d` (a whole number and one unit).
    static func shortForm(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[Character($0.lowercased())] }) else { return nil }
        let number = text.dropLast()
        guard !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber), let value = Int(number) else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: unit)
        return overflow ? nil : product
    }

    /// `PnDTnHnMnS`, each part optional but at least one present, whole numbers only.
    static func iso8601(_ text: String) -> Int? {
        var rest = Substring(text.uppercased())
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        var total = 0
        var inTime = false
        var parts = 0
        var digits = ""
        for character in rest {
            if character.isASCII && character.isNumber {
                digits.append(character)
                continue
            }
            if character == "T" {
                guard !inTime, digits.isEmpty else { return nil }
                inTime = true
                continue
            }
            let factor: Int
            switch (character, inTime) {
            case ("D", false): factor = 86_400
            case ("H", true): factor = 3600
            case ("M", true): factor = 60
            case ("S", true): factor = 1
            default: return nil
            }
            guard let value = Int(digits) else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            total += product
            parts += 1
            digits = ""
        }
        guard digits.isEmpty, parts > 0 else { return nil }
        return total
    }

    /// ISO 8601: `PT1H`, `P1DT30M`, `PT90S` → `PT1M30S`.
    public var iso8601: String {
        var rest = seconds
        let days = rest / 86_400
        rest %= 86_400
        let hours = rest / 3600
        rest %= 3600
        let minutes = rest / 60
        let secs = rest % 60
        var text = "P"
        if days > 0 { text += "\(days)D" }
        if hours > 0 || minutes > 0 || secs > 0 {
            text += "T"
            if hours > 0 { text += "\(hours)H" }
            if minutes > 0 { text += "\(minutes)M" }
            if secs > 0 { text += "\(secs)S" }
        }
        return text
    }

    /// For people: `1h`, `1d 12h`, `30m`, `1h 30m 5s`.
    public var description: String {
        let parts: [(Int, String)] = [
            (seconds / 86_400, "d"), (seconds % 86_400 / 3600, "h"), (seconds % 3600 / 60, "m"), (seconds % 60, "s"),
        ]
        return parts.filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = PolicyDuration(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a duration like PT1H")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}
