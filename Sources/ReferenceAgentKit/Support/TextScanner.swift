import Foundation

/// Hand-written scanners for the few patterns the reference agents look for.
///
/// They walk Unicode scalars once instead of running regular expressions: the benchmark drives
/// thousands of requests a second through these on a shared two-core machine.
enum TextScanner {
    /// Order numbers such as `A-10023`, also written `a-10023`, `A10023` or `#A-10023`, normalised to
    /// `A-10023`, in order of first appearance and without repeats.
    static func orderIDs(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var found: [String] = []
        var index = 0
        while index < scalars.count {
            defer { index += 1 }
            let scalar = scalars[index]
            guard scalar == "A" || scalar == "a" else { continue }
            if index > 0, isAlphanumeric(scalars[index - 1]) { continue }
            var cursor = index + 1
            if cursor < scalars.count, scalars[cursor] == "-" { cursor += 1 }
            var digits = ""
            while cursor < scalars.count, isDigit(scalars[cursor]), digits.unicodeScalars.count < 6 {
                digits.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            guard digits.unicodeScalars.count == 5 else { continue }
            if cursor < scalars.count, isAlphanumeric(scalars[cursor]) { continue }
            let id = "A-" + digits
            if !found.contains(id) { found.append(id) }
        }
        return found
    }

    /// A money amount found in text, with where it was found (in Unicode scalars).
    struct Amount: Equatable {
        var value: Double
        var start: Int
        var end: Int
    }

    private static let currencyPrefixes = ["us$", "usd", "eur", "gbp", "$", "€", "£"]
    private static let currencySuffixes = ["usd", "eur", "gbp", "dollars", "dollar", "euros", "euro", "bucks", "pounds", "$", "€", "£"]

    /// Amounts written with a currency: `$129.99`, `USD 40`, `45,50 €`, `1,250.00 dollars`.
    ///
    /// Bare numbers are not amounts: "12 days", "order A-10023" and "2 mugs" must not turn into refunds.
    static func amounts(in text: String) -> [Amount] {
        let lowered = Array(text.lowercased().unicodeScalars)
        var amounts: [Amount] = []
        var index = 0
        while index < lowered.count {
            guard isDigit(lowered[index]), index == 0 || !(isAlphanumeric(lowered[index - 1]) || lowered[index - 1] == "-")
            else {
                index += 1
                continue
            }
            var cursor = index
            var token = ""
            while cursor < lowered.count {
                let scalar = lowered[cursor]
                if isDigit(scalar) {
                    token.unicodeScalars.append(scalar)
                } else if scalar == "," || scalar == ".", cursor + 1 < lowered.count, isDigit(lowered[cursor + 1]) {
                    token.unicodeScalars.append(scalar)
                } else {
                    break
                }
                cursor += 1
            }
            defer { index = cursor }
            if cursor < lowered.count, isLetter(lowered[cursor]), !startsWithAny(lowered, at: cursor, currencySuffixes) { continue }
            guard hasCurrencyPrefix(lowered, before: index) || hasCurrencySuffix(lowered, after: cursor),
                let value = parseNumber(token)
            else { continue }
            amounts.append(Amount(value: value, start: index, end: cursor))
        }
        return amounts
    }

    /// The amount the customer asks for: one near "refund" or followed by "back", else the last one.
    static func requestedAmount(in text: String) -> Double? {
        let found = amounts(in: text)
        guard found.count > 1 else { return found.first?.value }
        let lowered = Array(text.lowercased().unicodeScalars)
        for amount in found {
            let before = String(String.UnicodeScalarView(lowered[max(0, amount.start - 25)..<amount.start]))
            let after = String(String.UnicodeScalarView(lowered[amount.end..<min(lowered.count, amount.end + 14)]))
            if after.contains("back") || ["refund", "reimburse", "reembols", "rembours", "erstatt"].contains(where: before.contains) {
                return amount.value
            }
        }
        return found.last?.value
    }

    /// `1,234.56`, `1.234,56`, `45,50` and `1,250` as numbers.
    static func parseNumber(_ token: String) -> Double? {
        let lastComma = token.lastIndex(of: ",")
        let lastDot = token.lastIndex(of: ".")
        var normalized = token
        switch (lastComma, lastDot) {
        case (let comma?, let dot?):
            // The later separator is the decimal one.
            if comma > dot {
                normalized = token.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else {
                normalized = token.replacingOccurrences(of: ",", with: "")
            }
        case (let comma?, nil):
            let decimals = token.distance(from: token.index(after: comma), to: token.endIndex)
            let commas = token.filter { $0 == "," }.count
            normalized =
                decimals == 2 && commas == 1
                ? token.replacingOccurrences(of: ",", with: ".") : token.replacingOccurrences(of: ",", with: "")
        case (nil, _):
            let dots = token.filter { $0 == "." }.count
            if dots > 1 || (dots == 1 && lastDot.map { token.distance(from: token.index(after: $0), to: token.endIndex) } == 3) {
                normalized = token.replacingOccurrences(of: ".", with: "")
            }
        }
        return Double(normalized)
    }

    private static func hasCurrencyPrefix(_ scalars: [Unicode.Scalar], before index: Int) -> Bool {
        var cursor = index - 1
        while cursor >= 0, scalars[cursor] == " " { cursor -= 1 }
        guard cursor >= 0 else { return false }
        for prefix in currencyPrefixes {
            let prefixScalars = Array(prefix.unicodeScalars)
            let start = cursor - prefixScalars.count + 1
            guard start >= 0, Array(scalars[start...cursor]) == prefixScalars else { continue }
            // `usd`, `eur`: a word, so it must not end another word ("eur" in "amateur").
            if prefixScalars.allSatisfy(isLetter), start > 0, isLetter(scalars[start - 1]) { continue }
            return true
        }
        return false
    }

    private static func hasCurrencySuffix(_ scalars: [Unicode.Scalar], after index: Int) -> Bool {
        var cursor = index
        while cursor < scalars.count, scalars[cursor] == " " { cursor += 1 }
        return startsWithAny(scalars, at: cursor, currencySuffixes)
    }

    private static func startsWithAny(_ scalars: [Unicode.Scalar], at index: Int, _ words: [String]) -> Bool {
        for word in words {
            let wordScalars = Array(word.unicodeScalars)
            let end = index + wordScalars.count
            guard end <= scalars.count, Array(scalars[index..<end]) == wordScalars else { continue }
            if isLetter(wordScalars[0]), end < scalars.count, isLetter(scalars[end]) { continue }
            return true
        }
        return false
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII first: looking up Unicode properties is the slowest part of scanning English text.
        if scalar.value < 0x80 { return (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A }
        return scalar.properties.isAlphabetic
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool { isDigit(scalar) || isLetter(scalar) }

    /// Whether `phrase` occurs in `text` as whole words (both already lowercased).
    static func containsWords(_ text: String, _ phrase: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: phrase, range: searchRange) {
            let beforeOK =
                found.lowerBound == text.startIndex
                || !isAlphanumeric(text.unicodeScalars[text.unicodeScalars.index(before: found.lowerBound)])
            let afterOK = found.upperBound == text.endIndex || !isAlphanumeric(text.unicodeScalars[found.upperBound])
            if beforeOK && afterOK { return true }
            searchRange = text.index(after: found.lowerBound)..<text.endIndex
        }
        return false
    }

    /// Formats an amount the way the agents quote it: `$129.99`, `€45.50`, `£20.00`, `129.99 CHF`.
    static func money(_ value: Double, currency: String?) -> String {
        let number = String(format: "%.2f", value)
        switch (currency ?? "USD").uppercased() {
        case "USD": return "$" + number
        case "EUR": return "€" + number
        case "GBP": return "£" + number
        case let other: return number + " " + other
        }
    }
}
