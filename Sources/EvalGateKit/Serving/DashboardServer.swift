import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `evalgate serve`: the dashboard over a history (portfolio, agents, runs, review queue) and
/// `/metrics`, on Hummingbird. Loopback by default; read-only unless credentials are given.
public enum DashboardServer {
    public struct Configuration: Sendable {
        public var history: DashboardHistory
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        public var credentials: ServeCredentials
        public var loader: PipelineLoader
        /// Cases per page of a run.
        public var pageSize: Int
        /// Runs per agent in the portfolio's trend (and `/metrics`' review queue).
        public var trendLength: Int
        /// Mark cookies `Secure` (behind a TLS-terminating proxy).
        public var secureCookies: Bool
        public var logger: Logger

        public init(
            history: DashboardHistory, host: String = "127.0.0.1", port: Int = 8080, credentials: ServeCredentials = .none,
            loader: PipelineLoader = PipelineLoader(), pageSize: Int = 100, trendLength: Int = 30, secureCookies: Bool = false, logger: Logger? = nil
        ) {
            self.history = history
            self.host = host
            self.port = port
            self.credentials = credentials
            self.loader = loader
            self.pageSize = pageSize
            self.trendLength = trendLength
            self.secureCookies = secureCookies
            self.logger =
                logger
                ?? {
                    var logger = Logger(label: "evalgate-serve")
                    logger.logLevel = .warning
                    return logger
                }()
        }
    }

    /// True for addresses only this machine can reach.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func makeApplication(_ configuration: Configuration, onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let sessions = ServeSessions()
        let router = Router(context: DashboardContext.self)
        router.add(
            middleware: DashboardMiddleware(
                sessions: sessions, credentials: configuration.credentials, signInEnabled: !configuration.credentials.isEmpty))
        DashboardRoutes(
            history: configuration.history, sessions: sessions, credentials: configuration.credentials, loader: configuration.loader,
            pageSize: max(1, configuration.pageSize), secureCookies: configuration.secureCookies, trendLength: max(1, configuration.trendLength)
        ).register(on: router)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) }, logger: configuration.logger)
    }

    /// Serves until SIGINT or SIGTERM. `onListening` gets the bound port once the socket listens;
    /// a port in use throws before it is called.
    public static func run(_ configuration: Configuration, onListening: @escaping @Sendable (Int) async -> Void) async throws {
        try await makeApplication(configuration, onListening: onListening).runService()
    }

    /// Starts a server in the background and returns once it listens (tests, benchmarks).
    public static func start(_ configuration: Configuration) async throws -> RunningDashboard {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = makeApplication(configuration) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: configuration.logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await port in ports {
            return RunningDashboard(host: configuration.host, port: port, group: group, task: task)
        }
        try await task.value
        throw DashboardError.historyUnavailable("the server stopped before it listened")
    }
}

/// A dashboard started by `DashboardServer.start`.
public final class RunningDashboard: Sendable {
    public let host: String
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.group = group
        self.task = task
    }

    public var url: String { "http://\(host):\(port)" }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
