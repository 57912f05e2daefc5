import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The looser/tighter comparison of effective gates, the approval rule and the peer median:
/// pure functions, exact decimals.
@Suite("Change control: comparison")
struct ControlChangeTests {
    static func rate(_ text: String) -> Rate { Rate(exactly: text)! }

    /// The shipped tier 3's thresholds.
    static var tier3: TierThresholds { TierPolicyLoader.builtIn().tier(3)!.thresholds }

    static func changes(_ edit: (inout TierThresholds) -> Void) -> [ControlChange] {
        var edited = tier3
        edit(&edited)
        return ControlChange.compare(tier3.controls, edited.controls)
    }

    @Test func identicalGatesAreNoChangeAndHashAlike() {
        #expect(ControlChange.compare(Self.tier3.controls, Self.tier3.controls).isEmpty)
        #expect(EffectiveGates(tier: 3, thresholds: Self.tier3).sha256 == EffectiveGates(tier: 3, thresholds: Self.tier3).sha256)
        // The same decimal written two ways is the same control.
        var written = Self.tier3
        written.minPassRate = Self.rate("95%")
        #expect(ControlChange.compare(Self.tier3.controls, written.controls).isEmpty)
        #expect(EffectiveGates(tier: 3, thresholds: written).sha256 == EffectiveGates(tier: 3, thresholds: Self.tier3).sha256)
        #expect(EffectiveGates(tier: 2, thresholds: written).sha256 != EffectiveGates(tier: 3, thresholds: Self.tier3).sha256)
    }

    @Test func aLowerMinimumIsLoosenedAndAHigherOneTightened() throws {
        let lowered = Self.changes { $0.minPassRate = Self.rate("0.90") }
        #expect(lowered == [ControlChange(key: "min_pass_rate", kind: .loosened, old: "0.95", new: "0.9", safety: true)])
        #expect(lowered.first?.description == "min_pass_rate 0.95 → 0.9")
        let raised = Self.changes { $0.minPassRate = Self.rate("0.97") }
        #expect(raised.map(\.kind) == [.tightened])
        // One unit of 10⁻¹² is a change, in the right direction: no floating-point drift.
        let hair = Self.changes { $0.minPassRate = Rate(clamping: Self.rate("0.95").units - 1) }
        #expect(hair.map(\.kind) == [.loosened])
    }

    @Test(arguments: [
        ("max_error_rate raised", "max_error_rate", true),
        ("latency raised", "latency.p95", false),
        ("cost raised", "max_cost_per_case", false),
        ("baseline no longer required", "require_baseline", true),
        ("must-pass tag removed", "must_pass_tags.policy-boundary", true),
        ("coverage removed", "coverage.edge-case", true),
        ("coverage lowered", "coverage.prompt-injection", true),
        ("pass^k removed", "min_pass_hat_k.rate", true),
    ])
    func everyKindOfControlLoosens(name: String, key: String, safety: Bool) throws {
        let changes = Self.changes { thresholds in
            switch name {
            case "max_error_rate raised": thresholds.maxErrorRate = Self.rate("0.05")
            case "latency raised": thresholds.maxLatencyP95 = 30_000
            case "cost raised": thresholds.maxCostPerCase = Money(exactly: "0.50")
            case "baseline no longer required": thresholds.requireBaseline = false
            case "must-pass tag removed": thresholds.mustPassTags = ["prompt-injection"]
            case "coverage removed": thresholds.coverage["edge-case"] = nil
            case "coverage lowered": thresholds.coverage["prompt-injection"] = 10
            default: thresholds.minPassHatK = nil
            }
        }
        let change = try #require(changes.first { $0.key == key }, "\(changes)")
        #expect(change.kind == .loosened && change.safety == safety, "\(name): \(change)")
        #expect(changes.allSatisfy { $0.kind == .loosened })
    }

    @Test func addingAControlTightensAndLooseningsComeFirst() {
        let changes = Self.changes {
            $0.mustPassTags.append("refunds")
            $0.coverage["refunds"] = 10
            $0.minTagPassRate = Self.rate("0.85")
        }
        #expect(changes.map(\.kind) == [.loosened, .tightened, .tightened])
        #expect(changes.map(\.key) == ["min_tag_pass_rate", "coverage.refunds", "must_pass_tags.refunds"])
        #expect(changes[1].old == nil && changes[1].description == "coverage.refunds none → 10")
    }

