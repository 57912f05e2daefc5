import Foundation

/// What change control needs from the history, read before deciding (like `DecisionEvidence`):
/// the agent's previous run and last decided run, the same tier's other agents' gates, and the
/// approvals of changes of the agent's gates.
public struct ChangeControlEvidence: Sendable {
    /// A stored run's id and its change-control section.
    public struct StoredRun: Sendable, Equatable {
        public var runID: String
        public var changeControl: RunChangeControl

        public init(runID: String, changeControl: RunChangeControl) {
            self.runID = runID
            self.changeControl = changeControl
        }
    }

    /// The agent's newest other run with a change-control section, whatever its verdict (of the
    /// same pipeline when it has one): a run whose gates differ from it is the first to see a
    /// change (audit entry).
    public var previous: StoredRun?
    /// The agent's last decided run (pass or fail) that no change-control block held, of the same
    /// pipeline when it has one: the gates in force, which this run's are compared with.
    public var reference: StoredRun?
    /// The last decided gates of every other agent on the same tier.
    public var peers: [EffectiveGates]
    public var approvals: [ChangeApproval]

    public init(previous: StoredRun?, reference: StoredRun?, peers: [EffectiveGates], approvals: [ChangeApproval]) {
        self.previous = previous
        self.reference = reference
        self.peers = peers
        self.approvals = approvals
    }

    /// How many of the agent's newest runs are searched for its reference, and how many of the
    /// history's newest runs for peers.
    public static let agentRunLimit = 200
    public static let peerRunLimit = 1000

    public static func gather(for subject: Decision.Subject, from history: any RunHistory) async throws -> ChangeControlEvidence {
        let agent = subject.pipeline.definition.agent.name
        let own = try await history.runs(agent: agent, pipeline: nil, verdict: nil, limit: agentRunLimit).filter {
            $0.id != subject.runID && $0.shard == nil
        }
        // The same pipeline's runs first (an agent's release and monitor pipelines may hold it to
        // different bars); a pipeline new to the agent is compared with the agent's other runs, so
        // a new pipeline name cannot start below the bar the agent is held to.
        let pipeline = subject.pipeline.definition.name
        let ordered = own.filter { $0.pipeline == pipeline } + own.filter { $0.pipeline != pipeline }
        let previous = ordered.lazy.compactMap { run in run.changeControl.map { StoredRun(runID: run.id, changeControl: $0) } }.first
        let reference = ordered.lazy.filter(\.isDecidedUnderItsGates).compactMap { run in
            run.changeControl.map { StoredRun(runID: run.id, changeControl: $0) }
        }.first
        var peers: [EffectiveGates] = []
        // Peers matter only when the gates differ from the ones in force (`ChangeControl.assess`).
        let gates = EffectiveGates(tier: subject.pipeline.tier.level, thresholds: subject.pipeline.thresholds)
        if subject.pipeline.tier.peerDeviation != nil && reference?.changeControl.gatesSHA256 != gates.sha256 {
            var seen: Set<String> = [agent]
            for run in try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: peerRunLimit)
            where !seen.contains(run.agent) && run.shard == nil && run.isDecidedUnderItsGates {
                guard let control = run.changeControl else { continue }
                seen.insert(run.agent)
                if control.gates.tier == subject.pipeline.tier.level { peers.append(control.gates) }
            }
        }
        let approvals = Self.approvals(try await history.changeApprovals(agent: agent), runs: own, since: reference?.runID)
        return ChangeControlEvidence(previous: previous, reference: reference, peers: peers, approvals: approvals)
    }

    /// The approvals that can lift a block now: those given for a run held after the reference
    /// run. An approval of the same gates given before (for an earlier change, since superseded
    /// by tighter gates) approved that change, not this one. `runs` are the agent's, newest first.
    static func approvals(_ all: [ChangeApproval], runs: [RunRecord], since referenceRunID: String?) -> [ChangeApproval] {
        var position: [String: Int] = [:]
        for (index, run) in runs.enumerated() where position[run.id] == nil { position[run.id] = index }
        guard let referenceRunID, let reference = position[referenceRunID] else { return all }
        return all.filter { approval in position[approval.runID].map { $0 < reference } ?? false }
    }
}

extension RunRecord {
    /// Decided (pass or fail) by gates that were in force: no change-control block held it.
    var isDecidedUnderItsGates: Bool {
        verdict != .inconclusive && changeControl != nil && changeControl?.block == nil
    }
}
