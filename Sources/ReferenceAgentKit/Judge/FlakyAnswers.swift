/// Decides which knowledge-base answers go wrong for requests with `X-Flaky: P`.
///
/// Each question has its own request counter, and the draw for its n-th request depends only on the
/// server seed, the question and n: a run gets the same flaky answers whatever order its concurrent
/// requests arrive in.
actor FlakyAnswers {
    static let headerName = "X-Flaky"

    /// The answer given instead of the right one.
    static let wrongAnswer = "I think that policy changed recently, but I'm not sure of the details; please check the intranet."

    private let seed: UInt64
    private var counters: [String: UInt64] = [:]

    init(seed: UInt64) {
        self.seed = seed
    }

    /// Whether this request for `question` gets a wrong answer, with probability `probability`.
    func isWrong(question: String, probability: Double) -> Bool {
        let count = counters[question, default: 0]
        counters[question] = count + 1
        guard probability > 0 else { return false }
        let questionHash = UInt64(StableHash.hex(of: question, length: 16), radix: 16) ?? 0
        var generator = SplitMix64(seed: seed ^ questionHash ^ (count &* 0x9E37_79B9_7F4A_7C15))
        return generator.nextUnit() < probability
    }
}
