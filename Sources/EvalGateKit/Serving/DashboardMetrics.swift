import Foundation
import Prometheus

/// `/metrics`: the portfolio in Prometheus text format, every name prefixed `evalgate_`, labelled
/// by agent and tier (docs/serve.md lists them). Built fresh from the history on every scrape, so
/// what Prometheus sees is what the history holds, with nothing cached in between.
public enum DashboardMetrics {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Every metric name, for docs and tests.
    public static let names = [
        "evalgate_last_verdict", "evalgate_pass_rate", "evalgate_pass_rate_lower_bound", "evalgate_latency_p95_seconds", "evalgate_error_rate",
        "evalgate_cost_per_case", "evalgate_review_queue_length", "evalgate_pending_approvals", "evalgate_recent_runs",
    ]

    public static func exposition(_ agents: [AgentPortfolio]) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        for entry in agents {
            let labels = [("agent", entry.agent), ("tier", String(entry.tier))]
            let summary = entry.latest.summary
            for mode in Recommendation.Mode.allCases {
                let run = mode == .release ? entry.lastRelease : entry.lastMonitor
                guard let run else { continue }
                for verdict in Verdict.allCases {
                    gauge(
                        registry, "last_verdict", labels: labels + [("mode", mode.rawValue), ("verdict", verdict.rawValue)],
                        help: "1 for the verdict of the newest run in this mode, 0 for the others"
                    ).set(run.verdict == verdict ? 1.0 : 0.0)
                }
            }
            if summary.passRate.trials > 0 {
                gauge(registry, "pass_rate", labels: labels, help: "Pass rate of the newest run (passed among answered cases)")
                    .set(summary.passRate.estimate)
                gauge(
                    registry, "pass_rate_lower_bound", labels: labels,
                    help: "Lower bound of the newest run's pass rate (Wilson interval at the tier's confidence)"
                ).set(summary.passRate.lower)
            }
            if let latency = summary.latency {
                gauge(registry, "latency_p95_seconds", labels: labels, help: "p95 agent latency of the newest run, seconds")
                    .set(latency.p95 / 1_000)
            }
            gauge(registry, "error_rate", labels: labels, help: "Errors among all cases of the newest run").set(summary.errorRate)
            if let cost = summary.costPerCase {
                gauge(
                    registry, "cost_per_case", labels: labels + [("currency", summary.currency ?? "USD")],
                    help: "Mean cost per costed case of the newest run (rounded up to the pico-unit)"
                ).set(cost.doubleValue)
            }
            gauge(registry, "review_queue_length", labels: labels, help: "Queued cases without a label among recent runs")
                .set(Double(entry.openReviewCount))
            gauge(
                registry, "pending_approvals", labels: labels,
                help: "Releases waiting for an approval: inconclusive release runs without one, and the newest release while its sign-off is pending"
            ).set(Double(entry.pendingApprovalCount))
            for verdict in Verdict.allCases {
                gauge(
                    registry, "recent_runs", labels: labels + [("verdict", verdict.rawValue)], help: "Runs by verdict among the agent's last 30 runs"
                )
                .set(Double(entry.recentVerdicts[verdict]))
            }
        }
        return registry.emitToBuffer()
    }

    /// `evalgate_NAME`; the unit stays in the name as Prometheus' conventions spell it.
    static func descriptor(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "evalgate", metricName: name, unitName: "", helpText: help)
    }

    static func gauge(_ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)], help: String) -> Gauge {
        registry.makeGauge(descriptor: descriptor(name, help: help), labels: labels)
    }
}
