import EvalGateTestSupport
import Foundation

@testable import EvalGateKit

/// A temporary folder holding a history database with two recorded runs of the `refunds` pipeline
/// (tier 3), the pipeline file those runs name, and beside it a tier policy whose tier 3 differs from
/// the built-in one, so a command that reads the built-in policy instead shows.
struct RecordedRunsFolder {
    let folder = TemporaryDirectory(prefix: "evalgate-recorded")
    let baseline: RunRecord
    let candidate: RunRecord

    /// Tier 3 of the folder's `pipelines/tiers.yaml` (the built-in tier 3 has 0.02 and 0.95).
    static let maxRegression = 0.15
    static let confidence = 0.80

    var historyPath: String { folder.file(".evalgate/history.sqlite") }

    init() async throws {
        let store = try HistoryStore(path: folder.file(".evalgate/history.sqlite"))
        baseline = try await HistoryFixtures.save(store, id: "20261120-010000-refunds-aaaa", version: "1.3.2", minutes: 0, caseCount: 40)
        candidate = try await HistoryFixtures.save(store, id: "20261121-010000-refunds-bbbb", version: "1.4.0", minutes: 60, caseCount: 40)
        folder.write("datasets/refunds.jsonl", "{\"id\": \"a\", \"input\": \"x\", \"assert\": [{\"type\": \"contains\", \"value\": \"x\"}]}\n")
        folder.write("pipelines/refunds.yaml", Self.pipeline)
        folder.write(
            "pipelines/tiers.yaml",
            """
            version: 1
            tiers:
              3:
                name: house-high-risk
                min_pass_rate: 0.90
                confidence: \(Self.confidence)
                max_regression: \(Self.maxRegression)
            """)
    }

    /// The pipeline the fixture runs name (`pipelines/refunds.yaml`), tier 3, no tightenings.
    static let pipeline = """
        version: 1
        name: refunds
        agent:
          name: support-bot
          version: "1.4.0"
          risk_tier: 3
          endpoint: {type: openai-chat, url: "http://127.0.0.1:9/v1/chat/completions", model: m}
        datasets: [../datasets/refunds.jsonl]
        """

    /// Runs evalgate in the folder, on the folder's history database.
    func run(_ arguments: [String]) throws -> CommandLineTool.Output {
        defer { withExtendedLifetime(folder) {} }
        let environment = ["EVALGATE_HOME": folder.file(".evalgate"), "EVALGATE_HISTORY": historyPath]
        return try CommandLineTool(workingDirectory: folder.path, environment: environment).run(arguments)
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: folder.file(name))
    }
}
