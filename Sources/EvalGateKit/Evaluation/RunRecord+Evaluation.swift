import Foundation

extension RunRecord {
    /// The record of a freshly decided run: what ran (plan), what happened (outcome) and what was
    /// decided, with the hashes that tie it to its exact inputs.
    public init(plan: RunPlan, outcome: RunOutcome, decision: Decision) {
        let definition = plan.definition
        var datasetHashes: [String: String] = [:]
        for dataset in definition.datasets { datasetHashes[dataset.path] = FileHash.sha256(path: dataset.resolvedPath) ?? "missing" }
        let options = plan.options
        var selection: [String: String] = [:]
        if !options.filterTags.isEmpty { selection["filter"] = options.filterTags.joined(separator: ",") }
        if let limit = options.limit { selection["limit"] = String(limit) }
        if let sample = options.sample {
            selection["sample"] = String(sample)
            selection["seed"] = String(options.seed)
        }
        // The order a sequential run takes (and a sharded one is merged in) follows from its seed.
        if options.sequential { selection["sequential"] = String(options.seed) }
        let redactor = plan.pipeline.redactor
        self.init(
            id: plan.runID, pipeline: definition.name, pipelineFile: plan.pipelinePath, pipelineHash: FileHash.sha256(path: definition.file) ?? "",
            datasetHashes: datasetHashes, agent: definition.agent.name, version: definition.agent.version, owner: definition.agent.owner,
            tier: plan.pipeline.tier.level, tierName: plan.pipeline.tier.name, mode: plan.mode, environment: plan.environment,
            startedAt: plan.startedAt, endedAt: outcome.endedAt, ci: plan.settings.ciContext.mapValues { redactor($0) }, selection: selection,
            selectedCases: outcome.selectedCases, availableCases: outcome.availableCases, missingCases: outcome.missingCases,
            stopReason: outcome.stopReason, tlsVerificationDisabled: definition.agent.endpoint.insecureSkipTLSVerify,
            exception: definition.gates.exception, summary: outcome.summary, gates: decision.report.gates, verdict: decision.report.verdict,
            baseline: decision.comparison, recommendation: decision.recommendation)
        sequential = outcome.sequential
        scope = decision.scope
        changeControl = decision.changeControl
        changeControl?.datasetsSHA256 = ChangeControl.datasetsSHA256(datasetHashes)
    }

    /// The record with a new decision (after review labels, a shard merge, an approval).
    public func redecided(_ decision: Decision, summary: RunSummary) -> RunRecord {
        var record = self
        record.summary = summary
        record.gates = decision.report.gates
        record.verdict = decision.report.verdict
        record.baseline = decision.comparison
        record.recommendation = decision.recommendation
        record.scope = decision.scope ?? record.scope
        if var control = decision.changeControl {
            control.datasetsSHA256 = changeControl?.datasetsSHA256 ?? ChangeControl.datasetsSHA256(datasetHashes)
            record.changeControl = control
        }
        return record
    }
}
