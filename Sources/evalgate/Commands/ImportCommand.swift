import ArgumentParser
import EvalGateKit
import Foundation

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a promptfoo config, an OpenAI evals registry entry or Inspect samples into evalgate pipelines and datasets.",
        discussion: """
            Writes pipelines/NAME.yaml and golden-datasets/NAME/... under --out, then validates them. Everything that could not be \
            converted exactly is printed with its place in the source and why (and listed at the top of the pipeline). \
            Exit codes: 0 converted (warnings allowed), 3 nothing could be converted or the result does not validate, \
            4 a file exists (nothing written; --force replaces it), 64 usage error. See docs/import.md.
            """,
        subcommands: [PromptfooImport.self, OpenAIEvalsImport.self, InspectImport.self]
    )
}

/// Where the files go and how the written pipelines are named.
struct ImportOutputOptions: ParsableArguments {
    @Option(help: "Folder to write pipelines/ and golden-datasets/ into.")
    var out: String = "."

    @Flag(help: "Replace files that exist already.")
    var force = false

    @Option(help: "Base name of the pipelines and datasets (default: from the source).")
    var name: String?

    @Option(help: "Risk tier of the imported agent (1-9).")
    var tier: Int = 1

    func validate() throws {
        if !(1...9).contains(tier) { throw ValidationError("--tier must be between 1 and 9") }
    }

    /// Prints what the conversion skipped or approximated, writes the files, validates them, and
    /// ends with the import's exit status.
    func finish(_ convert: () throws(InvalidInputError) -> ImportResult) throws {
        let result: ImportResult
        do {
            result = try convert()
        } catch {
            fflush(nil)
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitStatus.invalidInput.code
        }
        fflush(nil)
        for diagnostic in result.diagnostics { printError(diagnostic.description) }
        do {
            try ImportWriter.write(result, to: out, force: force)
        } catch {
            printError("error: \(error.localizedDescription)")
            throw ExitStatus.cannotRun.code
        }
        let reports = ImportWriter.validate(result, in: out)
        for report in reports {
            for diagnostic in report.diagnostics where diagnostic.severity != .note { printError(diagnostic.description) }
        }
        for file in result.files {
            let cases = result.caseCounts[file.path].map { " (\($0) case\($0 == 1 ? "" : "s"))" } ?? ""
            print("wrote \((out as NSString).appendingPathComponent(file.path))\(cases)")
        }
        let approximated = result.diagnostics.count
        if approximated > 0 {
            print(
                "\(approximated) part\(approximated == 1 ? "" : "s") not converted exactly: see the messages above (also listed at the top of each pipeline)"
            )
        }
        if !result.variables.isEmpty {
            print(
                "the pipelines read \(result.variables.map { "${\($0)}" }.joined(separator: ", ")): set \(result.variables.count == 1 ? "it" : "them") before evalgate run"
            )
        }
        if reports.contains(where: { !$0.isValid }) {
            printError("error: an imported pipeline does not validate; see the errors above")
            throw ExitStatus.invalidInput.code
        }
        if let first = result.pipelines.first {
            print(
                "next: evalgate validate \((out as NSString).appendingPathComponent(first)), then evalgate run \((out as NSString).appendingPathComponent(first))"
            )
        }
    }
}

struct PromptfooImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promptfoo", abstract: "Import a promptfoo config: a pipeline per provider, one dataset of tests × prompts.")

    @Argument(help: "The promptfoo config (promptfooconfig.yaml).")
    var config: String

    @OptionGroup var output: ImportOutputOptions

    func run() async throws {
        let importer = PromptfooImporter(options: PromptfooImporter.Options(name: output.name, riskTier: output.tier))
        try output.finish { () throws(InvalidInputError) in try importer.convert(configPath: config) }
    }
}

struct OpenAIEvalsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openai-evals",
        abstract:
            "Import an OpenAI evals registry file: a pipeline and dataset per eval (Match, Includes, FuzzyMatch, JsonMatch, ModelBasedClassify).")

    @Argument(help: "The registry YAML (evals/registry/evals/NAME.yaml).")
    var registry: String

    @Option(help: "Convert only this eval of the file.")
    var eval: String?

    @Option(help: "Folder samples_jsonl paths are relative to (default: the registry's data folder).")
    var data: String?

    @Option(help: "Chat Completions URL of the model to evaluate (default: OpenAI's).")
    var endpoint: String?

    @Option(help: "Model to evaluate (default: gpt-4o-mini).")
    var model: String?

    @OptionGroup var output: ImportOutputOptions

    func run() async throws {
        let importer = OpenAIEvalsImporter(
            options: OpenAIEvalsImporter.Options(
                name: output.name, riskTier: output.tier, eval: eval, dataFolder: data, endpoint: endpoint, model: model))
        try output.finish { () throws(InvalidInputError) in try importer.convert(registryPath: registry) }
    }
}

extension InspectImporter.Scorer: ExpressibleByArgument {}

struct InspectImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Import an Inspect sample file (JSON, JSONL or CSV: input, target, id, metadata).")

    @Argument(help: "The sample file.")
    var samples: String

    @Option(help: "The Inspect scorer to reproduce: \(InspectImporter.Scorer.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scorer: InspectImporter.Scorer

    @Option(help: "Chat Completions URL of the model to evaluate (default: OpenAI's).")
    var endpoint: String?

    @Option(help: "Model to evaluate (default: gpt-4o-mini).")
    var model: String?

    @OptionGroup var output: ImportOutputOptions

    func run() async throws {
        let importer = InspectImporter(
            options: InspectImporter.Options(scorer: scorer, name: output.name, riskTier: output.tier, endpoint: endpoint, model: model))
        try output.finish { () throws(InvalidInputError) in try importer.convert(samplesPath: samples) }
    }
}
