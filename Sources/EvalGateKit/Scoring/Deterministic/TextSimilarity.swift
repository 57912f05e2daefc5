/// The text algorithms behind the similarity scorers, written to stay linear or bounded on
/// answers of many megabytes.
enum TextSimilarity {
    /// Most cells a full edit-distance table may have before the scorer falls back to a bound.
    static let editDistanceCellBudget = 16_000_000
    /// Most 64-bit word operations one LCS computation may take.
    static let lcsWordBudget = 200_000_000

    /// `text` without leading and trailing whitespace and newlines, scanning only the ends.
    static func trimmed(_ text: some StringProtocol) -> Substring {
        let whole = Substring(text)
        let scalars = whole.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else {
            return whole[whole.endIndex...]
        }
        let last = scalars.lastIndex(where: { !isWhitespace($0) })!
        return Substring(scalars[first...last])
    }

    // MARK: - Edit distance

    /// Levenshtein distance over Unicode scalars, or `nil` when the table would exceed the cell budget.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], cellBudget: Int = editDistanceCellBudget) -> Int? {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        let (cells, overflow) = long.count.multipliedReportingOverflow(by: short.count)
        guard !overflow, cells <= cellBudget else { return nil }
        var previous = Array(0...short.count)
        var current = [Int](repeating: 0, count: short.count + 1)
        long.withUnsafeBufferPointer { long in
            short.withUnsafeBufferPointer { short in
                for i in 1...long.count {
                    current[0] = i
                    let character = long[i - 1]
                    for j in 1...short.count {
                        let substitution = previous[j - 1] + (character == short[j - 1] ? 0 : 1)
                        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                    }
                    swap(&previous, &current)
                }
            }
        }
        return previous[short.count]
    }

    // MARK: - Longest common subsequence

    /// Length of the longest common subsequence of two token-id sequences, bit-parallel in the
    /// reference (Hyyrö 2004): O(candidate × reference / 64). `nil` when over the word budget.
    /// Candidate ids outside `0..<vocabularySize` match nothing in the reference.
    static func lcsLength(reference: [Int], candidate: [Int], vocabularySize: Int, wordBudget: Int = lcsWordBudget) -> Int? {
        if reference.isEmpty || candidate.isEmpty { return 0 }
        let words = (reference.count + 63) / 64
        guard candidate.count.multipliedReportingOverflow(by: words).partialValue <= wordBudget else { return nil }
        var matches = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: vocabularySize)
        for (position, token) in reference.enumerated() {
            matches[token][position / 64] |= 1 << UInt64(position % 64)
        }
        var v = [UInt64](repeating: ~0, count: words)
        let lastWordBits = reference.count % 64
        for token in candidate where token >= 0 && token < vocabularySize {
            let match = matches[token]
            var carry: UInt64 = 0
            for w in 0..<words {
                let u = v[w] & match[w]
                let (sum1, overflow1) = v[w].addingReportingOverflow(u)
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                carry = (overflow1 || overflow2) ? 1 : 0
                v[w] = sum2 | (v[w] & ~match[w])
            }
        }
        var length = 0
        for w in 0..<words {
            var word = ~v[w]
            if w == words - 1, lastWordBits != 0 { word &= (1 << UInt64(lastWordBits)) - 1 }
            length += word.nonzeroBitCount
        }
        return length
    }

    // MARK: - Tokens

    /// Lowercased runs of letters and digits: the words ROUGE-L compares.
    static func words(_ text: some StringProtocol) -> [String] {
        tokens(text) { scalar in
            isWordScalar(scalar) ? .keep : .split
        }
    }

    /// SQuAD answer normalisation: lowercase, punctuation removed (joining what it separated),
    /// articles dropped, split on whitespace.
    static func squadTokens(_ text: some StringProtocol) -> [String] {
        tokens(text) { scalar in
            if isWhitespace(scalar) { return .split }
            if scalar.value < 0x80 {
                return isASCIIAlphanumeric(scalar) ? .keep : (scalar.value < 0x20 || scalar.value == 0x7F ? .split : .drop)
            }
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                return .drop
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator:
                return .split
            default:
                return .keep
            }
        }.filter { $0 != "a" && $0 != "an" && $0 != "the" }
    }

    private enum ScalarRole { case keep, drop, split }

    private static func tokens(_ text: some StringProtocol, role: (Unicode.Scalar) -> ScalarRole) -> [String] {
        if let tokens = asciiTokens(text, role: role) { return tokens }
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsASCII = true
        func flush() {
            guard !current.isEmpty else { return }
            let token = String(current)
            result.append(currentIsASCII ? token : token.lowercased())
            current = String.UnicodeScalarView()
            currentIsASCII = true
        }
        for scalar in text.unicodeScalars {
            switch role(scalar) {
            case .keep:
                if scalar.value >= 0x41 && scalar.value <= 0x5A {
                    current.append(Unicode.Scalar(scalar.value + 0x20)!)
                } else {
                    if scalar.value >= 0x80 { currentIsASCII = false }
                    current.append(scalar)
                }
            case .drop:
                continue
            case .split:
                flush()
            }
        }
        flush()
        return result
    }

    /// `tokens(_:role:)` for ASCII text, on bytes instead of scalars (appending scalars to a
    /// string one at a time was most of building a token-f1 scorer); nil at the first non-ASCII byte.
    private static func asciiTokens(_ text: some StringProtocol, role: (Unicode.Scalar) -> ScalarRole) -> [String]? {
        var result: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            switch role(Unicode.Scalar(byte)) {
            case .keep:
                current.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            case .drop:
                continue
            case .split:
                guard !current.isEmpty else { continue }
                result.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    /// Unicode `White_Space`, answered without the property table lookup for ASCII (most text):
    /// that lookup was a fifth of validating a dataset.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) }
        return scalar.properties.isWhitespace
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return isASCIIAlphanumeric(scalar) }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil
    }
}
