import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Signed release evidence end to end with the built binary: keygen, attest, verify; tampering,
/// wrong keys and versions caught; and an independent check with Python's `cryptography` package
/// that the envelope is DSSE (PAE) signed with Ed25519 and the payload an in-toto Statement v1.
@Suite("Release attestations")
struct ReleaseAttestationTests {
    /// Independent of evalgate: DSSE PAE, Ed25519 verify with the PEM public key, Statement layout.
    static let pythonCheck = #"""
        import base64, json, re, sys
        from cryptography.hazmat.primitives.serialization import load_pem_public_key
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        envelope = json.load(open(sys.argv[1]))
        key = load_pem_public_key(open(sys.argv[2], "rb").read())
        assert isinstance(key, Ed25519PublicKey), "not an Ed25519 key"
        payload_type = envelope["payloadType"]
        body = base64.b64decode(envelope["payload"], validate=True)
        pae = b"DSSEv1 %d %s %d %s" % (len(payload_type.encode()), payload_type.encode(), len(body), body)
        assert envelope["signatures"], "no signatures"
        for signature in envelope["signatures"]:
            key.verify(base64.b64decode(signature["sig"]), pae)  # raises InvalidSignature
        assert payload_type == "application/vnd.in-toto+json", payload_type
        statement = json.loads(body)
        assert statement["_type"] == "https://in-toto.io/Statement/v1", statement["_type"]
        assert isinstance(statement["subject"], list) and statement["subject"], "subject"
        for subject in statement["subject"]:
            assert isinstance(subject["name"], str) and subject["name"], "subject name"
            assert subject["digest"] and all(re.fullmatch("[0-9a-f]{64}", v) for k, v in subject["digest"].items() if k == "sha256"), "digest"
        assert statement["predicateType"] == "https://in-toto.io/attestation/test-result/v0.1"
        predicate = statement["predicate"]
        assert predicate["result"] in ("PASSED", "WARNED", "FAILED"), predicate["result"]
        for field in ("passedTests", "warnedTests", "failedTests"):
            assert all(isinstance(name, str) for name in predicate[field]), field
        for descriptor in predicate["configuration"]:
            assert descriptor["name"] and re.fullmatch("[0-9a-f]{64}", descriptor["digest"]["sha256"]), descriptor
        evidence = predicate["https://evalgate.dev/release-evidence/v1"]
        print(json.dumps({"result": predicate["result"], "version": evidence["version"], "gates": len(evidence["gates"])}))
        """#

    static func python(_ envelope: String, _ publicKey: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", pythonCheck, envelope, publicKey]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func keygenWritesAPrivateKeyOnlyItsOwnerReadsAndNeverReplacesOne() throws {
        let folder = TemporaryDirectory()
        let tool = CommandLineTool(workingDirectory: folder.path)
        let made = try tool.run(["keygen", "--out", "release.pem"])
        #expect(made.status == 0, "\(made.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.file("release.pem"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: folder.file("release.pem"), encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try String(contentsOfFile: folder.file("release.pem.pub"), encoding: .utf8).hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.file("release.pem")))
        let again = try tool.run(["keygen", "--out", "release.pem"])
        #expect(again.status == EvalGateKit.ExitStatus.cannotRun.rawValue)
        #expect(again.stderr.contains("never replaces a key"), "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("release.pem"))) == before)
    }

    @Test func attestAndVerifyARecordedRun() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            _ = try await folder.run(["keygen", "--out", "keys/release.pem"])
            _ = try await folder.run(["keygen", "--out", "keys/other.pem"])
            let ran = try await folder.run(["run", "pass.yaml", "--output", "result.json", "--quiet"])
            #expect(ran.status == 0, "\(ran.stderr)")
            let record = try ResultFile.read(path: folder.folder.file("result.json")).record

            let signed = try await folder.run([
                "attest", record.id, "--key", "keys/release.pem", "--out", "release.dsse.json", "--subject-digest",
                "sha256:" + String(repeating: "ab", count: 32),
            ])
            #expect(signed.status == 0, "\(signed.stderr)")
            let envelope = folder.folder.file("release.dsse.json")

            // evalgate's verify, and Python's.
            let verified = try await folder.run([
                "attest", "verify", "release.dsse.json", "--public-key", "keys/release.pem.pub", "--expect-version", "3.1.0",
            ])
            #expect(verified.status == 0, "\(verified.stderr)")
            #expect(verified.stdout.contains("Verified: kb-agent 3.1.0 — pass"), "\(verified.stdout)")
            let python = try Self.python(envelope, folder.folder.file("keys/release.pem.pub"))
            #expect(python.status == 0, "\(python.output)")
            #expect(python.output.contains("\"result\": \"PASSED\"") && python.output.contains("\"version\": \"3.1.0\""), "\(python.output)")

            // What the statement says.
            let statement = try ReleaseAttestation.verify(
                envelope: try Data(contentsOf: URL(fileURLWithPath: envelope)),
                key: try SigningKey.loadPublic(path: folder.folder.file("keys/release.pem.pub")))
            #expect(statement.subject.first?.name == "kb-agent@3.1.0")
            #expect(statement.subject.first?.digest["sha256"] == String(repeating: "ab", count: 32))
            #expect(statement.predicate.evidence.runID == record.id)
            #expect(statement.predicate.evidence.gates == record.gates)
            #expect(statement.predicate.evidence.gatesSHA256 == record.changeControl?.gatesSHA256 && record.changeControl != nil)
            #expect(statement.predicate.evidence.pipelineHash == record.pipelineHash)
            #expect(statement.predicate.evidence.auditHead != nil)
            // The built-in tier 1 names the agent owner as release reviewer; nobody has signed yet.
            #expect(statement.predicate.evidence.signOff?.state == .pending && statement.predicate.evidence.signOff?.missing == ["agent owner"])
            #expect(statement.predicate.passedTests == record.gates.filter { $0.outcome == .pass }.map(\.name))

            // Another version, another key: exit 8, and Python agrees about the key.
            let otherVersion = try await folder.run([
                "attest", "verify", "release.dsse.json", "--public-key", "keys/release.pem.pub", "--expect-version", "3.2.0",
            ])
            #expect(otherVersion.status == EvalGateKit.ExitStatus.attestationInvalid.rawValue)
            #expect(otherVersion.stderr.contains("for version 3.1.0, not 3.2.0"), "\(otherVersion.stderr)")
            let otherKey = try await folder.run(["attest", "verify", "release.dsse.json", "--public-key", "keys/other.pem.pub"])
            #expect(otherKey.status == EvalGateKit.ExitStatus.attestationInvalid.rawValue)
            #expect(try Self.python(envelope, folder.folder.file("keys/other.pem.pub")).status != 0)

            // A verdict changed in the signed payload: the signature no longer holds.
            var json = try JSONCoding.decoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: envelope)))
            let payload = String(decoding: Data(base64Encoded: try #require(json["payload"]?.stringValue))!, as: UTF8.self)
            let forged = payload.replacingOccurrences(of: "\"PASSED\"", with: "\"FAILED\"")
            #expect(forged != payload)
            if case .object(var members) = json {
                members["payload"] = .string(Data(forged.utf8).base64EncodedString())
                json = .object(members)
            }
            folder.folder.write("forged.dsse.json", json.compactJSON)
            let tampered = try await folder.run(["attest", "verify", "forged.dsse.json", "--public-key", "keys/release.pem.pub"])
            #expect(tampered.status == EvalGateKit.ExitStatus.attestationInvalid.rawValue)
            #expect(tampered.stderr.contains("no signature verifies"), "\(tampered.stderr)")
            #expect(try Self.python(folder.folder.file("forged.dsse.json"), folder.folder.file("keys/release.pem.pub")).status != 0)

            // A corrupt envelope, a missing or wrong kind of key: clear errors, nothing written.
            folder.folder.write("corrupt.dsse.json", "{\"payloadType\": 3")
            #expect(
                try await folder.run(["attest", "verify", "corrupt.dsse.json", "--public-key", "keys/release.pem.pub"]).status
                    == EvalGateKit.ExitStatus.attestationInvalid.rawValue)
            let privateAsPublic = try await folder.run(["attest", "verify", "release.dsse.json", "--public-key", "keys/release.pem"])
            #expect(privateAsPublic.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(privateAsPublic.stderr.contains("this is a private key"), "\(privateAsPublic.stderr)")
            let noKey = try await folder.run(["attest", record.id, "--key", "keys/missing.pem", "--out", "never.json"])
            #expect(noKey.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(!FileManager.default.fileExists(atPath: folder.folder.file("never.json")))
            let badDigest = try await folder.run([
                "attest", record.id, "--key", "keys/release.pem", "--out", "never.json", "--subject-digest", "md5:abc",
            ])
            #expect(badDigest.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
            #expect(!FileManager.default.fileExists(atPath: folder.folder.file("never.json")))
            let noRun = try await folder.run(["attest", "no-such-run", "--key", "keys/release.pem"])
            #expect(noRun.status == EvalGateKit.ExitStatus.invalidInput.rawValue)
        }
    }

    @Test func runAttestSignsWithTheKeyFromTheEnvironment() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            _ = try await folder.run(["keygen", "--out", "ci.pem"])
            let missing = try await folder.run(["run", "pass.yaml", "--attest"])
            #expect(missing.status == EvalGateKit.ExitStatus.usage.rawValue)
            #expect(missing.stderr.contains("EVALGATE_SIGNING_KEY"), "\(missing.stderr)")
            let ran = try await folder.run(
                ["run", "fail.yaml", "--attest", "--quiet", "--output", "r.json"], environment: ["EVALGATE_SIGNING_KEY": "ci.pem"])
            #expect(ran.status == EvalGateKit.ExitStatus.fail.rawValue, "\(ran.stderr)")
            let record = try ResultFile.read(path: folder.folder.file("r.json")).record
            let envelope = folder.folder.file(".evalgate/runs/\(record.id)/attestation.dsse.json")
            let statement = try ReleaseAttestation.verify(
                envelope: try Data(contentsOf: URL(fileURLWithPath: envelope)),
                key: try SigningKey.loadPublic(path: folder.folder.file("ci.pem.pub")),
                expectedVersion: "3.1.0")
            #expect(statement.predicate.result == "FAILED")
            #expect(!statement.predicate.failedTests.isEmpty)
        }
    }
}
