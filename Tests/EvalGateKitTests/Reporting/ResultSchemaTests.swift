import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// `docs/results-schema.json` against real result files, checked twice: by evalgate's own
/// `JSONSchemaValidator` and, independently, by Python's `jsonschema` (Draft 2020-12).
@Suite("Result file schema")
struct ResultSchemaTests {
    static let schemaPath = RepositoryPaths.path("docs/results-schema.json")
    static let pythonHint = "Python's jsonschema is missing: install it (apt-get install -y python3-jsonschema, or pip install jsonschema)"

    static func schema() throws -> JSONValue {
        try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: schemaPath)))
    }

    /// Violations found by evalgate's validator.
    static func ownViolations(_ path: String) throws -> [String] {
        let validator = try JSONSchemaValidator(schema: try schema())
        let instance = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: path)))
        return validator.validate(instance, limit: 50).map(\.description)
    }

    static let pythonCheck = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit(3)
        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        instance = json.load(open(sys.argv[2], encoding="utf-8"))
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
        for error in errors[:20]:
            print("/" + "/".join(str(p) for p in error.absolute_path) + ": " + error.message[:300])
        sys.exit(1 if errors else 0)
        """

    /// Violations found by Python's jsonschema; nil (and a recorded failure) when it is not installed.
    static func pythonViolations(_ path: String) throws -> [String]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", pythonCheck, schemaPath, path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        switch process.terminationStatus {
        case 0: return []
        case 1: return text.split(separator: "\n").map(String.init)
        case 3, 127:
            Issue.record("\(pythonHint)")
            return nil
        default:
            Issue.record("python3 jsonschema check crashed (\(process.terminationStatus)): \(text)")
            return nil
        }
    }

    /// Both validators agree the file is valid.
    static func expectValid(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let own = try ownViolations(path)
        #expect(own.isEmpty, "JSONSchemaValidator: \(own.joined(separator: "\n"))", sourceLocation: sourceLocation)
        if let python = try pythonViolations(path) {
            #expect(python.isEmpty, "jsonschema: \(python.joined(separator: "\n"))", sourceLocation: sourceLocation)
        }
    }

    @Test func schemaUsesOnlyWhatEvalgatesValidatorSupports() throws {
        // Construction rejects unsupported keywords ($ref, patternProperties, ...) and malformed values.
        _ = try JSONSchemaValidator(schema: try Self.schema())
        #expect(try Self.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(try Self.schema()["properties"]?["schema"]?["const"] == .string(RunRecord.schema))
    }

    @Test func aRealRunAgainstTheReferenceAgentMatches() async throws {
        try await withReferenceAgent { agent in
            // The first request is answered 500 (no retries), so the file also holds an error case.
            let pipeline = EndpointRunTests.refundPipeline(
                url: agent.chatCompletionsURL, headers: "{X-Fault: \"500\", X-Fault-Count: \"1\", X-Fault-Key: schema-\(UUID().uuidString)}",
                retries: 0,
                extra: ""
            )
            .replacingOccurrences(of: "max_concurrency: 4", with: "max_concurrency: 1")
            var failing = EndpointRunTests.refundCase
            var messages = EndpointRunTests.refundCase
            var repeated = EndpointRunTests.refundCase
            if case .object(var fields) = failing {
                fields["id"] = "wrong-reference"
                fields["assert"] = [["type": "icontains", "value": "R-00000"]]
                fields["critical"] = true
                fields["metadata"] = ["cluster": "A-10023"]
                failing = .object(fields)
            }
            if case .object(var fields) = messages {
                fields["id"] = "chat-history"
                fields["input"] = [["role": "user", "content": "Hi!"], ["role": "user", "content": "Order A-10023 arrived broken, refund please."]]
                messages = .object(fields)
            }
            if case .object(var fields) = repeated {
                fields["id"] = "repeated"
                fields["repeat"] = 2
                fields["review"] = "always"
                repeated = .object(fields)
            }
            let errored: JSONValue = ["id": "first-request-fails", "input": "Is anyone there?", "assert": [["type": "contains", "value": "x"]]]
            let fixture = PipelineFixture(
                pipeline: pipeline,
                datasets: ["cases.jsonl": PipelineFixture.jsonl([errored, EndpointRunTests.refundCase, failing, messages, repeated])])
            let result = try await fixture.evaluate()
            let cases = try fixture.cases(result)
            try #require(cases.count == 5)
            #expect(Set(cases.map(\.status)) == [.passed, .failed, .error], "\(cases.map { "\($0.id) \($0.status) \($0.headline)" })")
            #expect(cases.contains { $0.repeats != nil })
            try Self.expectValid(result.resultPath)
        }
    }

    @Test func aHandBuiltRunWithEveryOptionalFieldMatches() throws {
        var cases = ReportFixtures.blockedCases
        let call = ToolCall(
            id: "call-1", name: "lookup_order", arguments: ["order_id": "A-10023"], result: ["amount": 129.99, "status": "delivered"])
        cases.append(
            CaseResult(
                index: cases.count, id: "tools-001", dataset: ReportFixtures.core, tags: [], critical: false, cluster: "A-10023",
                input: .text("Refund A-10023"), expected: ["decision": "refund_issued"],
                answer: AgentAnswer(
                    text: "Refunded.", json: ["decision": "refund_issued"],
                    trajectory: Trajectory(steps: [TrajectoryStep(toolCalls: [call]), TrajectoryStep(content: "Refunded.")], end: .answered),
                    finishReason: "stop",
                    usage: TokenUsage(inputTokens: 10, outputTokens: 2)),
                scores: [ScoreResult(scorer: "llm-rubric", score: 0.5, passed: true, reason: "judges split", weight: 2, metric: "helpfulness")],
                score: 0.5,
                status: .passed, error: nil, attempts: 2, latencyMilliseconds: 99.5, usage: TokenUsage(inputTokens: 10, outputTokens: 2),
                cost: 0.00001,
                repeats: [
                    RepeatOutcome(passed: true, score: 1, latencyMilliseconds: 90),
                    RepeatOutcome(passed: false, score: 0, error: "timeout: no answer", latencyMilliseconds: 30_000),
                ],
                review: "the judges disagree", location: "\(ReportFixtures.core):9:1"))
        var record = ReportFixtures.blockedRecord
        record.stopReason = .maxCost
        record.missingCases = 3
        record.summary = ReportFixtures.summary(cases)
        record.humanReview = HumanReviewSummary(
            labels: ["tools-001": "pass", "core-017": "fail"], overridden: [], judgeAgreement: 0.62, labelCount: 14)
        record.audit = AuditHead(sequence: 42, hash: String(repeating: "0f", count: 32))
        record.sequential = Self.sequentialRun
        let folder = TemporaryDirectory()
        let path = folder.file("result.json")
        let encoder = JSONCoding.encoder()
        try ResultFile.write(record, cases: try cases.map { try encoder.encode($0) }, to: path)
        let written = try ResultFile.read(path: path)
        #expect(written.record == record)
        #expect(written.cases == cases)
        try Self.expectValid(path)
    }

    static let sequentialRun = SequentialRun(
        seed: 7, plannedCases: 200, plannedTagCases: ["refunds": 120, "edge-case": 20], casesRun: 90, stop: .allGatesPassed, agentCallsSaved: 110,
        crossings: [SequentialRun.Crossing(gate: "pass-rate", outcome: .pass, boundary: .pass, answered: 88, passed: 88, atCase: 90)])

    /// Every stored property of the types in the file has its key in the schema, set or not: a new
    /// optional field cannot slip into result files undocumented just because the fixtures leave it nil.
    @Test func schemaNamesEveryStoredProperty() throws {
        let schema = try Self.schema()
        let record = ReportFixtures.blockedRecord
        let failing = try #require(ReportFixtures.blockedCases.first { $0.status == .failed })
        let errored = try #require(ReportFixtures.blockedCases.first { $0.status == .error })
        let types: [(pointer: String, value: Any)] = [
            ("", record), ("/properties/summary", record.summary), ("/properties/summary/properties/passRate", record.summary.passRate),
            ("/properties/summary/properties/tags/items", record.summary.tags[0]), ("/properties/gates/items", record.gates[0]),
            ("/properties/baseline", record.baseline!), ("/properties/baseline/properties/mcnemar", record.baseline!.mcnemar),
            ("/properties/baseline/properties/bootstrap", record.baseline!.bootstrap!), ("/properties/recommendation", record.recommendation),
            ("/properties/recommendation/properties/authority", record.recommendation.authority), ("/properties/exception", record.exception!),
            ("/properties/humanReview", HumanReviewSummary(labels: [:], overridden: [], judgeAgreement: nil, labelCount: 0)),
            ("/properties/audit", AuditHead(sequence: 1, hash: "")),
            ("/properties/sequential", Self.sequentialRun), ("/properties/sequential/properties/crossings/items", Self.sequentialRun.crossings[0]),
            ("/properties/cases/items", failing), ("/properties/cases/items/properties/answer", failing.answer!),
            ("/properties/cases/items/properties/answer/properties/trajectory", failing.answer!.trajectory),
            ("/properties/cases/items/properties/scores/items", failing.scores[0]), ("/properties/cases/items/properties/error", errored.error!),
            ("/properties/cases/items/properties/repeats/items", RepeatOutcome(passed: true, score: 1, latencyMilliseconds: 1)),
        ]
        for (pointer, value) in types {
            let properties = try #require(schema.value(at: pointer)?["properties"]?.objectValue, "no properties at \(pointer)")
            let stored = Set(Mirror(reflecting: value).children.compactMap(\.label))
            let described = Set(properties.keys).subtracting(pointer.isEmpty ? ["cases"] : [])
            #expect(
                stored == described,
                "\(type(of: value)) at '\(pointer)': not in the schema \(stored.subtracting(described).sorted()), not stored \(described.subtracting(stored).sorted())"
            )
        }
    }

    /// The schema must be able to say no, in both validators, or the tests above prove nothing.
    @Test(arguments: [
        ("a newer format", "\"schema\":\"evalgate.run/v1\"", "\"schema\":\"evalgate.run/v2\""),
        ("an unknown verdict", "\"verdict\":\"fail\",\"version\"", "\"verdict\":\"maybe\",\"version\""),
        ("a key evalgate does not write", "\"tier\":3,", "\"tier\":3,\"tierr\":3,"),
        ("a case status that does not exist", "\"status\":\"error\"", "\"status\":\"skipped\""),
        ("a missing cases list", ",\"cases\":[", ",\"kases\":["),
        ("a date that is not ISO 8601", "\"startedAt\":\"2026-11-23T08:15:00Z\"", "\"startedAt\":\"23/11/2026 08:15\""),
    ])
    func schemaRejectsWhatIsNotAResult(problem: String, original: String, broken: String) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("result.json")
        let encoder = JSONCoding.encoder()
        try ResultFile.write(ReportFixtures.blockedRecord, cases: try ReportFixtures.blockedCases.map { try encoder.encode($0) }, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try #require(text.contains(original), "the fixture no longer contains \(original)")
        folder.write("result.json", text.replacingOccurrences(of: original, with: broken))
        #expect(!(try Self.ownViolations(path)).isEmpty, "JSONSchemaValidator accepted \(problem)")
        if let python = try Self.pythonViolations(path) {
            #expect(!python.isEmpty, "jsonschema accepted \(problem)")
        }
    }
}
