extension HTMLReport {
    /// The agent's autonomy level, and the step down a failed monitor run recommends.
    func autonomy() -> Markup {
        guard let advice = record.recommendation.autonomy else { return "" }
        if advice.stepDown {
            return """
                <div class="alert alert-warning" role="alert" id="autonomy-step-down"><strong>Autonomy: step down from \(text(advice.level)) \
                to \(text(advice.recommendedLevel)).</strong> \(text(advice.reason ?? "", limit: 2_000))</div>
                """
        }
        let reason: Markup = advice.reason.map { " <span class=\"muted\">(\(text($0, limit: 2_000)))</span>" } ?? ""
        return "<p class=\"autonomy\" id=\"autonomy\"><strong>Autonomy level:</strong> \(text(advice.level))\(reason)</p>"
    }
}
