import Foundation

/// The run history: every run evalgate recorded, its cases and gates, which versions are
/// known-good, what was deployed where, people's approvals and review labels.
///
/// This is the seam between evalgate and where an organisation keeps its history: the embedded
/// SQLite file (`HistoryStore`) or a shared PostgreSQL database (`PostgresHistory`). Every requirement is one
/// transaction and is `async`: an implementation never blocks the caller's thread (GRDB runs
/// SQLite on its own queues; a network database awaits its connection). Implementations pass the
/// shared contract suite (`RunHistoryContract` in the tests), so callers cannot tell them apart.
///
/// Run ids given to readers may be a unique prefix of a stored id, like a short git hash; an
/// ambiguous prefix is `HistoryError.ambiguousRunID`, an unknown one `HistoryError.runNotFound`
/// (or `nil` where the requirement returns an optional).
public protocol RunHistory: Sendable {
    /// Where the history lives, for messages (credentials never appear here).
    var location: String { get }

    /// Ends what the history holds open (a server database's connection pool); later calls fail.
    /// An embedded file needs nothing.
    func close() async

    // MARK: Runs

    /// Records a decided run in one transaction: its row, gates and cases, and — when `knownGood`
    /// — the mark that makes its version known-good. Either all of it is stored or none of it.
    ///
    /// Recording a run id that is already stored replaces its row and gates (a resumed run, or a
    /// run re-decided after review). `cases` replaces its cases; `nil` keeps the stored ones. What
    /// people added stays: review labels, approvals, deployments pointing at it, and an earlier
    /// known-good mark as long as the new verdict is still pass.
    ///
    /// The same transaction appends the audit entry (`run-decided`, or `run-redecided` for a
    /// stored id) with `actor` and the digests of the run as stored, and returns it. The record's
    /// `audit` field is not stored: it is for result files.
    @discardableResult
    func record(_ run: RunRecord, cases: CaseDocuments?, knownGood: Bool, actor: String) async throws -> AuditEntry

    /// Stored runs, newest first, optionally only those of one agent, pipeline or verdict.
    func runs(agent: String?, pipeline: String?, verdict: Verdict?, limit: Int) async throws -> [RunRecord]

    /// The run with this id (or unique prefix); nil when nothing matches.
    func run(id: String) async throws -> RunRecord?

    /// Every run recorded as a shard of `group` (`--shard-group`: the record's `shard.group`),
    /// oldest first (by start, then id); nothing of another group. A direct query on an index of
    /// the group (migration v7), so `evalgate merge --group` reads only its shards however many
    /// runs the history holds.
    func shardRuns(group: String) async throws -> [RunRecord]

    /// The full results of a run's cases, in run order.
    func caseResults(runID: String) async throws -> [CaseResult]

    /// One page of a run's stored case documents (`result_json`, as stored) in run order: the cases
    /// at index `fromIndex` and after, at most `limit`. What `evalgate merge` copies from a shard
    /// without decoding a whole shard's results at once.
    func caseDocuments(runID: String, fromIndex: Int, limit: Int) async throws -> [(index: Int, document: Data)]

    /// What baseline comparisons need of each case, in run order.
    func caseOutcomes(runID: String) async throws -> [CaseOutcome]

    /// The last `limit` runs of a pipeline that went through all their cases, oldest first: the
    /// series trends and drift tests look at.
    func recentRuns(pipeline: String, limit: Int) async throws -> [RunRecord]

    /// One window of a run's cases in run order, filtered by status or case id, and how many match
    /// in all: what a served page of a 100,000-case run reads instead of every case.
    func casePage(runID: String, query: CaseQuery) async throws -> CasePage

    /// Every agent with a stored run, by name: the shown fields of its newest run, the newest
    /// `trendLength` runs as digests, what is live where, unlabelled queued cases and pending
    /// approvals among those runs, its runs counted by verdict, and its newest release when that
    /// waits for sign-off. What the dashboard and `/metrics` read; no record is decoded whole.
    func portfolio(trendLength: Int) async throws -> [AgentPortfolio]

    // MARK: Known-good versions

    /// Marks a passing run as evidence that its version is good (or takes the mark back), with an
    /// audit entry. A run whose verdict is not pass cannot be marked: `HistoryError.notPassing`.
    func markKnownGood(runID: String, _ knownGood: Bool, actor: String) async throws

    /// Every known-good version of an agent once, newest first (by when the vouching run started),
    /// with the newest run vouching for it. A run vouches when it is marked known-good or approved.
    func knownGoodVersions(agent: String) async throws -> [KnownGoodVersion]

    /// The newest run of `version` with verdict pass, in any mode and pipeline.
    func lastPassingRun(agent: String, version: String) async throws -> RunRecord?

    // MARK: Deployments

