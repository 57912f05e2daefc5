import Crypto
import Foundation
import HummingbirdBcrypt

/// Who may sign in to `evalgate serve`, read from a token file or a users file.
///
/// Both are text files of `NAME ROLE SECRET` lines (`#` starts a comment). In a token file the
/// secret is a random token of at least 16 characters, kept only as its SHA-256; in a users file it
/// is a bcrypt hash of the person's password (`evalgate serve --hash-password` prints one;
/// `htpasswd -nB` hashes are accepted too). Without either file the server is read-only.
public struct ServeCredentials: Sendable {
    public enum Kind: String, Sendable {
        case tokens, users
    }

    struct Entry: Sendable {
        var user: ServeUser
        /// SHA-256 of the token, or the bcrypt hash.
        var secret: String
    }

    public let kind: Kind
    let entries: [Entry]

    /// Shortest token accepted: shorter ones can be guessed.
    public static let minimumTokenLength = 16

    /// Nobody can sign in: the server is read-only.
    public static let none = ServeCredentials(kind: .tokens, entries: [])

    init(kind: Kind, entries: [Entry]) {
        self.kind = kind
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    public var users: [ServeUser] { entries.map(\.user) }

    /// Reads a token or users file; every bad line is an error with its line and column.
    public static func load(path: String, kind: Kind) throws(InvalidInputError) -> ServeCredentials {
        let data = try TextFile.read(path: path, displayPath: path, maxBytes: 4 << 20)
        return try parse(String(decoding: data, as: UTF8.self), path: path, kind: kind)
    }

    public static func parse(_ text: String, path: String, kind: Kind) throws(InvalidInputError) -> ServeCredentials {
        var entries: [Entry] = []
        var problems: [Diagnostic] = []
        var names: Set<String> = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let column = line.count - trimmed.count + 1
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let location = SourceLocation(file: path, line: number + 1, column: column)
            let format = kind == .tokens ? "NAME ROLE TOKEN" : "NAME ROLE BCRYPT-HASH"
            guard fields.count == 3 else {
                problems.append(Diagnostic(.error, location, "expected three fields (\(format)), found \(fields.count)", hint: nil))
                continue
            }
            guard let role = ServeRole(rawValue: fields[1]) else {
                problems.append(
                    Diagnostic(
                        .error, location, "unknown role '\(fields[1])'",
                        hint: "one of: \(ServeRole.allCases.map(\.rawValue).joined(separator: ", "))"))
                continue
            }
            guard names.insert(fields[0]).inserted else {
                problems.append(Diagnostic(.error, location, "'\(fields[0])' is listed twice", hint: nil))
                continue
            }
            let secret = fields[2]
            switch kind {
            case .tokens:
                guard secret.count >= minimumTokenLength else {
                    problems.append(
                        Diagnostic(
                            .error, location, "the token of '\(fields[0])' is shorter than \(minimumTokenLength) characters",
                            hint: "make one with: openssl rand -base64 24"))
                    continue
                }
                entries.append(Entry(user: ServeUser(name: fields[0], role: role), secret: digest(secret)))
            case .users:
                guard secret.hasPrefix("$2"), secret.count == 60 else {
                    problems.append(
                        Diagnostic(
                            .error, location, "the password of '\(fields[0])' is not a bcrypt hash",
                            hint: "hash it with: evalgate serve --hash-password (reads the password from standard input)"))
                    continue
                }
                entries.append(Entry(user: ServeUser(name: fields[0], role: role), secret: secret))
            }
        }
        if !problems.isEmpty { throw InvalidInputError(problems) }
        return ServeCredentials(kind: kind, entries: entries)
    }

    /// The user `name` with `secret` (the token, or the password), or nil. Bcrypt is slow on
    /// purpose, so it runs on a thread of its own.
    public func authenticate(name: String, secret: String) async -> ServeUser? {
        switch kind {
        case .tokens:
            // Name optional: the token alone identifies its holder.
            let presented = Self.digest(secret)
            let match = entries.first { Self.constantTimeEqual($0.secret, presented) && (name.isEmpty || $0.user.name == name) }
            return match?.user
        case .users:
            guard let entry = entries.first(where: { $0.user.name == name }) else {
                // Spend the same time as a real check, so a wrong name cannot be told from a wrong password.
                _ = try? await onOwnThread { Bcrypt.verify(secret, hash: Self.decoyHash) }
                return nil
            }
            let hash = entry.secret
            let valid = (try? await onOwnThread { Bcrypt.verify(secret, hash: hash) }) ?? false
            return valid ? entry.user : nil
        }
    }

    /// The holder of a bearer token (token files only).
    public func authenticate(bearer token: String) -> ServeUser? {
        guard kind == .tokens else { return nil }
        let presented = Self.digest(token)
        return entries.first { Self.constantTimeEqual($0.secret, presented) }?.user
    }

    /// A bcrypt hash of `password` for a users file.
    public static func hash(password: String) -> String {
        Bcrypt.hash(password, cost: 12)
    }

    /// Made once, on first use.
    static let decoyHash = Bcrypt.hash("evalgate-decoy", cost: 12)

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
