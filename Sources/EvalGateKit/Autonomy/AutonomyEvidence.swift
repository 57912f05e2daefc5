import Foundation

/// Judges a step up's criteria on an agent's history (`AutonomyRecord`): a pure function of the
/// rows and the time, so the same history always gives the same answer. Missing evidence never
/// meets a criterion: too few runs, too few labels, a history shorter than the window.
public enum AutonomyEvidence {
    public static func evaluate(_ criterion: AutonomyCriterion, record: AutonomyRecord, now: Date) -> AutonomyCriterionResult {
        switch criterion {
        case .consecutivePassingMonitorRuns(let needed):
            return consecutivePasses(needed, record: record, criterion: criterion)
        case .noRollback(let days):
            return noRollback(days: days, record: record, now: now, criterion: criterion)
        case .passRateLowerBound(let rate, let runs, let confidence):
            return passRateLowerBound(rate: rate, runs: runs, confidence: confidence, record: record, criterion: criterion)
        case .judgeAgreement(let kappa, let labels):
            return judgeAgreement(kappa: kappa, labels: labels, record: record, criterion: criterion)
        }
    }

    static func consecutivePasses(_ needed: Int, record: AutonomyRecord, criterion: AutonomyCriterion) -> AutonomyCriterionResult {
        let newest = Array(record.monitorRuns.prefix(needed))
        let streak = newest.prefix { $0.verdict == .pass }.count
        var measured = "\(streak) of the \(needed) needed"
        if streak < needed {
            if streak < newest.count {
                let breaking = newest[streak]
                measured += "; the streak ends at run \(breaking.id) (\(breaking.version), \(breaking.verdict.rawValue))"
            } else {
                measured += "; only \(newest.count) monitor run\(newest.count == 1 ? "" : "s") recorded"
            }
        } else {
            measured = "the newest \(needed) monitor runs passed"
        }
        return AutonomyCriterionResult(
            kind: criterion.kind, requirement: criterion.requirement, met: streak >= needed, measured: measured, value: Double(streak),
            threshold: String(needed), runIDs: newest.map(\.id))
    }

    /// Actions that mean a rollback was recommended: roll back, or escalate because there was no
    /// version to roll back to.
    static let rollbackActions: Set<Recommendation.Action> = [.rollback, .escalate]

    static func noRollback(days: Int, record: AutonomyRecord, now: Date, criterion: AutonomyCriterion) -> AutonomyCriterionResult {
        let windowStart = now.addingTimeInterval(-Double(days) * 86_400)
        let recommended = record.runs.filter { $0.startedAt >= windowStart && rollbackActions.contains($0.recommendation.action) }
        let rollbackRuns = Set(record.runs.filter { rollbackActions.contains($0.recommendation.action) }.map(\.id))
        let recorded =
            recordedRollbacks(record.deployments).filter { deployment in deployment.recordedAt >= windowStart }
            + record.deployments.filter { $0.recordedAt >= windowStart && $0.runID.map(rollbackRuns.contains) == true }
        var seenDeployments = Set<Int64>()
        let rollbackDeployments = recorded.filter { seenDeployments.insert($0.id).inserted }.sorted { $0.recordedAt > $1.recordedAt }
        // Runs are read newest first: when the oldest one read started before the window, every run
        // in the window was read and the history covers it, however many older runs were left unread.
        let oldest = record.runs.last?.startedAt
        let covered = oldest.map { $0 <= windowStart } == true
        let coveredDays = oldest.map { max(0, now.timeIntervalSince($0) / 86_400) } ?? 0
        var parts: [String] = []
        if let run = recommended.first {
            parts.append(
                "run \(run.id) recommended \(run.recommendation.action == .rollback ? "a rollback" : "escalation (no version to roll back to)") on \(day(run.startedAt))"
                    + (recommended.count > 1 ? " (\(recommended.count) runs in the window did)" : ""))
        }
        if let deployment = rollbackDeployments.first {
            parts.append(
                "a rollback was recorded on \(day(deployment.recordedAt)): \(deployment.version) put back live in \(deployment.environment) (deployment \(deployment.id))"
                    + (rollbackDeployments.count > 1 ? " (\(rollbackDeployments.count) in the window)" : ""))
        }
        if !covered && record.truncated {
            parts.append("the agent has more than \(AutonomyRecord.runLimit) runs in the window; it cannot be read whole")
        } else if !covered {
            parts.append(
                oldest.map { "the history covers only \(Int(coveredDays)) of the \(days) days (first run \(day($0)))" }
                    ?? "no run of the agent is recorded")
        }
        let met = covered && recommended.isEmpty && rollbackDeployments.isEmpty
        let measured =
            met ? "no rollback recommended or recorded since \(day(windowStart)); history since \(day(oldest ?? now))" : parts.joined(separator: "; ")
        return AutonomyCriterionResult(
            kind: criterion.kind, requirement: criterion.requirement, met: met, measured: measured, value: coveredDays.rounded(.down),
            threshold: String(days),
            runIDs: recommended.map(\.id) + rollbackDeployments.compactMap(\.runID).filter { id in !recommended.contains { $0.id == id } },
            deploymentIDs: rollbackDeployments.map(\.id))
    }

