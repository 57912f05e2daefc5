import Crypto
import Foundation

/// Signed release evidence: an in-toto Statement (v1) with the in-toto Test Result predicate
/// (v0.1), in a DSSE envelope signed with Ed25519. A deploy step or an auditor checks that the
/// version about to ship is the one that was tested, on which evidence, and that nobody changed the
/// statement since (`evalgate attest verify`).
public enum ReleaseAttestation {
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let predicateType = "https://in-toto.io/attestation/test-result/v0.1"
    /// The key in the predicate under which evalgate's own evidence sits.
    public static let evidenceKey = "https://evalgate.dev/release-evidence/v1"

    public struct Statement: Sendable, Equatable, Codable {
        public var type: String
        public var subject: [ResourceDescriptor]
        public var predicateType: String
        public var predicate: TestResult

        public enum CodingKeys: String, CodingKey {
            case type = "_type"
            case subject, predicateType, predicate
        }
    }

    /// in-toto ResourceDescriptor (the fields evalgate uses).
    public struct ResourceDescriptor: Sendable, Equatable, Codable {
        public var name: String
        public var digest: [String: String]
        public var uri: String?

        public enum CodingKeys: String, CodingKey { case name, digest, uri }
    }

    /// The in-toto Test Result predicate (v0.1), with evalgate's evidence under `evidenceKey`.
    public struct TestResult: Sendable, Equatable, Codable {
        /// PASSED, WARNED (inconclusive) or FAILED.
        public var result: String
        /// The pipeline file and each golden dataset, with their SHA-256.
        public var configuration: [ResourceDescriptor]
        public var url: String?
        public var passedTests: [String]
        public var warnedTests: [String]
        public var failedTests: [String]
        public var evidence: Evidence

        public enum CodingKeys: String, CodingKey {
            case result, configuration, url, passedTests, warnedTests, failedTests
            case evidence = "https://evalgate.dev/release-evidence/v1"
        }
    }

    /// What evalgate decided, on which evidence.
    public struct Evidence: Sendable, Equatable, Codable {
        public var runID: String
        public var agent: String
        public var version: String
        public var environment: String
        public var mode: Recommendation.Mode
        public var verdict: Verdict
        public var action: Recommendation.Action
        public var tier: Int
        public var tierName: String
        public var gates: [GateResult]
        public var pipelineFile: String
        public var pipelineHash: String
        public var datasetHashes: [String: String]
        /// The audit log's head when the statement was made: the log of decisions it extends.
        public var auditHead: AuditHead?
        public var baselineRunID: String?
        public var approvals: [Approval]
        public var startedAt: Date
        public var endedAt: Date
        public var evalgateVersion: String
        /// A release run's sign-offs and rejections in force when the statement was made, and the
        /// roles still pending (docs/signoff.md); absent when the run's tier names no reviewers.
        public var signOff: ReleaseSignOff? = nil
        /// Change control (docs/change-control.md): the SHA-256 of the effective gates the run was
        /// decided by, of its scorers, and the approvals of the change that put those gates in force.
        public var gatesSHA256: String? = nil
        public var scorersSHA256: String? = nil
        public var tierPolicySHA256: String? = nil
        public var changeApprovals: [ChangeApproval]? = nil

        public enum CodingKeys: String, CodingKey {
            case runID, agent, version, environment, mode, verdict, action, tier, tierName, gates, pipelineFile, pipelineHash, datasetHashes
            case auditHead, baselineRunID, approvals, startedAt, endedAt, evalgateVersion
            case signOff
            case gatesSHA256, scorersSHA256, tierPolicySHA256, changeApprovals
        }
    }

    /// Why an attestation cannot be made or does not verify. Nothing is written in either case.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case badDigest(String)
        case notAnEnvelope(String)
        case badSignature(keyID: String)
        case notAStatement(String)
        case wrongVersion(expected: String, found: String)

