import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The tier policy's `autonomy` block: the shipped ladders, and every mistake located at file:line:column.
@Suite("Autonomy policy")
struct AutonomyPolicyTests {
    @Test func everyShippedTierHasTheFourLevelLadder() throws {
        let policy = TierPolicyLoader.builtIn()
        for level in [1, 2, 3] {
            let ladder = try #require(policy.tier(level)?.autonomy)
            #expect(ladder.levels.map(\.name) == ["draft-only", "approve-each", "execute-within-limits", "broadened"])
            #expect(ladder.levels[0].criteria.isEmpty && ladder.levels[0].approvers.isEmpty)
            for step in ladder.levels.dropFirst() {
                #expect(!step.criteria.isEmpty && !step.approvers.isEmpty, "tier \(level) \(step.name)")
            }
        }
        let tier3 = try #require(policy.tier(3)?.autonomy)
        #expect(
            tier3.level("execute-within-limits")?.criteria == [
                .consecutivePassingMonitorRuns(runs: 10), .noRollback(days: 30),
                .passRateLowerBound(rate: try #require(Rate(exactly: "0.97")), runs: 10, confidence: 0.95),
                .judgeAgreement(kappa: try #require(Rate(exactly: "0.7")), labels: 100),
            ])
        #expect(tier3.level("approve-each")?.approvers == ["agent owner", "risk officer"])
        #expect(tier3.next(after: "draft-only")?.name == "approve-each" && tier3.next(after: "broadened") == nil)
        #expect(tier3.previous(before: "approve-each")?.name == "draft-only" && tier3.previous(before: "draft-only") == nil)
    }

    @Test func criteriaRoundTripThroughJSON() throws {
        let criteria: [AutonomyCriterion] = [
            .consecutivePassingMonitorRuns(runs: 3), .noRollback(days: 30), .passRateLowerBound(rate: 0.95, runs: 3, confidence: 0.9),
            .judgeAgreement(kappa: 0.7, labels: 100),
        ]
        let data = try JSONCoding.encoder().encode(criteria)
        #expect(try JSONCoding.decoder().decode([AutonomyCriterion].self, from: data) == criteria)
        #expect(String(decoding: data, as: UTF8.self).contains(#""kind":"no_rollback_days""#))
    }

    static func load(_ autonomy: String) -> [String] {
        let folder = TemporaryDirectory()
        folder.write(
            "tiers.yaml",
            """
            version: 1
            tiers:
              1:
                name: internal
                min_pass_rate: 0.8
            \(autonomy)
            """)
        do {
            _ = try TierPolicyLoader.load(path: folder.file("tiers.yaml"), displayPath: "tiers.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test(arguments: [
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                    - name: approve-each
                      approvers: [owner]
                      requires: {consecutive_passing_runs: 3}
            """,
            "tiers.yaml:11:22: error: unknown key 'consecutive_passing_runs' in 'requires' of autonomy level 'approve-each'\n    hint: allowed keys: consecutive_passing_monitor_runs, no_rollback_days, pass_rate_lower_bound, judge_agreement"
        ),
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                      requires: {no_rollback_days: 3}
            """, "tiers.yaml:9:11: error: the first autonomy level ('draft-only') is where every agent starts; it takes no 'requires'"
        ),
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                    - name: approve-each
                      requires: {no_rollback_days: 3}
            """, "tiers.yaml:9:11: error: autonomy level 'approve-each' of tier 1 names no 'approvers'"
        ),
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                    - name: approve-each
                      approvers: [owner]
            """, "tiers.yaml:9:11: error: autonomy level 'approve-each' of tier 1 has no 'requires': every step up needs evidence"
        ),
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                    - name: draft-only
                      approvers: [owner]
                      requires: {no_rollback_days: 3}
            """, "tiers.yaml:9:17: error: autonomy level 'draft-only' is defined twice in tier 1 (first as level 1)"
        ),
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                    - name: approve-each
                      approvers: [owner]
                      requires: {pass_rate_lower_bound: {rate: 1.5, runs: 3}}
            """, "tiers.yaml:11:52: error: 'rate' of 'pass_rate_lower_bound' of autonomy level 'approve-each' must be between 0 and 1, found 1.5"
        ),
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                    - name: approve-each
                      approvers: [owner]
                      requires: {consecutive_passing_monitor_runs: 0}
            """,
            "tiers.yaml:11:56: error: 'consecutive_passing_monitor_runs' of autonomy level 'approve-each' must be between 1 and 1000, found 0"
        ),
        (
            """
                autonomy:
                  levels:
                    - name: draft-only
                    - name: approve-each
                      approvers: [owner]
                      requires: {judge_agreement: {kappa: 0.7}}
            """, "tiers.yaml:11:39: error: 'judge_agreement' of autonomy level 'approve-each' is missing required key 'labels'"
        ),
        ("    autonomy: {levels: []}", "tiers.yaml:6:24: error: 'autonomy.levels' of tier 1 must be a list of levels, lowest first"),
    ])
    func mistakesAreLocated(yaml: String, expected: String) {
        let found = Self.load(yaml)
        #expect(found.count == 1 && found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func aValidLadderLoads() throws {
        #expect(
            Self.load(
                """
                    autonomy:
                      levels:
                        - name: draft-only
                        - name: approve-each
                          approvers: [owner]
                          requires: {pass_rate_lower_bound: {rate: 99.5%, runs: 3, confidence: 0.9}, judge_agreement: {kappa: 0.6, labels: 20}}
                """
            ).isEmpty)
    }
}