    @Test func removedGuardedCasesLoosenAddedOnesDoNot() throws {
        let before = GuardedCases(ids: ["inj-1", "inj-2", "pol-1"])
        #expect(ControlChange.guardedCases(old: before, new: GuardedCases(ids: ["inj-1", "inj-2", "pol-1", "pol-2"])) == nil)
        let removal = try #require(ControlChange.guardedCases(old: before, new: GuardedCases(ids: ["inj-1", "pol-1"])))
        #expect(removal.kind == .loosened && removal.safety && removal.new == "2 cases (1 removed: inj-2)")
        #expect(ControlChange.guardedCases(old: before, new: nil) == nil, "a partial run cannot tell")
        #expect(GuardedCases(ids: ["b", "a", "a"]).ids == ["a", "b"])
    }

    static let authority = RiskTier.Authority(approvers: ["agent owner", "risk officer"], riskRole: "risk officer", escalationRole: "CoE lead")

    static func approval(_ by: String, _ role: String) -> ChangeApproval {
        ChangeApproval(agent: "a", changeID: "c", runID: "r", approvedBy: by, role: role, reason: "ok", approvedAt: Date())
    }

    @Test func aReducedSafetyControlNeedsTwoRolesOneOfThemRisk() {
        let loosened = Self.changes { $0.minPassRate = Self.rate("0.90") }
        let rule = ChangeRequirement.make(loosened: loosened, deviations: [], authority: Self.authority)
        #expect(rule.approvers == 2 && rule.requiredRoles == ["risk officer"])
        #expect(rule.allowedRoles == ["agent owner", "risk officer", "CoE lead"])
        #expect(rule.missing(given: []).first == "risk officer")
        #expect(rule.missing(given: [Self.approval("dana", "agent owner")]) == ["risk officer"])
        #expect(!rule.isMet(by: [Self.approval("rita", "risk officer")]))
        #expect(!rule.isMet(by: [Self.approval("rita", "risk officer"), Self.approval("rita", "agent owner")]), "one person is one approver")
        #expect(!rule.isMet(by: [Self.approval("rita", "risk officer"), Self.approval("bo", "intern")]), "a role the policy does not name")
        #expect(rule.isMet(by: [Self.approval("dana", "agent owner"), Self.approval("rita", "risk officer")]))

        // Only a budget loosened: one approver; a tier without a risk role: one approver.
        let latency = Self.changes { $0.maxLatencyP95 = 30_000 }
        #expect(ChangeRequirement.make(loosened: latency, deviations: [], authority: Self.authority).approvers == 1)
        let tier1 = RiskTier.Authority(approvers: ["agent owner"])
        let simple = ChangeRequirement.make(loosened: loosened, deviations: [], authority: tier1)
        #expect(simple.approvers == 1 && simple.requiredRoles.isEmpty && simple.isMet(by: [Self.approval("dana", "agent owner")]))
    }

    @Test func gatesFarFromPeersNeedTheEscalationRole() {
        let deviation = PeerDeviation(
            key: "min_pass_rate", value: Self.rate("0.9"), peerMedian: Self.rate("0.97"), peers: 3, allowed: Self.rate("0.05"))
        let loosened = Self.changes { $0.minPassRate = Self.rate("0.90") }
        let rule = ChangeRequirement.make(loosened: loosened, deviations: [deviation], authority: Self.authority)
        #expect(rule.approvers == 2 && rule.requiredRoles == ["risk officer", "CoE lead"])
        #expect(!rule.isMet(by: [Self.approval("dana", "agent owner"), Self.approval("rita", "risk officer")]))
        #expect(rule.isMet(by: [Self.approval("carl", "CoE lead"), Self.approval("rita", "risk officer")]))
    }

    static func gates(_ minPassRate: String) -> EffectiveGates {
        EffectiveGates(tier: 3, thresholds: TierThresholds(minPassRate: Self.rate(minPassRate)))
    }

    @Test func peerDeviationUsesTheExactMedian() {
        let allowed = Self.rate("0.05")
        let odd = ["0.95", "0.99", "0.97"].map(Self.gates)
        #expect(PeerDeviation.find(Self.gates("0.92"), peers: odd, allowed: allowed).isEmpty, "exactly 5 points below is allowed")
        let found = PeerDeviation.find(Self.gates("0.919999999999"), peers: odd, allowed: allowed)
        #expect(found.map(\.key) == ["min_pass_rate"] && found.first?.peerMedian == Self.rate("0.97") && found.first?.peers == 3)
        // An even count: the mean of the middle two (0.955), compared exactly.
        let even = ["0.95", "0.96"].map(Self.gates)
        #expect(PeerDeviation.find(Self.gates("0.905"), peers: even, allowed: allowed).isEmpty)
        #expect(PeerDeviation.find(Self.gates("0.904999999999"), peers: even, allowed: allowed).count == 1)
        // Stricter than the peers, or no peers: nothing to approve.
        #expect(PeerDeviation.find(Self.gates("0.999"), peers: odd, allowed: allowed).isEmpty)
        #expect(PeerDeviation.find(Self.gates("0.5"), peers: [], allowed: allowed).isEmpty)
    }

