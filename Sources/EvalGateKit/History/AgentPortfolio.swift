import Foundation

/// One agent as the portfolio dashboard and `/metrics` see it: who owns it, what is live where, how
/// its recent runs went, and what waits for a person. Read in one call (`RunHistory.portfolio`) so
/// a dashboard of hundreds of agents never decodes their whole history.
public struct AgentPortfolio: Sendable, Equatable, Codable {
    public var agent: String
    /// From the newest run.
    public var owner: String?
    public var tier: Int
    public var tierName: String
    /// The newest run of the agent, in full.
    public var latest: RunRecord
    public var lastRelease: RunDigest?
    public var lastMonitor: RunDigest?
    /// The newest `trendLength` runs, oldest first.
    public var trend: [RunDigest]
    /// The version most recently recorded as live in each environment, by environment name.
    public var liveVersions: [LiveVersion]
    /// Queued cases without a label, per run, among the trend's runs.
    public var openReview: [OpenReview]
    /// Inconclusive release runs in the trend with no approval and no newer run of their version.
    public var pendingApprovals: [RunDigest]
    /// The trend's runs counted by verdict (not every stored run: counting those would read the
    /// whole history on every page view and scrape).
    public var recentVerdicts: VerdictCounts

    public init(
        agent: String, owner: String?, tier: Int, tierName: String, latest: RunRecord, lastRelease: RunDigest?, lastMonitor: RunDigest?,
        trend: [RunDigest], liveVersions: [LiveVersion], openReview: [OpenReview], pendingApprovals: [RunDigest], recentVerdicts: VerdictCounts
    ) {
        self.agent = agent
        self.owner = owner
        self.tier = tier
        self.tierName = tierName
        self.latest = latest
        self.lastRelease = lastRelease
        self.lastMonitor = lastMonitor
        self.trend = trend
        self.liveVersions = liveVersions
        self.openReview = openReview
        self.pendingApprovals = pendingApprovals
        self.recentVerdicts = recentVerdicts
    }

    /// Cases waiting for a person's label, over the trend's runs.
    public var openReviewCount: Int { openReview.reduce(0) { $0 + $1.caseIDs.count } }

    public struct LiveVersion: Sendable, Equatable, Codable {
        public var environment: String
        public var version: String
        public var since: Date

        public init(environment: String, version: String, since: Date) {
            self.environment = environment
            self.version = version
            self.since = since
        }
    }

    public struct OpenReview: Sendable, Equatable, Codable {
        public var runID: String
        public var caseIDs: [String]

        public init(runID: String, caseIDs: [String]) {
            self.runID = runID
            self.caseIDs = caseIDs
        }
    }

    public struct VerdictCounts: Sendable, Equatable, Codable {
        public var pass = 0
        public var fail = 0
        public var inconclusive = 0

        public init(pass: Int = 0, fail: Int = 0, inconclusive: Int = 0) {
            self.pass = pass
            self.fail = fail
            self.inconclusive = inconclusive
        }

        public init(_ verdicts: some Sequence<Verdict>) {
            for verdict in verdicts { self[verdict] += 1 }
        }

        public subscript(verdict: Verdict) -> Int {
            get {
                switch verdict {
                case .pass: pass
                case .fail: fail
                case .inconclusive: inconclusive
                }
            }
            set {
                switch verdict {
                case .pass: pass = newValue
                case .fail: fail = newValue
                case .inconclusive: inconclusive = newValue
                }
            }
        }
    }
}

/// A run as trend lines and tables need it: the indexed columns, no decoding of the full record.
public struct RunDigest: Sendable, Equatable, Codable {
    public var id: String
    public var version: String
    public var mode: Recommendation.Mode
    public var environment: String
    public var verdict: Verdict
    public var action: Recommendation.Action
    public var startedAt: Date
    public var passed: Int
    public var failed: Int
    public var errors: Int
    public var selectedCases: Int
    public var p95LatencyMilliseconds: Double?

    public init(
        id: String, version: String, mode: Recommendation.Mode, environment: String, verdict: Verdict, action: Recommendation.Action,
        startedAt: Date, passed: Int, failed: Int, errors: Int, selectedCases: Int, p95LatencyMilliseconds: Double?
    ) {
        self.id = id
        self.version = version
        self.mode = mode
        self.environment = environment
        self.verdict = verdict
        self.action = action
        self.startedAt = startedAt
        self.passed = passed
        self.failed = failed
        self.errors = errors
        self.selectedCases = selectedCases
        self.p95LatencyMilliseconds = p95LatencyMilliseconds
    }

    public init(_ record: RunRecord) {
        self.init(
            id: record.id, version: record.version, mode: record.mode, environment: record.environment, verdict: record.verdict,
            action: record.recommendation.action, startedAt: record.startedAt, passed: record.summary.passed, failed: record.summary.failed,
            errors: record.summary.errors, selectedCases: record.selectedCases, p95LatencyMilliseconds: record.summary.latency?.p95)
    }

    /// Passed among answered cases, with its Wilson interval at `confidence`.
    public func passRate(confidence: Double = 0.95) -> ProportionInterval {
        WilsonInterval.compute(successes: passed, trials: passed + failed, confidence: confidence)
    }
}

/// Which of a run's cases a page lists: one status, one case, and a window.
public struct CaseQuery: Sendable, Equatable {
    public var status: CaseResult.Status?
    public var caseID: String?
    public var offset: Int
    public var limit: Int

    public init(status: CaseResult.Status? = nil, caseID: String? = nil, offset: Int = 0, limit: Int = 100) {
        self.status = status
        self.caseID = caseID
        self.offset = offset
        self.limit = limit
    }
}

/// One window of a run's cases, in run order, and how many cases match the query in all.
public struct CasePage: Sendable, Equatable {
    public var cases: [CaseResult]
    public var total: Int
    public var offset: Int

    public init(cases: [CaseResult], total: Int, offset: Int) {
        self.cases = cases
        self.total = total
        self.offset = offset
    }
}
