import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Token and users files: located errors for bad lines, tokens kept only as digests, bcrypt
/// passwords checked through HummingbirdBcrypt.
@Suite("Serve credentials")
struct ServeCredentialsTests {
    @Test func badLinesAreErrorsWithTheirLineAndColumn() throws {
        let text = """
            # comment
            ana reviewer short
              bob boss 0123456789abcdef0123
            carl viewer
            dana approver 0123456789abcdef0123
            dana viewer 0123456789abcdef0124
            """
        do {
            _ = try ServeCredentials.parse(text, path: "tokens.txt", kind: .tokens)
            Issue.record("bad lines were accepted")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.count == 4, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("tokens.txt:2:1: error: the token of 'ana' is shorter than 16 characters") })
            #expect(lines.contains { $0.hasPrefix("tokens.txt:3:3: error: unknown role 'boss'") })
            #expect(lines.contains { $0.hasPrefix("tokens.txt:4:1: error: expected three fields (NAME ROLE TOKEN), found 2") })
            #expect(lines.contains { $0.hasPrefix("tokens.txt:6:1: error: 'dana' is listed twice") })
        }
        do {
            _ = try ServeCredentials.parse("ana reviewer plain-text-password", path: "users.txt", kind: .users)
            Issue.record("a plain password was accepted")
        } catch {
            #expect(error.description.contains("users.txt:1:1: error: the password of 'ana' is not a bcrypt hash"))
            #expect(error.description.contains("evalgate serve --hash-password"))
        }
    }

    @Test func tokensAndPasswordsAuthenticateTheirHolderOnly() async throws {
        let tokens = try ServeCredentials.parse("ana reviewer 0123456789abcdef0123\nvic viewer fedcba98765432100123", path: "t", kind: .tokens)
        #expect(await tokens.authenticate(name: "", secret: "0123456789abcdef0123") == ServeUser(name: "ana", role: .reviewer))
        #expect(await tokens.authenticate(name: "vic", secret: "0123456789abcdef0123") == nil, "ana's token with vic's name")
        #expect(tokens.authenticate(bearer: "fedcba98765432100123") == ServeUser(name: "vic", role: .viewer))
        #expect(tokens.authenticate(bearer: "fedcba98765432100124") == nil)
        #expect(!tokens.entries.contains { $0.secret.contains("0123456789abcdef0123") }, "tokens are kept as digests")

        let hash = ServeCredentials.hash(password: "correct horse")
        #expect(hash.hasPrefix("$2") && hash.count == 60)
        let users = try ServeCredentials.parse("ana approver \(hash)", path: "u", kind: .users)
        #expect(await users.authenticate(name: "ana", secret: "correct horse") == ServeUser(name: "ana", role: .approver))
        #expect(await users.authenticate(name: "ana", secret: "correct horsE") == nil)
        #expect(await users.authenticate(name: "bob", secret: "correct horse") == nil)
        #expect(users.authenticate(bearer: hash) == nil, "a users file has no bearer tokens")
        #expect(ServeRole.viewer < .reviewer && ServeRole.reviewer < .approver)
    }
}
