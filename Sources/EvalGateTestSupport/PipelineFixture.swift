import EvalGateKit
import Foundation

/// A pipeline written to a temporary folder with its datasets, and a private evalgate home, for
/// tests that run real evaluations.
public final class PipelineFixture: @unchecked Sendable {
    public let folder = TemporaryDirectory()
    public let pipelinePath: String

    public init(pipeline: String, datasets: [String: String]) {
        for (name, contents) in datasets { folder.write(name, contents) }
        pipelinePath = folder.write("pipeline.yaml", pipeline)
    }

    public var home: String { folder.file(".evalgate") }

    public func settings(mode: Recommendation.Mode = .release, options: RunOptions = RunOptions(), environment: [String: String] = [:])
        -> EvaluationSettings
    {
        EvaluationSettings(home: home, mode: mode, options: options, processEnvironment: environment)
    }

    public func evaluate(mode: Recommendation.Mode = .release, options: RunOptions = RunOptions(), environment: [String: String] = [:]) async throws
        -> PipelineEvaluation.Result
    {
        try await PipelineEvaluation(pipelinePath: pipelinePath, settings: settings(mode: mode, options: options, environment: environment)).run()
    }

    /// Every case of a finished run, from its result file.
    public func cases(_ result: PipelineEvaluation.Result) throws -> [CaseResult] {
        try ResultFile.read(path: result.resultPath).cases
    }

    /// JSON Lines from case objects.
    public static func jsonl(_ cases: [JSONValue]) -> String {
        cases.map(\.compactJSON).joined(separator: "\n") + "\n"
    }
}
