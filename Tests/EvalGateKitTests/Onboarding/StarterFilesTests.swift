import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// What `evalgate init` writes, without an endpoint: every kind of pipeline validates, the starter
/// cases are examples with a mix of scorers, and nothing is replaced without `force`.
@Suite("Onboarding: starter files")
struct StarterFilesTests {
    static func finding(_ kind: EndpointDefinition.Kind) -> EndpointProbe.Finding {
        switch kind {
        case .openAIChat, .openAIResponses:
            EndpointProbe.Finding(
                url: "http://127.0.0.1:8080/v1/chat/completions", models: ["m"], model: "m", answer: "OK", usesKey: false, answerPointer: nil,
                usagePointers: nil, notes: [])
        case .http:
            EndpointProbe.Finding(
                url: "http://127.0.0.1:8080/api/answer", models: [], model: nil, answer: "OK", usesKey: false, answerPointer: "/output/text",
                usagePointers: UsagePointers(inputTokens: "/usage/prompt_tokens", outputTokens: "/usage/completion_tokens"), notes: [])
        case .a2a:
            EndpointProbe.Finding(
                url: "http://127.0.0.1:8080/a2a/support", models: [], model: nil, answer: "OK", usesKey: false, answerPointer: nil,
                usagePointers: nil, notes: [])
        case .command:
            EndpointProbe.Finding(
                url: "python3 agent.py", models: [], model: nil, answer: "OK", usesKey: false, answerPointer: "/answer", usagePointers: nil,
                notes: [])
        }
    }

    @Test(arguments: EndpointDefinition.Kind.allCases)
    func everyKindOfPipelineValidates(kind: EndpointDefinition.Kind) throws {
        let folder = TemporaryDirectory(prefix: "evalgate-onboarding")
        let request = OnboardingRequest(
            directory: folder.path, name: "my-agent", kind: kind, endpoint: kind == .command ? "python3 'my agent.py' --fast" : "http://x",
            tier: 2, pricing: ("0.00015", "0.0006"))
        let onboarding = Onboarding(request: request)
        let outcome = try onboarding.write(Self.finding(kind))
        #expect(outcome.written == ["pipelines/my-agent.yaml", "golden-datasets/my-agent/cases.jsonl", "pipelines/tiers.yaml"])
        #expect(outcome.validation.isValid, "\(outcome.validation.diagnostics.map(\.description))")
        // Ten example cases are fewer than any tier needs for a conclusive verdict: the one warning.
        #expect(outcome.validation.diagnostics.map(\.message).allSatisfy { $0.contains("needs at least 100 cases") })
        #expect(outcome.validation.caseCount == 10)
        let endpoint = try #require(outcome.validation.pipeline?.definition.agent.endpoint)
        #expect(endpoint.kind == kind)
        #expect(endpoint.pricing?.inputPer1K == Money(exactly: "0.00015"))
        switch kind {
        case .openAIChat, .openAIResponses: #expect(endpoint.model == "m")
        case .http:
            #expect(endpoint.answerPointer == "/output/text")
            #expect(endpoint.headers.isEmpty)
            #expect(endpoint.usagePointers?.inputTokens == "/usage/prompt_tokens")
        case .a2a: #expect(endpoint.url == "http://127.0.0.1:8080/a2a/support")
        case .command: #expect(endpoint.argv == ["python3", "my agent.py", "--fast"])
        }
    }

    /// A key that was needed (and set) is sent from its variable, never written into the file.
    @Test func aKeyIsSentFromItsVariable() {
        var finding = Self.finding(.openAIChat)
        finding.usesKey = true
        let request = OnboardingRequest(name: "a", endpoint: "http://x", apiKeyVariable: "OPENAI_API_KEY")
        let text = StarterFiles.pipeline(request, finding: finding, tierName: "internal")
        #expect(text.contains("\n    headers: {Authorization: \"Bearer ${OPENAI_API_KEY}\"}\n"), "\(text)")
        #expect(text.contains("tier 1 is 'internal'"))
    }

    @Test func starterCasesAreMarkedExamplesWithAMixOfScorers() throws {
        let lines = StarterFiles.dataset().split(separator: "\n")
        #expect(lines.count == 10)
        var kinds: Set<String> = []
        for line in lines {
            let value = try JSONValue(parsing: String(line))
            #expect(value["id"]?.stringValue?.hasPrefix("example-") == true)
            #expect(value["tags"]?.arrayValue?.contains("example") == true)
            #expect(value["metadata"]?["note"]?.stringValue?.hasPrefix("EXAMPLE: replace") == true)
            for scorer in value["assert"]?.arrayValue ?? [] { kinds.insert(scorer["type"]?.stringValue ?? "") }
        }
        #expect(kinds.count >= 10, "\(kinds.sorted())")
        #expect(kinds.isSuperset(of: ["equals", "icontains", "regex", "is-json", "json-field", "numeric", "refusal", "latency", "token-f1"]))
    }

    @Test func nothingIsReplacedWithoutForce() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-onboarding")
        folder.write("golden-datasets/a/cases.jsonl", "{\"id\": \"mine\", \"input\": \"x\"}\n")
        let request = OnboardingRequest(directory: folder.path, name: "a", endpoint: "http://x")
        #expect(throws: OnboardingError.wouldOverwrite([folder.file("golden-datasets/a/cases.jsonl")])) {
            try Onboarding(request: request).write(Self.finding(.openAIChat))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("pipelines/a.yaml")), "all or nothing")
        var forced = request
        forced.force = true
        #expect(try Onboarding(request: forced).write(Self.finding(.openAIChat)).validation.isValid)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/chat/completions"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1/chat/completions"),
        ("https://api.example.com/v1", "https://api.example.com/v1/chat/completions"),
        ("https://api.example.com/v1/chat/completions", "https://api.example.com/v1/chat/completions"),
        ("http://localhost:11434/v1/", "http://localhost:11434/v1/chat/completions"),
    ])
    func chatCompletionsURLFromWhatUsersType(typed: String, url: String) {
        #expect(OnboardingRequest.chatCompletionsURL(typed) == url)
        #expect(OnboardingRequest.modelsURL(chatCompletionsURL: url).hasSuffix("/v1/models"))
    }

    @Test func settingsAreCheckedBeforeAnythingIsProbed() {
        let good = OnboardingRequest(name: "kb", endpoint: "http://x", pricing: ("0.1", "0.2"))
        #expect(throws: Never.self) { try Onboarding.check(good) }
        for bad in [
            OnboardingRequest(name: "../kb", endpoint: "http://x"), OnboardingRequest(name: "kb", endpoint: "http://x", tier: 10),
            OnboardingRequest(name: "kb", endpoint: "http://x", pricing: ("-1", "0.2")),
            OnboardingRequest(name: "kb", endpoint: "http://x", apiKeyVariable: "MY-KEY"),
            OnboardingRequest(name: "kb", endpoint: "http://x", answerPointer: "output"),
        ] {
            #expect(throws: OnboardingError.self) { try Onboarding.check(bad) }
        }
    }
}
