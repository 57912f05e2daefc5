import Foundation
import GRDB

/// The run history: every run evalgate saved, its cases and gates, which versions are known-good,
/// what was deployed where, and reviewers' labels, in one SQLite file.
///
/// A `Sendable` facade over a WAL-mode `DatabasePool`: readers never wait for writers, and writers
/// from parallel CI jobs on the same file queue for up to `busyTimeout` instead of failing. Every
/// public method is one transaction, so a killed process leaves either all of a save or none of it.
/// The default location (`.evalgate/history.sqlite`, `EVALGATE_HISTORY`) is the CLI's business.
public struct HistoryStore: RunHistory, HistoryDocuments {
    /// How long a writer waits for another process's write transaction before giving up.
    public static let busyTimeout: TimeInterval = 10

    public let path: String
    public var location: String { path }
    let writer: DatabasePool
    /// Applied to every JSON document and free-text column before it is stored, as a last line of
    /// defence: the runner redacts first, but a history file outlives the run and gets copied around.
    let redactor: Redactor

    /// Opens the history at `path` on a thread of its own (opening may wait for another process's
    /// lock), creating the file and its folders if needed, and brings its schema up to date.
    public static func open(path: String, redactor: Redactor = .none) async throws -> HistoryStore {
        try await onOwnThread { try HistoryStore(path: path, redactor: redactor) }
    }

    /// Opens the history at `path`, creating the file and its folders if needed, and brings its
    /// schema up to date. Blocks while another process holds the file's lock: from async code,
    /// use `open(path:redactor:)`.
    public init(path: String, redactor: Redactor = .none) throws {
        self.path = path
        self.redactor = redactor
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HistoryError.cannotOpen(path: path, message: "cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw HistoryError.cannotOpen(path: path, message: "it is a folder")
        }

        var configuration = Configuration()
        configuration.label = "evalgate.history"
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.journalMode = .wal
        // A new file gets 16 KiB pages (SQLite's default is 4 KiB): a case row is about 1.5 KiB of
        // JSON, and SQLite writes the WAL a page at a time, so saving 10,000 cases took some 20,000
        // write calls. Existing files keep their page size (it cannot change in WAL mode).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = 16384")
        }
        do {
            writer = try Self.openPool(path: path, configuration: configuration)
        } catch {
            throw HistoryError.wrap(error, path: path, opening: true)
        }
    }

    /// Opens, checks and migrates the file, trying again while another process holds a lock.
    ///
    /// Switching a new file to WAL mode needs a moment of exclusive access, and SQLite reports
    /// `SQLITE_BUSY` for it at once instead of calling the busy handler: parallel CI jobs creating
    /// the same history file together would otherwise fail one of them.
    static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try checkOwnership(pool, path: path)
                try migrate(pool)
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                guard Date() < deadline else { throw error }
                usleep(useconds_t.random(in: 5_000...25_000))
            }
        }
    }

    /// `PRAGMA quick_check`: true when SQLite finds the file consistent.
    public func verifyIntegrity() async throws -> Bool {
        try await read { db in
            let lines = try String.fetchAll(db, sql: "PRAGMA quick_check")
            return lines == ["ok"]
        }
    }

    // MARK: - Transactions

    /// One read transaction on GRDB's reader queue; every error comes out as a `HistoryError`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw HistoryError.wrap(error, path: path)
        }
    }

    /// One write transaction (`BEGIN IMMEDIATE`, so a busy database is waited for up front rather
    /// than failing halfway); every error comes out as a `HistoryError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw HistoryError.wrap(error, path: path)
        }
    }
}
