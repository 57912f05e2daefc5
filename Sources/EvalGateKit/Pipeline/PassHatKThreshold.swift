/// `min_pass_hat_k: {k: 3, rate: 0.9}`: over the conversation cases, the mean chance that k
/// independent conversations all succeed must reach `rate`.
public struct PassHatKThreshold: Sendable, Equatable, Codable {
    public var k: Int
    public var rate: Rate

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case k, rate
    }

    public init(k: Int, rate: Rate) {
        self.k = k
        self.rate = rate
    }
}
