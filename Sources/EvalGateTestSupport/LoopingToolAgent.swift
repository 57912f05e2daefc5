import EvalGateKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A broken tool-using agent on 127.0.0.1 and a free port: an OpenAI-compatible chat endpoint that
/// answers every request with the same tool call and never with an answer, the way a model stuck in a
/// loop does. It records the requests it was sent, so a test can read the conversation it grew.
public final class LoopingToolAgent: Sendable {
    actor Log {
        var requests: [JSONValue] = []
        func append(_ request: JSONValue) -> Int {
            requests.append(request)
            return requests.count
        }
    }

    /// The tool every turn calls.
    public let toolName: String
    public let arguments: JSONValue
    public let port: Int
    private let log: Log
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(toolName: String, arguments: JSONValue, port: Int, log: Log, group: ServiceGroup, task: Task<Void, any Error>) {
        self.toolName = toolName
        self.arguments = arguments
        self.port = port
        self.log = log
        self.group = group
        self.task = task
    }

    /// `http://127.0.0.1:PORT/v1/chat/completions` (every path answers alike).
    public var chatCompletionsURL: String { "http://127.0.0.1:\(port)/v1/chat/completions" }

    /// Every request body received so far, oldest first.
    public func requests() async -> [JSONValue] { await log.requests }

    /// Starts the agent and returns once it listens.
    public static func start(toolName: String = "lookup_order", arguments: JSONValue = ["order_id": "A-10023"]) async throws -> LoopingToolAgent {
        let log = Log()
        var logger = Logger(label: "evalgate-looping-tool-agent")
        logger.logLevel = .warning
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 4 << 20)
            let turn = await log.append((try? JSONValue(parsing: String(buffer: body))) ?? .null)
            let completion: JSONValue = [
                "id": .string("chatcmpl-loop-\(turn)"), "object": "chat.completion", "created": 0, "model": "looping-agent",
                "choices": [
                    [
                        "index": 0, "finish_reason": "tool_calls",
                        "message": [
                            "role": "assistant", "content": .null,
                            "tool_calls": [
                                [
                                    "id": .string("call_\(turn)"), "type": "function",
                                    "function": ["name": .string(toolName), "arguments": .string(arguments.compactJSON)],
                                ]
                            ],
                        ],
                    ]
                ],
                "usage": ["prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15],
            ]
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: completion.compactJSON)))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
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
            return LoopingToolAgent(toolName: toolName, arguments: arguments, port: port, log: log, group: group, task: task)
        }
        try await task.value
        throw LoopingToolAgentError.didNotStart
    }

    /// Shuts the server down and waits until it has stopped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

public enum LoopingToolAgentError: Error, Equatable {
    case didNotStart
}

/// Runs `body` against a fresh looping agent and stops it afterwards, also when `body` throws.
public func withLoopingToolAgent<Result>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (LoopingToolAgent) async throws -> Result
) async throws -> Result {
    let agent = try await LoopingToolAgent.start()
    do {
        let result = try await body(agent)
        await agent.stop()
        return result
    } catch {
        await agent.stop()
        throw error
    }
}
