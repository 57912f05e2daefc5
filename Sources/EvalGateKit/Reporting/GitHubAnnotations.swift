/// `::error::` / `::warning::` workflow commands for failed and inconclusive gates in GitHub Actions.
public enum GitHubAnnotations {
    /// Escapes per GitHub's workflow command rules, so untrusted text cannot start a new command.
    static func data(_ text: String) -> String {
        TerminalText.sanitize(text).replacingOccurrences(of: "⏎", with: "\n").replacingOccurrences(of: "%", with: "%25").replacingOccurrences(
            of: "\r", with: "%0D"
        ).replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    public static func render(_ record: RunRecord) -> String {
        var lines: [String] = []
        for gate in record.gates where gate.outcome != .pass {
            let level = gate.outcome == .fail ? "error" : "warning"
            let title = property("evalgate \(record.agent) \(record.version): gate \(gate.name) \(gate.outcome.rawValue)")
            lines.append(
                "::\(level) file=\(property(record.pipelineFile)),title=\(title)::\(data("\(gate.measured) vs \(gate.threshold). \(gate.sentence)"))")
        }
        let level = record.verdict == .pass ? "notice" : (record.verdict == .fail ? "error" : "warning")
        lines.append(
            "::\(level) title=\(property("evalgate recommendation: \(record.recommendation.action.rawValue)"))::\(data(record.recommendation.summary))"
        )
        return lines.joined(separator: "\n")
    }
}
