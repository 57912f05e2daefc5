import Foundation
import GRDB
import Logging
import PostgresNIO

/// The run history in a shared PostgreSQL database, for teams whose CI jobs run on many machines.
///
/// The same tables, columns and invariants as the SQLite history (`HistoryStore`), created by
/// append-only migrations recorded in `evalgate_migration`. A `PostgresClient` (postgres-nio's
/// connection pool) serves every call; its `run()` loop is a task this history owns, ended by
/// `close()`. Every public method is one transaction:
///
/// - Writes take one transaction-scoped advisory lock first (`writeLock`), so writers from every
///   process append to the audit chain one after the other, and everything a write decides on
///   (the run's earlier known-good mark, its verdict, the chain head) is read after the writers
///   before it committed. Readers never wait for it.
/// - Reads run in `REPEATABLE READ READ ONLY` transactions: one consistent snapshot per call.
/// - A serialisation failure or deadlock (SQLSTATE 40001, 40P01), which a DBA's own session or a
///   server-side change can still cause, is retried with the whole transaction up to
///   `maximumAttempts` times, so callers never see it.
///
/// Timestamps are stored as UTC text `YYYY-MM-DD HH:MM:SS.SSS`, exactly as the SQLite history
/// stores them, so a row's audit digest is the same in both backends and a history copied between
/// them (`HistoryCopy`) still verifies.
public final class PostgresHistory: RunHistory, HistoryDocuments, Sendable {
    public let address: PostgresLocation
    public var location: String { address.description }
    let client: PostgresClient
    let redactor: Redactor
    private let runner: Task<Void, Never>

