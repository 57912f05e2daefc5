extension ConsoleReport {
    /// The change-control block, or the approved looser gates in force.
    func changeControlLines(_ record: RunRecord) -> [String] {
        guard let control = record.changeControl else { return [] }
        if let block = control.block {
            var lines = [paint("CHANGE CONTROL: inconclusive until the looser gates are approved", "33")]
            for change in block.loosened {
                lines.append("  loosened: \(TerminalText.sanitize(change.description))\(change.safety ? " (safety control)" : "")")
            }
            for deviation in block.peerDeviations { lines.append("  peers: \(TerminalText.sanitize(deviation.description))") }
            lines.append(
                "  needs: \(TerminalText.sanitize(block.requirement.summary)); missing: \(TerminalText.sanitize(block.missing.joined(separator: ", ")))"
            )
            lines.append("  approve: \(TerminalText.sanitize(block.command))")
            return lines
        }
        guard !control.approvals.isEmpty else { return [] }
        let who = control.approvals.map { "\($0.approvedBy) (\($0.role))" }.joined(separator: ", ")
        return [paint(TerminalText.sanitize("CHANGE APPROVED: looser gates in force, approved by \(who)"), "33")]
    }
}