        public var description: String {
            switch self {
            case .badDigest(let text): return "'\(text)' is not a subject digest: give sha256:<64 hex digits>"
            case .notAnEnvelope(let reason): return "not a DSSE envelope: \(reason)"
            case .badSignature(let keyID):
                return "no signature verifies with the public key \(keyID.prefix(16))…: the statement was changed, or signed with another key"
            case .notAStatement(let reason): return "the signed payload is not an evalgate release statement: \(reason)"
            case .wrongVersion(let expected, let found): return "the statement is for version \(found), not \(expected)"
            }
        }
    }

    /// The statement for a recorded run.
    public static func statement(
        for run: RunRecord, approvals: [Approval], auditHead: AuditHead?, subjectDigest: String?, url: String? = nil,
        signOff: ReleaseSignOff? = nil
    ) throws -> Statement {
        var digest: [String: String]
        if let subjectDigest {
            let parts = subjectDigest.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "sha256", parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else {
                throw Failure.badDigest(subjectDigest)
            }
            digest = ["sha256": parts[1].lowercased()]
        } else {
            // No artifact digest given: the subject is the version by name, and its digest that of
            // the name (in-toto requires one). Give --subject-digest to tie it to the artifact.
            digest = ["sha256": hex(SHA256.hash(data: Data("\(run.agent)@\(run.version)".utf8)))]
        }
        let subject = ResourceDescriptor(name: "\(run.agent)@\(run.version)", digest: digest, uri: nil)
        var configuration = [ResourceDescriptor(name: run.pipelineFile, digest: ["sha256": run.pipelineHash], uri: nil)]
        for (path, hash) in run.datasetHashes.sorted(by: { $0.key < $1.key }) {
            configuration.append(ResourceDescriptor(name: path, digest: ["sha256": hash], uri: nil))
        }
        let result =
            switch run.verdict {
            case .pass: "PASSED"
            case .fail: "FAILED"
            case .inconclusive: "WARNED"
            }
        var evidence = Evidence(
            runID: run.id, agent: run.agent, version: run.version, environment: run.environment, mode: run.mode, verdict: run.verdict,
            action: run.recommendation.action, tier: run.tier, tierName: run.tierName, gates: run.gates, pipelineFile: run.pipelineFile,
            pipelineHash: run.pipelineHash, datasetHashes: run.datasetHashes, auditHead: auditHead, baselineRunID: run.baseline?.baselineRunID,
            approvals: approvals, startedAt: run.startedAt, endedAt: run.endedAt, evalgateVersion: run.evalgateVersion)
        evidence.signOff = signOff
        if let control = run.changeControl {
            evidence.gatesSHA256 = control.gatesSHA256
            evidence.scorersSHA256 = control.scorersSHA256
            evidence.tierPolicySHA256 = control.tierPolicySHA256
            evidence.changeApprovals = control.approvals.isEmpty ? nil : control.approvals
        }
        return Statement(
            type: statementType, subject: [subject], predicateType: predicateType,
            predicate: TestResult(
                result: result, configuration: configuration, url: url ?? run.ci["job_url"],
                passedTests: run.gates.filter { $0.outcome == .pass }.map(\.name),
                warnedTests: run.gates.filter { $0.outcome == .inconclusive }.map(\.name),
                failedTests: run.gates.filter { $0.outcome == .fail }.map(\.name), evidence: evidence))
    }

    /// The signed envelope of `statement`, as the JSON written to the attestation file.
    public static func sign(_ statement: Statement, key: Curve25519.Signing.PrivateKey) throws -> Data {
        let payload = try JSONCoding.encoder().encode(statement)
        let envelope = try DSSEEnvelope.sign(payload: payload, payloadType: DSSEEnvelope.inTotoPayloadType, key: key)
        let encoder = JSONCoding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return try encoder.encode(envelope) + Data("\n".utf8)
    }

    /// The statement in `envelope`, once a signature verifies with `key` and the statement is an
    /// evalgate release statement (for `expectedVersion`, when given).
    public static func verify(envelope data: Data, key: Curve25519.Signing.PublicKey, expectedVersion: String? = nil) throws -> Statement {
        let envelope: DSSEEnvelope
        do {
            envelope = try JSONCoding.decoder().decode(DSSEEnvelope.self, from: data)
        } catch {
            throw Failure.notAnEnvelope("\(error)")
        }
        guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
            throw Failure.notAnEnvelope("payloadType is '\(envelope.payloadType)', not \(DSSEEnvelope.inTotoPayloadType)")
        }
        guard Data(base64Encoded: envelope.payload) != nil else { throw Failure.notAnEnvelope("the payload is not base64") }
        guard !envelope.signatures.isEmpty else { throw Failure.notAnEnvelope("it has no signatures") }
        guard let payload = envelope.verifiedPayload(key: key) else { throw Failure.badSignature(keyID: SigningKey.keyID(key)) }
        let statement: Statement
        do {
            statement = try JSONCoding.decoder().decode(Statement.self, from: payload)
        } catch {
            throw Failure.notAStatement("\(error)")
        }
        guard statement.type == statementType else { throw Failure.notAStatement("_type is '\(statement.type)'") }
        guard statement.predicateType == predicateType else { throw Failure.notAStatement("predicateType is '\(statement.predicateType)'") }
        if let expectedVersion, statement.predicate.evidence.version != expectedVersion {
            throw Failure.wrongVersion(expected: expectedVersion, found: statement.predicate.evidence.version)
        }
        return statement
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