    @Test func aPeerDeviationWithoutAnEscalationRoleIsAnErrorWithItsLocation() throws {
        let folder = TemporaryDirectory()
        folder.write(
            "tiers.yaml",
            """
            version: 1
            tiers:
              2:
                name: internal-actions
                min_pass_rate: 0.9
                authority: {approvers: [agent owner], risk_role: risk officer}
                peer_deviation: 0.05
            """)
        #expect {
            try TierPolicyLoader.load(path: folder.file("tiers.yaml"), displayPath: "tiers.yaml")
        } throws: { error in
            "\(error)".contains("tiers.yaml:7:21: error: tier 2 sets 'peer_deviation' but its 'authority' names no 'escalation_role'")
        }
        folder.write("bad.yaml", "version: 1\ntiers:\n  1: {name: x, peer_deviation: lots, authority: {approvers: [a], risk_roles: b}}\n")
        #expect {
            try TierPolicyLoader.load(path: folder.file("bad.yaml"), displayPath: "bad.yaml")
        } throws: { error in
            "\(error)".contains("bad.yaml:3:") && "\(error)".contains("risk_roles")
        }
    }

    static func control(tier: Int = 3, _ thresholds: TierThresholds, policy: String = "p1") -> RunChangeControl {
        let gates = EffectiveGates(tier: tier, thresholds: thresholds)
        return RunChangeControl(
            gates: gates, gatesSHA256: gates.sha256, datasetsSHA256: "d", scorersSHA256: "s", tierPolicySHA256: policy, guardedCases: nil,
            referenceRunID: nil, referenceGatesSHA256: nil, changes: [], peerDeviations: [], approvals: [], block: nil,
            changedSincePreviousRun: nil)
    }

    @Test func aLowerTierIsALooseningAndAPolicyTextChangeIsStillAChange() throws {
        let reference = Self.control(Self.tier3)
        let tier2 = EffectiveGates(tier: 2, thresholds: Self.tier3)
        let changes = ChangeControl.changes(from: reference, to: tier2, guarded: nil)
        #expect(changes == [ControlChange(key: "risk_tier", kind: .loosened, old: "3", new: "2", safety: true)])

        // Same gates, another tier-policy text (authority, notes): an audit entry saying so.
        let previous = ChangeControlEvidence.StoredRun(runID: "run-1", changeControl: reference)
        let now = Self.control(Self.tier3, policy: "p2")
        let change = try #require(ChangeControl.thresholdChange(since: previous, gates: now.gates, control: now))
        #expect(change.direction == "policy" && change.previousTierPolicySHA256 == "p1" && change.previousRunID == "run-1")
        #expect(ChangeControl.thresholdChange(since: previous, gates: reference.gates, control: reference) == nil)
        #expect(now.auditEvidence?["direction"] == nil, "only a run that saw the change carries the evidence")
    }

    @Test func approvalsCountOnlyForRunsHeldAfterTheReference() {
        func run(_ id: String) -> RunRecord {
            var record = HistoryFixtures.record(id: id)
            record.changeControl = Self.control(Self.tier3)
            return record
        }
        // Newest first: held-2 (after the reference), reference, held-1 (before it).
        let runs = [run("held-2"), run("reference"), run("held-1")]
        let old = ChangeApproval(agent: "a", changeID: "c", runID: "held-1", approvedBy: "dana", role: "agent owner", reason: "r", approvedAt: Date())
        var new = old
        new.runID = "held-2"
        #expect(ChangeControlEvidence.approvals([old, new], runs: runs, since: "reference") == [new])
        #expect(ChangeControlEvidence.approvals([old, new], runs: runs, since: nil) == [old, new], "no reference: every approval")
    }

    @Test func theShippedPolicyNamesTheRolesAndItsFileMatches() throws {
        let policy = TierPolicyLoader.builtIn()
        #expect(policy.tier(3)?.authority.riskRole == "risk officer" && policy.tier(3)?.peerDeviation == Self.rate("0.05"))
        #expect(policy.tier(2)?.authority.escalationRole == "CoE lead" && policy.tier(1)?.peerDeviation == nil)
    }
}