    /// Deployments that put back a version that was live earlier in the same environment and was
    /// replaced since: A, then B, then A again is a rollback to A.
    static func recordedRollbacks(_ deployments: [Deployment]) -> [Deployment] {
        var rollbacks: [Deployment] = []
        let byEnvironment = Dictionary(grouping: deployments, by: \.environment)
        for (_, list) in byEnvironment {
            let oldestFirst = list.sorted { ($0.recordedAt, $0.id) < ($1.recordedAt, $1.id) }
            var earlier = Set<String>()
            var previous: String?
            for deployment in oldestFirst {
                if let previous, previous != deployment.version, earlier.contains(deployment.version) { rollbacks.append(deployment) }
                if let previous { earlier.insert(previous) }
                previous = deployment.version
            }
        }
        return rollbacks
    }

    static func passRateLowerBound(
        rate: Rate, runs needed: Int, confidence: Double, record: AutonomyRecord, criterion: AutonomyCriterion
    ) -> AutonomyCriterionResult {
        let window = Array(record.monitorRuns.prefix(needed))
        // Fail closed: an infrastructure error is not a pass.
        let passed = window.reduce(0) { $0 + $1.summary.passed }
        let trials = window.reduce(0) { $0 + $1.summary.passed + $1.summary.failed + $1.summary.errors }
        let lower = trials > 0 ? WilsonInterval.oneSidedLower(successes: passed, trials: trials, confidence: confidence) : 0
        let enoughRuns = window.count >= needed
        let met = enoughRuns && trials > 0 && lower >= rate.doubleValue
        var measured =
            trials > 0
            ? "lower bound \(Format.percent(lower, digits: 2)) (\(passed) of \(trials) cases passed over \(window.count) monitor run\(window.count == 1 ? "" : "s"))"
            : "no monitor cases recorded"
        if !enoughRuns { measured += "; only \(window.count) of the \(needed) monitor runs needed" }
        return AutonomyCriterionResult(
            kind: criterion.kind, requirement: criterion.requirement, met: met, measured: measured, value: trials > 0 ? lower : nil,
            threshold: rate.description, runIDs: window.map(\.id))
    }

    static func judgeAgreement(kappa: Rate, labels needed: Int, record: AutonomyRecord, criterion: AutonomyCriterion) -> AutonomyCriterionResult {
        let labelled = record.labels.filter { $0.agreementPair != nil }
        let pairs = labelled.compactMap(\.agreementPair).map { ($0.automatic, $0.human) }
        let value = CohenKappa.compute(pairs)
        let reached = isReached(kappa, by: pairs)
        let met = pairs.count >= needed && reached
        var measured = value.map { "κ = \(String(format: "%.3f", $0)) over \(pairs.count) label\(pairs.count == 1 ? "" : "s")" } ?? "no review labels"
        if pairs.count < needed { measured += "; \(needed) labels needed" }
        var runIDs: [String] = []
        // Newest run first, each once.
        for label in labelled.reversed() where !runIDs.contains(label.runID) { runIDs.append(label.runID) }
        return AutonomyCriterionResult(
            kind: criterion.kind, requirement: criterion.requirement, met: met, measured: measured, value: value, threshold: kappa.description,
            runIDs: runIDs)
    }

    /// κ ≥ `threshold`, decided in integers: with n pairs, a agreements and S = Σ rᵢcᵢ (n²·pₑ),
    /// κ = (n·a − S) / (n² − S), so κ ≥ t ⇔ (n·a − S)·10¹² ≥ t·(n² − S) (the denominator is
    /// positive unless both raters used one label throughout, when κ is 1 if they agreed).
    static func isReached(_ threshold: Rate, by pairs: [(Bool, Bool)]) -> Bool {
        guard !pairs.isEmpty else { return false }
        let n = Int128(pairs.count)
        var agreements: Int128 = 0
        var first: [Bool: Int128] = [:]
        var second: [Bool: Int128] = [:]
        for (a, b) in pairs {
            if a == b { agreements += 1 }
            first[a, default: 0] += 1
            second[b, default: 0] += 1
        }
        let chance = first.reduce(Int128(0)) { $0 + $1.value * (second[$1.key] ?? 0) }
        let denominator = n * n - chance
        guard denominator > 0 else { return agreements == n && threshold.units <= FixedPoint.one }
        return (n * agreements - chance) * FixedPoint.one >= threshold.units * denominator
    }

    static func day(_ date: Date) -> String {
        PipelineLoader.day(of: date)
    }
}
