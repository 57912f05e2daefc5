import Testing

@testable import EvalGateKit

private typealias F = ScoringFixtures

@Suite("Similarity scorers")
struct SimilarityScorerTests {
    static let cases: [ScorerCase] = [
        ScorerCase(F.spec("levenshtein", "kitten"), "kitten", passes: true, reason: "similarity 1.00 to 'kitten' reaches the threshold 0.80"),
        ScorerCase(F.spec("levenshtein", "kitten"), "sitting", passes: false, reason: "similarity 0.57 to 'kitten' is below the threshold 0.80"),
        ScorerCase(F.spec("levenshtein", "kitten", threshold: 0.5), "sitting", passes: true, reason: "reaches the threshold 0.50"),
        ScorerCase(F.spec("levenshtein", "Kitten", options: ["case_sensitive": false]), " KITTEN ", passes: true, reason: "similarity 1.00"),
        ScorerCase(F.spec("levenshtein"), "Pariss", passes: true, reason: "similarity 0.83 to 'Paris'", expected: "Paris"),
        ScorerCase(F.spec("rouge-l", "the cat sat on the mat"), "The cat sat on the mat.", passes: true, reason: "ROUGE-L 1.00"),
        ScorerCase(
            F.spec("rouge-l", "the cat sat on the mat"), "the cat was on a mat", passes: true,
            reason: "ROUGE-L 0.67 to 'the cat sat on the mat' reaches the threshold 0.50"),
        ScorerCase(
            F.spec("rouge-l", "the cat sat on the mat"), "dogs bark loudly", passes: false,
            reason: "ROUGE-L 0.00 to 'the cat sat on the mat' is below the threshold 0.50"),
        ScorerCase(F.spec("rouge-l", "refund denied policy", threshold: 0.9), "policy refund denied", passes: false, reason: "ROUGE-L 0.67"),
        ScorerCase(F.spec("token-f1", "The Eiffel Tower"), "eiffel tower!", passes: true, reason: "token F1 1.00"),
        ScorerCase(
            F.spec("token-f1", "Eiffel Tower in Paris"), "The tower", passes: false,
            reason: "token F1 0.40 to 'Eiffel Tower in Paris' is below the threshold 0.50"),
        ScorerCase(F.spec("token-f1", "Eiffel Tower in Paris", threshold: 0.4), "The tower", passes: true, reason: "token F1 0.40"),
        ScorerCase(F.spec("token-f1", "don't panic"), "dont panic", passes: true, reason: "token F1 1.00"),
        ScorerCase(F.spec("token-f1", "blue"), "", passes: false, reason: "token F1 0.00"),
    ]

    @Test(arguments: cases)
    func similarity(_ row: ScorerCase) throws { try row.check() }

    @Test func continuousScoresAreReportedAndInvertedWhenNegated() throws {
        let plain = try F.outcome(F.spec("levenshtein", "kitten"), answer: "sitting")
        #expect(abs(plain.score - 4.0 / 7.0) < 1e-9)
        let negated = try F.outcome(F.spec("levenshtein", "kitten", negated: true), answer: "sitting")
        #expect(abs(negated.score - 3.0 / 7.0) < 1e-9)
        #expect(negated.passed)
        let tooClose = try F.outcome(F.spec("levenshtein", "kitten", negated: true), answer: "kitten")
        #expect(!tooClose.passed)
        #expect(tooClose.reason.contains("too close to the forbidden text"))
    }

    @Test func levenshteinFallsBackToALengthBoundForHugeAnswers() throws {
        let outcome = try F.outcome(F.spec("levenshtein", "short reference"), answer: ScoringFixtures.hugeAnswer)
        #expect(!outcome.passed)
        #expect(outcome.score < 0.001)
        #expect(outcome.reason.contains("similarity at most 0.00"))
    }

