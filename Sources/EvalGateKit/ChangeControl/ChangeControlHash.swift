import Crypto
import Foundation

/// SHA-256 (hex) of the canonical texts change control compares and names.
public enum ChangeControlHash {
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }
}
