import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The exit codes, as the library defines them and the built binary ends with them.
@Suite("Exit status")
struct ExitStatusTests {
    @Test(arguments: [(Verdict.pass, EvalGateKit.ExitStatus.pass, Int32(0)), (.fail, .fail, 1), (.inconclusive, .inconclusive, 2)])
    func verdictDecidesTheStatus(verdict: Verdict, status: EvalGateKit.ExitStatus, code: Int32) {
        #expect(EvalGateKit.ExitStatus(verdict) == status)
        #expect(EvalGateKit.ExitStatus(verdict).rawValue == code)
    }

    @Test func codesThatAreNotVerdicts() {
        #expect(EvalGateKit.ExitStatus.invalidInput.rawValue == 3)
        #expect(EvalGateKit.ExitStatus.cannotRun.rawValue == 4)
        #expect(EvalGateKit.ExitStatus.interrupted.rawValue == 5)
        #expect(EvalGateKit.ExitStatus.auditBroken.rawValue == 6)
        #expect(EvalGateKit.ExitStatus.partial.rawValue == 7)
        #expect(EvalGateKit.ExitStatus.attestationInvalid.rawValue == 8)
        #expect(EvalGateKit.ExitStatus.notAuthorized.rawValue == 9)
        #expect(EvalGateKit.ExitStatus.autonomyRefused.rawValue == 11)
        #expect(EvalGateKit.ExitStatus.changePending.rawValue == 10)
        #expect(EvalGateKit.ExitStatus.usage.rawValue == 64)
        #expect(Set(EvalGateKit.ExitStatus.allCases.map(\.rawValue)).count == EvalGateKit.ExitStatus.allCases.count)
    }

    @Test func helpListsEveryCodeFromTheLibrary() throws {
        let help = try CommandLineTool().run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.replacingOccurrences(of: "\n", with: " ").contains("0 pass/valid, 1 gate failed"), "\(help.stdout)")
        #expect(
            EvalGateKit.ExitStatus.summary
                == "0 pass/valid, 1 gate failed, 2 inconclusive, 3 invalid input, 4 could not run, 5 interrupted, 6 audit trail broken, 7 shard recorded, 8 attestation does not verify, 9 role may not sign off, 10 change awaits approval, 11 autonomy change refused, 64 usage error."
        )
    }

    /// The binary ends with the library's codes: a usage error, invalid input, a history it cannot open.
    @Test func binaryEndsWithTheLibrarysCodes() throws {
        let folder = TemporaryDirectory()
        let tool = CommandLineTool(workingDirectory: folder.path)
        #expect(try tool.run(["history", "--no-such-flag"]).status == EvalGateKit.ExitStatus.usage.rawValue)
        #expect(try tool.run(["validate", "missing.yaml"]).status == EvalGateKit.ExitStatus.invalidInput.rawValue)
        folder.write("not-a-database.sqlite", String(repeating: "not sqlite ", count: 100))
        #expect(try tool.run(["history", "--history", folder.file("not-a-database.sqlite")]).status == EvalGateKit.ExitStatus.cannotRun.rawValue)
    }
}
