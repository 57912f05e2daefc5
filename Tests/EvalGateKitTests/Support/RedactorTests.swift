import Foundation
import Testing

@testable import EvalGateKit

@Suite("Redactor")
struct RedactorTests {
    @Test(arguments: [
        ("https://user:pa55word@host.example/path", "https://[REDACTED]@host.example/path"),
        ("see http://a@b and ftp://c:d@e?x", "see http://[REDACTED]@b and ftp://[REDACTED]@e?x"),
        // The last `@` of the authority ends the credentials; one after `/` is the path's.
        ("https://u:p@x@host/mail@list", "https://[REDACTED]@host/mail@list"),
        ("\"url\":\"https://tok@api.example\"", "\"url\":\"https://[REDACTED]@api.example\""),
        ("https://host/a@b", "https://host/a@b"),
        ("mail hr@acme.example or visit https://acme.example", "mail hr@acme.example or visit https://acme.example"),
        ("no scheme user:pw@host", "no scheme user:pw@host"),
        ("ends with ://", "ends with ://"),
        ("é://ü:ñ@ö/😀", "é://[REDACTED]@ö/😀"),
        ("", ""),
    ])
    func masksTheUserInfoOfURLs(input: String, expected: String) {
        #expect(Redactor.none(input) == expected)
    }

    @Test func masksSecretsLongestFirstAndIgnoresValuesTooShortToBeSecrets() {
        let redactor = Redactor(secrets: ["abc", "token-123", "token-123-extended"])
        #expect(redactor("a token-123-extended and token-123, abc") == "a [REDACTED] and [REDACTED], abc")
    }
}
