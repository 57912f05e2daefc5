import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

@Suite("Pipeline loading")
struct PipelineLoaderTests {
    static let minimal = """
        version: 1
        agent:
          name: demo
          version: "1.0"
          risk_tier: 1
          endpoint:
            type: openai-chat
            url: http://127.0.0.1:9/v1/chat/completions
            model: demo
        datasets:
          - cases.jsonl
        """

    func load(_ yaml: String, environment: [String: String] = [:], extra: [String: String] = [:]) throws -> LoadedPipeline {
        let folder = TemporaryDirectory()
        for (name, contents) in extra { folder.write(name, contents) }
        let path = folder.write("pipeline.yaml", yaml)
        return try withExtendedLifetime(folder) { try PipelineLoader(variables: environment).load(path: path) }
    }

    func diagnostics(_ yaml: String, environment: [String: String] = [:]) -> [Diagnostic] {
        do {
            _ = try load(yaml, environment: environment)
            return []
        } catch let error as InvalidInputError {
            return error.diagnostics
        } catch {
            return [Diagnostic(.error, SourceLocation(file: "?"), "\(error)")]
        }
    }

    @Test func loadsAMinimalPipelineWithDefaults() throws {
        let pipeline = try load(Self.minimal)
        let definition = pipeline.definition
        #expect(definition.name == "pipeline")
        #expect(definition.agent.endpoint.kind == .openAIChat)
        #expect(definition.agent.endpoint.timeout == 30)
        #expect(definition.agent.endpoint.retries == 2)
        #expect(definition.agent.endpoint.maxConcurrency == 8)
        #expect(definition.baseline.source == .history)
        #expect(definition.rollback.target == "last-known-good")
        #expect(pipeline.tier.level == 1)
        #expect(pipeline.thresholds.minPassRate == 0.80)
        #expect(definition.datasets.first?.resolvedPath.hasSuffix("/cases.jsonl") == true)
    }

