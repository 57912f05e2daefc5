extension HTMLReport {
    /// The change-control block as an alert, or the approved looser gates in force.
    func changeControlAlert() -> Markup {
        guard let control = record.changeControl else { return "" }
        if let block = control.block {
            let items = block.loosened.map { change -> Markup in
                let safety: Markup = change.safety ? " <em>(safety control)</em>" : ""
                return "<li><code>\(text(change.key))</code> \(text(change.old ?? "none")) → \(text(change.new ?? "none"))\(safety)</li>"
            }
            let peers = block.peerDeviations.map { "<li>\(text($0.description))</li>" as Markup }
            return """
                <div class="alert alert-warning" role="alert" id="change-control"><strong>Change control: inconclusive until approved.</strong> \
                The effective gates need approval (looser than the last decided run's, or far from the peers'):<ul>\(items)\(peers)</ul>\
                Needs \(text(block.requirement.summary)); still missing: \(text(block.missing.joined(separator: ", "))).<br>\
                Approve with <code>\(text(block.command))</code> (change <code>\(text(String(block.changeID.prefix(12))))</code>).</div>
                """
        }
        guard !control.approvals.isEmpty else { return "" }
        let who = control.approvals.map { "\($0.approvedBy) (\($0.role))" }.joined(separator: ", ")
        return """
            <div class="alert alert-info" role="status" id="change-approved"><strong>Looser gates in force</strong>, approved by \(text(who)): \
            \(text(control.loosened.map(\.description).joined(separator: "; "), limit: 2_000))</div>
            """
    }

    /// The effective gates' hashes, for the provenance facts.
    func changeControlFacts() -> [Markup] {
        guard let control = record.changeControl else { return [] }
        return [
            fact("Effective gates SHA-256", "<code>\(text(control.gatesSHA256))</code>"),
            fact("Datasets SHA-256", "<code>\(text(control.datasetsSHA256))</code>"),
            fact("Scorers SHA-256", "<code>\(text(control.scorersSHA256))</code>"),
        ]
    }
}
