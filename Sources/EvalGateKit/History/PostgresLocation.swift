import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL history's address, from a `postgres://` or `postgresql://` URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full&sslrootcert=PATH]`.
///
/// The password comes from the URL or, when the URL has none, from `PGPASSWORD`, as with `psql`.
/// It is a secret: `description` never shows it, and `secrets` hands it to the `Redactor`.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted, with libpq's names for the modes.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, else plain TCP; the certificate is not checked (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is not checked.
        case require
        /// TLS with the certificate checked against the system's (or `sslrootcert`'s) roots and the host name.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// `sslrootcert`: a PEM file of the certificate authorities `verify-full` trusts instead of the system's.
    public var rootCertificatePath: String?

    public static let defaultPort = 5432

    /// Parses `text`; every problem is `HistoryLocation.InvalidURL` naming the part that is wrong
    /// (the password never appears in it).
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func invalid(_ reason: String, hint: String? = nil) -> HistoryLocation.InvalidURL {
            HistoryLocation.InvalidURL(url: Self.masked(text), reason: reason, hint: hint)
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql", text.contains("://")
        else {
            throw invalid(
                "it is not a URL of the form postgres://USER@HOST:PORT/DATABASE",
                hint: "percent-encode characters such as @, : or / in the user name and password (%40, %3A, %2F)")
        }
        guard let host = components.percentEncodedHost.flatMap({ $0.removingPercentEncoding }), !host.isEmpty else {
            throw invalid("it names no host", hint: "write postgres://USER@HOST:PORT/DATABASE, e.g. postgres://evalgate@127.0.0.1:5432/evalgate")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw invalid("it names no user", hint: "write the role before the host: postgres://USER@\(host)/DATABASE")
        }
        var path = components.percentEncodedPath
        if path.hasPrefix("/") { path.removeFirst() }
        guard let database = path.removingPercentEncoding, !database.isEmpty else {
            throw invalid("it names no database", hint: "end it with the database's name: postgres://\(user)@\(host)/DATABASE")
        }
        guard !database.contains("/") else { throw invalid("the database name '\(database)' contains '/'") }
        if let port = components.port {
            guard (1...65535).contains(port) else { throw invalid("port \(port) is out of range (1-65535)") }
            self.port = port
        } else {
            self.port = Self.defaultPort
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.user = user
        self.database = database
        self.password =
            components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        sslMode = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                let value = item.value ?? ""
                guard let mode = SSLMode(rawValue: value) else {
                    let hint = value == "verify-ca" || value == "allow" ? "evalgate supports disable, prefer, require and verify-full" : nil
                    throw invalid(
                        "sslmode '\(value)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))",
                        hint: hint)
                }
                sslMode = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { throw invalid("sslrootcert is empty") }
                rootCertificatePath = value
            case "application_name", "connect_timeout":
                continue
            default:
                throw invalid("parameter '\(item.name)' is not supported", hint: "supported: sslmode, sslrootcert")
            }
        }
        if rootCertificatePath != nil && sslMode != .verifyFull {
            throw invalid("sslrootcert is only used with sslmode=verify-full")
        }
    }

    /// `text` with everything between `://` and the last `@` masked: a URL that could not be
    /// parsed may still hold a password, wherever its delimiters went wrong.
    static func masked(_ text: String) -> String {
        guard let start = text.range(of: "://")?.upperBound ?? text.range(of: ":")?.upperBound,
            let at = text[start...].range(of: "@", options: .backwards)
        else { return text }
        return String(text[..<start]) + Redactor.mask + String(text[at.lowerBound...])
    }

    /// The URL without its password, for messages.
    public var description: String {
        var text = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        if sslMode != .prefer { text += "?sslmode=\(sslMode.rawValue)" }
        return text
    }

    /// Values the `Redactor` must mask: the password.
    public var secrets: [String] { password.map { [$0] } ?? [] }

    /// The pool's configuration: at most `maximumConnections` connections, UTC session time zone.
    func clientConfiguration(maximumConnections: Int) throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try clientTLS())
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = Self.startupParameters
        return configuration
    }

    /// One connection's configuration (the schema is checked and migrated on one connection).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
        case .require, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = Self.startupParameters
        return configuration
    }

    static let startupParameters = [("TimeZone", "UTC"), ("application_name", "evalgate")]

    private func clientTLS() throws -> PostgresClient.Configuration.TLS {
        switch sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(try tlsConfiguration())
        case .require, .verifyFull: return .require(try tlsConfiguration())
        }
    }

    private func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable, .prefer, .require:
            tls.certificateVerification = .none
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            if let rootCertificatePath {
                guard FileManager.default.isReadableFile(atPath: rootCertificatePath) else {
                    throw HistoryLocation.InvalidURL(
                        url: description, reason: "sslrootcert \(rootCertificatePath) is not a readable file", hint: nil)
                }
                tls.trustRoots = .file(rootCertificatePath)
            }
        }
        return tls
    }
}