    @Test func unknownKeyIsReportedWithLocationAndSuggestion() {
        let yaml = Self.minimal.replacingOccurrences(of: "    model: demo", with: "    model: demo\n    timout: 5s")
        let found = diagnostics(yaml)
        let diagnostic = try? #require(found.first { $0.message.contains("timout") })
        #expect(diagnostic?.message.contains("did you mean 'timeout'") == true)
        #expect(diagnostic?.location.line == 10)
        #expect(diagnostic?.location.column == 5)
        #expect(
            diagnostic?.description.hasSuffix("pipeline.yaml:10:5: error: unknown key 'timout' in 'agent.endpoint' (did you mean 'timeout'?)") == true
        )
    }

    @Test func reportsEveryProblemNotJustTheFirst() {
        let yaml = """
            version: 1
            agent:
              name: demo
              version: "1"
              risk_tier: seven
              endpoint: {type: openai-chat, url: "not a url", model: m, retries: -1}
            datasets: [cases.txt]
            colour: blue
            """
        let messages = diagnostics(yaml).map(\.message)
        #expect(messages.contains { $0.contains("risk_tier") && $0.contains("whole number") })
        #expect(messages.contains { $0.contains("not an http(s) URL") })
        #expect(messages.contains { $0.contains("'retries' must be between 0 and 20") })
        #expect(messages.contains { $0.contains("unknown format") })
        #expect(messages.contains { $0.contains("unknown key 'colour'") })
        #expect(messages.count >= 5)
    }

    @Test func missingRequiredKeysAndWrongTypes() {
        let messages = diagnostics("version: 1\nagent: [1, 2]\n").map(\.message)
        #expect(messages.contains("the pipeline is missing required key 'datasets'"))
        #expect(messages.contains { $0.contains("'agent' must be a mapping, found a list") })
    }

    @Test func newerFormatVersionIsAClearError() {
        let found = diagnostics(Self.minimal.replacingOccurrences(of: "version: 1\n", with: "version: 2\n"))
        #expect(found.first?.message == "unsupported pipeline version 2")
        #expect(found.first?.hint?.contains("upgrade evalgate") == true)
    }

    @Test func interpolatesEnvironmentVariablesWithDefaults() throws {
        let yaml = Self.minimal
            .replacingOccurrences(of: "version: \"1.0\"", with: "version: ${AGENT_VERSION:-0.9}")
            .replacingOccurrences(of: "http://127.0.0.1:9", with: "${AGENT_URL}")
        let pipeline = try load(yaml, environment: ["AGENT_URL": "http://127.0.0.1:7000"])
        #expect(pipeline.definition.agent.version == "0.9")
        #expect(pipeline.definition.agent.endpoint.url == "http://127.0.0.1:7000/v1/chat/completions")
    }

    @Test func missingVariableNamesTheVariableAndItsPlace() {
        let yaml = Self.minimal.replacingOccurrences(of: "http://127.0.0.1:9", with: "${AGENT_URL}")
        let found = diagnostics(yaml)
        #expect(found.first?.message == "environment variable 'AGENT_URL' is not set")
        #expect(found.first?.location.line == 8)
        #expect(found.first?.hint?.contains("${AGENT_URL:-value}") == true)
    }

    @Test func secretVariablesAndHeadersAreCollectedForRedaction() throws {
        let yaml = Self.minimal.replacingOccurrences(
            of: "    model: demo",
            with: "    model: demo\n    headers: {Authorization: \"Bearer ${DEMO_API_KEY}\", X-Api-Key: literal-key-42, X-Team: payments-team}")
        let pipeline = try load(yaml, environment: ["DEMO_API_KEY": "sk-test-123456"])
        #expect(pipeline.secrets.contains("sk-test-123456"))
        #expect(pipeline.redactor("token sk-test-123456 here") == "token [REDACTED] here")
        #expect(pipeline.secrets.contains("literal-key-42"))
        #expect(!pipeline.secrets.contains("payments-team"))
    }

    @Test func loosenedThresholdWithoutExceptionIsAnError() {
        let yaml = Self.minimal + "\ngates:\n  min_pass_rate: 0.5\n"
        let found = diagnostics(yaml)
        #expect(found.count == 1)
        #expect(found.first?.message == "'min_pass_rate' 0.5 is looser than the tier's 0.8 of tier 1 (internal)")
        #expect(found.first?.hint?.contains("approved_by") == true)
    }

    @Test func loosenedThresholdWithExceptionIsAcceptedAndWarned() throws {
        let yaml = Self.minimal + "\ngates:\n  min_pass_rate: 0.5\n  exception: {approved_by: Dana Kim, reason: handbook rewrite}\n"
        let pipeline = try load(yaml)
        #expect(pipeline.thresholds.minPassRate == 0.5)
        #expect(pipeline.definition.gates.exception?.approvedBy == "Dana Kim")
        #expect(pipeline.diagnostics.contains { $0.severity == .warning && $0.message.contains("Dana Kim") })
    }

    /// An exception applies through its `expires` day; after it, the run is decided on the
    /// stricter of tier and pipeline, with a warning naming the expired exception.
    @Test func anExpiredExceptionNoLongerLoosens() throws {
        let yaml =
            Self.minimal
            + "\ngates:\n  min_pass_rate: 0.5\n  latency: {p95: 1s}\n  exception: {approved_by: Dana Kim, reason: handbook rewrite, expires: 2026-06-30}\n"
        let folder = TemporaryDirectory()
        let path = folder.write("pipeline.yaml", yaml)
        func day(_ text: String) -> Date { ISO8601DateFormatter().date(from: text + "T12:00:00Z")! }

        let inForce = try PipelineLoader(variables: [:], now: day("2026-06-30")).load(path: path)
        #expect(inForce.thresholds.minPassRate == 0.5)
        #expect(inForce.definition.gates.exception?.expires == "2026-06-30")

        let expired = try PipelineLoader(variables: [:], now: day("2026-07-01")).load(path: path)
        #expect(expired.thresholds.minPassRate == 0.8, "the tier's minimum again")
        #expect(expired.thresholds.maxLatencyP95 == 1000, "a tightening stays")
        #expect(expired.definition.gates.exception == nil, "no exception is in force, so none is recorded or shown")
        let warning = try #require(expired.diagnostics.first { $0.message.contains("expired on 2026-06-30") })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("Dana Kim") && warning.message.contains("'min_pass_rate'"), "\(warning.message)")
    }

    @Test(arguments: ["next week", "2026-13-01", "2026-02-30", "30/06/2026"])
    func anExpiryThatIsNotADateIsALocatedError(expires: String) {
        let yaml = Self.minimal + "\ngates:\n  min_pass_rate: 0.5\n  exception: {approved_by: Dana Kim, reason: r, expires: \"\(expires)\"}\n"
        let found = diagnostics(yaml)
        let error = found.first { $0.message.contains("'expires' must be a date") }
        #expect(error != nil, "\(found)")
        #expect((error?.location.line ?? 0) > 0)
    }

    @Test func tighteningIsFree() throws {
        let yaml = Self.minimal + "\ngates:\n  min_pass_rate: 95%\n  latency: {p95: 2s}\n  must_pass_tags: [safety]\n"
        let pipeline = try load(yaml)
        #expect(pipeline.thresholds.minPassRate == 0.95)
        #expect(pipeline.thresholds.maxLatencyP95 == 2000)
        #expect(pipeline.thresholds.mustPassTags == ["safety"])
    }

    @Test func commandArgvMustBeAList() {
        let yaml = """
            version: 1
            agent:
              name: demo
              version: "1"
              risk_tier: 1
              endpoint: {type: command, argv: "python3 agent.py | tee log"}
            datasets: [cases.jsonl]
            """
        #expect(diagnostics(yaml).first?.message == "'argv' must be a list of arguments, not a shell string")
    }

    @Test func optionsOfAnotherEndpointTypeAreRejected() {
        let yaml = Self.minimal.replacingOccurrences(of: "    model: demo", with: "    model: demo\n    argv: [x]")
        #expect(diagnostics(yaml).contains { $0.message == "'argv' does not apply to endpoint type 'openai-chat'" })
    }

    @Test func tierNotInPolicyIsAnError() {
        let yaml = Self.minimal.replacingOccurrences(of: "risk_tier: 1", with: "risk_tier: 7")
        let found = diagnostics(yaml)
        #expect(found.first?.message.contains("risk tier 7 is not defined") == true)
    }

    @Test func shippedTierFileMatchesTheBuiltInPolicy() throws {
        let shipped = try String(contentsOfFile: RepositoryPaths.path("pipelines/tiers.yaml"), encoding: .utf8)
        #expect(shipped == TierPolicy.defaultYAML)
        let policy = TierPolicyLoader.builtIn()
        #expect(policy.tiers.keys.sorted() == [1, 2, 3])
        let tier3 = try #require(policy.tier(3))
        #expect(Set(tier3.thresholds.coverage.keys) == ["prompt-injection", "policy-boundary", "edge-case"])
        #expect(tier3.thresholds.requireLowerBound == true)
        #expect(!tier3.authority.approvers.isEmpty && !tier3.authority.rollback.isEmpty && !tier3.authority.notify.isEmpty)
    }

    @Test(arguments: ["refund-agent.yaml", "triage-agent.yaml", "kb-agent.yaml"])
    func shippedPipelinesLoad(_ name: String) throws {
        let pipeline = try PipelineLoader(variables: [:]).load(path: RepositoryPaths.path("pipelines/\(name)"))
        #expect(pipeline.definition.datasets.count >= 1)
    }
}