    @Test func levenshteinGivesUpOnTwoHugeSimilarTexts() {
        let text = String(repeating: "abcdefghij", count: 200)
        let verdict = LevenshteinScorer(reference: text, threshold: 0.8, caseSensitive: true)
            .verdict(for: F.input(text + "x"))
        // 2000 × 2001 cells is within budget, so this one is exact...
        #expect(verdict.passed)
        #expect(abs(verdict.score - 2000.0 / 2001.0) < 1e-9)
        let big = String(repeating: "abcdefghij", count: 5_000)
        let tooBig = LevenshteinScorer(reference: big, threshold: 0.8, caseSensitive: true).verdict(for: F.input(big))
        // ...while 50 000² is not: undecided, and so failing.
        #expect(tooBig.inconclusive)
        #expect(tooBig.reason.contains("too long to compare"))
    }

    @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("flaw", "lawn", 2), ("ünïcödé", "unicode", 4), ("same", "same", 0)])
    func editDistance(_ a: String, _ b: String, _ distance: Int) {
        #expect(TextSimilarity.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars)) == distance)
    }

    @Test func editDistanceRespectsItsBudget() {
        let a = Array(String(repeating: "a", count: 1000).unicodeScalars)
        #expect(TextSimilarity.editDistance(a, a, cellBudget: 999_999) == nil)
        #expect(TextSimilarity.editDistance(a, a, cellBudget: 1_000_000) == 0)
    }

    /// The bit-parallel LCS must agree with the textbook dynamic programme, across word boundaries.
    @Test func bitParallelLCSAgreesWithDynamicProgramming() {
        var generator = SplitMix(seed: 7)
        for round in 0..<200 {
            let referenceLength = Int(generator.next() % 150)
            let candidateLength = Int(generator.next() % 150)
            let alphabet = 2 + Int(generator.next() % 6)
            let reference = (0..<referenceLength).map { _ in Int(generator.next() % UInt64(alphabet)) }
            let candidate = (0..<candidateLength).map { _ in Int(generator.next() % UInt64(alphabet + 1)) - (round % 3 == 0 ? 1 : 0) }
            let fast = TextSimilarity.lcsLength(reference: reference, candidate: candidate, vocabularySize: alphabet)
            #expect(fast == Self.slowLCS(reference, candidate), "round \(round)")
        }
    }

    @Test func lcsRespectsItsBudget() {
        #expect(TextSimilarity.lcsLength(reference: [0, 1], candidate: [0, 1, 0], vocabularySize: 2, wordBudget: 2) == nil)
        #expect(TextSimilarity.lcsLength(reference: [0, 1], candidate: [0, 1, 0], vocabularySize: 2, wordBudget: 3) == 2)
    }

    @Test(arguments: [
        ("The Cat, the HAT!", ["the", "cat", "the", "hat"]),
        ("naïve café 42x", ["naïve", "café", "42x"]),
        ("a\u{0}b\tc", ["a", "b", "c"]),
    ])
    func words(_ text: String, _ expected: [String]) {
        #expect(TextSimilarity.words(text) == expected)
    }

    @Test(arguments: [
        ("The Cat, the HAT!", ["cat", "hat"]),
        ("An apple a day", ["apple", "day"]),
        ("U.S.A. isn't €5", ["usa", "isnt", "5"]),
        ("Ça — va", ["ça", "va"]),
    ])
    func squadTokens(_ text: String, _ expected: [String]) {
        #expect(TextSimilarity.squadTokens(text) == expected)
    }

    static func slowLCS(_ a: [Int], _ b: [Int]) -> Int {
        if a.isEmpty || b.isEmpty { return 0 }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 1...a.count {
            for j in 1...b.count {
                table[i][j] = a[i - 1] == b[j - 1] ? table[i - 1][j - 1] + 1 : max(table[i - 1][j], table[i][j - 1])
            }
        }
        return table[a.count][b.count]
    }
}

/// A small deterministic generator, so randomised checks are reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
