import Foundation

/// One agent as the portfolio dashboard and `/metrics` see it: who owns it, what is live where, how
/// its recent runs went, and what waits for a person. Read in one call (`RunHistory.portfolio`) so
/// a dashboard of hundreds of agents never decodes their whole history, nor any record in full.
public struct AgentPortfolio: Sendable, Equatable, Codable {
    public var agent: String
    /// From the newest run.
    public var owner: String?
    public var tier: Int
    public var tierName: String
    /// What the page and `/metrics` show of the agent's newest run.
    public var latest: Latest
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
    /// The agent's newest release run (`lastRelease`) when it waits for release sign-off: it
    /// passed (or was inconclusive and approved), and a role its tier requires has not signed it
    /// off or rejected it (docs/signoff.md). What `evalgate release-status` says of that version.
    public var pendingSignOff: PendingSignOff?

    public init(
        agent: String, owner: String?, tier: Int, tierName: String, latest: Latest, lastRelease: RunDigest?, lastMonitor: RunDigest?,
        trend: [RunDigest], liveVersions: [LiveVersion], openReview: [OpenReview], pendingApprovals: [RunDigest], recentVerdicts: VerdictCounts,
        pendingSignOff: PendingSignOff? = nil
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
        self.pendingSignOff = pendingSignOff
    }

    /// Cases waiting for a person's label, over the trend's runs.
    public var openReviewCount: Int { openReview.reduce(0) { $0 + $1.caseIDs.count } }

    /// Releases waiting for a person's approval (`evalgate_pending_approvals`): inconclusive runs
    /// without one, and the newest release when its sign-off is pending (not when it was rejected:
    /// that one waits for its escalation body, not for an approval).
    public var pendingApprovalCount: Int { pendingApprovals.count + (pendingSignOff?.signOff.state == .pending ? 1 : 0) }

    /// Something waits for people: a queued case, an approval, a sign-off or a rejected release.
    public var waitsForPeople: Bool { openReviewCount > 0 || !pendingApprovals.isEmpty || pendingSignOff != nil }

    /// The newest run's fields the portfolio shows, read from its stored record without decoding
    /// the whole of it (`RunHistory.portfolio`; the JSON paths are in `PortfolioFields`).
    public struct Latest: Sendable, Equatable, Codable {
        public var id: String
        public var summary: Summary
        /// `recommendation.autonomy`: the autonomy level as the run recorded it.
        public var autonomy: AutonomyAdvice?
        /// `changeControl.block`: set when change control held the run.
        public var changeControlBlock: ChangeControlBlock?

        public init(id: String, summary: Summary, autonomy: AutonomyAdvice?, changeControlBlock: ChangeControlBlock?) {
            self.id = id
            self.summary = summary
            self.autonomy = autonomy
            self.changeControlBlock = changeControlBlock
        }

        /// The part of `RunSummary` the page and the metrics use, under the same names.
        public struct Summary: Sendable, Equatable, Codable {
            public var passed: Int
            public var failed: Int
            public var errors: Int
            public var passRate: ProportionInterval
            public var errorRate: Double
            public var latency: LatencySummary?
            public var costPerCase: Money?
            public var currency: String?

            public init(
                passed: Int, failed: Int, errors: Int, passRate: ProportionInterval, errorRate: Double, latency: LatencySummary?, costPerCase: Money?,
                currency: String?
            ) {
                self.passed = passed
                self.failed = failed
                self.errors = errors
                self.passRate = passRate
                self.errorRate = errorRate
                self.latency = latency
                self.costPerCase = costPerCase
                self.currency = currency
            }
        }
    }

    /// A release waiting for its sign-off: the run, and where its sign-off stands (the roles
    /// still missing, or the rejection and where it escalates).
    public struct PendingSignOff: Sendable, Equatable, Codable {
        public var run: RunDigest
        public var signOff: ReleaseSignOff

        public init(run: RunDigest, signOff: ReleaseSignOff) {
            self.run = run
            self.signOff = signOff
        }
    }

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
