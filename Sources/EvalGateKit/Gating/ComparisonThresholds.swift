import Foundation

/// The non-inferiority margin and confidence level for comparing a recorded run with another.
///
/// They come from the run's pipeline as it loads now, so its tier policy (`tiers.yaml` beside it or
/// named by it) and its tightenings count, exactly as a run of the pipeline would gate. Only when the
/// pipeline file is gone does the built-in policy's tier of the same level stand in, with a note
/// saying so: a comparison must not quietly judge by a bar the organisation does not use.
public struct ComparisonThresholds: Sendable, Equatable {
    /// Largest allowed drop in mean score (the tier's `max_regression`; 0 when the tier sets none).
    public var margin: Double
    /// Confidence level of the bootstrap interval (the tier's `confidence`).
    public var confidence: Double
    /// Why the thresholds are not the pipeline's, when they are not.
    public var note: String?

    public init(margin: Double, confidence: Double, note: String? = nil) {
        self.margin = margin
        self.confidence = confidence
        self.note = note
    }

    /// The thresholds of `thresholds` as a run's decision reads them.
    public init(_ thresholds: TierThresholds, note: String? = nil) {
        self.init(margin: thresholds.maxRegression ?? 0, confidence: thresholds.confidence ?? TierThresholds.defaultConfidence, note: note)
    }

    /// Loads `run.pipelineFile` (relative paths resolve against the current folder, as when the run
    /// started) and takes its thresholds; throws when the file exists but no longer loads.
    public static func resolve(for run: RunRecord, loader: PipelineLoader = PipelineLoader()) throws(InvalidInputError) -> ComparisonThresholds {
        if FileManager.default.fileExists(atPath: run.pipelineFile) {
            return ComparisonThresholds(try loader.load(path: run.pipelineFile).thresholds)
        }
        var gone =
            run.pipelineFile.isEmpty ? "run \(run.id) names no pipeline file" : "the pipeline file \(run.pipelineFile) of run \(run.id) is gone"
        if !run.pipelineFile.isEmpty && !(run.pipelineFile as NSString).isAbsolutePath {
            gone += " from \(FileManager.default.currentDirectoryPath)"
        }
        guard let tier = TierPolicyLoader.builtIn().tier(run.tier) else {
            return ComparisonThresholds(
                TierThresholds(),
                note:
                    "\(gone) and the built-in tier policy has no tier \(run.tier); comparing with margin 0 and \(Format.percent(TierThresholds.defaultConfidence, digits: 0)) confidence"
            )
        }
        return ComparisonThresholds(tier.thresholds, note: "\(gone); using tier \(run.tier) (\(tier.name)) of the built-in tier policy")
    }
}
