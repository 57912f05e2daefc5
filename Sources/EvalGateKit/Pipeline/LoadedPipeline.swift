/// A pipeline with everything it refers to resolved: its tier policy, the tier and the
/// thresholds that apply after the pipeline's tightenings.
public struct LoadedPipeline: Sendable {
    public var definition: PipelineDefinition
    public var policy: TierPolicy
    public var tier: RiskTier
    /// The tier's thresholds with the pipeline's overrides applied.
    public var thresholds: TierThresholds
    /// Values that must never appear in output: interpolated secrets and header values.
    public var secrets: [String]
    /// Warnings and notes found while loading (errors make loading throw).
    public var diagnostics: [Diagnostic]
    /// The path as the user gave it, for messages.
    public var displayPath: String

    public init(
        definition: PipelineDefinition, policy: TierPolicy, tier: RiskTier, thresholds: TierThresholds, secrets: [String], diagnostics: [Diagnostic],
        displayPath: String
    ) {
        self.definition = definition
        self.policy = policy
        self.tier = tier
        self.thresholds = thresholds
        self.secrets = secrets
        self.diagnostics = diagnostics
        self.displayPath = displayPath
    }

    public var redactor: Redactor { Redactor(secrets: secrets) }
}
