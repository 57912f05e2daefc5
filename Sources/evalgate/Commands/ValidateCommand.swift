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

    /// `--format json`: one line, `valid` for the whole invocation (with `--strict`, warnings count).
    struct Output: Encodable {
        var valid: Bool
        var pipelines: [Pipeline]

        struct Pipeline: Encodable {
            var path: String
            /// No errors (warnings allowed).
            var valid: Bool
            var cases: Int
            var diagnostics: [Diagnostic]

            enum CodingKeys: String, CodingKey {
                case path, valid, cases, diagnostics
            }
        }

        enum CodingKeys: String, CodingKey {
            case valid, pipelines
        }
    }

    func run() async throws {
        let paths = try PipelineArguments.expand(pipelines)
        let validator = PipelineValidator()
        var reports: [PipelineValidator.Report] = []
        for path in paths {
            var report = try await onOwnThread { validator.validate(path: path) }
            if let definition = report.pipeline?.definition, let warning = await SimulatorCheck.warning(for: definition) {
                report.diagnostics.append(warning)
            }
            if let definition = report.pipeline?.definition {
                report.diagnostics += await AgentCardCheck.diagnostics(for: definition)
            }
            reports.append(report)
        }
        let failed = reports.contains { report in
            !report.isValid || (strict && report.diagnostics.contains { $0.severity == .warning })
        }
        switch format {
        case .text:
            // Diagnostics first, then the summary, as compilers do: whatever stdout holds goes out
            // before them, and stderr is unbuffered, so one terminal or one pipe shows them in order.
            fflush(nil)
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
            let output = Output(
                valid: !failed,
                pipelines: reports.map { Output.Pipeline(path: $0.path, valid: $0.isValid, cases: $0.caseCount, diagnostics: $0.diagnostics) })
            print(String(decoding: try JSONCoding.encoder().encode(output), as: UTF8.self))
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
