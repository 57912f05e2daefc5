import Crypto
import Foundation

/// A Dead Simple Signing Envelope (DSSE v1, github.com/secure-systems-lab/dsse): a payload, its type,
/// and signatures over the pre-authentication encoding of both.
public struct DSSEEnvelope: Sendable, Equatable, Codable {
    public var payloadType: String
    /// Base64 (standard, padded) of the payload bytes.
    public var payload: String
    public var signatures: [Signature]

    public struct Signature: Sendable, Equatable, Codable {
        public var keyid: String
        /// Base64 of the Ed25519 signature over `DSSEEnvelope.preAuthenticationEncoding`.
        public var sig: String
    }

    public enum CodingKeys: String, CodingKey { case payloadType, payload, signatures }

    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// `PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII
    /// decimal byte counts (DSSE protocol, "Signature definition").
    public static func preAuthenticationEncoding(payloadType: String, payload: Data) -> Data {
        var data = Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8)
        data.append(payload)
        return data
    }

    /// Signs `payload` with `key`.
    public static func sign(payload: Data, payloadType: String, key: Curve25519.Signing.PrivateKey) throws -> DSSEEnvelope {
        let signature = try key.signature(for: preAuthenticationEncoding(payloadType: payloadType, payload: payload))
        return DSSEEnvelope(
            payloadType: payloadType, payload: payload.base64EncodedString(),
            signatures: [Signature(keyid: SigningKey.keyID(key.publicKey), sig: signature.base64EncodedString())])
    }

    /// The payload bytes, when one signature verifies with `key`; nil otherwise.
    public func verifiedPayload(key: Curve25519.Signing.PublicKey) -> Data? {
        guard let body = Data(base64Encoded: payload) else { return nil }
        let message = Self.preAuthenticationEncoding(payloadType: payloadType, payload: body)
        for signature in signatures {
            guard let bytes = Data(base64Encoded: signature.sig) else { continue }
            if key.isValidSignature(bytes, for: message) { return body }
        }
        return nil
    }
}