    /// Connections per process: enough for the parallel reads of one run, few enough that 20 CI
    /// jobs stay well under the server's default `max_connections` of 100.
    public static let defaultMaximumConnections = 4
    /// Tries of one transaction that fails with a serialisation failure or deadlock.
    static let maximumAttempts = 8
    /// The advisory lock every write transaction holds: "evalgate" in ASCII.
    static let writeLock: Int64 = 0x6576_616c_6761_7465
    static let logger = Logger(label: "evalgate.history.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Connects, checks that the database is an evalgate history (or empty) no newer than this
    /// evalgate, migrates it, and starts the pool.
    public static func open(
        _ address: PostgresLocation, redactor: Redactor = .none, maximumConnections: Int = defaultMaximumConnections
    ) async throws -> PostgresHistory {
        try await migrate(address)
        let configuration: PostgresClient.Configuration
        do {
            configuration = try address.clientConfiguration(maximumConnections: maximumConnections)
        } catch {
            throw HistoryError.cannotOpen(path: address.description, message: "TLS: \(error)")
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return PostgresHistory(address: address, client: client, redactor: Redactor(secrets: redactor.secrets + address.secrets))
    }

    private init(address: PostgresLocation, client: PostgresClient, redactor: Redactor) {
        self.address = address
        self.client = client
        self.redactor = redactor
        runner = Task { await client.run() }
    }

    /// Ends the pool: its connections are closed and later calls fail.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    deinit {
        runner.cancel()
    }

    // MARK: - Transactions

    enum TransactionKind {
        /// `REPEATABLE READ READ ONLY`: one snapshot.
        case read
        /// Holds `writeLock`; `READ COMMITTED`, so every statement after the lock sees what the
        /// writers before committed.
        case write
    }

    /// One transaction, retried whole on a serialisation failure or deadlock; every error comes
    /// out as a `HistoryError`.
    func transaction<T: Sendable>(_ kind: TransactionKind, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await client.withTransaction(logger: Self.logger) { connection in
                    switch kind {
                    case .read:
                        try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: Self.logger)
                    case .write:
                        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.writeLock))", logger: Self.logger)
                    }
                    return try await body(connection)
                }
            } catch {
                let cause = Self.cause(of: error)
                if attempt < Self.maximumAttempts, Self.isRetryable(cause) {
                    attempt += 1
                    try? await Task.sleep(for: .milliseconds(Int.random(in: 5...20) * attempt))
                    continue
                }
                // The database's errors say what to do; errors of the body itself (refusals of the
                // contract, a copy's conflict) go out as they are.
                guard cause is PSQLError || cause is PostgresDecodingError || cause is DecodingError || cause is EncodingError else { throw cause }
                throw HistoryError.wrap(postgres: cause, location: location)
            }
        }
    }

    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(.read, body)
    }

    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(.write, body)
    }

    /// The error inside a transaction wrapper: the closure's, else the commit's or BEGIN's.
    static func cause(of error: any Error) -> any Error {
        guard let error = error as? PostgresTransactionError else { return error }
        return error.closureError ?? error.commitError ?? error.beginError ?? error
    }

    /// Serialisation failure or deadlock: the transaction did nothing and can run again.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    // MARK: - Values as SQLite stores them

    /// A date as the SQLite history stores it (GRDB's UTC `yyyy-MM-dd HH:mm:ss.SSS`).
    static func text(_ date: Date) -> String {
        String.fromDatabaseValue(date.databaseValue) ?? ""
    }

    static func date(_ text: String, what: @autoclosure () -> String) throws -> Date {
        guard let date = Date.fromDatabaseValue(text.databaseValue) else {
            throw HistoryError.decoding(what: what(), message: "'\(text)' is not a timestamp")
        }
        return date
    }

    /// A cell as the value SQLite would hold for its column: booleans are integers 0 and 1.
    static func databaseValue(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .bool: return (try cell.decode(Bool.self) ? Int64(1) : Int64(0)).databaseValue
        case .int2, .int4, .int8: return try cell.decode(Int64.self).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        default: return try cell.decode(String.self).databaseValue
        }
    }

    /// `sql` with `$1`, `$2`, … bound to `values` (nil is NULL).
    static func query(_ sql: String, _ values: [(any PostgresDynamicTypeEncodable)?]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            if let value { bindings.append(value) } else { bindings.appendNull() }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// The digest of the rows `condition` selects, as `AuditDigest.rows` computes it on SQLite.
    static func digest(
        _ connection: PostgresConnection, table: String, columns: [String], where condition: String,
        _ values: [(any PostgresDynamicTypeEncodable)?], order: String
    ) async throws -> String {
        let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(condition) ORDER BY \(order)"
        var digest = RowsDigest(columns: columns)
        for try await row in try await connection.query(query(sql, values), logger: logger) {
            digest.add(try row.map { try databaseValue($0) })
        }
        return digest.finalize()
    }
}

extension HistoryError {
    /// A PostgreSQL client or server error as a `HistoryError` that says what to do.
    static func wrap(postgres error: any Error, location: String) -> HistoryError {
        switch error {
        case let error as HistoryError:
            return error
        case let error as PSQLError:
            if let info = error.serverInfo {
                let state = info[.sqlState] ?? "?"
                var message = info[.message] ?? "\(error.code)"
                if let detail = info[.detail] { message += " (\(detail))" }
                switch state {
                case "25006":
                    return .readOnly(location: location, message: message)
                case "28P01", "28000":
                    return .cannotOpen(path: location, message: "authentication failed: \(message)")
                case "3D000":
                    return .cannotOpen(path: location, message: "\(message); create it first (CREATE DATABASE) or fix the URL")
                case "42501":
                    return .server(location: location, sqlState: state, message: "\(message); the role needs write access to the history's tables")
                default:
                    return .server(location: location, sqlState: state, message: message)
                }
            }
            let underlying = error.underlying.map { ": \($0)" } ?? ""
            return .unreachable(location: location, message: "\(error.code)\(underlying)")
        case let error as DecodingError:
            return .decoding(what: "a stored value", message: String(describing: error))
        case let error as EncodingError:
            return .encoding(what: "a value", message: String(describing: error))
        case let error as PostgresDecodingError:
            return .decoding(what: "column \(error.columnName)", message: "\(error.code) (\(error.postgresType))")
        default:
            return .unreachable(location: location, message: String(describing: error))
        }
    }
}
