/// Which cases of a pipeline's datasets a run executes, by their position in dataset order.
/// Computed in one streaming pass that keeps only positions, never cases.
public struct CaseSelection: Sendable {
    /// Positions (0-based, across all datasets in order) of the selected cases, ascending.
    public var ordinals: [Int]
    /// Cases in the datasets before selection.
    public var available: Int

    public var count: Int { ordinals.count }

    public static func plan(_ pipeline: PipelineDefinition, options: RunOptions, datasetOptions: DatasetReader.Options = DatasetReader.Options()) -> CaseSelection {
        var ordinal = 0
        var chosen: [Int] = []
        var generator = SeededGenerator(seed: options.seed)
        var seen = 0
        let filter = Set(options.filterTags)
        outer: for reference in pipeline.datasets {
            let iterator = DatasetReader(reference: reference, options: datasetOptions).makeIterator()
            while let item = iterator.next() {
                guard case .goldenCase(let goldenCase) = item else { continue }
                defer { ordinal += 1 }
                if !filter.isEmpty && filter.isDisjoint(with: goldenCase.tags) { continue }
                if let sample = options.sample {
                    // Reservoir sampling: a uniform sample of `sample` positions in one pass.
                    if chosen.count < sample {
                        chosen.append(ordinal)
                    } else {
                        let slot = generator.nextInt(below: seen + 1)
                        if slot < sample { chosen[slot] = ordinal }
                    }
                    seen += 1
                } else {
                    chosen.append(ordinal)
                    if let limit = options.limit, chosen.count >= limit { ordinal += 1; break outer }
                }
            }
        }
        chosen.sort()
        if options.sample != nil, let limit = options.limit, chosen.count > limit { chosen = Array(chosen.prefix(limit)) }
        return CaseSelection(ordinals: chosen, available: ordinal)
    }
}
