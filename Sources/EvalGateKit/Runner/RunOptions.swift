/// What to run of a pipeline, and the limits of the run.
public struct RunOptions: Sendable {
    /// Run only cases carrying at least one of these tags.
    public var filterTags: [String]
    /// Run only the first N selected cases.
    public var limit: Int?
    /// Run a random sample of N selected cases, chosen reproducibly by `seed`.
    public var sample: Int?
    public var seed: UInt64
    /// Stop starting cases after this many seconds; the verdict is then inconclusive.
    public var maxDuration: Double?
    /// Stop starting cases once the run has cost this much; the verdict is then inconclusive.
    /// Exact, like the costs it is compared with: a run at exactly the budget has reached it.
    public var maxCost: Money?
    /// Overrides the endpoint's `max_concurrency`.
    public var maxConcurrency: Int?
    /// Only these case ids are sent to the agent (`--retry-errors`); `nil` sends every case not already done.
    public var onlyIDs: Set<String>?
    /// Run the cases in a seeded, tag-stratified random order (critical and must-pass cases first)
    /// and stop as soon as the verdict is decided (`--sequential`; see docs/sequential.md).
    /// Not with `limit` or `sample`: the run chooses how many cases it needs.
    public var sequential: Bool
    /// Run only this shard's share of the selected cases (`--shard I/N`): the selection is made over
    /// every case as usual, then each selected case runs in the shard its id belongs to. Not with
    /// `sequential`.
    public var shard: Shard?

    public init(
        filterTags: [String] = [], limit: Int? = nil, sample: Int? = nil, seed: UInt64 = 0, maxDuration: Double? = nil, maxCost: Money? = nil,
        maxConcurrency: Int? = nil, onlyIDs: Set<String>? = nil, sequential: Bool = false
    ) {
        self.sequential = sequential
        self.filterTags = filterTags
        self.limit = limit
        self.sample = sample
        self.seed = seed
        self.maxDuration = maxDuration
        self.maxCost = maxCost
        self.maxConcurrency = maxConcurrency
        self.onlyIDs = onlyIDs
    }
}

/// Progress of a run, for the terminal display and CI log lines.
public struct RunProgress: Sendable {
    public var done: Int
    public var total: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    public var elapsed: Double

    public var passRate: Double? { passed + failed == 0 ? nil : Double(passed) / Double(passed + failed) }

    /// Seconds left at the current pace.
    public var eta: Double? {
        guard done > 0, total > done else { return nil }
        return elapsed / Double(done) * Double(total - done)
    }
}
