import Foundation

/// A keyword or phrase, lowered and encoded once when the tables are built.
struct Pattern: Sendable, ExpressibleByStringLiteral {
    let bytes: [UInt8]
    /// The pattern as it appears in `TextIndex.words`: words separated by single spaces, with a space on
    /// either side, so that a search finds whole words only.
    let wordBytes: [UInt8]

    init(_ text: String) {
        let lowered = text.lowercased()
        self.bytes = Array(lowered.utf8)
        self.wordBytes = TextIndex.words(of: lowered)
    }

    init(stringLiteral value: String) {
        self.init(value)
    }
}

/// A text prepared for many keyword searches: lowered bytes and a whole-word form.
///
/// The agents match a hundred or more keywords against each message, so the text is lowered once and
/// searched with `memchr` and `memcmp`, instead of once per keyword through `String.range(of:)`.
struct TextIndex: Sendable {
    /// The text lowered, as UTF-8.
    let lowered: [UInt8]
    /// Words of letters, digits, inner apostrophes and hyphens, separated by single spaces, with a space
    /// at either end: " the site is down since 9 ".
    let words: [UInt8]

    init(_ text: String) {
        let lowered = text.lowercased()
        self.lowered = Array(lowered.utf8)
        self.words = Self.words(of: lowered)
    }

    /// Whether the keyword occurs anywhere, even inside a word ("<script", "issue_refund").
    func contains(_ pattern: Pattern) -> Bool {
        Self.find(pattern.bytes, in: lowered) != nil
    }

    /// Whether the keyword occurs as whole words ("is down" in "the site is down", not in "this downtime").
    func containsWords(_ pattern: Pattern) -> Bool {
        Self.find(pattern.wordBytes, in: words) != nil
    }

    func containsAny(_ patterns: [Pattern]) -> Bool {
        patterns.contains { contains($0) }
    }

    func containsAnyWords(_ patterns: [Pattern]) -> Bool {
        patterns.contains { containsWords($0) }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count - start >= needle.count else { return nil }
        // Whole-word patterns start with a space, and spaces are everywhere: look for the byte after it.
        let anchor = needle.count > 1 && needle[0] == 32 ? 1 : 0
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                guard let base = hay.baseAddress, let pinBase = pin.baseAddress else { return nil }
                let last = hay.count - pin.count
                var cursor = start
                while cursor <= last {
                    guard let candidate = memchr(base + cursor + anchor, Int32(pin[anchor]), last - cursor + 1) else {
                        return nil
                    }
                    let position = base.distance(to: candidate.assumingMemoryBound(to: UInt8.self)) - anchor
                    if memcmp(base + position, pinBase, pin.count) == 0 { return position }
                    cursor = position + 1
                }
                return nil
            }
        }
    }

    static func words(of lowered: String) -> [UInt8] {
        var result: [UInt8] = [32]
        result.reserveCapacity(lowered.utf8.count + 2)
        var pendingJoiner: UInt8?
        var inWord = false
        for scalar in lowered.unicodeScalars {
            if TextScanner.isAlphanumeric(scalar) {
                if let joiner = pendingJoiner { result.append(joiner) }
                pendingJoiner = nil
                UTF8.encode(scalar) { result.append($0) }
                inWord = true
            } else if inWord, pendingJoiner == nil, scalar == "'" || scalar == "\u{2019}" || scalar == "-" {
                // Kept only between letters: "don't", "two-factor"; a trailing one ends the word.
                pendingJoiner = scalar == "-" ? 45 : 39
            } else if inWord {
                result.append(32)
                pendingJoiner = nil
                inWord = false
            }
        }
        if inWord { result.append(32) }
        return result
    }
}
