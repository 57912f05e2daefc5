import ArgumentParser
import EvalGateKit
import Foundation

/// `--report FORMAT[=PATH]`.
struct ReportRequest: Sendable {
    var format: ReportFormat
    var path: String?

    static func parse(_ text: String) throws -> ReportRequest {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard let format = ReportFormat(rawValue: parts[0].lowercased()) else {
            throw ValidationError("unknown report format '\(parts[0])'; one of: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return ReportRequest(format: format, path: parts.count > 1 ? parts[1] : nil)
    }
}

enum ReportWriter {
    static func useColor(noColor: Bool) -> Bool {
        !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
    }

    static func write(result: PipelineEvaluation.Result, requests: [ReportRequest], quiet: Bool, noColor: Bool) throws {
        // The reports name the audit entry that recorded the run, as the result file does.
        var record = result.record
        record.audit = result.auditHead
        let environment = ProcessInfo.processInfo.environment
        var fullCases: [CaseResult]?
        func cases() throws -> [CaseResult] {
            if let fullCases { return fullCases }
            fullCases = try ResultFile.read(path: result.resultPath).cases
            return fullCases!
        }
        let context = ReportContext(record: record, redactor: result.redactor, historyPath: nil)
        if quiet {
            print(result.redactor("\(record.verdict.rawValue.uppercased()): \(record.recommendation.summary)"))
            if let advice = record.recommendation.autonomy, advice.stepDown { print(result.redactor(advice.line)) }
        } else {
            print(ConsoleReport(useColor: useColor(noColor: noColor)).render(record, cases: result.notPassing, redactor: result.redactor))
            print("")
            print("Result: \(result.resultPath)")
            // A shard writes no recommendation: `evalgate merge` does.
            if result.record.shard == nil { print("Recommendation: \(result.recommendationPath)") }
        }
        for request in requests {
            let text: String
            switch request.format {
            case .console: text = ConsoleReport(useColor: false).render(record, cases: result.notPassing, redactor: result.redactor)
            case .json: text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: result.resultPath)), as: UTF8.self)
            default: text = try Reports.render(request.format, context: context, cases: try cases())
            }
            let path = request.path ?? (result.runFolder as NSString).appendingPathComponent("report.\(request.format.fileExtension)")
            if path == "-" {
                print(text)
            } else {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                if !quiet { print("Report (\(request.format.rawValue)): \(path)") }
            }
        }
        if let summaryPath = environment["GITHUB_STEP_SUMMARY"], !summaryPath.isEmpty {
            let markdown = try Reports.render(.markdown, context: context, cases: result.notPassing)
            if let handle = FileHandle(forWritingAtPath: summaryPath)
                ?? {
                    _ = FileManager.default.createFile(atPath: summaryPath, contents: nil)
                    return FileHandle(forWritingAtPath: summaryPath)
                }()
            {
                handle.seekToEndOfFile()
                handle.write(Data((markdown + "\n").utf8))
                try? handle.close()
            }
        }
        if environment["GITHUB_ACTIONS"] == "true" && !requests.contains(where: { $0.format == .github }) {
            print(try Reports.render(.github, context: context, cases: []))
        }
    }
}
