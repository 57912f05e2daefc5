import Foundation

/// Release sign-off, scope expansion and rollback notification in the recommendation (docs/signoff.md).
extension RecommendationEngine {
    static func addSignOffAndNotification(_ recommendation: inout Recommendation, _ input: Input, signOffRoles: [String]) {
        let authority = input.tier.authority
        let change = input.scope?.change
        recommendation.scopeChange = change
        if input.mode == .release && recommendation.verdict == .pass && !signOffRoles.isEmpty {
            recommendation.signOff = ReleaseSignOff(required: signOffRoles, decisions: [], escalation: authority.escalation)
        }
        let acting = recommendation.action == .rollback || recommendation.action == .escalate
        let expanded = change?.isExpansion == true
        if (acting || expanded) && !authority.notify.isEmpty { recommendation.notify = authority.notify }
        if acting, let within = authority.notifyWithin {
            recommendation.notifyWithin = within
            recommendation.notifyBy = input.decidedAt?.addingTimeInterval(TimeInterval(within.seconds))
        }

        if expanded, let change {
            var sentence =
                " Scope expanded: \(change.sentence); the \(SignOffRole.match(SignOffRole.owner, in: signOffRoles) ?? SignOffRole.owner) must sign off"
            if let notify = recommendation.notify { sentence += ", and notify \(notify.joined(separator: ", "))" }
            recommendation.summary += sentence + "."
        }
        if acting {
            if let notify = recommendation.notify {
                var sentence = " Notify \(notify.joined(separator: ", "))"
                if let within = recommendation.notifyWithin {
                    sentence += " within \(within)"
                    if let by = recommendation.notifyBy { sentence += " (by \(by.formatted(Date.ISO8601FormatStyle())))" }
                }
                recommendation.summary += sentence + "."
            }
            if recommendation.action == .rollback && !authority.rollback.isEmpty {
                recommendation.summary += " Rollback needs no sign-off: any one of them may act alone."
            }
        }
    }
}
