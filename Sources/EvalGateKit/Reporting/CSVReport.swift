/// The cases of a run as CSV, for spreadsheets. Agent answers are untrusted: a cell that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is defused
/// with a leading apostrophe (OWASP's CSV injection advice).
public enum CSVReport {
    public static let columns = [
        "index", "id", "dataset", "status", "score", "tags", "critical", "latency_ms", "cost", "attempts", "error", "why", "input", "answer",
    ]

    public static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || value.hasPrefix(" ") {
            value = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    public static func render(_ cases: [CaseResult]) -> String {
        var lines = [columns.joined(separator: ",")]
        for result in cases {
            let fields = [
                String(result.index), result.id, result.dataset, result.status.rawValue, String(format: "%.4f", result.score),
                result.tags.joined(separator: ";"), result.critical ? "true" : "false", String(format: "%.1f", result.latencyMilliseconds),
                result.cost.map { String(format: "%.6f", $0) } ?? "", String(result.attempts), result.error?.description ?? "",
                result.passed ? "" : result.headline, result.input.text, result.answer?.text ?? "",
            ]
            lines.append(fields.map(cell).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
