extension ShardMerge {
    /// The sequential record of a run merged from the shards of a sequential run. Each shard ran
    /// its whole share (a shard alone cannot know when the run is decided), so every case has a
    /// result; the merge replays them in the order one sequential process would have taken (the
    /// run's `SequentialOrder`, from its seed, over the merged cases in selection order) through the
    /// same `SequentialMonitor`. The pass-rate gates are then decided by the same anytime-valid
    /// boundaries as an unsharded sequential run that ran to its last case, and the record says
    /// where that process would have stopped: the calls a sharded run cannot save.
    static func sequential(_ ordered: [CaseResult], plan: RunPlan) -> SequentialRun {
        let thresholds = plan.pipeline.thresholds
        let mustPass = Set(thresholds.mustPassTags)
        let order = SequentialOrder.make(
            tags: ordered.map(\.tags), critical: ordered.map(\.critical), mustPassTags: mustPass, seed: plan.options.seed)
        var plannedTags: [String: Int] = [:]
        for result in ordered {
            for tag in Set(result.tags) { plannedTags[tag, default: 0] += 1 }
        }
        let definition = plan.definition
        var monitor = SequentialMonitor(
            thresholds: thresholds, tierLabel: "tier \(plan.pipeline.tier.level) (\(plan.pipeline.tier.name))", plannedCases: ordered.count,
            plannedTagCases: plannedTags, priorityCases: ordered.filter { $0.critical || !mustPass.isDisjoint(with: $0.tags) }.count,
            holdsForRegression: definition.baseline.source != .none || thresholds.requireBaseline == true, seed: plan.options.seed)
        var accumulator = RunAccumulator(confidence: thresholds.confidence ?? TierThresholds.defaultConfidence)
        accumulator.passHatK = thresholds.minPassHatK?.k
        var stopped: (at: Int, why: SequentialStop)?
        for (step, position) in order.enumerated() {
            accumulator.add(ordered[position])
            monitor.add(ordered[position])
            if stopped == nil, step + 1 < ordered.count, let why = monitor.stop(accumulator) { stopped = (step + 1, why) }
        }
        var run = monitor.evidence(stop: nil)
        run.wouldHaveStoppedAt = stopped?.at
        run.wouldHaveStopped = stopped?.why
        return run
    }
}
