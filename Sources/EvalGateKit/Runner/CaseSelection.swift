/// Which cases of a pipeline's datasets a run executes, by their position in dataset order.
/// Computed in one streaming pass that keeps only positions, never cases.
public struct CaseSelection: Sendable {
    /// Positions (0-based, across all datasets in order) of the selected cases, ascending.
    public var ordinals: [Int]
    /// Cases in the datasets before selection.
    public var available: Int
    /// Selected cases in the run's shard (`RunOptions.shard`); every selected case without one.
    public var executed: Int

    public init(ordinals: [Int], available: Int, executed: Int? = nil) {
        self.ordinals = ordinals
        self.available = available
        self.executed = executed ?? ordinals.count
    }

    /// Selected cases, of the whole run when it is sharded.
    public var count: Int { ordinals.count }

    public static func plan(_ pipeline: PipelineDefinition, options: RunOptions, datasetOptions: DatasetReader.Options = DatasetReader.Options())
        -> CaseSelection
    {
        var ordinal = 0
        var chosen: [Int] = []
        // Sampled positions outside the run's shard (only a sample needs them: it chooses first).
        var outsideShard: Set<Int> = []
        var executed = 0
        var generator = SeededGenerator(seed: options.seed)
        var seen = 0
        var picker = Picker(options)
        outer: for reference in pipeline.datasets {
            let iterator = DatasetReader(reference: reference, options: datasetOptions).makeIterator()
            while let item = iterator.next() {
                guard case .goldenCase(let goldenCase) = item else { continue }
                defer { ordinal += 1 }
                if !picker.matches(goldenCase) { continue }
                if let sample = options.sample {
                    // Reservoir sampling: a uniform sample of `sample` positions in one pass.
                    let inShard = options.shard?.contains(goldenCase.id) ?? true
                    if chosen.count < sample {
                        chosen.append(ordinal)
                        if !inShard { outsideShard.insert(ordinal) }
                    } else {
                        let slot = generator.nextInt(below: seen + 1)
                        if slot < sample {
                            outsideShard.remove(chosen[slot])
                            chosen[slot] = ordinal
                            if !inShard { outsideShard.insert(ordinal) }
                        }
                    }
                    seen += 1
                } else {
                    _ = picker.pick(goldenCase)
                    chosen.append(ordinal)
                    if options.shard?.contains(goldenCase.id) ?? true { executed += 1 }
                    if picker.isFull {
                        ordinal += 1
                        break outer
                    }
                }
            }
        }
        chosen.sort()
        if options.sample != nil {
            if let limit = options.limit, chosen.count > limit { chosen = Array(chosen.prefix(limit)) }
            executed = chosen.count { !outsideShard.contains($0) }
        }
        return CaseSelection(ordinals: chosen, available: ordinal, executed: executed)
    }

    /// Chooses cases one at a time in dataset order when there is no sample: those with a tag of the
    /// filter, up to the limit. `plan` and the runner, which picks while it reads, share it.
    struct Picker {
        let filter: Set<String>
        let limit: Int?
        private(set) var chosen = 0

        init(_ options: RunOptions) {
            filter = Set(options.filterTags)
            limit = options.limit
        }

        /// The limit is reached: no further case is chosen. A limit below 1 still chooses the first
        /// matching case, as `plan` always has.
        var isFull: Bool { limit.map { chosen >= max(1, $0) } ?? false }

        func matches(_ goldenCase: GoldenCase) -> Bool {
            filter.isEmpty || !filter.isDisjoint(with: goldenCase.tags)
        }

        /// Whether the case is chosen; counts it if so.
        mutating func pick(_ goldenCase: GoldenCase) -> Bool {
            guard !isFull, matches(goldenCase) else { return false }
            chosen += 1
            return true
        }
    }
}
