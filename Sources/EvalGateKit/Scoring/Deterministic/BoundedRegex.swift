import Foundation

/// A compiled regular expression whose matching is bounded in input size and time, so a hostile
/// answer or a backtracking pattern cannot hang an evaluation.
struct BoundedRegex: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable once built and documented as safe to share across threads.

    /// Only this many UTF-8 bytes at the start of a text are searched.
    static let inputLimit = 1 << 20
    /// Matching stops, undecided, after this long.
    static let defaultTimeLimit: TimeInterval = 1

    enum Match: Equatable {
        case found(String)
        case notFound
        case timedOut
    }

    let pattern: String
    let expression: NSRegularExpression
    let timeLimit: TimeInterval

    init(pattern: String, options: NSRegularExpression.Options = [], timeLimit: TimeInterval = defaultTimeLimit) throws {
        self.pattern = pattern
        self.expression = try NSRegularExpression(pattern: pattern, options: options)
        self.timeLimit = timeLimit
    }

    /// The first match in the first `inputLimit` bytes of `text`.
    func firstMatch(in text: String) -> Match {
        let searched = Self.boundedPrefix(of: text)
        let start = Date()
        var result = Match.notFound
        let range = NSRange(searched.startIndex..<searched.endIndex, in: searched)
        expression.enumerateMatches(in: searched, options: [.reportProgress], range: range) { match, _, stop in
            if let match {
                let matched = Range(match.range, in: searched).map { String(searched[$0]) } ?? ""
                result = .found(matched)
                stop.pointee = true
            } else if Date().timeIntervalSince(start) > timeLimit {
                result = .timedOut
                stop.pointee = true
            }
        }
        return result
    }

    /// The longest prefix of `text` within `limit` UTF-8 bytes that ends on a Unicode scalar boundary.
    static func boundedPrefix(of text: String, limit: Int = inputLimit) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 {
            end = utf8.index(before: end)
        }
        return String(decoding: utf8[utf8.startIndex..<end], as: UTF8.self)
    }

    /// Options from a `flags` string such as `"im"`, or `nil` naming the first unknown flag.
    static func options(fromFlags flags: String) -> (NSRegularExpression.Options, invalid: Character?) {
        var options: NSRegularExpression.Options = []
        for flag in flags {
            switch flag {
            case "i": options.insert(.caseInsensitive)
            case "m": options.insert(.anchorsMatchLines)
            case "s": options.insert(.dotMatchesLineSeparators)
            case "x": options.insert(.allowCommentsAndWhitespace)
            default: return (options, flag)
            }
        }
        return (options, nil)
    }
}
