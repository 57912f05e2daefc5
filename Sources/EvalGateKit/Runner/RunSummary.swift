/// The aggregate of a run: pass rates with intervals overall and per tag, latency, errors, cost.
public struct RunSummary: Sendable, Equatable, Codable {
    public struct TagSummary: Sendable, Equatable, Codable {
        public var tag: String
        public var total: Int
        public var passed: Int
        public var failed: Int
        public var errors: Int
        /// Over answered cases (passed + failed); errors are counted apart.
        public var passRate: ProportionInterval
    }

    public struct MetricSummary: Sendable, Equatable, Codable {
        public var name: String
        public var mean: Double
        public var count: Int
        public var passed: Int
    }

    public var total: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    /// Passed among answered cases, with its Wilson interval at the tier's confidence level.
    public var passRate: ProportionInterval
    /// Errors among all cases.
    public var errorRate: Double
    public var errorKinds: [String: Int]
    public var meanScore: Double
    /// Over answered cases, milliseconds.
    public var latency: LatencySummary?
    public var tags: [TagSummary]
    public var metrics: [MetricSummary]
    public var usage: TokenUsage
    /// The exact sum of the costed cases' costs (a JSON number in the result file).
    public var totalCost: Money?
    /// `totalCost` over the number of costed cases, rounded up to the next pico-unit, so it never
    /// understates cost and compares with a limit exactly as the true mean would
    /// (see `Money.dividedRoundingUp(by:)`).
    public var costPerCase: Money?
    public var currency: String?
    public var criticalFailures: [String]
    public var reviewQueue: [String]
    /// Cases whose outcome differed between repeats.
    public var flakyCases: [String]
    /// pass^k and pass@k over the conversation cases; `nil` when the run had none.
    public var trials: TrialsSummary? = nil
}

/// Builds a `RunSummary` one case at a time, keeping only what the summary and the gates need,
/// so memory does not grow with answers or trajectories.
public struct RunAccumulator: Sendable {
    struct Counts: Sendable {
        var total = 0, passed = 0, failed = 0, errors = 0
        mutating func add(_ status: CaseResult.Status) {
            total += 1
            switch status {
            case .passed: passed += 1
            case .failed: failed += 1
            case .error: errors += 1
            }
        }
    }

    let confidence: Double
    var overall = Counts()
    var tags: [String: Counts] = [:]
    var latencies: [Double] = []
    var scoreSum = 0.0
    var errorKinds: [String: Int] = [:]
    var metrics: [String: (sum: Double, count: Int, passed: Int)] = [:]
    var usage = TokenUsage(inputTokens: 0, outputTokens: 0)
    /// Summed exactly: `Double` would make 40 × 0.05 exceed 2 (issue 12).
    var cost = Money.zero
    var costCount = 0
    /// A case reported a cost that is not an amount (NaN, infinite, beyond `Money.max`): the total is unknown.
    var costUnknown = false
    // (index, id): completion order varies, reports must not.
    var criticalFailures: [(Int, String)] = []
    var reviewQueue: [(Int, String)] = []
    var flaky: [(Int, String)] = []
    /// Failed and errored cases, for the reports that list them.
    var notPassing: [(Int, String)] = []
    /// What the baseline comparison needs of each case.
    public private(set) var outcomes: [CaseOutcome] = []
    /// Tag lists and clusters repeat from case to case; outcomes share one copy of each instead of
    /// holding their own (about 130 bytes a case). Bounded, so unique values cost nothing extra.
    var sharedTags: Set<[String]> = []
    var sharedClusters: Set<String> = []
    static let sharedLimit = 4096
    /// Each conversation case's trials: (successes, trials, errored trials).
    var trialCounts: [(successes: Int, trials: Int, errors: Int)] = []
    /// The k of pass^k (the tier's `min_pass_hat_k.k`); without one, the fewest trials any
    /// conversation case ran.
    public var passHatK: Int?

    public init(confidence: Double) {
        self.confidence = confidence
    }

    /// Room for `cases` cases' outcomes and latencies up front: growing by doubling would hold
    /// the old and the new storage at once (`evalgate merge` of 1,000,000 cases).
    public mutating func reserveCapacity(_ cases: Int) {
        outcomes.reserveCapacity(cases)
        latencies.reserveCapacity(cases)
    }

    /// Frees the latencies once `summary` has their figures (8 bytes a case); a summary made after
    /// this has no latency. For `evalgate merge`, which records 1,000,000 cases after deciding.
    mutating func dropLatencies() {
        latencies = []
    }