    /// Records that `version` of `agent` is now live in `environment`; `runID` (may be a prefix)
    /// names the run that justified it.
    func recordDeployment(
        agent: String, environment: String, version: String, recordedBy: String?, note: String?, runID: String?, at: Date
    ) async throws

    /// The version most recently recorded as live in `environment`, if any.
    func liveVersion(agent: String, environment: String) async throws -> String?

    /// Deployments of an agent, newest first; every environment when `environment` is nil.
    func deployments(agent: String, environment: String?, limit: Int) async throws -> [Deployment]

    // MARK: Approvals

    /// Makes an inconclusive run's version known-good on a person's word. A run with a failed
    /// gate cannot be approved (`HistoryError.notPassing`): approval bridges missing evidence,
    /// never bad evidence.
    func approve(runID: String, approvedBy: String, reason: String, at: Date) async throws

    func approvals(runID: String) async throws -> [Approval]

    // MARK: Release sign-offs (docs/signoff.md)

    /// Appends a reviewer's decision on a run in a role, with its audit entry (`release-signed-off`
    /// or `release-rejected`, actor: the reviewer). Which roles a run needs is the caller's
    /// check (`ReleaseReview`); the history refuses one person signing off a second role of the
    /// same run (`HistoryError.signOffConflict`). Nothing is ever updated or deleted: a newer
    /// decision of the same role supersedes an older one.
    func recordSignOff(runID: String, role: String, decision: SignOff.Decision, signedBy: String, reason: String?, at: Date) async throws -> SignOff

    /// Every sign-off and rejection of a run, oldest first.
    func signOffs(runID: String) async throws -> [SignOff]

    // MARK: Change control

    /// Records a person's approval of a change of an agent's effective gates (docs/change-control.md),
    /// with a `change-approved` audit entry; returns it with its id. The caller checks the role
    /// against the tier's policy (`ChangeControlApprover`); the table refuses a second approval of
    /// the same change for the same held run by the same person.
    @discardableResult
    func approveChange(_ approval: ChangeApproval) async throws -> ChangeApproval

    /// Every change approval of an agent, oldest first.
    func changeApprovals(agent: String) async throws -> [ChangeApproval]

    // MARK: Review labels

    /// Records (or replaces) a reviewer's label for one stored case of a run.
    func recordReviewLabel(runID: String, caseID: String, label: ReviewLabel.Label, reviewer: String, note: String?, at: Date) async throws

    /// The labels of one run, in case order.
    func reviewLabels(runID: String) async throws -> [ReviewLabel]

    /// Every label on any run of an agent, oldest run first: the pairs Cohen's kappa is computed on.
    func allReviewLabels(agent: String) async throws -> [ReviewLabel]

    // MARK: Autonomy levels

    /// Appends a change of an agent's autonomy level, with its audit entry (`autonomy-changed`,
    /// actor: `changedBy`), in one transaction, and returns it as stored. `expectedCurrent` is the
    /// level the change starts from as the caller read it (`nil`: no change recorded yet); when the
    /// agent's newest change says otherwise, nothing is written (`HistoryError.autonomyLevelChanged`).
    /// Whether the step is allowed (evidence, role, next level) is `AutonomyLadder`'s to decide.
    @discardableResult
    func recordAutonomyChange(_ change: AutonomyChange, expectedCurrent: String?) async throws -> AutonomyChange

    /// An agent's autonomy changes, newest first.
    func autonomyChanges(agent: String, limit: Int) async throws -> [AutonomyChange]

    // MARK: Audit log

    // Every write above appends its audit entry in its own transaction: recording a run (actor
    // given), marking known-good (actor given), an approval (actor: the approver), a deployment
    // (actor: who recorded it) and a review label (actor: the reviewer). Nothing updates or
    // deletes an entry. A new history starts with a genesis entry; an existing one gets it, and a
    // `sealed` entry per stored row, when the log is added (docs/audit.md).

    /// The newest `limit` entries, oldest first, optionally only those about one agent or
    /// appended at or after `since`.
    func auditLog(agent: String?, since: Date?, limit: Int) async throws -> [AuditEntry]

    /// The newest entry's sequence number and hash; nil only for a log with no entries.
    func auditHead() async throws -> AuditHead?

    /// Recomputes the chain and names the first entry that was edited, deleted or reordered;
    /// compares every run (row, gates, cases), approval, deployment and review label with what its
    /// newest entry recorded; and, given an `anchor`, checks that the log still extends it.
    func verifyAudit(anchor: AuditHead?) async throws -> AuditVerification
}

/// A version vouched for by a run: marked known-good after a promote, or approved by a person.
public struct KnownGoodVersion: Sendable, Equatable, Codable {
    public var version: String
    /// The newest run vouching for the version.
    public var runID: String
    /// When that run ended.
    public var at: Date

