/// The pipeline's `simulator:`: the OpenAI-compatible chat endpoint a language model plays simulated
/// customers through. A scenario's `user.model` overrides `model`.
public struct SimulatorDefinition: Sendable, Equatable, Codable {
    public var url: String
    public var model: String
    public var headers: [String: String]
    /// Seconds per simulator request.
    public var timeout: Double
    /// Further tries after a reply that cannot be read or a retryable transport error.
    public var retries: Int
    /// Replies kept on disk (`<home>/simulator-cache`), keyed by model and the full request.
    public var cache: Bool
    /// Where the `simulator` block is written, for diagnostics.
    public var location = SourceLocation(file: "<memory>")

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case url, model, headers, timeout, retries, cache
    }

    public init(url: String, model: String, headers: [String: String] = [:], timeout: Double = 60, retries: Int = 2, cache: Bool = true) {
        self.url = url
        self.model = model
        self.headers = headers
        self.timeout = timeout
        self.retries = retries
        self.cache = cache
    }
}
