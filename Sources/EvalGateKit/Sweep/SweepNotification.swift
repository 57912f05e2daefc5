import Foundation

/// The sweep's summary as a chat message: Slack-compatible JSON (`text` plus `blocks`), which
/// Slack, Mattermost, Rocket.Chat and most webhook relays accept.
public enum SweepNotification {
    public static func payload(_ result: SweepRunner.Result, title: String = "evalgate nightly sweep") -> JSONValue {
        let icon: String
        switch result.status {
        case .pass: icon = ":white_check_mark:"
        case .inconclusive: icon = ":warning:"
        default: icon = ":x:"
        }
        let headline = "\(icon) \(title): \(result.status.rawValue.uppercased()) · \(result.entries.count) pipelines"
        var lines: [String] = []
        for entry in result.entries {
            var line = "• *\(escape(entry.pipeline))* \(entry.status.rawValue)"
            if let agent = entry.agent, let version = entry.version { line += " (\(escape(agent)) \(escape(version)))" }
            if let action = entry.action { line += " → \(action.rawValue)" }
            if let rate = entry.passRate { line += " · pass \(Format.percent(rate))" }
            lines.append(line)
            if entry.status != .pass { lines.append("    \(escape(String(entry.summary.prefix(300))))") }
            for finding in entry.drift?.findings ?? [] { lines.append("    drift: \(escape(finding))") }
        }
        let body = lines.joined(separator: "\n")
        return [
            "text": .string("\(headline)\n\(body)"),
            "blocks": [
                ["type": "header", "text": ["type": "plain_text", "text": .string(String(headline.prefix(150)))]],
                ["type": "section", "text": ["type": "mrkdwn", "text": .string(String(body.prefix(2900)))]],
            ],
        ]
    }

    /// Slack's mrkdwn needs only these three escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Posts the payload; returns an error message instead of throwing, since a sweep's result must
    /// not be lost because a chat webhook is down.
    public static func post(_ payload: JSONValue, to url: String, headers: [String: String] = [:], timeout: Double = 15) async -> String? {
        let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 64 * 1024)
        do {
            let response = try await transport.send(url: url, method: "POST", headers: headers, body: payload.jsonData, timeout: timeout)
            await transport.shutdown()
            if let error = response.statusError() { return "the webhook answered \(error)" }
            return nil
        } catch {
            await transport.shutdown()
            return "the webhook could not be reached: \(error)"
        }
    }
}