    public mutating func add(_ result: CaseResult) {
        overall.add(result.status)
        for tag in result.tags { tags[tag, default: Counts()].add(result.status) }
        if result.status != .error {
            latencies.append(result.latencyMilliseconds)
            scoreSum += result.score
        }
        if let error = result.error { errorKinds[error.kind.rawValue, default: 0] += 1 }
        for score in result.scores {
            guard let metric = score.metric else { continue }
            var entry = metrics[metric] ?? (0, 0, 0)
            entry.sum += score.score
            entry.count += 1
            entry.passed += score.passed ? 1 : 0
            metrics[metric] = entry
        }
        if let caseUsage = result.usage { usage = usage + caseUsage }
        if result.cost != nil {
            if let exact = result.exactCost { cost += exact } else { costUnknown = true }
            costCount += 1
        }
        if result.critical && result.status != .passed { criticalFailures.append((result.index, result.id)) }
        if result.review != nil { reviewQueue.append((result.index, result.id)) }
        if result.status != .passed { notPassing.append((result.index, result.id)) }
        if let repeats = result.repeats, Set(repeats.map(\.passed)).count > 1 { flaky.append((result.index, result.id)) }
        if result.conversation != nil {
            if let repeats = result.repeats {
                let errors = repeats.filter { $0.error != nil }.count
                trialCounts.append((repeats.filter { $0.passed && $0.error == nil }.count, repeats.count, errors))
            } else {
                trialCounts.append((result.status == .passed ? 1 : 0, 1, result.status == .error ? 1 : 0))
            }
        }
        outcomes.append(
            CaseOutcome(
                id: result.id, status: result.status, score: result.score, cluster: result.cluster.map { Self.shared($0, in: &sharedClusters) },
                tags: Self.shared(result.tags, in: &sharedTags), critical: result.critical))
    }

    /// The copy of `value` already in `pool`, or `value` (added while the pool has room).
    static func shared<Value: Hashable>(_ value: Value, in pool: inout Set<Value>) -> Value {
        if let index = pool.firstIndex(of: value) { return pool[index] }
        if pool.count < sharedLimit { pool.insert(value) }
        return value
    }

    public func summary(currency: String?) -> RunSummary {
        let answered = overall.passed + overall.failed
        let tagSummaries = tags.keys.sorted().map { tag -> RunSummary.TagSummary in
            let counts = tags[tag]!
            return RunSummary.TagSummary(
                tag: tag, total: counts.total, passed: counts.passed, failed: counts.failed, errors: counts.errors,
                passRate: WilsonInterval.compute(successes: counts.passed, trials: counts.passed + counts.failed, confidence: confidence))
        }
        return RunSummary(
            total: overall.total, passed: overall.passed, failed: overall.failed, errors: overall.errors,
            passRate: WilsonInterval.compute(successes: overall.passed, trials: answered, confidence: confidence),
            errorRate: overall.total == 0 ? 0 : Double(overall.errors) / Double(overall.total),
            errorKinds: errorKinds, meanScore: answered == 0 ? 0 : scoreSum / Double(answered), latency: LatencySummary(latencies),
            tags: tagSummaries,
            metrics: metrics.keys.sorted().map { name in
                let entry = metrics[name]!
                return RunSummary.MetricSummary(
                    name: name, mean: entry.count == 0 ? 0 : entry.sum / Double(entry.count), count: entry.count, passed: entry.passed)
            },
            usage: usage, totalCost: costCount == 0 || costUnknown ? nil : cost,
            costPerCase: costCount == 0 || costUnknown ? nil : cost.dividedRoundingUp(by: costCount),
            currency: currency, criticalFailures: Self.ordered(criticalFailures), reviewQueue: Self.ordered(reviewQueue),
            flakyCases: Self.ordered(flaky),
            trials: trialCounts.isEmpty
                ? nil
                : TrialsSummary.make(trialCounts, k: passHatK ?? trialCounts.map(\.trials).min() ?? 1, confidence: confidence))
    }

    static func ordered(_ entries: [(Int, String)]) -> [String] {
        entries.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// The part of a case result that gates and baseline comparisons use.
public struct CaseOutcome: Sendable, Equatable, Codable {
    // In this order the one-byte members share the last word: 56 bytes a case, not 64.
    public var id: String
    public var cluster: String?
    public var score: Double
    public var tags: [String]
    public var status: CaseResult.Status
    public var critical: Bool

    public init(id: String, status: CaseResult.Status, score: Double, cluster: String?, tags: [String] = [], critical: Bool = false) {
        self.id = id
        self.status = status
        self.score = score
        self.cluster = cluster
        self.tags = tags
        self.critical = critical
    }
}
