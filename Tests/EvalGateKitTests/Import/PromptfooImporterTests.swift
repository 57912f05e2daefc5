import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

@Suite("Import from promptfoo")
struct PromptfooImporterTests {
    func convert(_ fixture: String) throws -> ImportResult {
        try PromptfooImporter().convert(configPath: ImportFixtures.path("promptfoo/\(fixture)/promptfooconfig.yaml"))
    }

    @Test func gettingStartedBecomesAPipelinePerProviderSharingOneDataset() throws {
        let result = try convert("getting-started")
        #expect(result.pipelines == ["pipelines/getting-started-gpt-4o-mini.yaml", "pipelines/getting-started-gpt-4o.yaml"])
        let cases = try ImportFixtures.cases(result, "golden-datasets/getting-started/cases.jsonl")
        // The test without assertions is skipped; two tests × two prompts remain.
        #expect(cases.count == 4)
        #expect(cases.map { $0["id"]?.stringValue } == ["test-2-prompt-1", "test-2-prompt-2", "test-3-prompt-1", "test-3-prompt-2"])
        let first = try #require(cases.first)
        #expect(first["input"] == "Write a tweet about avocado toast")
        #expect(first["assert"] == [["type": "icontains", "value": "avocado"]])
        #expect(cases[2]["assert"] == [["type": "llm-rubric", "value": "ensure that the output is funny"]])

        let skipped = try #require(result.diagnostics.first { $0.message.contains("'javascript' skipped") })
        #expect(skipped.location.description.hasSuffix("getting-started/promptfooconfig.yaml:23:9"))
        #expect(skipped.severity == .warning)
        #expect(result.diagnostics.contains { $0.message.hasPrefix("test 1 skipped") && $0.location.line == 14 })

        let pipeline = try #require(result.file("pipelines/getting-started-gpt-4o.yaml")).contents
        #expect(pipeline.contains("model: gpt-4o\n"))
        #expect(pipeline.contains("url: \"https://api.openai.com/v1/chat/completions\""))
        #expect(pipeline.contains("Authorization: \"Bearer ${OPENAI_API_KEY}\""))
        #expect(pipeline.contains("judge:"))
        #expect(result.variables == ["OPENAI_API_KEY"])
        _ = try ImportFixtures.writeAndValidate(result)
    }

    @Test func customerSupportConvertsProvidersTestsAndAssertions() throws {
        let result = try convert("customer-support")
        #expect(
            result.pipelines == [
                "pipelines/customer-support-acme-vllm.yaml", "pipelines/customer-support-gpt-4o-mini.yaml",
                "pipelines/customer-support-support-api.yaml", "pipelines/customer-support-support-agent.yaml",
            ])
        let folder = try ImportFixtures.writeAndValidate(result)

