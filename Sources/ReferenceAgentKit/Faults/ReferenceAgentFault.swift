/// A way the reference agent can fail a request, as named in the `X-Fault` request header.
public enum ReferenceAgentFault: String, Sendable, CaseIterable, Codable {
    /// `500 Internal Server Error`.
    case internalServerError = "500"
    /// `503 Service Unavailable`.
    case serviceUnavailable = "503"
    /// `429 Too Many Requests` with `Retry-After: 1`.
    case rateLimited = "429"
    /// `200` with a body that is not JSON.
    case malformed
    /// A `Content-Length` larger than the body sent, then the connection closes.
    case truncated
    /// Never answers, until the server shuts down.
    case hang
    /// The normal answer, written a few bytes every 100 ms.
    case slowDrip = "slow-drip"
    /// A valid JSON answer of 50 MiB, to check that clients cap response bodies.
    case huge
    /// Closes the connection with a TCP reset and no answer.
    case reset

    /// The request header that asks for a fault: `X-Fault: 503`.
    public static let headerName = "X-Fault"
    /// Fault only the first N requests that carry the same `X-Fault-Key`, then answer normally.
    public static let countHeaderName = "X-Fault-Count"
    /// Groups requests for `X-Fault-Count`; without it, requests are grouped by fault.
    public static let keyHeaderName = "X-Fault-Key"
}
