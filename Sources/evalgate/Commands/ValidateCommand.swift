import ArgumentParser
import EvalGateKit
import Foundation

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipelines, their datasets, scorers and tier rules; print every problem.",
        discussion: "Exit codes: 0 valid (warnings allowed), 3 invalid input, 64 usage error."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Pipeline files or folders. Default: every pipeline in pipelines/.")
    var pipelines: [String] = []

    @Option(help: "Output format: text (compiler-style) or json.")
    var format: Format = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() async throws {
        let paths = try PipelineArguments.expand(pipelines)
        let validator = PipelineValidator()
        var reports: [PipelineValidator.Report] = []
        for path in paths {
            reports.append(try await onOwnThread { validator.validate(path: path) })
        }
        let failed = reports.contains { report in
            !report.isValid || (strict && report.diagnostics.contains { $0.severity == .warning })
        }
        switch format {
        case .text:
            for report in reports {
                for diagnostic in report.diagnostics { printError(diagnostic.description) }
            }
            for report in reports {
                let errors = report.diagnostics.filter { $0.severity == .error }.count
                let warnings = report.diagnostics.filter { $0.severity == .warning }.count
                let status = errors == 0 ? "valid" : "invalid"
                var line = "\(report.path): \(status)"
                if report.pipeline != nil { line += ", \(report.caseCount) cases" }
                if errors > 0 { line += ", \(errors) error\(errors == 1 ? "" : "s")" }
                if warnings > 0 { line += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
                print(line)
            }
        case .json:
            let document: JSONValue = .object([
                "valid": .bool(!failed),
                "pipelines": .array(reports.map { report in
                    .object([
                        "path": .string(report.path),
                        "valid": .bool(report.isValid),
                        "cases": .number(Double(report.caseCount)),
                        "diagnostics": .array(report.diagnostics.map { diagnostic in
                            var object: [String: JSONValue] = [
                                "severity": .string(diagnostic.severity.rawValue), "file": .string(diagnostic.location.file),
                                "line": .number(Double(diagnostic.location.line)), "column": .number(Double(diagnostic.location.column)),
                                "message": .string(diagnostic.message),
                            ]
                            if let hint = diagnostic.hint { object["hint"] = .string(hint) }
                            return .object(object)
                        }),
                    ])
                }),
            ])
            print(document.compactJSON)
        }
        if failed { throw ExitStatus.invalidInput.code }
    }
}

enum PipelineArguments {
    /// Expands folders to their pipeline files; no arguments means `pipelines/`.
    static func expand(_ arguments: [String]) throws -> [String] {
        let inputs = arguments.isEmpty ? ["pipelines"] : arguments
        var paths: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                let files = PipelineLoader.pipelineFiles(in: input)
                if files.isEmpty { throw ValidationError("no pipeline files (*.yaml) in '\(input)'") }
                paths += files
            } else {
                paths.append(input)
            }
        }
        return paths
    }
}
