import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The reference agent's HTTP server: three example agents behind OpenAI-style and plain JSON endpoints,
/// with injectable faults.
public enum ReferenceAgentServer {
    /// Starts a server and returns once it listens; port `0` picks a free port.
    ///
    /// The server runs until `RunningReferenceAgent.stop()`.
    public static func start(
        configuration: ReferenceAgentConfiguration = ReferenceAgentConfiguration(),
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger? = nil
    ) async throws -> RunningReferenceAgent {
        let state = ReferenceAgentState(configuration: configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = makeApplication(
            configuration: configuration, state: state, host: host, port: port, logger: logger ?? defaultLogger
        ) { boundPort in
            continuation.yield(boundPort)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger ?? defaultLogger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await boundPort in ports {
            return RunningReferenceAgent(host: host, port: boundPort, state: state, group: group, task: task)
        }
        // The stream finished without a port: the server failed to start (the port is taken, say).
        try await task.value
        throw ReferenceAgentError.didNotStart
    }

    /// Runs a server until SIGINT or SIGTERM, then shuts down gracefully (hanging requests are released).
    ///
    /// - Parameter onListening: called once with the bound port.
    public static func run(
        configuration: ReferenceAgentConfiguration = ReferenceAgentConfiguration(),
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger? = nil,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let app = makeApplication(
            configuration: configuration, state: ReferenceAgentState(configuration: configuration), host: host,
            port: port, logger: logger ?? defaultLogger, onListening: onListening)
        try await app.runService()
    }

    static var defaultLogger: Logger {
        var logger = Logger(label: "evalgate-reference-agent")
        logger.logLevel = .warning
        return logger
    }

    static func makeApplication(
        configuration: ReferenceAgentConfiguration,
        state: ReferenceAgentState,
        host: String,
        port: Int,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let handlers = AgentHandlers(configuration: configuration, state: state, flaky: FlakyAnswers(seed: configuration.seed))
        let router = Router(context: AgentRequestContext.self)
        router.get("healthz") { request, _ in
            await state.record(path: request.uri.path)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("stats") { _, _ in
            FaultResponder.jsonResponse(.ok, await state.currentStatistics())
        }
        router.delete("stats") { _, _ in
            await state.reset()
            return Response(status: .noContent)
        }
        // The OpenAI model list, as `evalgate init` probes it.
        router.get("v1/models") { request, _ in
            await state.record(path: request.uri.path)
            let models = AgentHandlers.chatAgents.sorted().map { ModelListWire.Model(id: $0) }
            return FaultResponder.jsonResponse(.ok, ModelListWire(data: models))
        }
        router.post("v1/chat/completions") { request, context in
            try await handlers.chatCompletion(request, context: context, deployment: nil)
        }
        router.post("openai/deployments/:deployment/chat/completions") { request, context in
            try await handlers.chatCompletion(request, context: context, deployment: context.parameters.get("deployment"))
        }
        router.post("v1/responses") { request, context in
            try await handlers.responses(request, context: context)
        }
        router.post("a2a/:agent") { request, context in
            try await handlers.a2a(request, context: context, agent: context.parameters.get("agent") ?? "")
        }
        router.get("a2a/:agent/.well-known/agent-card.json") { request, context in
            await handlers.agentCard(request, agent: context.parameters.get("agent") ?? "")
        }
        router.get(".well-known/agent-card.json") { request, _ in
            await handlers.agentCard(request, agent: AgentHandlers.defaultA2AAgent)
        }
        router.post("v1/embeddings") { request, context in
            try await handlers.embeddings(request, context: context)
        }
        router.post("api/triage") { request, context in
            try await handlers.triage(request, context: context)
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? port)
            },
            logger: logger)
    }
}

/// `GET /v1/models`: `{"object": "list", "data": [{"id": ..., "object": "model", "owned_by": ...}]}`.
struct ModelListWire: Encodable {
    struct Model: Encodable {
        var id: String
        var object = "model"
        var owned_by = "evalgate-reference-agent"
    }

    var object = "list"
    var data: [Model]
}
