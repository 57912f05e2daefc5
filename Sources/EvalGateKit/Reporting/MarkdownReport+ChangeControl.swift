extension MarkdownReport {
    /// The change-control block (loosened gates awaiting approval) or the approved change in force.
    static func changeControlLines(_ record: RunRecord) -> [String] {
        guard let control = record.changeControl else { return [] }
        var lines: [String] = []
        if let block = control.block {
            lines.append("")
            lines.append(
                "> 🔒 **Change control: inconclusive until approved.** The effective gates need approval (looser than the last decided run's, or far from the peers'):"
            )
            for change in block.loosened {
                lines.append(
                    "> - \(code(change.key)) \(cell(change.old ?? "none")) → \(cell(change.new ?? "none"))\(change.safety ? " (safety control)" : "")"
                )
            }
            for deviation in block.peerDeviations { lines.append("> - \(cell(deviation.description))") }
            lines.append(">")
            lines.append("> Needs \(cell(block.requirement.summary)); still missing: \(cell(block.missing.joined(separator: ", "))).")
            lines.append("> Approve with \(code(block.command, limit: 400)) (change \(code(String(block.changeID.prefix(12))))).")
        } else if !control.approvals.isEmpty {
            let who = control.approvals.map { "\($0.approvedBy) (\($0.role))" }.joined(separator: ", ")
            lines.append("")
            lines.append(
                "> 🔓 Looser gates in force, approved by \(cell(who)): "
                    + cell(control.loosened.map(\.description).joined(separator: "; "), limit: 600))
        }
        return lines
    }

    /// A code span: sanitized, without backticks (which would end it), so nothing in it is markup.
    static func code(_ text: String, limit: Int = 160) -> String {
        "`" + TerminalText.sanitize(text, limit: limit).replacingOccurrences(of: "`", with: "'") + "`"
    }
}
