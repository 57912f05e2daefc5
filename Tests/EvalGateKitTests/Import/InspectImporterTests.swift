import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

@Suite("Import from Inspect")
struct InspectImporterTests {
    func convert(_ file: String, scorer: InspectImporter.Scorer) throws -> ImportResult {
        try InspectImporter(options: .init(scorer: scorer)).convert(samplesPath: ImportFixtures.path("inspect/\(file)"))
    }

    @Test func jsonlSamplesWithIncludes() throws {
        let result = try convert("security-guide.jsonl", scorer: .includes)
        #expect(result.pipelines == ["pipelines/security-guide.yaml"])
        _ = try ImportFixtures.writeAndValidate(result)
        let cases = try ImportFixtures.cases(result, "golden-datasets/security-guide/samples.jsonl")
        #expect(cases.map { $0["id"]?.stringValue } == ["sg-1", "sg-2", "sample-3"])
        #expect(cases[0]["assert"] == [["type": "icontains", "value": "22"]])
        #expect(cases[0]["metadata"] == ["topic": "network"])
        #expect(cases[1]["assert"] == [["type": "contains-any", "value": ["MD5", "md5"], "case_sensitive": false]])
        #expect(cases[1]["input"]?.arrayValue?[1] == ["role": "user", "content": "Which hash is unsafe for passwords: MD5 or Argon2?"])
        #expect(cases[2]["metadata"] == ["category": "access"])
        #expect(result.diagnostics.contains { $0.message.contains("sample skipped: it has no 'target'") && $0.location.line == 4 })
    }

    @Test func jsonSamplesWithMatchReportChoices() throws {
        let result = try convert("arithmetic.json", scorer: .match)
        _ = try ImportFixtures.writeAndValidate(result)
        let cases = try ImportFixtures.cases(result, "golden-datasets/arithmetic/samples.jsonl")
        #expect(cases[0]["assert"] == [["type": "regex", "value": #"(?:42)[\s.!?,;:"')\]]*\z"#, "flags": "i"]])
        #expect(result.diagnostics.contains { $0.message.hasPrefix("'choices' not converted") && $0.location.line == 3 })
        #expect(result.diagnostics.contains { $0.message.hasPrefix("match mapped to a case-insensitive regex") })
    }

    @Test func csvSamplesWithExactAndModelGraded() throws {
        let exact = try convert("capitals.csv", scorer: .exact)
        _ = try ImportFixtures.writeAndValidate(exact)
        let cases = try ImportFixtures.cases(exact, "golden-datasets/capitals/samples.jsonl")
        #expect(cases.map { $0["id"]?.stringValue } == ["fr", "jp"])
        #expect(cases[0]["assert"] == [["type": "equals", "value": "Paris", "case_sensitive": false]])
        #expect(cases[1]["metadata"] == ["region": "asia"])

        let graded = try convert("capitals.csv", scorer: .modelGradedQA)
        _ = try ImportFixtures.writeAndValidate(graded)
        let first = try ImportFixtures.cases(graded, "golden-datasets/capitals/samples.jsonl")[0]
        #expect(first["assert"]?.arrayValue?.first?["type"] == "closed-qa")
        #expect(graded.variables == ["OPENAI_API_KEY"])

        let fact = try convert("capitals.csv", scorer: .modelGradedFact)
        _ = try ImportFixtures.writeAndValidate(fact)
    }

    @Test func fileWithoutUsableSamplesWritesNothing() {
        let folder = TemporaryDirectory()
        let path = folder.write("empty.jsonl", "{\"input\": \"no target\"}\n")
        #expect(throws: InvalidInputError.self) {
            try InspectImporter(options: .init(scorer: .includes)).convert(samplesPath: path)
        }
    }
}
