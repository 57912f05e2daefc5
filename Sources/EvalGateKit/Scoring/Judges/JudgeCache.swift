import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The judge's answers on disk, one `<sha256>.json` file per request, so that grading the same answer
/// with the same judge and prompt again costs no judge call.
///
/// Only judge replies that could be read are stored; the agent's answers never are. Request headers
/// (credentials) are not part of the key or the file.
public struct JudgeCache: Sendable {
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// The key of a request: SHA-256 over its parts (judge model, kind and the full request body).
    public static func key(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Data("\(part.utf8.count):".utf8))
            hasher.update(data: Data(part.utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public func path(for key: String) -> String {
        (folder as NSString).appendingPathComponent("\(key).json")
    }

    /// The stored value, or `nil` when there is none or the file cannot be read (it is then rewritten).
    public func read(_ key: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: path(for: key)) else { return nil }
        return try? JSONValue(parsing: data)
    }

    /// Stores `value` atomically: a temporary file in the same folder, renamed over the final name, so
    /// that concurrent runs and a crash mid-write never leave a half-written entry.
    public func write(_ key: String, _ value: JSONValue) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return
        }
        let temporary = (folder as NSString).appendingPathComponent(".\(key).\(UUID().uuidString).tmp")
        guard manager.createFile(atPath: temporary, contents: value.jsonData) else { return }
        if rename(temporary, path(for: key)) != 0 {
            try? manager.removeItem(atPath: temporary)
        }
    }
}