    public init(version: String, runID: String, at: Date) {
        self.version = version
        self.runID = runID
        self.at = at
    }
}

/// A run's cases as JSON documents in the shape `JSONCoding.encoder()` gives a `CaseResult`: a
/// finished run's journal records as they are (nothing re-encoded, memory flat however many
/// cases), or results encoded on the spot. Iterated once, inside the recording transaction.
public struct CaseDocuments: Sequence, @unchecked Sendable {
    // Unchecked: the documents are iterated once, by the one transaction they are handed to.
    private let documents: any Sequence<Data>
    /// The caller has checked that no case id and no case index appears twice (`evalgate merge`
    /// does, for 1,000,000 cases in far less memory than a set of ids): the history then keeps no
    /// set of them. Its unique keys refuse a duplicate all the same, as an error naming no case.
    public internal(set) var checkedUnique = false

    public init(_ documents: some Sequence<Data>) {
        self.documents = documents
    }

    public init(_ documents: some Sequence<Data>, checkedUnique: Bool) {
        self.documents = documents
        self.checkedUnique = checkedUnique
    }

    /// Encodes `results` now, so an unencodable case fails before any transaction starts.
    public init(results: some Sequence<CaseResult>) throws {
        let encoder = JSONCoding.encoder()
        var encoded: [Data] = []
        for result in results {
            do {
                encoded.append(try encoder.encode(result))
            } catch {
                throw HistoryError.encoding(what: "case \(result.id)", message: String(describing: error))
            }
        }
        documents = encoded
    }

    /// Run by the history after it has inserted the documents, inside its transaction: a source
    /// that could not give every document (a journal record that cannot be read back) throws, and
    /// nothing is recorded.
    public var verify: @Sendable () throws -> Void = {}

    public func makeIterator() -> AnyIterator<Data> {
        var iterator = documents.makeIterator()
        return AnyIterator { iterator.next() }
    }
}

// MARK: - Conveniences with the usual defaults

extension RunHistory {
    public func close() async {}

    /// Records a run with the acting identity of this process (`AuditActor.resolve`).
    @discardableResult
    public func record(_ run: RunRecord, cases: CaseDocuments?, knownGood: Bool) async throws -> AuditEntry {
        try await record(run, cases: cases, knownGood: knownGood, actor: AuditActor.resolve(by: nil))
    }

    /// Stores a run with its cases without changing its known-good mark.
    public func save(_ run: RunRecord, cases: some Sequence<CaseResult>) async throws {
        try await record(run, cases: CaseDocuments(results: cases), knownGood: false)
    }

    /// Marks (or unmarks) with the acting identity of this process (`AuditActor.resolve`).
    public func markKnownGood(runID: String, _ knownGood: Bool) async throws {
        try await markKnownGood(runID: runID, knownGood, actor: AuditActor.resolve(by: nil))
    }

    public func auditLog(agent: String? = nil, since: Date? = nil, limit: Int = 1000) async throws -> [AuditEntry] {
        try await auditLog(agent: agent, since: since, limit: limit)
    }

    public func verifyAudit() async throws -> AuditVerification {
        try await verifyAudit(anchor: nil)
    }

    public func runs(agent: String? = nil, pipeline: String? = nil, verdict: Verdict? = nil, limit: Int = 50) async throws -> [RunRecord] {
        try await runs(agent: agent, pipeline: pipeline, verdict: verdict, limit: limit)
    }

    public func recentRuns(pipeline: String) async throws -> [RunRecord] {
        try await recentRuns(pipeline: pipeline, limit: 20)
    }

    public func markKnownGood(runID: String) async throws {
        try await markKnownGood(runID: runID, true)
    }

    /// The newest known-good version other than `version` (the one being rolled back from).
    public func lastKnownGood(agent: String, excluding version: String?) async throws -> KnownGoodVersion? {
        try await knownGoodVersions(agent: agent).first { $0.version != version }
    }

    public func recordDeployment(
        agent: String, environment: String, version: String, recordedBy: String? = nil, note: String? = nil, runID: String? = nil,
        at: Date = Date()
    ) async throws {
        try await recordDeployment(agent: agent, environment: environment, version: version, recordedBy: recordedBy, note: note, runID: runID, at: at)
    }

    public func deployments(agent: String, environment: String? = nil, limit: Int = 50) async throws -> [Deployment] {
        try await deployments(agent: agent, environment: environment, limit: limit)
    }

    public func approve(runID: String, approvedBy: String, reason: String) async throws {
        try await approve(runID: runID, approvedBy: approvedBy, reason: reason, at: Date())
    }

    public func recordReviewLabel(runID: String, caseID: String, label: ReviewLabel.Label, reviewer: String, note: String? = nil) async throws {
        try await recordReviewLabel(runID: runID, caseID: caseID, label: label, reviewer: reviewer, note: note, at: Date())
    }
}
