import Crypto
import CryptoExtras
import Foundation

/// Ed25519 keys for signing release evidence, as PEM files (PKCS#8 private key, SubjectPublicKeyInfo
/// public key: what `openssl` and Python's `cryptography` read).
public enum SigningKey {
    public typealias Private = Curve25519.Signing.PrivateKey
    public typealias Public = Curve25519.Signing.PublicKey

    /// Why a key cannot be used.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missing(path: String)
        case unreadable(path: String, reason: String)
        case exists(path: String)
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): return "\(path): no such key file"
            case .unreadable(let path, let reason): return "\(path): not an Ed25519 key in PEM (\(reason))"
            case .exists(let path): return "\(path) exists; evalgate never replaces a key (remove it first, or choose another path)"
            case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
            }
        }
    }

    /// A new key pair: the private key at `path` (mode 0600, created exclusively), the public key
    /// at `path.pub`. Neither may exist.
    public static func generate(path: String) throws -> Curve25519.Signing.PublicKey {
        let publicPath = path + ".pub"
        for existing in [path, publicPath] where FileManager.default.fileExists(atPath: existing) { throw Failure.exists(path: existing) }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw Failure.cannotWrite(path: path, reason: error.localizedDescription)
            }
        }
        let key = Curve25519.Signing.PrivateKey()
        try write(key.pemRepresentation, to: path, mode: 0o600)
        try write(key.publicKey.pemRepresentation, to: publicPath, mode: 0o644)
        return key.publicKey
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        // The umask may have narrowed the mode; the private key must be exactly 0600.
        fchmod(descriptor, mode)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    public static func loadPrivate(path: String) throws -> Curve25519.Signing.PrivateKey {
        let text = try read(path)
        do {
            return try Curve25519.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            let hint = text.contains("PUBLIC KEY") ? "this is a public key; sign with the private key" : "\(error)"
            throw Failure.unreadable(path: path, reason: hint)
        }
    }

    public static func loadPublic(path: String) throws -> Curve25519.Signing.PublicKey {
        let text = try read(path)
        do {
            return try Curve25519.Signing.PublicKey(pemRepresentation: text)
        } catch {
            let hint = text.contains("PRIVATE KEY") ? "this is a private key; verify with the .pub file" : "\(error)"
            throw Failure.unreadable(path: path, reason: hint)
        }
    }

    static func read(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw Failure.missing(path: path) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Failure.unreadable(path: path, reason: "cannot read the file")
        }
        return text
    }

    /// The key id signatures name: SHA-256 of the public key's raw 32 bytes, hex.
    public static func keyID(_ key: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: key.rawRepresentation).map { String(format: "%02x", $0) }.joined()
    }
}
