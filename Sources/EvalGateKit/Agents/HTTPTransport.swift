import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The one HTTP client of a run: pooled connections sized to the run's concurrency, a deadline on
/// every request, capped response bodies, TLS verification on unless a pipeline turns it off.
public final class HTTPTransport: Sendable {
    let client: HTTPClient
    public let maxResponseBytes: Int

    public init(maxConcurrency: Int, maxResponseBytes: Int, insecureSkipTLSVerify: Bool = false) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConcurrency))
        // A refused connection fails the attempt at once; the runner's retry policy decides what next.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10))
        configuration.decompression = .enabled(limit: .size(maxResponseBytes))
        // No spans of AsyncHTTPClient's own: their `url.full` would carry a secret written into an
        // endpoint URL past the run's redactor. `EvaluationTrace` spans every call instead.
        configuration.tracing.tracer = nil
        if insecureSkipTLSVerify {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            configuration.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maxResponseBytes = maxResponseBytes
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// Sends one request and reads the whole body, within `timeout` seconds from start to last byte.
    public func send(url: String, method: String, headers: [String: String], body: Data?, timeout: Double) async throws(AgentError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            if request.headers["Content-Type"].isEmpty { request.headers.add(name: "Content-Type", value: "application/json") }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let limit = maxResponseBytes
        let client = self.client
        let prepared = request
        do {
            // The client's own deadline reports connection failures precisely; ours, a moment later,
            // also bounds the body (a slow drip after the head would otherwise run on).
            return try await withDeadline(seconds: timeout + 0.25, reportedAs: timeout, on: client.eventLoopGroup.any()) {
                let response = try await client.execute(prepared, deadline: .now() + .nanoseconds(Int64(timeout * 1e9)))
                if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                    throw AgentError(
                        .responseTooLarge, "response of \(length) bytes is over the \(limit)-byte cap", status: Int(response.status.code))
                }
                let buffer: ByteBuffer
                do {
                    buffer = try await response.body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw AgentError(.responseTooLarge, "response body is over the \(limit)-byte cap", status: Int(response.status.code))
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw AgentError(
                        .malformedResponse, "the response body was cut off after the headers (\(Self.classify(error, timeout: timeout).message))",
                        status: Int(response.status.code))
                }
                return Response(
                    status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                    body: Data(buffer.readableBytesView))
            }
        } catch let error as AgentError {
            throw error
        } catch is NIOTooManyBytesError {
            throw AgentError(.responseTooLarge, "response body is over the \(limit)-byte cap")
        } catch is CancellationError {
            throw AgentError(.cancelled, "request cancelled")
        } catch {
            throw Self.classify(error, timeout: timeout)
        }
    }

    /// What a failed request means for the run; see `TransportErrorMapping`.
    static func classify(_ error: any Error, timeout: Double) -> AgentError {
        TransportErrorMapping.agentError(for: error, timeout: timeout)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}

/// Runs `operation`, and cancels it with a timeout error if it has not finished within `seconds`.
///
/// The timer is an event-loop task, cancelled and freed as soon as `operation` finishes. A
/// `Task.sleep` timer would do the same job, but on Linux a cancelled sleep keeps its task and
/// dispatch timer alive until the full timeout has passed: about 600 bytes per request for 30 s,
/// 40 MB at 2,000 requests a second.
func withDeadline<T: Sendable>(
    seconds: Double, reportedAs reported: Double? = nil, on eventLoop: any EventLoop, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            let timer = eventLoop.scheduleTask(in: .nanoseconds(Int64(min(max(0, seconds), 1e9) * 1e9))) {}
            // Fails with `EventLoopError.cancelled` once the timer is cancelled; that error is never read.
            try await withTaskCancellationHandler {
                try await timer.futureResult.get()
            } onCancel: {
                timer.cancel()
            }
            throw AgentError(.timeout, "no complete answer within \(JSONValue.format(number: reported ?? seconds)) s")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

extension HTTPTransport.Response {
    /// A bounded, printable slice of the body for error messages.
    var bodySnippet: String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return TerminalText.sanitize(text, limit: 200)
    }

    func retryAfterSeconds() -> Double? {
        guard let value = header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }

    /// Maps a non-2xx status to an agent error.
    func statusError() -> AgentError? {
        switch status {
        case 200..<300: return nil
        case 429: return AgentError(.rateLimited, "HTTP 429 Too Many Requests", status: status, retryAfter: retryAfterSeconds())
        case 500...: return AgentError(.serverError, "HTTP \(status): \(bodySnippet)", status: status, retryAfter: retryAfterSeconds())
        default: return AgentError(.clientError, "HTTP \(status): \(bodySnippet)", status: status)
        }
    }
}
