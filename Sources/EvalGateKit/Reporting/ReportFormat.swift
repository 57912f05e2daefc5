/// The report formats `--report` can write.
public enum ReportFormat: String, Sendable, CaseIterable {
    case console, json, junit, markdown, html, github, csv

    public var fileExtension: String {
        switch self {
        case .console: return "txt"
        case .json: return "json"
        case .junit: return "junit.xml"
        case .markdown: return "md"
        case .html: return "html"
        case .github: return "github.txt"
        case .csv: return "csv"
        }
    }
}

/// What every report needs beyond the cases: the run, and how to keep secrets out.
public struct ReportContext: Sendable {
    public var record: RunRecord
    public var redactor: Redactor
    /// Earlier runs of the same pipeline, oldest first, for trend charts.
    public var trend: [RunRecord]

    public init(record: RunRecord, redactor: Redactor, historyPath: String? = nil, trend: [RunRecord] = []) {
        self.record = record
        self.redactor = redactor
        self.trend = trend
    }
}

public enum Reports {
    /// Renders a text format. Everything passes through the redactor last.
    public static func render(_ format: ReportFormat, context: ReportContext, cases: [CaseResult]) throws -> String {
        // Redact before any escaping: a secret with characters a format escapes would no longer match after.
        var context = context
        context.record = context.redactor.redact(context.record)
        let cases = context.redactor.secrets.isEmpty ? cases : cases.map { context.redactor.redact($0) }
        let text: String
        switch format {
        case .console: text = ConsoleReport(useColor: false).render(context.record, cases: cases, redactor: context.redactor)
        case .json: text = String(decoding: try ResultFile.encode(context.record, cases: cases), as: UTF8.self)
        case .junit: text = JUnitReport.render(context.record, cases: cases)
        case .markdown: text = MarkdownReport.render(context.record, cases: cases)
        case .github: text = GitHubAnnotations.render(context.record)
        case .html: text = HTMLReport.render(context: context, cases: cases)
        case .csv: text = CSVReport.render(cases)
        }
        return context.redactor(text)
    }
}
