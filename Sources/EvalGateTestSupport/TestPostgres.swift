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
        try server.get().url
    }

    /// The PEM file of the certificate authority that signed the server's certificate
    /// (`EVALGATE_TEST_POSTGRES_CA`, set by `scripts/postgres start`), for `sslmode=verify-full`.
    public static func certificateAuthority() throws -> String {
        guard let path = try server.get().certificateAuthority, FileManager.default.isReadableFile(atPath: path) else {
            throw Unavailable(
                description:
                    "EVALGATE_TEST_POSTGRES_CA does not name the server's certificate authority; start the server with scripts/postgres (it turns TLS on)"
            )
        }
        return path
    }

    private static let server: Result<(url: String, certificateAuthority: String?), Unavailable> = {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["EVALGATE_TEST_POSTGRES_URL"], !url.isEmpty { return .success((url, environment["EVALGATE_TEST_POSTGRES_CA"])) }
        let script = RepositoryPaths.path("scripts/postgres")
        let howTo =
            "the PostgreSQL tests need a server: run scripts/test, or `eval \"$(scripts/postgres start)\"` before `swift test`"
            + " (or set EVALGATE_TEST_POSTGRES_URL; EVALGATE_SKIP_POSTGRES=1 leaves these tests out)"
        let binaries = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard FileManager.default.isExecutableFile(atPath: script), !binaries.isEmpty else {
            return .failure(Unavailable(description: "EVALGATE_TEST_POSTGRES_URL is not set and no PostgreSQL binaries were found; " + howTo))
        }
        // Output into files, not pipes: the server started in the background must not hold a
        // pipe this process waits to see closed.
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-postgres-\(UUID().uuidString).out")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-postgres-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        // posix_spawn and waitpid rather than Foundation's Process: its exit monitoring did not
        // see the script end when started from a static initializer inside a test.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(script), strdup("start"), nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, script, &actions, nil, arguments, environ) == 0 else {
            return .failure(Unavailable(description: "cannot run scripts/postgres start (errno \(errno)); " + howTo))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let printed = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        let problem = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        var exports: [String: String] = [:]
        for line in printed.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            exports[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: ["'"])
        }
        guard status == 0, let url = exports["EVALGATE_TEST_POSTGRES_URL"] else {
            return .failure(Unavailable(description: "scripts/postgres start failed: \(problem); " + howTo))
        }
        return .success((url, exports["EVALGATE_TEST_POSTGRES_CA"]))
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
