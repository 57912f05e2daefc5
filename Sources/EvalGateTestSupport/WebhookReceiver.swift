import EvalGateKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A chat webhook on 127.0.0.1 and a free port that records what it is sent, for `--notify` tests.
/// It answers every POST with a fixed status, so a test can play a healthy or a broken Slack.
public final class WebhookReceiver: Sendable {
    /// One request as the receiver saw it.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var contentType: String?
        public var body: String

        /// The body parsed as JSON, or nil when it is not JSON.
        public var json: JSONValue? { try? JSONValue(parsing: body) }
    }

    actor Log {
        var requests: [Request] = []
        func append(_ request: Request) { requests.append(request) }
    }

    public let host: String
    public let port: Int
    private let log: Log
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(host: String, port: Int, log: Log, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.log = log
        self.group = group
        self.task = task
    }

    /// `http://127.0.0.1:PORT/hooks/evalgate`: the path is arbitrary, every path is accepted.
    public var url: String { "http://\(host):\(port)/hooks/evalgate" }

    /// Everything received so far, oldest first.
    public func requests() async -> [Request] { await log.requests }

    /// Starts a receiver that answers `status` (with a short text body) and returns once it listens.
    public static func start(status: Int = 200, host: String = "127.0.0.1") async throws -> WebhookReceiver {
        let log = Log()
        var logger = Logger(label: "evalgate-webhook-receiver")
        logger.logLevel = .warning
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 4 << 20)
            await log.append(
                Request(
                    method: request.method.rawValue, path: request.uri.path, contentType: request.headers[.contentType], body: String(buffer: body)))
            let text = status < 400 ? "ok" : "invalid_payload"
            return Response(
                status: HTTPResponse.Status(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname(host, port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await port in ports {
            return WebhookReceiver(host: host, port: port, log: log, group: group, task: task)
        }
        try await task.value
        throw WebhookReceiverError.didNotStart
    }

    /// Shuts the server down and waits until it has stopped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

public enum WebhookReceiverError: Error, Equatable {
    case didNotStart
}

/// Runs `body` against a fresh webhook receiver and stops the receiver afterwards, also when `body` throws.
public func withWebhookReceiver<Result>(
    status: Int = 200,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (WebhookReceiver) async throws -> Result
) async throws -> Result {
    let receiver = try await WebhookReceiver.start(status: status)
    do {
        let result = try await body(receiver)
        await receiver.stop()
        return result
    } catch {
        await receiver.stop()
        throw error
    }
}
