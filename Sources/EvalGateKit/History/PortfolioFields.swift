import Foundation

/// What the portfolio reads of a stored run's record without decoding it whole: a list of JSON
/// paths that each backend extracts in one pass over the record's text (SQLite
/// `json_extract(record_json, '$.owner', …)`, PostgreSQL `jsonb_build_array(j #> '{owner}', …)`),
/// decoded here from the small JSON array that comes back. Decoding a whole record took most of
/// the portfolio's time (docs/serve.md, Performance).
struct PortfolioFields: Decodable, Sendable {
    /// The paths, in the order `init(from:)` reads their values. A missing path reads as `null`.
    static let paths: [[String]] = [
        ["owner"], ["tier"], ["tierName"],
        ["summary", "passRate"], ["summary", "errorRate"], ["summary", "latency"], ["summary", "costPerCase"], ["summary", "currency"],
        ["recommendation", "autonomy"], ["changeControl", "block"],
        // Release sign-off (docs/signoff.md): what `ReleaseSignOff.requiredRoles(for:)` reads.
        ["shard", "group"], ["recommendation", "signOff", "required"], ["recommendation", "authority", "approvers"],
        ["recommendation", "authority", "escalation"], ["scope", "change", "addedTools"], ["scope", "change", "addedDataSources"],
    ]

    /// `json_extract`'s arguments after the column: `'$.owner', '$.summary.passRate', …`.
    static let sqlitePaths = paths.map { "'$.\($0.joined(separator: "."))'" }.joined(separator: ", ")

    /// `jsonb_build_array`'s arguments over a `jsonb` named `j`: `j #> '{owner}', …`.
    static let postgresPaths = paths.map { "j #> '{\($0.joined(separator: ","))}'" }.joined(separator: ", ")

    var owner: String?
    var tier: Int
    var tierName: String
    var passRate: ProportionInterval
    var errorRate: Double
    var latency: LatencySummary?
    var costPerCase: Money?
    var currency: String?
    var autonomy: AutonomyAdvice?
    var changeControlBlock: ChangeControlBlock?
    var shardGroup: String?
    var signOffRequired: [String]?
    var approvers: [String]
    var escalation: String?
    var addedTools: [String]?
    var addedDataSources: [String]?

    init(from decoder: any Decoder) throws {
        var values = try decoder.unkeyedContainer()
        owner = try values.decodeIfPresent(String.self)
        tier = try values.decode(Int.self)
        tierName = try values.decode(String.self)
        passRate = try values.decode(ProportionInterval.self)
        errorRate = try values.decode(Double.self)
        latency = try values.decodeIfPresent(LatencySummary.self)
        costPerCase = try values.decodeIfPresent(Money.self)
        currency = try values.decodeIfPresent(String.self)
        autonomy = try values.decodeIfPresent(AutonomyAdvice.self)
        changeControlBlock = try values.decodeIfPresent(ChangeControlBlock.self)
        shardGroup = try values.decodeIfPresent(String.self)
        signOffRequired = try values.decodeIfPresent([String].self)
        approvers = try values.decodeIfPresent([String].self) ?? []
        escalation = try values.decodeIfPresent(String.self)
        addedTools = try values.decodeIfPresent([String].self)
        addedDataSources = try values.decodeIfPresent([String].self)
    }

    static func decode(_ json: String, runID: String, decoder: JSONDecoder) throws -> PortfolioFields {
        do {
            return try decoder.decode(PortfolioFields.self, from: Data(json.utf8))
        } catch {
            throw HistoryError.decoding(what: "run \(runID)", message: "\(error)")
        }
    }

    /// The newest run as the portfolio shows it; the counts come from the run's columns.
    func latest(_ run: RunDigest) -> AgentPortfolio.Latest {
        AgentPortfolio.Latest(
            id: run.id,
            summary: AgentPortfolio.Latest.Summary(
                passed: run.passed, failed: run.failed, errors: run.errors, passRate: passRate, errorRate: errorRate, latency: latency,
                costPerCase: costPerCase, currency: currency),
            autonomy: autonomy, changeControlBlock: changeControlBlock)
    }

    /// The roles `run` (a release run with these fields) needs to sign it off, as
    /// `ReleaseSignOff.requiredRoles(for:)` gives them; nil when it cannot wait for sign-off: a
    /// shard, a failed run, an inconclusive run nobody approved, or a tier that names no reviewers.
    func signOffRoles(of run: RunDigest, approved: Bool) -> [String]? {
        guard run.mode == .release, shardGroup == nil, run.verdict == .pass || (run.verdict == .inconclusive && approved) else { return nil }
        let expanded = !(addedTools ?? []).isEmpty || !(addedDataSources ?? []).isEmpty
        let roles = ReleaseSignOff.requiredRoles(recorded: signOffRequired, approvers: approvers, scopeExpanded: expanded)
        return roles.isEmpty ? nil : roles
    }

    /// `run` waiting for sign-off given the decisions recorded on it; nil once every role signed off.
    func pendingSignOff(_ run: RunDigest, roles: [String], decisions: [SignOff]) -> AgentPortfolio.PendingSignOff? {
        let status = ReleaseSignOff(required: roles, decisions: decisions, escalation: escalation)
        return status.state == .signedOff ? nil : AgentPortfolio.PendingSignOff(run: run, signOff: status)
    }
}
