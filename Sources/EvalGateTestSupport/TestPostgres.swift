import EvalGateKit
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests use: `EVALGATE_TEST_POSTGRES_URL` (set by `scripts/test`, or by
/// `eval "$(scripts/postgres start)"`), else one `scripts/postgres start` brings up when the
/// server binaries are installed. It is left running for later test runs (`scripts/postgres stop`
/// ends it): a test process cannot be relied on to stop a server when it is killed.
///
/// Nothing is skipped silently: with neither, the PostgreSQL cases fail with how to start one,
/// unless `EVALGATE_SKIP_POSTGRES=1` asks to leave them out.
public enum TestPostgres {
    /// `EVALGATE_SKIP_POSTGRES=1`: the PostgreSQL cases are left out on purpose.
    public static var isSkipped: Bool { ProcessInfo.processInfo.environment["EVALGATE_SKIP_POSTGRES"] == "1" }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The server's URL (the `evalgate` role's database), found or started once per test process.
    public static func serverURL() throws -> String {
        try server.get()
    }

    private static let server: Result<String, Unavailable> = {
        if let url = ProcessInfo.processInfo.environment["EVALGATE_TEST_POSTGRES_URL"], !url.isEmpty { return .success(url) }
        let script = RepositoryPaths.path("scripts/postgres")
        let howTo =
            "the PostgreSQL tests need a server: run scripts/test, or `eval \"$(scripts/postgres start)\"` before `swift test`"
            + " (or set EVALGATE_TEST_POSTGRES_URL; EVALGATE_SKIP_POSTGRES=1 leaves these tests out)"
        let binaries = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard FileManager.default.isExecutableFile(atPath: script), !binaries.isEmpty else {
            return .failure(Unavailable(description: "EVALGATE_TEST_POSTGRES_URL is not set and no PostgreSQL binaries were found; " + howTo))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["start"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(Unavailable(description: "cannot run scripts/postgres start: \(error); " + howTo))
        }
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let start = printed.range(of: "='"), let end = printed.range(of: "'", options: .backwards),
            start.upperBound < end.lowerBound
        else {
            return .failure(Unavailable(description: "scripts/postgres start failed: \(problem); " + howTo))
        }
        return .success(String(printed[start.upperBound..<end.lowerBound]))
    }()

    /// The server URL with another database.
    public static func url(database: String) throws -> String {
        let server = try serverURL()
        guard var components = URLComponents(string: server) else { throw Unavailable(description: "invalid EVALGATE_TEST_POSTGRES_URL") }
        components.path = "/" + database
        return components.string ?? server
    }

    /// A new database with a random name, handed to `body` as a URL and dropped afterwards.
    public static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = "evalgate_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await execute(["CREATE DATABASE \(name)"], url: try serverURL())
        do {
            let result = try await body(try url(database: String(name)))
            try await execute(["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], url: try serverURL())
            return result
        } catch {
            try? await execute(["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], url: try serverURL())
            throw error
        }
    }

    static let logger = Logger(label: "evalgate.tests.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `statements` one after another on a connection of its own (not evalgate's), the way a
    /// person with `psql` would.
    public static func execute(_ statements: [String], url: String) async throws {
        _ = try await query(statements, url: url)
    }

    /// Runs `statements` and returns the rows of the last one, every column as text (cast
    /// non-text columns with `::text`).
    public static func query(_ statements: [String], url: String) async throws -> [[String?]] {
        guard case .postgres(let location) = HistoryLocation(url) else {
            throw Unavailable(description: "not a usable PostgreSQL URL: \(HistoryLocation(url))")
        }
        return try await query(statements, location: location)
    }

    public static func query(_ statements: [String], location: PostgresLocation) async throws -> [[String?]] {
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database,
            tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            var rows: [[String?]] = []
            for statement in statements {
                rows = try await collect(statement, connection)
            }
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func collect(_ statement: String, _ connection: PostgresConnection) async throws -> [[String?]] {
        var rows: [[String?]] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) {
            rows.append(row.map { cell in cell.bytes == nil ? nil : (try? cell.decode(String.self)) ?? "\(cell.dataType)" })
        }
        return rows
    }
}