@Suite("Interpolation")
struct InterpolationTests {
    @Test func substitutesAndEscapes() throws {
        let interpolation = Interpolation(variables: ["A": "1", "B_TOKEN": "secret-value"])
        #expect(try interpolation.apply("x${A}y").text == "x1y")
        #expect(try interpolation.apply("${MISSING:-fallback}").text == "fallback")
        #expect(try interpolation.apply("$${A}").text == "${A}")
        #expect(try interpolation.apply("cost $5").text == "cost $5")
        #expect(try interpolation.apply("${B_TOKEN}").secrets == ["secret-value"])
        #expect(throws: Interpolation.Failure.missingVariable("NOPE")) { try interpolation.apply("${NOPE}") }
        #expect(throws: Interpolation.Failure.unterminated) { try interpolation.apply("${A") }
        #expect(throws: Interpolation.Failure.invalidName("1X")) { try interpolation.apply("${1X}") }
    }

    @Test(arguments: [
        ("OPENAI_API_KEY", true), ("GH_TOKEN", true), ("DB_PASSWORD_FILE", true), ("CLIENT_SECRET", true), ("AGENT_URL", false), ("KEYBOARD", false),
    ])
    func secretNames(_ name: String, _ secret: Bool) {
        #expect(Interpolation.isSecretName(name) == secret)
    }
}