        // Secrets written in the promptfoo config never reach the output.
        for file in folder.allFiles() {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!text.contains("sk-proj-DO-NOT-COPY"), "\(file)")
            #expect(!text.contains("hardcoded-token-xyz"), "\(file)")
        }
        #expect(result.variables == ["ACME_LLM_KEY", "AGENT_API_TOKEN", "OPENAI_API_KEY"])

        let loader = PipelineLoader(variables: ["ACME_LLM_KEY": "k", "AGENT_API_TOKEN": "t", "OPENAI_API_KEY": "o"])
        let vllm = try loader.load(path: folder.file("pipelines/customer-support-acme-vllm.yaml")).definition
        #expect(vllm.agent.endpoint.kind == .openAIChat)
        #expect(vllm.agent.endpoint.url == "https://llm.acme.example/v1/chat/completions")
        #expect(vllm.agent.endpoint.model == "acme-support-v3")
        #expect(vllm.agent.endpoint.headers == ["Authorization": "Bearer k"])
        #expect(vllm.agent.endpoint.parameters == ["temperature": 0, "max_tokens": 400, "seed": 7])
        #expect(vllm.scorers.map(\.displayName) == ["not-icontains", "latency"])
        #expect(vllm.judge?.panel.first?.model == "gpt-4o-mini")
        #expect(vllm.judge?.embeddings?.model == "text-embedding-3-large")

        let http = try loader.load(path: folder.file("pipelines/customer-support-support-api.yaml")).definition.agent.endpoint
        #expect(http.kind == .http)
        #expect(http.url == "https://support-api.acme.example/v1/answer")
        #expect(http.answerPointer == "/data/reply")
        #expect(http.body == ["message": "{{input}}", "customer_tier": "{{metadata.tier}}"])
        #expect(http.headers["Authorization"] == "Bearer t")

        let command = try loader.load(path: folder.file("pipelines/customer-support-support-agent.yaml")).definition.agent.endpoint
        #expect(command.argv == ["python3", "agents/support_agent.py", "--mode", "eval"])

        let warnings = result.diagnostics.filter { $0.severity == .warning }.map { "\($0.location): \($0.message)" }
        let config = "customer-support/promptfooconfig.yaml"
        #expect(warnings.contains { $0.contains("\(config):20:15: provider 'openai:gpt-4o-mini': the literal apiKey was not copied") })
        #expect(warnings.contains { $0.contains("\(config):34:5: provider 'file://providers/custom_provider.js' skipped") })
        #expect(warnings.contains { $0.contains("\(config):65:9: assertion 'python' skipped: custom code") })
        #expect(warnings.contains { $0.contains("\(config):94:9: assertion 'select-best' skipped") })
        #expect(warnings.contains { $0.contains("tests/edge-cases.yaml:8:7: assertion 'moderation' skipped") })
        #expect(warnings.contains { $0.contains("tests/refunds.csv:4: assertion 'javascript' skipped") })
        #expect(warnings.contains { $0.contains("tests/edge-cases.yaml:18:3: the test's 'providers' filter not converted") })

        let cases = try ImportFixtures.cases(result, "golden-datasets/customer-support/cases.jsonl")
        // 3 CSV rows, 3 YAML tests (one expands to two questions), 3 inline tests; × 2 prompts.
        #expect(cases.count == 20)
        #expect(Set(cases.compactMap { $0["id"]?.stringValue }).count == 20)

        let shipping = try #require(cases.first { $0["id"] == "shipping-delay-apology-support" })
        #expect(shipping["threshold"] == 0.75)
        #expect(
            shipping["input"] == [
                ["role": "system", "content": "You are Acme's support assistant. The customer is on the standard plan."],
                ["role": "user", "content": "My package is three days late. Where is it?"],
            ] as JSONValue)
        #expect(
            ImportFixtures.scorer(shipping, type: "contains-any")
                == ["type": "contains-any", "value": ["tracking", "carrier", "shipment"], "weight": 2, "metric": "helpfulness"] as JSONValue)
        #expect(ImportFixtures.scorer(shipping, type: "similar")?["threshold"] == 0.8)
        #expect(ImportFixtures.scorer(shipping, type: "llm-rubric")?["metric"] == "tone")
        #expect(shipping["metadata"]?["tier"] == "standard")

        let terse = try #require(cases.first { $0["id"] == "order-status-as-json-terse" })
        #expect(
            terse["input"]
                == "Answer in two sentences or fewer. Customer (gold plan) asks: Give me the status of order A-1001 as JSON with keys order_id and status"
        )
        #expect(ImportFixtures.scorer(terse, type: "json-schema")?["value"] == ["type": "object", "required": ["order_id", "status"]])
        #expect(ImportFixtures.scorer(terse, type: "is-json") != nil)
        #expect(ImportFixtures.scorer(terse, type: "cost")?["value"] == 0.002)

        let policy = try #require(cases.first { $0["id"] == "return-policy-facts-support" })
        #expect(ImportFixtures.scorer(policy, type: "levenshtein")?["threshold"] == 0.79)
        #expect(ImportFixtures.scorer(policy, type: "rouge-l")?["threshold"] == 0.75)
        #expect(ImportFixtures.scorer(policy, type: "closed-qa")?["value"] == "Mentions the 30-day return window")
        #expect(ImportFixtures.scorer(policy, type: "factuality") != nil)
        // The assert-set is flattened into the case's scorers.
        #expect(ImportFixtures.scorer(policy, type: "icontains")?["value"] == "30 days")
        #expect(ImportFixtures.scorer(policy, type: "starts-with")?["value"] == "You")
        #expect(ImportFixtures.scorer(policy, type: "select-best") == nil)

        let refund = try #require(cases.first { $0["id"] == "broken-item-refund-support" })
        let refundScorers: JSONValue = [
            ["type": "icontains", "value": "refund", "metric": "refunds"], ["type": "not-contains", "value": "${SECRET}", "metric": "refunds"],
        ]
        #expect(refund["assert"] == refundScorers)
        let window = try #require(cases.first { $0["id"] == "refund-window-terse" })
        #expect(
            ImportFixtures.scorer(window, type: "similar") == [
                "type": "similar", "value": "Refunds are accepted within 30 days.", "threshold": 0.85, "metric": "refunds",
            ] as JSONValue)
        let gift = try #require(cases.first { $0["id"] == "gift-card-support" })
        #expect(gift["assert"] == [["type": "equals", "value": "No", "metric": "refunds"]])

        let greeting = cases.filter { $0["id"]?.stringValue?.hasPrefix("greets-in-the-customer-s-language") == true }
        #expect(greeting.count == 4)
        #expect(ImportFixtures.scorer(greeting[0], type: "not-starts-with")?["value"] == "Hello")
        #expect(ImportFixtures.scorer(greeting[0], type: "llm-rubric")?["threshold"] == 0.7)
        let injection = try #require(cases.first { $0["id"] == "prompt-injection-attempt-support" })
        #expect(ImportFixtures.scorer(injection, type: "refusal") != nil)
    }

    @Test func httpTargetWithTemplatedDefaultsAndGlobbedTestFiles() throws {
        let result = try convert("rag-http")
        #expect(result.pipelines == ["pipelines/rag-http.yaml"])
        #expect(result.variables == ["RAG_API_KEY", "RAG_BASE_URL"])
        let folder = try ImportFixtures.writeAndValidate(result)
        let loaded = try PipelineLoader(variables: ["RAG_API_KEY": "key", "RAG_BASE_URL": "https://rag.internal.example"])
            .load(path: folder.file("pipelines/rag-http.yaml")).definition
        #expect(loaded.agent.endpoint.url == "https://rag.internal.example/v1/query")
        #expect(loaded.agent.endpoint.headers["x-api-key"] == "key")
        #expect(loaded.agent.endpoint.answerPointer == "/choices/0/message/content")
        #expect(loaded.agent.endpoint.maxConcurrency == 3)
        #expect(loaded.repeatPolicy.count == 2)
        #expect(loaded.scorers.map(\.displayName) == ["not-icontains"])

        let cases = try ImportFixtures.cases(result, "golden-datasets/rag-http/cases.jsonl")
        #expect(cases.map { $0["id"]?.stringValue } == ["parental-leave", "vpn-reset"])
        let hr: JSONValue = [["type": "icontains", "value": "HR"], ["type": "contains", "value": "16 weeks"]]
        let it: JSONValue = [["type": "icontains", "value": "IT"], ["type": "contains-all", "value": ["portal", "token"]]]
        #expect(cases[0]["assert"] == hr)
        #expect(cases[1]["assert"] == it)
        #expect(cases[1]["metadata"]?["department"] == "IT")
    }

    @Test func redTeamOnlyConfigConvertsNothingAndSaysWhy() throws {
        let error = #expect(throws: InvalidInputError.self) { try convert("redteam-only") }
        let messages = error?.diagnostics.map(\.message) ?? []
        #expect(
            messages.contains {
                $0.contains(
                    "'redteam' skipped (plugin 'harmful:hate', plugin 'pii:direct', plugin 'policy', strategy 'jailbreak', strategy 'prompt-injection')"
                )
            })
        #expect(messages.contains { $0.contains("provider 'file://agent_provider.py' skipped: custom provider code") })
        #expect(messages.contains { $0.contains("no provider could be converted") })
    }

    @Test func dollarBracesInConvertedTextStayLiteral() throws {
        let folder = TemporaryDirectory()
        let config = folder.write(
            "suite/promptfooconfig.yaml",
            """
            prompts: ["Quote {{item}}"]
            providers:
              - id: openai:chat:m
                config: {apiBaseUrl: "http://127.0.0.1:9/v1", apiKey: "{{ env.LOCAL_KEY }}"}
            defaultTest:
              assert:
                - type: icontains
                  value: "Price: ${amount}"
            tests:
              - vars: {item: lamp}
            """)
        let result = try PromptfooImporter(options: .init(name: "Quotes")).convert(configPath: config)
        #expect(result.variables == ["LOCAL_KEY"])
        let out = try ImportFixtures.writeAndValidate(result)
        let pipeline = try PipelineLoader(variables: ["LOCAL_KEY": "secret"]).load(path: out.file("pipelines/quotes.yaml")).definition
        #expect(pipeline.scorers.first?.value == "Price: ${amount}")
        #expect(pipeline.agent.endpoint.headers == ["Authorization": "Bearer secret"])
        #expect(pipeline.agent.endpoint.url == "http://127.0.0.1:9/v1/chat/completions")
    }

    @Test func writingRefusesToOverwriteWithoutForce() throws {
        let result = try convert("rag-http")
        let folder = TemporaryDirectory()
        try ImportWriter.write(result, to: folder.path, force: false)
        #expect(throws: ImportError.wouldOverwrite(result.files.map { folder.file($0.path) })) {
            try ImportWriter.write(result, to: folder.path, force: false)
        }
        try ImportWriter.write(result, to: folder.path, force: true)
    }

    static let shortForms: [(String, JSONValue)] = [
        ("contains: Paris", ["type": "contains", "value": "Paris"]),
        ("not-icontains:sorry", ["type": "not-icontains", "value": "sorry"]),
        ("similar(0.9): a refund", ["type": "similar", "value": "a refund", "threshold": 0.9]),
        ("grade: is polite", ["type": "llm-rubric", "value": "is polite"]),
        ("is-json", ["type": "is-json"]),
        ("latency(500)", ["type": "latency", "threshold": 500]),
        ("Paris", ["type": "equals", "value": "Paris"]),
        ("the answer: 42", ["type": "equals", "value": "the answer: 42"]),
    ]

    @Test(arguments: shortForms)
    func shortFormAssertions(text: String, expected: JSONValue) {
        #expect(PromptfooConversion.assertion(fromShortForm: text) == expected)
    }

    @Test func responseExpressionsBecomePointers() {
        #expect(PromptfooConversion.pointer(fromExpression: "json.output") == "/output")
        #expect(PromptfooConversion.pointer(fromExpression: "json.choices[0].message.content") == "/choices/0/message/content")
        #expect(PromptfooConversion.pointer(fromExpression: "json['a/b'].c") == "/a~1b/c")
        #expect(PromptfooConversion.pointer(fromExpression: "json") == "")
        #expect(PromptfooConversion.pointer(fromExpression: "(json) => json.output") == nil)
        #expect(PromptfooConversion.pointer(fromExpression: "file://parse.js") == nil)
    }

    @Test func templatesRenderVarsAndReportTheRest() {
        let rendered = PromptTemplate(text: "Hi {{ name | upper }}, {{ order.id }} {{ items | dump }} {{ x | title }}").render(
            ["name": "ana", "order": ["id": "A-1"], "items": ["a", "b"]])
        #expect(rendered.text == "Hi ANA, A-1 [\"a\",\"b\"] {{ x | title }}")
        #expect(rendered.unrendered == ["{{ x | title }}"])
    }

    @Test func shellWordsSplitLikeAShell() {
        #expect(ImportText.shellWords(#"python3 "my agent.py" --name 'a b' c\ d"#) == ["python3", "my agent.py", "--name", "a b", "c d"])
        #expect(ImportText.shellWords(#"python3 "unterminated"#) == nil)
    }
}
