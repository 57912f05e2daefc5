import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The import fixtures (see Fixtures/README.md) and the checks every import's output must pass.
enum ImportFixtures {
    static func path(_ relative: String) -> String {
        RepositoryPaths.path("Tests/EvalGateKitTests/Import/Fixtures/\(relative)")
    }

    /// Writes `result` into a fresh folder and validates every pipeline, as `evalgate import` does.
    static func writeAndValidate(_ result: ImportResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory(prefix: "evalgate-import")
        try ImportWriter.write(result, to: folder.path, force: false)
        let reports = ImportWriter.validate(result, in: folder.path, environment: [:])
        #expect(reports.count == result.pipelines.count, sourceLocation: sourceLocation)
        for report in reports {
            let errors = report.diagnostics.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(report.path): \(errors.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
            #expect(report.caseCount > 0, sourceLocation: sourceLocation)
        }
        return folder
    }

    /// The cases of a written JSONL dataset.
    static func cases(_ result: ImportResult, _ path: String) throws -> [JSONValue] {
        let file = try #require(result.file(path), "no \(path) among \(result.files.map(\.path))")
        return try file.contents.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    static func scorer(_ goldenCase: JSONValue, type: String) -> JSONValue? {
        goldenCase["assert"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }
}
