import Foundation

/// The sign-off, scope and notification lines every report shows (docs/signoff.md), as plain
/// text; each format escapes them its own way.
extension Recommendation {
    /// One line per fact: the sign-offs and rejections in force, the roles still pending, the
    /// scope change, whom to notify and by when.
    var governanceLines: [String] {
        var lines: [String] = []
        if let signOff {
            let state: String
            switch signOff.state {
            case .pending: state = "pending"
            case .signedOff: state = "signed off"
            case .rejected: state = "REJECTED"
            }
            lines.append("Release sign-off (\(state)): required \(signOff.required.joined(separator: ", "))")
            for decision in signOff.signedOff {
                lines.append("  signed off: \(decision.role) — \(decision.signedBy)\(decision.reason.map { ": \($0)" } ?? "")")
            }
            for decision in signOff.rejected {
                lines.append("  rejected: \(decision.role) — \(decision.signedBy)\(decision.reason.map { ": \($0)" } ?? "")")
            }
            if !signOff.missing.isEmpty { lines.append("  pending: \(signOff.missing.joined(separator: ", "))") }
            if signOff.state == .rejected {
                lines.append("  escalate to: \(signOff.escalateTo ?? "(the policy names no escalation body)")")
            }
        }
        if let scopeChange { lines.append("Scope \(scopeChange.isExpansion ? "expanded" : "changed"): \(scopeChange.sentence)") }
        if let notify {
            var line = "Notify: \(notify.joined(separator: ", "))"
            if let notifyWithin {
                line += " within \(notifyWithin)"
                if let notifyBy { line += " (by \(notifyBy.formatted(Date.ISO8601FormatStyle())))" }
            }
            lines.append(line)
        }
        if action == .rollback && !authority.rollback.isEmpty {
            lines.append("Rollback authority is unilateral: any of \(authority.rollback.joined(separator: ", ")) may act alone.")
        }
        return lines
    }
}

extension ConsoleReport {
    func signOffLines(_ recommendation: Recommendation) -> [String] {
        recommendation.governanceLines.map { "  " + TerminalText.sanitize($0, limit: 400) }
    }
}

extension MarkdownReport {
    static func signOffLines(_ recommendation: Recommendation) -> [String] {
        let lines = recommendation.governanceLines
        guard !lines.isEmpty else { return [] }
        return [""]
            + lines.map { line in
                line.hasPrefix("  ") ? "- " + cell(String(line.dropFirst(2)), limit: 400) : cell(line, limit: 600) + "  "
            }
    }
}

extension HTMLReport {
    func signOffSection() -> Markup {
        let lines = record.recommendation.governanceLines
        guard !lines.isEmpty else { return "" }
        let items: [Markup] = lines.map { line in
            let nested = line.hasPrefix("  ")
            let kind: Markup = nested ? "sign-off-detail" : "sign-off"
            return "<li class=\"\(kind)\">\(text(nested ? String(line.dropFirst(2)) : line, limit: 600))</li>"
        }
        return """
            <h3>Sign-off and notification</h3>
            <ul class="governance" id="sign-off">\(items)</ul>
            """
    }
}
