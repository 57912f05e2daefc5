import ArgumentParser
import EvalGateKit
import Foundation

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a new Ed25519 signing key for release attestations: PATH (private, PEM, mode 0600) and PATH.pub (public, PEM).",
        discussion: "Never replaces a file. Keep the private key in your CI's secret store; give the .pub file to whoever verifies."
    )

    @Option(help: "Where the private key goes; the public key goes to PATH.pub.")
    var out: String

    func run() throws {
        do {
            let key = try SigningKey.generate(path: out)
            print("Wrote \(out) (private, 0600) and \(out).pub (public); key id \(SigningKey.keyID(key))")
        } catch let failure as SigningKey.Failure {
            printError("error: \(failure)")
            throw ExitStatus.cannotRun.code
        }
    }
}

struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Signed release evidence: an in-toto statement of a run's verdict, gates and inputs in a DSSE envelope (Ed25519).",
        subcommands: [Sign.self, Verify.self],
        defaultSubcommand: Sign.self
    )

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign",
            abstract: "Sign the evidence of a recorded run (`evalgate attest RUN --key KEY.pem`).",
            discussion:
                "Exit codes: 0 written, 3 no such run or an unusable key or digest, 4 the history or the output file is unusable, 64 usage error."
        )

        @OptionGroup var store: HistoryOptions

        @Argument(help: "The run (id or unique prefix).")
        var run: String

        @Option(help: "The Ed25519 private key (PEM), from `evalgate keygen`.")
        var key: String

        @Option(help: "Where the envelope goes (default: attestation.dsse.json in the run's folder, else the current folder).")
        var out: String?

        @Option(name: .customLong("subject-digest"), help: "The deployed artifact's digest (sha256:HEX), to tie the statement to it.")
        var subjectDigest: String?

        func run() async throws {
            let history = try await store.open()
            guard let record = try await history.run(id: run) else {
                printError("error: no run '\(run)' in \(history.location)")
                throw ExitStatus.invalidInput.code
            }
            let path = out ?? AttestCommand.defaultPath(for: record.id, home: store.home)
            try await AttestCommand.sign(record, history: history, keyPath: key, subjectDigest: subjectDigest, to: path)
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a release attestation: its signature with the public key, its statement, and (optionally) its version.",
            discussion:
                "Exit codes: 0 it verifies, 8 it does not (bad signature, corrupt envelope or statement, another version), 3 an unusable key or file, 64 usage error."
        )

        @Argument(help: "The attestation (DSSE envelope JSON).")
        var file: String

        @Option(name: .customLong("public-key"), help: "The Ed25519 public key (PEM), the .pub file of `evalgate keygen`.")
        var publicKey: String

        @Option(name: .customLong("expect-version"), help: "Fail unless the statement is for this agent version.")
        var expectVersion: String?

        func run() throws {
            let key: SigningKey.Public
            do {
                key = try SigningKey.loadPublic(path: publicKey)
            } catch let failure as SigningKey.Failure {
                printError("error: \(failure)")
                throw ExitStatus.invalidInput.code
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("error: \(file): no such attestation file")
                throw ExitStatus.invalidInput.code
            }
            do {
                let statement = try ReleaseAttestation.verify(envelope: data, key: key, expectedVersion: expectVersion)
                let evidence = statement.predicate.evidence
                print(
                    "Verified: \(evidence.agent) \(evidence.version) — \(evidence.verdict.rawValue) (\(statement.predicate.result)), run \(evidence.runID), signed by key \(SigningKey.keyID(key).prefix(16))…"
                )
                for gate in evidence.gates {
                    print(
                        "  \(gate.outcome.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(gate.name): \(gate.measured) vs \(gate.threshold)"
                    )
                }
            } catch let failure as ReleaseAttestation.Failure {
                printError("error: \(file): \(failure)")
                throw ExitStatus.attestationInvalid.code
            }
        }
    }

    static func defaultPath(for runID: String, home: String?) -> String {
        let settings = EvaluationSettings(home: home)
        let folder = settings.runFolder(runID)
        return FileManager.default.fileExists(atPath: folder)
            ? (folder as NSString).appendingPathComponent("attestation.dsse.json") : "attestation.dsse.json"
    }

    /// Signs `record`'s evidence and writes the envelope to `path`; nothing is written on an error.
    static func sign(_ record: RunRecord, history: any RunHistory, keyPath: String, subjectDigest: String?, to path: String) async throws {
        let key: SigningKey.Private
        do {
            key = try SigningKey.loadPrivate(path: keyPath)
        } catch let failure as SigningKey.Failure {
            printError("error: \(failure)")
            throw ExitStatus.invalidInput.code
        }
        let data: Data
        do {
            // The sign-offs in force now (docs/signoff.md), for a release run whose tier names reviewers.
            let signOff = try await ReleaseReview.withSignOffsInForce(record, history: history).recommendation.signOff
            let statement = try ReleaseAttestation.statement(
                for: record, approvals: try await history.approvals(runID: record.id), auditHead: try await history.auditHead(),
                subjectDigest: subjectDigest, signOff: signOff)
            data = try ReleaseAttestation.sign(statement, key: key)
        } catch let failure as ReleaseAttestation.Failure {
            printError("error: \(failure)")
            throw ExitStatus.invalidInput.code
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            printError("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitStatus.cannotRun.code
        }
        print(
            "Attestation: \(path) (\(record.agent) \(record.version), \(record.verdict.rawValue), key \(SigningKey.keyID(key.publicKey).prefix(16))…)"
        )
    }
}
