/// The exit codes of the `evalgate` commands.
///
/// These are public API: CI systems and deploy tooling act on them, and README.md's "Exit codes"
/// table documents them (a test keeps the two in step). A run's verdict decides its code through
/// `init(_:)`; the other codes say the run did not get as far as a verdict.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every gate passed (promote / keep); for `validate`, the input is valid.
    case pass = 0
    /// A gate failed (block / roll back).
    case fail = 1
    /// Not enough evidence either way: too few cases, too many errors, no baseline, run stopped.
    case inconclusive = 2
    /// A pipeline, tier policy, dataset or label file does not validate.
    case invalidInput = 3
    /// The run could not be done: the history database or files are unusable.
    case cannotRun = 4
    /// Stopped by Ctrl-C or SIGTERM before every case ran; continue with `--resume RUN`.
    case interrupted = 5
    /// `evalgate audit verify`: the audit log was edited, deleted or reordered, a recorded row no
    /// longer matches its entry, or the log does not extend the given anchor.
    case auditBroken = 6
    /// `evalgate run --shard I/N`: the shard ran its share and recorded it; `evalgate merge`
    /// decides the run. CI matrix jobs treat it as success (the merge job gates the release).
    case partial = 7
    /// `evalgate attest verify`: no signature verifies with the key, the envelope or statement is
    /// corrupt, or it is for another version.
    case attestationInvalid = 8
    /// `evalgate approve --role`, `evalgate reject`: the role is not one the run's tier requires,
    /// or the person already signed the run off in another role. Nothing was recorded.
    case notAuthorized = 9
    /// `evalgate approve-change`: the approval was recorded (or, with `--show`, a change is shown)
    /// but the change still needs another role's approval before runs are decided by it.
    case changePending = 10
    /// `evalgate autonomy promote` / `demote`: the change was refused (evidence missing, a role
    /// that may not approve the step, not exactly the next level, not a lower level); nothing written.
    case autonomyRefused = 11
    /// Bad flags or arguments (the BSD `EX_USAGE` code, which ArgumentParser also uses).
    case usage = 64

    /// The status a decided run ends with: pass → 0, fail → 1, inconclusive → 2.
    public init(_ verdict: Verdict) {
        switch verdict {
        case .pass: self = .pass
        case .fail: self = .fail
        case .inconclusive: self = .inconclusive
        }
    }

    /// What the code means, in the words `evalgate --help` and the README use.
    public var meaning: String {
        switch self {
        case .pass: "pass/valid"
        case .fail: "gate failed"
        case .inconclusive: "inconclusive"
        case .invalidInput: "invalid input"
        case .cannotRun: "could not run"
        case .interrupted: "interrupted"
        case .auditBroken: "audit trail broken"
        case .partial: "shard recorded"
        case .attestationInvalid: "attestation does not verify"
        case .notAuthorized: "role may not sign off"
        case .changePending: "change awaits approval"
        case .autonomyRefused: "autonomy change refused"
        case .usage: "usage error"
        }
    }

    /// `0 pass/valid, 1 gate failed, …, 64 usage error.`: the list `evalgate --help` prints.
    public static var summary: String {
        allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: ", ") + "."
    }
}
